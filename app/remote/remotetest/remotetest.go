// Package remotetest starts what the tray process runs, for the tests of the windows, the
// command line and the channel itself: a real service on a sandbox (the default policy, no
// device registry, no process list: nothing of this machine's) served on the real
// per-user channel of its data folder.
package remotetest

import (
	"net"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/internal/ipc"
	"github.com/syncguard/syncguard/internal/policy"
)

// Serve starts the service on data and serves it until the test ends (or the test closes
// the returned listener, as a service that stops does).
func Serve(tb testing.TB, data string) (*app.Service, net.Listener) {
	tb.Helper()
	svc, err := app.New(app.Options{DataDir: data, Policy: policy.Default(), NoLiveDetect: true,
		Processes: func() ([]string, error) { return nil, nil }})
	if err != nil {
		tb.Fatal(err)
	}
	l, err := ipc.Listen(data)
	if err != nil {
		svc.Close()
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() { remote.Serve(l, svc); close(done) }()
	tb.Cleanup(func() {
		l.Close()
		<-done
		svc.Close()
	})
	return svc, l
}
