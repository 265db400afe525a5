package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/fleet"
)

// TestAnotherFleetFolderNeverAnswersWithTheLastOnesView: after `check --fleet A`, a check
// of a folder that does not exist reported A's peer and a multi-workstation danger, and
// `fleet --fleet B` printed A's report with A's exit status instead of failing.
func TestAnotherFleetFolderNeverAnswersWithTheLastOnesView(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	a := t.TempDir()
	pol := policyFile(t, "[fleet]\ntimeout = \"2s\"\n[workstation]\ninteraction_sync = true\n")
	args := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	if _, e, c := runIn(t, data, args("device", "add", "--id", "udid-1", "--name", "Jane's iPhone", "--software", "itunes")...); c != ExitOK {
		t.Fatal(e)
	}
	otherWorkstation(t, a, "ws-assistant", true, fleet.Device{ID: "udid-1", Name: "iPhone"})
	if out, _, code := runIn(t, data, args("check", "--json", "--no-detect", "--fleet", a)...); code != ExitDanger {
		t.Fatalf("check of A: exit %d\n%s", code, out)
	}

	missing := filepath.Join(t.TempDir(), "nonexistent")
	out, _, code := runIn(t, data, args("check", "--json", "--no-detect", "--fleet", missing)...)
	c := decodeCheck(t, out)
	if code == ExitDanger || c.Fleet == nil || c.Fleet.FromCache || c.Fleet.Others != 0 {
		t.Errorf("check of a missing folder: exit %d, fleet %+v", code, c.Fleet)
	}
	for _, f := range c.Findings {
		if f.Kind == "multi-workstation" && f.Severity != "info" {
			t.Errorf("a missing folder gave a %s from A's view: %s", f.Severity, f.Title)
		}
	}

	out, _, code = runIn(t, data, args("fleet", "--fleet", missing)...)
	if code != ExitFailed || strings.Contains(out, "ws-assistant") {
		t.Errorf("fleet of a missing folder: exit %d, want %d without A's workstations:\n%s", code, ExitFailed, out)
	}
}
