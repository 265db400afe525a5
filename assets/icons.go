// Package assets holds SyncGuard's images and its catalog of sync software. The icons
// are PNG files drawn by gen-icons and embedded here: one tray icon per state and the app
// icon. PNG, because fyne.io/systray cannot show an SVG in the tray.
package assets

import (
	"embed"
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

//go:embed icon-ok.png icon-attention.png icon-danger.png icon-paused.png icon-setup.png icon-app.png
var icons embed.FS

// TrayIcon is the PNG for a state (64 px; panels scale it down). An unknown state gets
// the "not set up" icon.
func TrayIcon(state string) []byte {
	b, err := icons.ReadFile("icon-" + state + ".png")
	if err != nil {
		b, _ = icons.ReadFile("icon-setup.png")
	}
	return b
}

// AppIcon is the application's icon (512 px).
func AppIcon() []byte {
	b, _ := icons.ReadFile("icon-app.png")
	return b
}
