//go:build !cgo

package ui

import (
	"errors"

	"github.com/syncguard/syncguard/internal/desktop"
)

// StartWindow needs Fyne's OpenGL driver, which needs cgo. Without it (CGO_ENABLED=0, as
// the UI tests build with Fyne's test driver) the binary still runs the service and every
// command. Where there is no desktop session either, that is said first, as the cgo build
// says it.
func StartWindow(_ Options, name string) error {
	if !validWindow(name) {
		return errUnknownWindow(name)
	}
	if err := desktop.Check(); err != nil {
		return err
	}
	return errNoGUI
}

var errNoGUI = errors.New("this build has no windows (built without cgo); run a command: syncguard help")
