package conduit

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
)

func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	cat, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	// A certain minimum and latest, to test the branches the embedded catalog cannot
	// (it knows no minimum safe version for anything).
	cat.Software = append(cat.Software, Software{
		ID: "testsync", Name: "TestSync",
		Latest:      VersionFact{Version: "5.2", Fact: Fact{Source: "https://example.invalid", Certain: true}},
		MinimumSafe: VersionFact{Version: "4.0", Fact: Fact{Source: "https://example.invalid", Certain: true}},
	})
	return cat
}

func TestVersionCheck(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	cases := []struct {
		sw, version string
		want        string // "" for no finding, else the severity
		title       string
	}{
		{"testsync", "3.9", "danger", "minimum safe"},
		{"testsync", "4.1", "warning", "older than 5.2"},
		{"testsync", "5.2", "", ""},
		{"testsync", "5.10", "", ""}, // a version library, not a string compare
		{"hotsync", "6.2.1", "warning", "older than 6.2.2"},
		{"activesync", "4.2", "info", "older than 4.5"}, // the latest is not certain
		{"itunes", "12.13", "info", "is unknown"},       // no latest recorded: unknown, not a guess
		{"itunes", "", "info", "version of iTunes / Apple Devices is unknown"},
		{"hotsync", "six", "info", "unknown to SyncGuard"},
		{"nosuch", "1.0", "info", "does not know"},
	}
	for _, c := range cases {
		fs := CheckDevice(cat, Device{ID: "d1", Name: "Dev", Software: c.sw, Version: c.version}, []*contacts.Contact{})
		var got []findings.Finding
		for _, f := range fs {
			if f.Kind == findings.OutdatedSoftware {
				got = append(got, f)
			}
		}
		if c.want == "" {
			if len(got) != 0 {
				t.Errorf("%s %s: unexpected %+v", c.sw, c.version, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Severity.String() != c.want || !strings.Contains(got[0].Title, c.title) || got[0].DeviceID != "d1" {
			t.Errorf("%s %q: got %+v, want one %s finding mentioning %q", c.sw, c.version, got, c.want, c.title)
		}
	}
}

func TestSettingsCheck(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	d := Device{ID: "palm", Name: "Treo", Software: "hotsync", Version: "6.2.2", Settings: map[string]string{
		"contacts-action": "Handheld overwrites Desktop",
		"colour":          "blue",
	}}
	fs := CheckDevice(cat, d, nil)
	sev := map[string]string{}
	for _, f := range fs {
		if f.Kind == findings.ConduitSetting {
			sev[f.Subject] = f.Severity.String()
		}
	}
	want := map[string]string{"palm/setting/contacts-action": "danger", "palm/setting/colour": "info"}
	if len(sev) != len(want) || sev["palm/setting/contacts-action"] != "danger" || sev["palm/setting/colour"] != "info" {
		t.Errorf("setting findings = %v, want %v", sev, want)
	}
	for _, tc := range []struct{ sw, key, val, sev string }{
		{"intellisync", "conflict-resolution", "add-all", "warning"},
		{"intellisync", "conflict-resolution", "pim-wins", ""},
		{"companionlink", "conflicts", "Create Duplicate Record", "warning"},
		{"activesync", "category-filter", "Clients; VIP", "warning"},
		{"activesync", "category-filter", "", ""},
		{"hotsync", "contacts-action", "synchronize", ""},
	} {
		fs := CheckSettings(Device{ID: "x", Name: "X", Settings: map[string]string{tc.key: tc.val}}, mustLookup(t, cat, tc.sw))
		got := ""
		if len(fs) == 1 {
			got = fs[0].Severity.String()
		}
		if got != tc.sev || len(fs) > 1 {
			t.Errorf("%s %s=%q: got %v, want %q", tc.sw, tc.key, tc.val, fs, tc.sev)
		}
	}
}

func mustLookup(t *testing.T, cat *Catalog, id string) *Software {
	sw, ok := cat.Lookup(id)
	if !ok {
		t.Fatalf("no %s", id)
	}
	return sw
}

func TestCategoryDeviceLimit(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	book := []*contacts.Contact{
		{Name: "Ann Able", Categories: []string{"Clients", "VIP"}},
		{Name: "Bob Baker", Categories: []string{"Clients"}},
		{Name: "Cy Cole", Categories: []string{"Bar Association", "Clients", "Holiday Cards"}},
		{Name: "Di Dunn", Categories: []string{"", "Clients"}}, // an empty entry is not a category
	}
	palm := Device{ID: "palm", Name: "Treo", Software: "hotsync", Version: "6.2.2"}
	fs := CheckCategoryLimit(palm, mustLookup(t, cat, "hotsync"), book)
	if len(fs) != 1 {
		t.Fatalf("got %+v", fs)
	}
	f := fs[0]
	if f.Kind != findings.CategoryDeviceLimit || f.Severity != findings.Warning || !strings.Contains(f.Title, "2 contacts") ||
		len(f.Contacts) != 2 || f.Contacts[1].Name != "Cy Cole" || !strings.Contains(f.Advice, "Manage Categories") {
		t.Errorf("finding = %+v", f)
	}
	if fs := CheckCategoryLimit(palm, mustLookup(t, cat, "hotsync"), nil); len(fs) != 1 || fs[0].Severity != findings.Info {
		t.Errorf("without an export: %+v", fs)
	}
	if fs := CheckCategoryLimit(Device{ID: "w", Name: "W"}, mustLookup(t, cat, "wmdc"), book); len(fs) != 0 {
		t.Errorf("a device that keeps several categories: %+v", fs)
	}
	if fs := CheckCategoryLimit(Device{ID: "i", Name: "I"}, mustLookup(t, cat, "itunes"), book); len(fs) != 1 || fs[0].Severity != findings.Info {
		t.Errorf("unknown limit: %+v", fs)
	}
}

func TestStoreAndMerge(t *testing.T) {
	t.Parallel()
	st := OpenStore(t.TempDir())
	if err := st.Add(Device{ID: "activesync:0badf00d", Name: "HTC", Software: "wmdc", Version: "6.1", Settings: map[string]string{"category-filter": "Clients"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Add(Device{ID: "ACTIVESYNC:0BADF00D"}); err == nil {
		t.Error("a second device with the same id must be refused")
	}
	if err := st.Update("nope", func(*Device) {}); err == nil {
		t.Error("updating an unknown device must fail")
	}
	declared, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	detected := []Device{{ID: "activesync:0badf00d", Name: "Müller HTC", Software: "activesync", Source: SourceRegFile}}
	m := Merge(detected, declared)
	if len(m) != 1 || m[0].Name != "HTC" || m[0].Software != "wmdc" || m[0].Settings["category-filter"] != "Clients" || m[0].Source != "reg-file+declared" {
		t.Errorf("merged = %+v", m)
	}
	if err := st.Remove("activesync:0badf00d"); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.List(); len(l) != 0 {
		t.Errorf("after remove: %+v", l)
	}
}
