package workstation

import (
	"path/filepath"
	"testing"

	"github.com/syncguard/syncguard/internal/datadir"
)

func TestResolveOrder(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		policy *bool
		addin  AddinResult
		user   *bool
		want   Sync
	}{
		{&no, AddinResult{Found: true}, &yes, Sync{Known: true, Value: false, Source: "policy"}},
		{nil, AddinResult{Found: true, Where: "HKCU"}, &no, Sync{Known: true, Value: true, Source: "add-in", Detail: "HKCU"}},
		{nil, AddinResult{}, &no, Sync{Known: true, Value: false, Source: "user"}},
		{nil, AddinResult{}, nil, Sync{Source: "unknown"}},
	}
	for i, c := range cases {
		got := Resolve(c.policy, c.addin, c.user)
		if got.Known != c.want.Known || got.Value != c.want.Value || got.Source != c.want.Source || (c.want.Detail != "" && got.Detail != c.want.Detail) {
			t.Errorf("case %d: %+v, want %+v", i, got, c.want)
		}
	}
}

func TestIDsAreSafeFileNames(t *testing.T) {
	for _, id := range []string{"ws-01", "LAW.PC_7"} {
		if err := ValidID(id); err != nil {
			t.Errorf("ValidID(%q) = %v", id, err)
		}
	}
	for _, id := range []string{"", ".hidden", "../x", `a\b`, "évil name", "a/b", string(make([]byte, 65))} {
		if ValidID(id) == nil {
			t.Errorf("ValidID(%q) accepted", id)
		}
	}
	if err := ValidID(DefaultID()); err != nil {
		t.Errorf("DefaultID() = %q: %v", DefaultID(), err)
	}
}

func TestAddinMatch(t *testing.T) {
	if !addinMatches("InterAction.OutlookAddin", "", "") || !addinMatches("X.Connect", "LexisNexis InterAction for Microsoft Outlook", "") {
		t.Error("an InterAction add-in was not recognised")
	}
	if addinMatches("OneNote.OutlookAddin", "OneNote Notes about Outlook Items", "") {
		t.Error("another add-in was taken for InterAction")
	}
}

func TestSaveIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	yes := true
	if err := Save(dir, Config{ID: "ws-1", InteractionSync: &yes}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir)
	if err != nil || c.ID != "ws-1" || c.InteractionSync == nil || !*c.InteractionSync {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	datadir.ExpectPrivate(t, filepath.Join(dir, "workstation.json"))
	datadir.ExpectPrivate(t, dir)
	if err := Save(dir, Config{ID: "../x"}); err == nil {
		t.Error("an id that is not a file name was saved")
	}
}
