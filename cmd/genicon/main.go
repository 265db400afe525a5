// Command genicon writes the app icon (assets/icon-app.png) from the code that draws the
// tray icons, for the Fyne packaging tool, which reads the icon from a file.
package main

import (
	"fmt"
	"os"

	"github.com/syncguard/syncguard/assets"
)

func main() {
	out := "assets/icon-app.png"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := os.WriteFile(out, assets.AppIcon(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genicon:", err)
		os.Exit(1)
	}
}
