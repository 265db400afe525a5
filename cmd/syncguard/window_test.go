package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/internal/ipc"
	"github.com/syncguard/syncguard/internal/policy"
)

// TestWindowWithoutService: the window process started for a data folder no service runs
// for says so in one line and exits with 3; an unknown window name lists the windows.
func TestWindowWithoutService(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runSyncguard(t, nil, "window", "status", "--data", data)
	if code != 3 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "no SyncGuard service is running") {
		t.Errorf("window with no service: exit %d, %q %q", code, stdout, stderr)
	}
	stdout, stderr, code = runSyncguard(t, nil, "--data", data, "window", "nosuch")
	if code != 3 || !strings.Contains(stderr, `no window "nosuch"`) || !strings.Contains(stderr, "status, wizard, history, settings, popup") {
		t.Errorf("window nosuch: exit %d, %q %q", code, stdout, stderr)
	}
}

// countingListener reports each connection the service accepts.
type countingListener struct {
	net.Listener
	accepted chan struct{}
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted <- struct{}{}
	}
	return c, err
}

// TestWindowProcessEndsWithTheService runs `syncguard window status` on a display (under
// xvfb-run) against a real service; when the service stops, the window process exits by
// itself, with 0.
func TestWindowProcessEndsWithTheService(t *testing.T) {
	display := os.Getenv("DISPLAY")
	if display == "" {
		t.Skip("needs a display (run under xvfb-run)")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	svc, err := app.New(app.Options{DataDir: data, NoLiveDetect: true, Policy: policy.Default(),
		Processes: func() ([]string, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	l, err := ipc.Listen(data)
	if err != nil {
		t.Fatal(err)
	}
	cl := countingListener{Listener: l, accepted: make(chan struct{}, 8)}
	go remote.Serve(cl, svc)

	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "window", "status", "--data", data)
	cmd.Env = append(os.Environ(), "SYNCGUARD_RUN_MAIN=1", "HOME="+dir, "DISPLAY="+display)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Its calls and its subscription: it is up and talking to the service.
	<-cl.accepted
	<-cl.accepted
	l.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the window process after the service stopped: %v\n%s", err, out)
	}
}
