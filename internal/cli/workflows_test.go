package cli

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
)

// openFinding reports whether the history in data has an open finding with this subject.
func openFinding(t *testing.T, data, subject string) bool {
	t.Helper()
	st, err := history.Open(data, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fs, err := st.Findings(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Subject == subject && f.State == findings.Open {
			return true
		}
	}
	return false
}

// The tray's hourly check and `syncguard check` are one workflow: on a workstation whose
// InterAction answer is unknown, the command raised interaction-sync-unknown and the
// tray's next check silently resolved it. Now each raises what the other does, in either
// order.
func TestTrayAndCommandLineCheckAgree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, folder := filepath.Join(dir, "data"), filepath.Join(dir, "fleet")
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	pol := policyFile(t, "[fleet]\nfolder = '"+folder+"'\n")
	p, err := policy.LoadSources(policy.Sources{File: pol[1]})
	if err != nil {
		t.Fatal(err)
	}
	trayCheck := func() {
		t.Helper()
		s, err := app.New(app.Options{DataDir: data, Policy: p, NoLiveDetect: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.CheckDevices(context.Background())
	}

	if _, stderr, code := runIn(t, data, append(pol, "check", "--no-detect")...); code == ExitFailed {
		t.Fatalf("check: %s", stderr)
	}
	if !openFinding(t, data, "interaction-sync-unknown") {
		t.Fatal("the command line's check did not raise interaction-sync-unknown")
	}
	trayCheck()
	if !openFinding(t, data, "interaction-sync-unknown") {
		t.Error("the tray's check resolved the interaction-sync-unknown the command line raised")
	}
	// The other order: the answer given, the tray resolves it and the command agrees.
	if _, stderr, code := runIn(t, data, append(pol, "workstation", "set", "--interaction-sync=false")...); code != ExitOK {
		t.Fatalf("workstation set: %s", stderr)
	}
	trayCheck()
	if openFinding(t, data, "interaction-sync-unknown") {
		t.Error("answered, and the tray's check kept interaction-sync-unknown open")
	}
	runIn(t, data, append(pol, "check", "--no-detect")...)
	if openFinding(t, data, "interaction-sync-unknown") {
		t.Error("answered, and the command line's check raised interaction-sync-unknown again")
	}
}
