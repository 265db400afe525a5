package policy

import (
	"os"
	"path/filepath"
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
