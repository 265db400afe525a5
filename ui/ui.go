// Package ui is SyncGuard's face and the only package besides cmd/ that imports Fyne: the
// tray icon and menu, the status window, the setup wizard, popup warnings and the history
// window. It calls the headless app service and never holds logic of its own that could
// live there.
package ui

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/internal/cli"
)

// AppID is the application id of FyneApp.toml.
const AppID = "io.github.syncguard"

// StartTray starts the tray app and returns when the user quits.
func StartTray(env *cli.Env, _ []string) error {
	a := fyneapp.NewWithID(AppID)
	w := a.NewWindow("SyncGuard")
	w.SetContent(container.NewPadded(widget.NewLabel("SyncGuard is being built: the tray app is not ready yet.\nUse the command line: syncguard help")))
	w.Resize(fyne.NewSize(480, 160))
	if d, ok := a.(desktop.App); ok {
		d.SetSystemTrayMenu(fyne.NewMenu("SyncGuard", fyne.NewMenuItem("Open SyncGuard", w.Show)))
	}
	w.ShowAndRun()
	return nil
}
