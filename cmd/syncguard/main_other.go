//go:build !windows

package main

import (
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui"
)

func prepare() {}

func startTray(env *cli.Env, args []string) error { return ui.StartTray(env, args) }
