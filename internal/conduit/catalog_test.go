package conduit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/findings"
)

func TestEmbeddedCatalogRecordsItsSources(t *testing.T) {
	t.Parallel()
	cat, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"activesync", "akruto", "companionlink", "exchange-direct", "gwsmo", "hotsync", "icloud-outlook", "intellisync", "itunes", "myphoneexplorer", "outlook-mobile", "wmdc"}
	if got := strings.Join(cat.IDs(), ","); got != strings.Join(want, ",") {
		t.Fatalf("ids = %s, want %s", got, strings.Join(want, ","))
	}
	for _, s := range cat.Software {
		for _, vf := range []VersionFact{s.Latest, s.MinimumSafe} {
			// Never an invented version: a version comes with a source or says why not.
			if vf.Version != "" && vf.Source == "" && vf.Note == "" {
				t.Errorf("%s: version %s has neither a source nor a note", s.ID, vf.Version)
			}
			if vf.Version == "" && vf.Note == "" {
				t.Errorf("%s: an unknown version must say why in a note", s.ID)
			}
			if vf.Certain && vf.Source == "" {
				t.Errorf("%s: a certain version needs a source", s.ID)
			}
		}
		for _, st := range s.Settings {
			if st.Certain && st.Source == "" {
				t.Errorf("%s: setting %s is certain without a source", s.ID, st.Key)
			}
		}
	}
}

func TestCatalogNamesTheDocumentedOptions(t *testing.T) {
	t.Parallel()
	cat, _ := Load("")
	cases := []struct{ sw, key, value, label, severity string }{
		{"hotsync", "contacts-action", "handheld-overwrites-desktop", "Handheld overwrites Desktop", "danger"},
		{"hotsync", "contacts-action", "synchronize", "Synchronize the files", ""},
		{"hotsync", "contacts-action", "Desktop overwrites handheld", "Desktop overwrites handheld", "info"},
		{"hotsync", "contacts-action", "do nothing", "Do nothing", ""},
		{"Intellisync", "Conflict Resolution", "Add all conflicting items", "Add all conflicting items", "warning"},
		{"companionlink", "conflicts", "duplicate", "Create Duplicate Record", "warning"},
		{"WMDC", "category-filter", "Clients", "a category list", "warning"},
		{"wmdc", "category-filter", "", "all contacts", ""},
	}
	for _, c := range cases {
		sw, ok := cat.Lookup(c.sw)
		if !ok {
			t.Fatalf("Lookup(%q) failed", c.sw)
		}
		st, ok := sw.Setting(c.key)
		if !ok {
			t.Fatalf("%s: no setting %q", c.sw, c.key)
		}
		v, ok := st.Match(c.value)
		if !ok || v.Label != c.label || v.Severity != c.severity {
			t.Errorf("%s %s=%q: got %+v, want label %q severity %q", c.sw, c.key, c.value, v, c.label, c.severity)
		}
	}
}

func TestCatalogFileErrorsNameTheLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct{ text, want string }{
		{"{\n \"schema\": 1,\n \"software\": [ {\"id\": \"x\", \"name\": \"X\", \"lates\": {}} ]\n}", "lates"},
		{"{\n \"schema\": 1,\n \"software\": [\n {\"id\": 3}]}", "line 4"},
		{"{\"schema\": 2, \"software\": []}", "schema 2"},
		{"{\"schema\": 1, \"software\": [{\"id\": \"x\", \"name\": \"X\", \"latest\": {\"version\": \"soon\"}}]}", "not a version number"},
		{"{\"schema\": 1, \"software\": [{\"id\": \"x\", \"name\": \"X\", \"latest\": {\"version\": \"1.0\", \"certain\": true}}]}", "names no source"},
	}
	for i, c := range cases {
		f := filepath.Join(dir, "c.json")
		if err := os.WriteFile(f, []byte(c.text), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(f)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), f) {
			t.Errorf("case %d: error %v, want it to name %s and mention %q", i, err, f, c.want)
		}
	}
}

