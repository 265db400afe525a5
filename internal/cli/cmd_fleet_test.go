package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestASquattedFleetFileIsAWarningAndSuspectInTheReport: another user pre-created this
// workstation's file, dated 2099. The check used to exit 0 with only "not published"; it
// now raises a warning naming the file and its owner, and the admin's report lists the
// file as suspect and stale.
func TestASquattedFleetFileIsAWarningAndSuspectInTheReport(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a file to another user needs root")
	}
	data := filepath.Join(t.TempDir(), "data")
	folder := t.TempDir()
	pol := policyFile(t, "[fleet]\ntimeout = \"2s\"\n[workstation]\ninteraction_sync = true\n")
	args := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	if _, e, c := runIn(t, data, args("workstation", "set", "--id", "ws-victim")...); c != ExitOK {
		t.Fatal(e)
	}
	if _, e, c := runIn(t, data, args("device", "add", "--id", "palm-1", "--name", "Treo", "--software", "hotsync", "--version", "6.2.2")...); c != ExitOK {
		t.Fatal(e)
	}
	otherWorkstation(t, folder, "ws-assistant", false, fleet.Device{ID: "other", Name: "Tablet"})
	// The squatter's entry: a folder under the victim's name (even root cannot replace it),
	// and a file claiming to be the victim, dated 2099, both owned by uid 65534.
	squat := filepath.Join(folder, "ws-victim.json")
	if err := os.Mkdir(squat, 0o755); err != nil {
		t.Fatal(err)
	}
	fake := fleet.File{Workstation: fleet.Workstation{ID: "ws-fake", User: `FIRM\ws-fake`, InteractionSync: true},
		UpdatedAt: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), Devices: []fleet.Device{{ID: "palm-1", Name: "Treo"}}}
	b, err := fake.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "ws-fake.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{squat, filepath.Join(folder, "ws-fake.json")} {
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code := runIn(t, data, args("check", "--json", "--no-detect", "--fleet", folder)...)
	c := decodeCheck(t, out)
	var publish []string
	for _, f := range c.Findings {
		if f.Kind == "multi-workstation" && strings.Contains(f.Title, "fleet folder") {
			publish = append(publish, f.Severity+": "+f.Title)
		}
	}
	if code != ExitWarning || len(publish) != 1 || !strings.HasPrefix(publish[0], "warning") || !strings.Contains(publish[0], "belongs to") {
		t.Errorf("check: exit %d, publish findings %v\n%s", code, publish, out)
	}
	text, _, code := runIn(t, data, args("fleet", "--fleet", folder)...)
	if code < ExitWarning || !strings.Contains(text, "ws-fake.json names FIRM\\ws-fake but belongs to") ||
		!strings.Contains(text, "ws-fake.json: last published 2099-01-01 (dated in the future") {
		t.Errorf("fleet: exit %d\n%s", code, text)
	}
}
