// Command syncguard-cli is SyncGuard's command line without the tray app: it builds with
// CGO_ENABLED=0 (no Fyne, no C compiler), so that it cross-builds for Windows as a console
// program whose output and exit code reach cmd.exe and PowerShell, and so that the Windows
// tests under Wine can run IT's commands against Wine's real registry. With no command it
// says the tray app is in the other program.
package main

import (
	"os"

	"github.com/syncguard/syncguard/internal/cli"
)

func main() {
	os.Exit(cli.Run(nil))
}
