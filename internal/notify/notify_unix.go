//go:build !windows

package notify

import (
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
)

// The freedesktop notification spec's bus name, object and method.
const (
	busName    = "org.freedesktop.Notifications"
	objectPath = "/org/freedesktop/Notifications"
	notifyCall = busName + ".Notify"
)

var (
	connMu sync.Mutex
	conns  = map[string]*dbus.Conn{}
)

// conn is the connection to the bus at address, opened at the first notification and then
// kept: a notification comes seldom, and the tray icon keeps the session bus open anyway.
func conn(address string) (*dbus.Conn, error) {
	if address == "" {
		return dbus.SessionBus() // shared with the tray icon, never closed
	}
	connMu.Lock()
	defer connMu.Unlock()
	if c, ok := conns[address]; ok && c.Connected() {
		return c, nil
	}
	c, err := dbus.Connect(address)
	if err != nil {
		return nil, err
	}
	conns[address] = c
	return c, nil
}

func (n *Notifier) send(title, body string) error {
	c, err := conn(n.address)
	if err != nil {
		return fmt.Errorf("desktop notification: %w", err)
	}
	icon := ""
	if n.Icon != "" {
		icon = (&url.URL{Scheme: "file", Path: n.Icon}).String()
	}
	// Arguments as the spec lists them: app name, replaces id (0: a new notification),
	// icon, summary, body, actions, hints, timeout (-1: the server's default).
	call := c.Object(busName, objectPath).Call(notifyCall, 0,
		"SyncGuard", uint32(0), icon, title, plainBody(body), []string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("desktop notification: %w", call.Err)
	}
	return nil
}

// plainBody escapes what a server with the body-markup capability would take as markup:
// the body holds contact names from the export, and "<a href=…>" in one must show as
// written, never as a link or formatting.
func plainBody(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
