package conduit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmbeddedCatalogRecordsItsSources(t *testing.T) {
	cat, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"activesync", "akruto", "companionlink", "hotsync", "intellisync", "itunes", "myphoneexplorer", "wmdc"}
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
