package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/policy"
)

func TestMain(m *testing.M) {
	// No test reads this machine's policy file or Group Policy keys.
	machinePolicy = func() policy.Sources { return policy.Sources{} }
	os.Exit(m.Run())
}

func TestPolicyShowsEachSettingAndWhereItCameFrom(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(file, []byte("[thresholds]\nmass_deletion_min = 20\nmass_edit_min = 40\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hklm := policy.MapRegistry{Root: `HKLM\Software\Policies\SyncGuard`, Set: map[string]any{
		`Thresholds\mass_deletion_min`: uint64(30),
		`Fleet\folder`:                 `\\fs1\it\fleet`,
	}}
	old := machinePolicy
	defer func() { machinePolicy = old }()
	machinePolicy = func() policy.Sources {
		return policy.Sources{File: file, FileOptional: true, Registries: []policy.Registry{hklm}}
	}

	out, errOut, code := runIn(t, filepath.Join(dir, "data"), "policy", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r policyReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.File != file || len(r.Registries) != 1 || len(r.Settings) != len(policy.Keys()) {
		t.Fatalf("report = %+v", r)
	}
	got := map[string]policySetting{}
	for _, s := range r.Settings {
		got[s.Key] = s
	}
	want := map[string]policySetting{
		"thresholds.mass_deletion_min": {Value: 30.0, Source: "registry", Where: `HKLM\Software\Policies\SyncGuard\Thresholds\mass_deletion_min`, Locked: true},
		"thresholds.mass_edit_min":     {Value: 40.0, Source: "file", Where: file, Locked: true},
		"fleet.folder":                 {Value: `\\fs1\it\fleet`, Source: "registry", Where: `HKLM\Software\Policies\SyncGuard\Fleet\folder`, Locked: true},
		"fleet.timeout":                {Value: "5s", Source: "default"},
		"workstation.interaction_sync": {Value: nil, Source: "default"},
	}
	for k, w := range want {
		w.Key = k
		if got[k] != w {
			t.Errorf("%s = %+v, want %+v", k, got[k], w)
		}
	}

	text, _, _ := runIn(t, filepath.Join(dir, "data"), "policy")
	for _, w := range []string{file, `HKLM\Software\Policies\SyncGuard`, `HKLM\Software\Policies\SyncGuard\Thresholds\mass_deletion_min`, "(unset: detect)"} {
		if !strings.Contains(text, w) {
			t.Errorf("text output lacks %q:\n%s", w, text)
		}
	}

	// --policy FILE is that file alone: a policy tried before it is deployed.
	out, _, _ = runIn(t, filepath.Join(dir, "data"), "--policy", file, "policy", "--json")
	r = policyReport{}
	json.Unmarshal([]byte(out), &r)
	for _, s := range r.Settings {
		if s.Key == "thresholds.mass_deletion_min" && (s.Value != 20.0 || s.Source != "file") || s.Source == "registry" {
			t.Errorf("with --policy the registry must not apply: %+v", s)
		}
	}

	// A bad value in the registry stops the command with the value's name.
	hklm.Set[`Thresholds\revert_min`] = "three"
	_, errOut, code = runIn(t, filepath.Join(dir, "data"), "policy")
	if code != ExitFailed || !strings.Contains(errOut, `Thresholds\revert_min: "three" is not a whole number`) {
		t.Errorf("exit %d, %s", code, errOut)
	}
}

func TestPolicyWithNothingSetIsTheDefaults(t *testing.T) {
	out, _, code := runIn(t, t.TempDir(), "policy")
	if code != ExitOK || !strings.Contains(out, "every setting is the default") || strings.Contains(out, "HKLM\\Software\\Policies\\SyncGuard\\") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
