package cli

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/version"
)

func init() {
	register(&Command{
		Name:    "version",
		Usage:   "version",
		Summary: "print SyncGuard's version (the one the installer and the fleet files show)",
		Run: func(env *Env, args []string) int {
			if _, ok := parseArgs(newFlags(env, commands["version"]), args, 0); !ok {
				return ExitFailed
			}
			fmt.Fprintln(env.Stdout, "SyncGuard", version.Version)
			return ExitOK
		},
	})
}
