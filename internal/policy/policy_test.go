package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseSetsAndLocksKeys(t *testing.T) {
	t.Parallel()
	p, err := Parse("p.toml", []byte(`
[thresholds]
mass_deletion_min = 20
mass_deletion_percent = 2.5
[fleet]
folder = '\\server\share\fleet'
timeout = "3s"
[workstation]
interaction_sync = true
`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Thresholds.MassDeletionMin != 20 || p.Thresholds.MassDeletionPercent != 2.5 {
		t.Errorf("thresholds = %+v", p.Thresholds)
	}
	if p.Thresholds.MassEditMin != Default().Thresholds.MassEditMin {
		t.Errorf("an unset key must keep its default, got mass_edit_min = %d", p.Thresholds.MassEditMin)
	}
	if p.Fleet.Folder != `\\server\share\fleet` || p.Fleet.Timeout.Duration != 3*time.Second {
		t.Errorf("fleet = %+v", p.Fleet)
	}
	if p.Workstation.InteractionSync == nil || !*p.Workstation.InteractionSync {
		t.Errorf("interaction_sync not read")
	}
	if !p.IsLocked("fleet.folder") || p.IsLocked("export.location") {
		t.Errorf("locked = %v", p.Locked)
	}
}

func TestParseErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"[thresholds]\nmass_deletion_minimum = 3\n", "thresholds.mass_deletion_minimum"},
		{"[fleet]\nstale_days = 0\n", "fleet.stale_days"},
		{"[thresholds]\nmass_deletion_percent = 140\n", "thresholds.mass_deletion_percent"},
		{"[fleet]\ntimeout = \"soon\"\n", "duration"},
		{"[export]\ncountry_code = \"abc\"\n", "export.country_code"},
		{"[thresholds]\nmass_deletion_min = \"ten\"\n", "p.toml"},
		{"[thresholds\n", "p.toml:2"},
		{"[retention]\nkeep_all_days = 60\ndaily_days = 30\n", "retention.daily_days"},
		{"[thresholds]\nfield_loss_min = 40\n", "thresholds.field_loss_danger_min = 30 is too small: it must be at least 40 (thresholds.field_loss_min)"},
		{"[thresholds]\nduplicates_danger_min = 0\n", "thresholds.duplicates_danger_min"},
		{"[thresholds]\ntruncation_min = 1\n", "thresholds.truncation_min"},
	}
	for _, c := range cases {
		_, err := Parse("p.toml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %v, want it to mention %q", c.in, err, c.want)
		}
	}
}

