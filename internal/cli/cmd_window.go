package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// StartWindow runs the window process, `syncguard window NAME [--data DIR]`: the tray
// starts it when a window is needed, and it exits when its last window closes. It is set
// by cmd/syncguard where the binary has windows; nil elsewhere.
var StartWindow func(env *Env, name string) error

// windowCommand is not listed by help: people open windows from the tray's menu; only the
// tray starts this process.
var windowCommand = &Command{
	Name:    "window",
	Usage:   "window NAME [--data DIR]",
	Summary: "Opens one of SyncGuard's windows on the running SyncGuard (status, wizard, history, settings, popup); the tray app starts it.",
}

func init() { windowCommand.Run = runWindow }

func runWindow(env *Env, args []string) int {
	fs := newFlags(env, windowCommand)
	fs.StringVar(&env.DataDir, "data", env.DataDir, "the data folder of the running SyncGuard")
	fs.StringVar(&env.PolicyFile, "policy", env.PolicyFile, "ignored: the running SyncGuard's policy applies")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitFailed
	}
	if len(pos) != 1 || strings.TrimSpace(env.DataDir) == "" {
		fs.Usage()
		return ExitFailed
	}
	if StartWindow == nil {
		fmt.Fprintln(env.Stderr, "syncguard: this build has no windows; run a command (syncguard help)")
		return ExitFailed
	}
	if err := StartWindow(env, pos[0]); err != nil {
		fmt.Fprintln(env.Stderr, "syncguard window:", err)
		return ExitFailed
	}
	return ExitOK
}
