package main

import (
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui"
)

// uiOptions hands the command line's options to the windows, which do not import the
// command line.
func uiOptions(env *cli.Env) ui.Options {
	return ui.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile, Demo: env.Demo}
}
