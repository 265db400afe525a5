//go:build !windows

package main

import (
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui"
	"github.com/syncguard/syncguard/ui/tray"
)

func prepare() { cli.StartWindow = startWindow }

// startTray is the service: the tray icon on fyne.io/systray, with no Fyne app.
func startTray(env *cli.Env, _ []string) error { return tray.Run(trayOptions(env)) }

// startWindow is the window process, which the service starts: the Fyne app.
func startWindow(env *cli.Env, name string) error { return ui.StartWindow(uiOptions(env), name) }