// TestCertainNeedsASource: a catalog (IT's or the embedded one) that marks any fact
// certain without naming its source is refused, naming the entry and the fact.
func TestCertainNeedsASource(t *testing.T) {
	base := `{"schema":1,"software":[{"id":"x","name":"X","recognize":{"windows_uninstall":[],"windows_processes":[],"macos_bundle_ids":[],"partnerships":"","source":"","certain":false},
	"latest":{"version":"","source":"","certain":false},"minimum_safe":{"version":"","source":"","certain":false},
	"one_category_per_contact":{"value":null,"source":"","certain":false},"settings":[]%s}]}`
	if _, err := Parse("ok.json", []byte(fmt.Sprintf(base, ""))); err != nil {
		t.Fatalf("a catalog without claims: %v", err)
	}
	bad := map[string]string{
		"recognize":                strings.Replace(fmt.Sprintf(base, ""), `"partnerships":"","source":"","certain":false`, `"partnerships":"","source":"","certain":true`, 1),
		"one_category_per_contact": strings.Replace(fmt.Sprintf(base, ""), `"value":null,"source":"","certain":false`, `"value":true,"source":"","certain":true`, 1),
		"setting s":                strings.Replace(fmt.Sprintf(base, ""), `"settings":[]`, `"settings":[{"key":"s","label":"S","where":"","values":[],"source":"","certain":true}]`, 1),
		"risk r":                   fmt.Sprintf(base, `,"risks":[{"key":"r","severity":"warning","risk":"","title":"T","advice":"","source":"","certain":true}]`),
		"minimum_safe":             strings.Replace(fmt.Sprintf(base, ""), `"minimum_safe":{"version":""`, `"minimum_safe":{"version":"2.0"`, 1),
	}
	for what, text := range bad {
		_, err := Parse("it.json", []byte(text))
		if err == nil || !strings.Contains(err.Error(), what) {
			t.Errorf("%s: a certain fact without a source was accepted or not named: %v", what, err)
		}
	}
}

// TestTodaysPhonePathsAreInTheCatalog: the phones lawyers carry now, each with its path,
// its risks and a source for every risk it calls certain.
func TestTodaysPhonePathsAreInTheCatalog(t *testing.T) {
	cat, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for id, path := range map[string]string{"exchange-direct": "exchange-direct", "outlook-mobile": "phone-app", "icloud-outlook": "outlook-add-in", "gwsmo": "outlook-add-in"} {
		sw, ok := cat.Lookup(id)
		if !ok {
			t.Fatalf("%s is missing", id)
		}
		if sw.Path != path || sw.PathNote == "" || len(sw.Risks) == 0 {
			t.Errorf("%s: path %q, note %q, %d risks", id, sw.Path, sw.PathNote, len(sw.Risks))
		}
		for _, r := range sw.Risks {
			if r.Source == "" {
				t.Errorf("%s: risk %s names no source", id, r.Key)
			}
		}
	}
	// No minimum safe version without a source, anywhere.
	for _, s := range cat.Software {
		if s.MinimumSafe.Version != "" {
			t.Errorf("%s: minimum_safe %s: no source names a version that loses data", s.ID, s.MinimumSafe.Version)
		}
	}
	// A device declared as syncing straight with Exchange gets the "SyncGuard cannot see
	// this sync" finding; one with the iCloud add-in, the danger of moved contacts.
	fs := CheckDevice(cat, Device{ID: "p1", Name: "Anna's iPhone", Software: "exchange-direct"}, nil)
	if !hasSubject(fs, "p1/risk/unseen-sync") || len(fs) != 1 {
		t.Errorf("exchange-direct findings = %+v, want only the unseen-sync one (no version to ask for)", fs)
	}
	fs = CheckDevice(cat, Device{ID: "icloud", Name: "This computer", Software: "iCloud"}, nil)
	found := false
	for _, f := range fs {
		if f.Subject == "icloud/risk/moves-contacts" && f.Severity.String() == "danger" && f.ForIT != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("icloud findings = %+v", fs)
	}
	// HotSync's advice never asks for a version that cannot exist.
	hs, _ := cat.Lookup("hotsync")
	for _, f := range CheckVersion(Device{ID: "h", Name: "Treo", Version: "6.0"}, hs) {
		if strings.Contains(f.Advice, "or later") {
			t.Errorf("HotSync advice asks for a later version than the last: %q", f.Advice)
		}
	}
}

func hasSubject(fs []findings.Finding, subject string) bool {
	for _, f := range fs {
		if f.Subject == subject {
			return true
		}
	}
	return false
}

// The wizard asks with the catalog's labels as they are: a placeholder such as "..." in
// one reads as a broken sentence ("Warn when ... of the data").
func TestCatalogLabelsHaveNoPlaceholders(t *testing.T) {
	cat, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cat.Software {
		for _, st := range s.Settings {
			labels := []string{st.Label, st.Where}
			for _, v := range st.Values {
				labels = append(labels, v.Label)
			}
			for _, l := range labels {
				if strings.Contains(l, "...") || strings.Contains(l, "…") || strings.Contains(l, "<") {
					t.Errorf("%s/%s: a placeholder in %q", s.ID, st.Key, l)
				}
			}
		}
	}
}
