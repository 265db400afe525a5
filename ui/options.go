package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncguard/syncguard/app"
)

// Options are what the command line tells the tray and the window process.
type Options struct {
	DataDir    string
	PolicyFile string // "" = the machine-wide policy
	// Demo: the app runs on syncguard demo's sandbox, so nothing may change this computer
	// (start at login stays off).
	Demo bool
}

func validWindow(name string) bool { return slices.Contains(app.Windows, name) }

func errUnknownWindow(name string) error {
	return fmt.Errorf("no window %q; the windows are %s", name, strings.Join(app.Windows, ", "))
}
