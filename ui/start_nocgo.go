//go:build !cgo

package ui

import (
	"errors"

	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/internal/desktop"
)

// StartTray needs Fyne's OpenGL driver, which needs cgo. Without it (CGO_ENABLED=0, as
// the UI tests build with Fyne's test driver) the binary still runs every command. Where
// there is no desktop session either, that is said first, as the cgo build says it.
func StartTray(*cli.Env, []string) error {
	if err := desktop.Check(); err != nil {
		return err
	}
	return errors.New("this build has no tray app (built without cgo); run a command: syncguard help")
}
