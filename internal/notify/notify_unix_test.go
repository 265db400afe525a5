//go:build !windows

package notify

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

// The warning reaches the desktop's notification server as the spec asks: from SyncGuard,
// with the title as its summary, the text as its body, and the icon as a file URI.
func TestANotificationReachesTheDesktopsNotificationServer(t *testing.T) {
	addr := testkit.DBus(t)
	shown := testkit.NotificationServer(t, addr)
	n := &Notifier{Icon: "/tmp/a folder/syncguard.png", address: addr}
	if err := n.Send("SyncGuard: 40 contacts were deleted", "A device sync deleted 40 contacts at 10:04."); err != nil {
		t.Fatal(err)
	}
	got := <-shown // Send returns after the server answered, so it has been recorded
	want := testkit.Notification{App: "SyncGuard", Icon: "file:///tmp/a%20folder/syncguard.png",
		Summary: "SyncGuard: 40 contacts were deleted", Body: "A device sync deleted 40 contacts at 10:04."}
	if got != want {
		t.Errorf("the server was asked to show %+v, want %+v", got, want)
	}
}

// With no notification server on the bus (a bare window manager), Send says so instead
// of blocking or crashing; the popup window still shows the warning.
func TestWithoutANotificationServerSendSaysSo(t *testing.T) {
	n := &Notifier{address: testkit.DBus(t)}
	err := n.Send("SyncGuard: title", "body")
	if err == nil || !strings.Contains(err.Error(), busName) {
		t.Errorf("Send with no server: %v, want an error naming %s", err, busName)
	}
}

// A contact's name that looks like markup reaches the server escaped, so a server that
// renders body markup shows it as written, never as a link.
func TestMarkupInANameIsEscaped(t *testing.T) {
	addr := testkit.DBus(t)
	shown := testkit.NotificationServer(t, addr)
	n := &Notifier{address: addr}
	if err := n.Send("SyncGuard: 1 contact was deleted", `<a href="http://x">Bob</a> & Co`); err != nil {
		t.Fatal(err)
	}
	if got := (<-shown).Body; got != `&lt;a href="http://x"&gt;Bob&lt;/a&gt; &amp; Co` {
		t.Errorf("the body reached the server as %q", got)
	}
}
