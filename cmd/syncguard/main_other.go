//go:build !windows

package main

import (
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui/tray"
)

func prepare() {}

func startTray(env *cli.Env, args []string) error {
	return tray.Run(tray.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile, Demo: env.Demo})
}
