package workstation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/syncguard/syncguard/internal/datadir"
)

func TestResolveOrder(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	if !addinMatches("InterAction.OutlookAddin", "", "") || !addinMatches("X.Connect", "LexisNexis InterAction for Microsoft Outlook", "") {
		t.Error("an InterAction add-in was not recognised")
	}
	if addinMatches("OneNote.OutlookAddin", "OneNote Notes about Outlook Items", "") {
		t.Error("another add-in was taken for InterAction")
	}
}

func TestSaveIsPrivate(t *testing.T) {
	t.Parallel()
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

// TestConcurrentUpdatesKeepBothSettings: `workstation set --id` and `workstation set
// --interaction-sync` run at once used to lose one of the two. Each round starts from no
// file and runs both changes together; both must be in the file after every round.
func TestConcurrentUpdatesKeepBothSettings(t *testing.T) {
	dir := t.TempDir()
	for round := range 30 {
		os.Remove(filepath.Join(dir, "workstation.json"))
		id := fmt.Sprintf("ws-%d", round)
		yes := true
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { errs[0] = Update(dir, func(c *Config) error { c.ID = id; return nil }) })
		wg.Go(func() { errs[1] = Update(dir, func(c *Config) error { c.InteractionSync = &yes; return nil }) })
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		c, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != id || c.InteractionSync == nil || !*c.InteractionSync {
			t.Fatalf("round %d: %+v, want id %s and interaction_sync true: a change was lost", round, c, id)
		}
	}
	err := Update(dir, func(c *Config) error { c.ID = "../x"; return nil })
	if err == nil || !strings.Contains(err.Error(), "workstation id") {
		t.Errorf("a bad id must be refused: %v", err)
	}
	if c, _ := Load(dir); c.ID != "ws-29" {
		t.Errorf("a refused change must leave the file as it was: %+v", c)
	}
}
