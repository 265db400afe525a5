// Package notify shows a desktop notification from the tray service, a process that loads
// no GUI toolkit: the notification is the platform's own (the freedesktop notification
// server over D-Bus on Linux, a toast on Windows), so the service stays small and idle
// while the windows' process is not running.
package notify

// AppID names SyncGuard to the platform's notification centre: the application id of
// FyneApp.toml, which the Fyne app used for its notifications, so Windows' notification
// settings for SyncGuard stay what the user set.
const AppID = "io.github.syncguard"

// Notifier shows notifications. Icon is the path of a PNG shown beside the text ("" for
// none).
type Notifier struct {
	Icon string
	// address is the D-Bus address on Linux ("": the session bus); tests give their own.
	address string
}

// New returns the platform's notifier with the icon at iconPath.
func New(iconPath string) *Notifier { return &Notifier{Icon: iconPath} }

// Send shows title and body. It returns when the platform took the notification (or said
// it cannot show it, for instance when no notification server runs).
func (n *Notifier) Send(title, body string) error { return n.send(title, body) }
