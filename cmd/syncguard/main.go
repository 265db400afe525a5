// Command syncguard keeps a professional's contacts safe while a phone or handheld syncs
// with Outlook and Outlook syncs with InterAction. With no arguments it starts the tray
// app; with a command it runs that command (syncguard help lists them).
package main

import (
	"os"

	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/ui"
)

func main() {
	os.Exit(cli.Run(ui.StartTray))
}
