//go:build unix

package testkit

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

// DBus starts a D-Bus daemon of the test's own (the real daemon, listening on a socket in
// the test's folder, so the desktop's session bus is never touched) and returns its
// address. Without dbus-daemon the test is skipped, saying so.
func DBus(t testing.TB) string {
	t.Helper()
	exe, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian: dbus-daemon); what goes over D-Bus is not tested")
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

// Notification is what a desktop notification server was asked to show.
type Notification struct {
	App, Icon, Summary, Body string
	ReplacesID               uint32
}

// notificationServer is the other end of the freedesktop notification spec, as a
// desktop's notification daemon is.
type notificationServer struct{ got chan Notification }

func (s *notificationServer) Notify(app string, replaces uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.got <- Notification{App: app, Icon: icon, Summary: summary, Body: body, ReplacesID: replaces}
	return 1, nil
}

// NotificationServer takes org.freedesktop.Notifications on the bus at address and
// returns what it is asked to show, in order.
func NotificationServer(t testing.TB, address string) <-chan Notification {
	t.Helper()
	c, err := dbus.Connect(address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s := &notificationServer{got: make(chan Notification, 16)}
	const name = "org.freedesktop.Notifications"
	if err := c.Export(s, "/org/freedesktop/Notifications", name); err != nil {
		t.Fatal(err)
	}
	if r, err := c.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s on the test's bus: %v %v", name, r, err)
	}
	return s.got
}
