package main

import (
	"os"

	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui"
	"github.com/syncguard/syncguard/ui/tray"
)

// demo: syncguard demo runs the service on its sandbox, and the service tells the window
// process it starts (tray.DemoEnv), so that its settings never turn on start at login.
func demo(env *cli.Env) bool { return env.Demo || os.Getenv(tray.DemoEnv) == "1" }

// uiOptions hands the command line's options to the windows, which do not import the
// command line.
func uiOptions(env *cli.Env) ui.Options {
	return ui.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile, Demo: demo(env)}
}

// trayOptions hands them to the service and its tray.
func trayOptions(env *cli.Env) tray.Options {
	return tray.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile, Demo: demo(env)}
}
