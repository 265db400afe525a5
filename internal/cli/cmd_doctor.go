package cli

import (
	"fmt"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/history"
)

func init() {
	register(&Command{
		Name:    "doctor",
		Usage:   "doctor [--check] [--json]",
		Summary: "check the history; when it is damaged, salvage every readable snapshot into a new history (the damaged file is kept); exit 0 whole, 1 damaged, 3 failed",
		Run:     runDoctor,
	})
}

// runDoctor works on the history file itself, not through the app service (env.open):
// the repair tool must run when the service cannot (a damaged history, an unreadable
// settings file or policy), and it must not run while a service holds the file.
func runDoctor(env *Env, args []string) int {
	c := commands["doctor"]
	fs := newFlags(env, c)
	checkOnly := fs.Bool("check", false, "only say what is damaged; change nothing")
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	if err := datadir.Ensure(env.DataDir); err != nil {
		return failf(env, "%v", err)
	}
	var rep *history.DoctorReport
	var err error
	if *checkOnly {
		rep, err = history.Diagnose(env.DataDir)
	} else {
		rep, err = history.Salvage(env.DataDir, time.Now())
	}
	if err != nil {
		return failf(env, "%v", err)
	}
	if *asJSON {
		if rep.Damage == nil {
			rep.Damage = []string{}
		}
		if err := writeJSON(env, rep); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
	} else {
		printDoctor(env, rep)
	}
	if len(rep.Damage) > 0 {
		return ExitWarning
	}
	return ExitOK
}

func printDoctor(env *Env, r *history.DoctorReport) {
	w := env.Stdout
	if len(r.Damage) == 0 {
		fmt.Fprintf(w, "The history (%s) is whole: %d snapshots, every record reads.\n", r.Path, r.Snapshots)
		return
	}
	fmt.Fprintf(w, "The history (%s) is damaged:\n", r.Path)
	for i, d := range r.Damage {
		if i == 20 {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.Damage)-20)
			break
		}
		fmt.Fprintf(w, "  - %s\n", d)
	}
	if !r.Salvaged {
		fmt.Fprintln(w, "Nothing was changed; run 'syncguard doctor' without --check to salvage it.")
		return
	}
	fmt.Fprintf(w, "Salvaged into a new history: %d snapshots (%d of them from a backup), %d contact versions.\n", r.SnapshotsSaved, r.FromBackup, r.VersionsSaved)
	if r.ContactsLost > 0 {
		fmt.Fprintf(w, "%d contacts of those snapshots could not be read from the history or a backup and are left out.\n", r.ContactsLost)
	}
	if r.DamagedKept != "" {
		fmt.Fprintf(w, "The damaged file is kept as %s.\n", r.DamagedKept)
	}
}
