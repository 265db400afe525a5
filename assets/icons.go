// Package assets holds SyncGuard's images and its catalog of sync software. The icons
// are PNG files drawn by gen-icons and embedded here: one tray icon per state and the app
// icon. PNG, because fyne.io/systray cannot show an SVG in the tray.
package assets

import (
	"embed"
	"strings"
)

//go:generate go run ./gen-icons .

// Icon states, as app.State names them.
const (
	OK        = "ok"
	Attention = "attention"
	Danger    = "danger"
	Paused    = "paused"
	Setup     = "setup"
)

// PausedSuffix marks the icon of a state while warnings are paused ("danger-paused"):
// the state's colour and glyph with a pause badge.
const PausedSuffix = "-paused"

//go:embed icon-ok.png icon-attention.png icon-danger.png icon-paused.png icon-setup.png icon-app.png
//go:embed icon-ok-paused.png icon-attention-paused.png icon-danger-paused.png
var icons embed.FS

// TrayIcon is the PNG for a state, or a state with PausedSuffix (64 px; panels scale it
// down). A paused state without its own icon ("setup-paused") gets the plain pause icon;
// an unknown state the "not set up" icon.
func TrayIcon(state string) []byte {
	b, err := icons.ReadFile("icon-" + state + ".png")
	if err != nil && strings.HasSuffix(state, PausedSuffix) {
		b, err = icons.ReadFile("icon-paused.png")
	}
	if err != nil {
		b, _ = icons.ReadFile("icon-setup.png")
	}
	return b
}

// TrayIcons lists every name TrayIcon has its own picture for.
func TrayIcons() []string {
	return []string{OK, Attention, Danger, Paused, Setup, OK + PausedSuffix, Attention + PausedSuffix, Danger + PausedSuffix}
}

// AppIcon is the application's icon (512 px).
func AppIcon() []byte {
	b, _ := icons.ReadFile("icon-app.png")
	return b
}
