//go:build !cgo

package ui

import (
	"errors"

	"github.com/syncguard/syncguard/internal/cli"
)

// StartTray needs Fyne's OpenGL driver, which needs cgo. Without it (CGO_ENABLED=0, as
// the UI tests build with Fyne's test driver) the binary still runs every command.
func StartTray(*cli.Env, []string) error {
	return errors.New("this build has no tray app (built without cgo); run a command: syncguard help")
}
