// Command syncguard keeps a professional's contacts safe while a phone or handheld syncs
// with Outlook and Outlook syncs with InterAction. With no arguments it starts the tray
// app; with a command it runs that command (syncguard help lists them).
//
// On Windows it is built twice (mk/windows.mk): SyncGuard.exe, a GUI program that never
// opens a console window (the Start menu, the Run key), and syncguard.com, the same code
// as a console program for commands typed in cmd.exe or PowerShell (both look for .com
// before .exe, so "syncguard check" finds it), which prints there and sets %ERRORLEVEL%.
package main

import (
	"os"

	"github.com/syncguard/syncguard/internal/cli"
)

func main() {
	prepare()
	os.Exit(cli.Run(startTray))
}
