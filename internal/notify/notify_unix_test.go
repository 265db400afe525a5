//go:build !windows

package notify

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a D-Bus daemon of the test's own (the real daemon, on a socket in the
// test's folder, so the desktop's session bus is never touched) and returns its address.
func privateBus(t *testing.T) string {
	t.Helper()
	exe, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian: dbus-daemon); the D-Bus notification is not tested")
	}
	sock := filepath.Join(t.TempDir(), "bus")
	cmd := exec.Command(exe, "--session", "--nofork", "--nopidfile", "--address=unix:path="+sock, "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// The daemon prints its address once it listens.
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

type shown struct {
	app, icon, summary, body string
	replaces                 uint32
}

// notificationServer is the other end of the spec: it takes org.freedesktop.Notifications
// on the bus, as a desktop's notification daemon does, and records what it was asked to
// show.
type notificationServer struct{ got chan shown }

func (s *notificationServer) Notify(app string, replaces uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.got <- shown{app: app, icon: icon, summary: summary, body: body, replaces: replaces}
	return 7, nil
}

func serveNotifications(t *testing.T, addr string) *notificationServer {
	t.Helper()
	c, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s := &notificationServer{got: make(chan shown, 4)}
	if err := c.Export(s, objectPath, busName); err != nil {
		t.Fatal(err)
	}
	if r, err := c.RequestName(busName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s on the private bus: %v %v", busName, r, err)
	}
	return s
}

// The warning reaches the desktop's notification server as the spec asks: from SyncGuard,
// with the title as its summary, the text as its body, and the icon as a file URI.
func TestANotificationReachesTheDesktopsNotificationServer(t *testing.T) {
	addr := privateBus(t)
	srv := serveNotifications(t, addr)
	n := &Notifier{Icon: "/tmp/a folder/syncguard.png", address: addr}
	if err := n.Send("SyncGuard: 40 contacts were deleted", "A device sync deleted 40 contacts at 10:04."); err != nil {
		t.Fatal(err)
	}
	got := <-srv.got // Send returns after the server answered, so it has been recorded
	want := shown{app: "SyncGuard", icon: "file:///tmp/a%20folder/syncguard.png",
		summary: "SyncGuard: 40 contacts were deleted", body: "A device sync deleted 40 contacts at 10:04."}
	if got != want {
		t.Errorf("the server was asked to show %+v, want %+v", got, want)
	}
}

// With no notification server on the bus (a bare window manager), Send says so instead
// of blocking or crashing; the popup window still shows the warning.
func TestWithoutANotificationServerSendSaysSo(t *testing.T) {
	addr := privateBus(t)
	n := &Notifier{address: addr}
	err := n.Send("SyncGuard: title", "body")
	if err == nil || !strings.Contains(err.Error(), busName) {
		t.Errorf("Send with no server: %v, want an error naming %s", err, busName)
	}
}