func TestLoadMissingExplicitFileIsAnError(t *testing.T) {
	t.Parallel()
	if _, err := Load(filepath.Join(t.TempDir(), "nope.toml")); err == nil {
		t.Fatal("a policy file named with --policy that does not exist must be an error")
	}
	f := filepath.Join(t.TempDir(), "p.toml")
	if err := os.WriteFile(f, []byte("[notifications]\nenabled = false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(f)
	if err != nil || p.Notifications.Enabled || p.File != f {
		t.Fatalf("Load = %+v, %v", p, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("[thresholds]\nmass_deletion_min = 20\n"))
	f.Add([]byte("[fleet]\nfolder = 'x'\ntimeout = \"3s\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.toml", data)
		if err == nil && p.Validate() != nil {
			t.Fatalf("Parse accepted a policy that does not validate")
		}
	})
}

// Group Policy on Linux: the registry source is a map, the file a real file. The same
// layering runs against Wine's real registry in registry_windows_test.go.
func TestRegistryWinsOverTheFileKeyByKey(t *testing.T) {
	f := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(f, []byte("[thresholds]\nmass_deletion_min = 20\nmass_edit_min = 40\n[fleet]\nfolder = 'F:\\fleet'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hkcu := MapRegistry{Root: `HKCU\Software\Policies\SyncGuard`, Set: map[string]any{
		`Export\location`:              `C:\Users\ann\Documents\contacts.csv`,
		`Thresholds\mass_deletion_min`: uint64(15),
		`Notifications\enabled`:        uint64(0),
	}}
	hklm := MapRegistry{Root: `HKLM\Software\Policies\SyncGuard`, Set: map[string]any{
		`thresholds\MASS_DELETION_MIN`:     "30", // REG_SZ, and names in any case, as regedit allows
		`Thresholds\mass_deletion_percent`: "2.5",
		`Fleet\timeout`:                    uint64(12),
		`Workstation\interaction_sync`:     uint64(1),
	}}
	p, err := LoadSources(Sources{File: f, Registries: []Registry{hkcu, hklm}})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		key   string
		value any
		where string
	}{
		{"thresholds.mass_deletion_min", 30, `HKLM\Software\Policies\SyncGuard\thresholds\MASS_DELETION_MIN`},
		{"thresholds.mass_deletion_percent", 2.5, `HKLM\Software\Policies\SyncGuard\Thresholds\mass_deletion_percent`},
		{"thresholds.mass_edit_min", 40, f},
		{"fleet.folder", `F:\fleet`, f},
		{"fleet.timeout", "12s", `HKLM\Software\Policies\SyncGuard\Fleet\timeout`},
		{"workstation.interaction_sync", true, `HKLM\Software\Policies\SyncGuard\Workstation\interaction_sync`},
		{"export.location", `C:\Users\ann\Documents\contacts.csv`, `HKCU\Software\Policies\SyncGuard\Export\location`},
		{"notifications.enabled", false, `HKCU\Software\Policies\SyncGuard\Notifications\enabled`},
		{"thresholds.revert_min", 3, ""},
		{"retention.weekly", true, ""},
	}
	byName := map[string]Key{}
	for _, k := range Keys() {
		byName[k.Name] = k
	}
	for _, c := range checks {
		k, ok := byName[c.key]
		if !ok {
			t.Fatalf("no key %s", c.key)
		}
		if got := p.Value(k); got != c.value {
			t.Errorf("%s = %#v, want %#v", c.key, got, c.value)
		}
		if got := p.Where(c.key); got != c.where {
			t.Errorf("%s comes from %q, want %q", c.key, got, c.where)
		}
		if p.IsLocked(c.key) != (c.where != "") {
			t.Errorf("%s locked = %v, want %v", c.key, p.IsLocked(c.key), c.where != "")
		}
	}
	if want := f + `, HKCU\Software\Policies\SyncGuard, HKLM\Software\Policies\SyncGuard`; p.Origin() != want {
		t.Errorf("Origin = %q, want %q", p.Origin(), want)
	}
}

func TestRegistryErrorsNameTheValue(t *testing.T) {
	cases := []struct {
		set  map[string]any
		want string
	}{
		{map[string]any{`Thresholds\mass_deletion_minimum`: uint64(3)}, `HKLM\P\Thresholds\mass_deletion_minimum: unknown policy setting`},
		{map[string]any{`Threshold\mass_deletion_min`: uint64(3)}, `HKLM\P\Threshold\mass_deletion_min: unknown`},
		{map[string]any{`mass_deletion_min`: uint64(3)}, `HKLM\P\mass_deletion_min: unknown`},
		{map[string]any{`Thresholds\mass_deletion_min`: "ten"}, `HKLM\P\Thresholds\mass_deletion_min: "ten" is not a whole number`},
		{map[string]any{`Thresholds\mass_deletion_min`: uint64(1 << 40)}, `is too large`},
		{map[string]any{`Thresholds\mass_deletion_percent`: "5%"}, `"5%" is not a number`},
		{map[string]any{`Notifications\enabled`: uint64(2)}, `Notifications\enabled: 2 must be 1 (on) or 0 (off)`},
		{map[string]any{`Notifications\enabled`: "yes"}, `"yes" must be 1 (on) or 0 (off)`},
		{map[string]any{`Fleet\folder`: uint64(1)}, `Fleet\folder: must be text (REG_SZ)`},
		{map[string]any{`Fleet\timeout`: "soon"}, `Fleet\timeout: "soon" is not a duration`},
		// Valid value by value, wrong together: the message names where to look.
		{map[string]any{`Thresholds\field_loss_min`: uint64(40)}, `policy (HKLM\P): thresholds.field_loss_danger_min = 30 is too small`},
		{map[string]any{`Fleet\stale_days`: uint64(0)}, `fleet.stale_days = 0 is too small`},
	}
	for _, c := range cases {
		_, err := LoadSources(Sources{Registries: []Registry{MapRegistry{Root: `HKLM\P`, Set: c.set}}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error = %v, want it to mention %q", c.set, err, c.want)
		}
	}
}

func TestRegistryIgnoresGroupPolicyMarkers(t *testing.T) {
	p, err := LoadSources(Sources{Registries: []Registry{MapRegistry{Root: `HKLM\P`, Set: map[string]any{
		`Fleet\**del.folder`: "", `Fleet\`: "", `Fleet\stale_days`: uint64(7),
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Fleet.StaleDays != 7 || p.Fleet.Folder != "" || p.IsLocked("fleet.folder") {
		t.Errorf("fleet = %+v, locked = %v", p.Fleet, p.Locked)
	}
}

func TestNoPolicyAnywhereIsTheDefaults(t *testing.T) {
	p, err := LoadSources(Sources{File: filepath.Join(t.TempDir(), "policy.toml"), FileOptional: true,
		Registries: []Registry{MapRegistry{Root: `HKLM\P`}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Origin() != "" || len(p.Locked) != 0 || p.Thresholds != Default().Thresholds {
		t.Errorf("policy = %+v", p)
	}
}

// Every key of the file is a key of the registry: the list is derived from the struct, so
// it must hold every leaf the TOML example in the README sets.
func TestKeysCoverTheWholePolicy(t *testing.T) {
	p, err := Parse("all.toml", []byte(`
[export]
location = 'x'
country_code = "44"
source = "outlook"
outlook_folders = ["Clients"]
outlook_every = "30m"
[thresholds]
mileage_danger_min = 12
private_min = 2
user_fields_min = 11
mass_deletion_min = 11
mass_deletion_percent = 6.0
mass_edit_min = 26
mass_edit_percent = 11.0
field_loss_min = 11
field_loss_danger_min = 31
truncation_min = 6
category_collapse_min = 4
category_loss_min = 6
mileage_min = 2
duplicates_min = 2
duplicates_danger_min = 11
revert_min = 4
[fleet]
folder = 'f'
stale_days = 31
timeout = "6s"
[workstation]
interaction_sync = false
interaction_mailboxes = ["anna@firm.example"]
interaction_mailboxes_file = "mailboxes.txt"
[devices]
catalog_file = "c.json"
[retention]
keep_all_days = 31
daily_days = 366
weekly = false
[notifications]
enabled = false
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(Keys()) != len(p.Sources) {
		t.Errorf("%d keys, but the file set %d", len(Keys()), len(p.Sources))
	}
	for _, k := range Keys() {
		if p.Where(k.Name) != "all.toml" {
			t.Errorf("key %s not read from the file", k.Name)
		}
		if reflect.DeepEqual(p.Value(k), Default().Value(k)) {
			t.Errorf("key %s still has its default", k.Name)
		}
	}
}
