package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote/remotetest"
	"github.com/syncguard/syncguard/internal/ipc"
)

// TestASecondStartShowsTheRunningOnesWindow: `syncguard` started again while the service
// runs for the same data folder asks the service for its window (the wizard while nothing
// is set up) and exits with 0, without a desktop of its own and without a second service:
// people start a program again when they cannot find its window.
func TestASecondStartShowsTheRunningOnesWindow(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	svc, _ := remotetest.Serve(t, data)
	shown := make(chan string, 4)
	svc.Subscribe(func(e app.Event) {
		if e.Show != "" {
			shown <- e.Show
		}
	})

	stdout, stderr, code := runSyncguard(t, nil, "--data", data)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("the second start: exit %d, %q %q; want 0 and nothing printed", code, stdout, stderr)
	}
	if got := <-shown; got != app.WindowWizard {
		t.Errorf("the second start asked for %q; nothing is set up, so the wizard", got)
	}
	if _, err := os.Stat(filepath.Join(data, ipc.SocketName)); err != nil {
		t.Errorf("the service's channel is gone after the second start: %v", err)
	}
}
