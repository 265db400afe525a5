//go:build !windows

package main

import (
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui"
)

func prepare() { cli.StartWindow = startWindow }

func startTray(env *cli.Env, _ []string) error { return ui.StartTray(uiOptions(env)) }

func startWindow(env *cli.Env, name string) error { return ui.StartWindow(uiOptions(env), name) }
