// Command syncguard keeps a professional's contacts safe while a phone or handheld syncs
// with Outlook and Outlook syncs with InterAction. With no arguments it starts the tray
// app; with a command it runs that command (syncguard help lists them).
package main

import (
	"fmt"
	"os"

	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/internal/desktop"
	"github.com/syncguard/syncguard/ui"
)

func main() {
	os.Exit(cli.Run(startTray))
}

// startTray starts the tray app once it knows there is a desktop to show it on. Without
// one (a server, an SSH session, a CI job) Fyne's GLFW driver would panic with a stack
// trace; this says in one line what is wrong and what works instead, and the command line
// exits with 3 (the command failed).
func startTray(env *cli.Env, args []string) error {
	if err := desktop.Check(); err != nil {
		return fmt.Errorf("%v; without one, use the command line: syncguard help", err)
	}
	return ui.StartTray(env, args)
}
