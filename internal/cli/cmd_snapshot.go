package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/settings"
)

func init() {
	register(&Command{
		Name:    "snapshot",
		Usage:   "snapshot [--export PATH | --outlook] [--json] [--force]",
		Summary: "take a snapshot of the export (or of Outlook itself) now, print the change and its findings; exit 0/1/2 by the worst finding",
		Run:     runSnapshot,
	})
}

// snapshotOutput is the public JSON of `snapshot --json`.
type snapshotOutput struct {
	ID        uint64              `json:"id"`
	Time      time.Time           `json:"time"`
	Location  string              `json:"location"`
	Contacts  int                 `json:"contacts"`
	Added     int                 `json:"added"`
	Removed   int                 `json:"removed"`
	Changed   int                 `json:"changed"`
	Unchanged bool                `json:"unchanged"`
	Missing   bool                `json:"export_missing"`
	Problem   string              `json:"problem,omitempty"`
	Undid     uint64              `json:"undid,omitempty"`
	Findings  []findings.Finding  `json:"findings"`
	Errors    []exports.FileError `json:"errors"`
	Change    *diff.Change        `json:"change,omitempty"`
}

func runSnapshot(env *Env, args []string) int {
	c := commands["snapshot"]
	fs := newFlags(env, c)
	export := fs.String("export", "", "the export file or folder (default: the policy's export.location)")
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	force := fs.Bool("force", false, "read the export even if its files look unchanged")
	withChange := fs.Bool("details", false, "with --json, include the added, removed and changed contacts")
	fromOutlook := fs.Bool("outlook", false, "read the contacts from the running Outlook itself (Windows) instead of an export")
	if _, err := parseInterleaved(fs, args); err != nil {
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	if *fromOutlook && *export != "" {
		return failf(env, "--outlook and --export choose two different sources: pass one of them")
	}
	path := *export
	if path == "" && !*fromOutlook {
		st, err := settings.Load(env.DataDir)
		if err != nil {
			return failf(env, "%v", err)
		}
		if st.SourceIn(p) == policy.SourceOutlook {
			*fromOutlook = true
		} else {
			path = st.ExportLocation(p)
		}
	}
	if *fromOutlook {
		return snapshotOutlook(env, p, *asJSON, *withChange)
	}
	if path == "" {
		return failf(env, "no export location: pass --export PATH, choose it in the tray app's Settings, or set export.location in the policy")
	}
	// Taken by the service: the running tray's, which holds the history and shows the
	// outcome, or this command's own (env.open).
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	res, err := svc.Snapshot(absPath(path), *force, *withChange)
	return printSnapshotOutcome(env, path, res, err, *asJSON, *withChange)
}

// printSnapshotOutcome words a snapshot taken here or by the running service.
func printSnapshotOutcome(env *Env, path string, res *app.SnapshotResult, err error, asJSON, withChange bool) int {
	if errors.Is(err, history.ErrAlreadyRunning) || errors.Is(err, history.ErrDamaged) {
		return failf(env, "%v", err) // the history's own words, as every command says them
	}
	if err != nil {
		return failf(env, "%s: the snapshot failed: %v", path, err)
	}
	if res.Maintenance != "" {
		// The snapshot is recorded; what failed after it is said, not hidden.
		fmt.Fprintf(env.Stderr, "syncguard: after the snapshot: %s\n", res.Maintenance)
	}
	return printSnapshotResult(env, path, res, asJSON, withChange)
}

// printSnapshotResult prints a snapshot's result, whatever its source (an export at
// location, or Outlook itself), and exits by it.
func printSnapshotResult(env *Env, location string, res *app.SnapshotResult, asJSON, withChange bool) int {
	out := snapshotOutput{Location: location, Unchanged: res.Unchanged, Missing: res.Missing, Problem: res.Problem, Undid: res.Undid,
		Findings: res.Findings, Errors: res.FileErrors}
	if out.Findings == nil {
		out.Findings = []findings.Finding{}
	}
	if out.Errors == nil {
		out.Errors = []exports.FileError{}
	}
	if sn := res.Snapshot; sn != nil {
		out.ID, out.Time, out.Contacts = sn.ID, sn.Time, sn.Contacts
		if !res.Unchanged && !res.Missing {
			out.Added, out.Removed, out.Changed = sn.Added, sn.Removed, sn.Changed
		}
	}
	if withChange && !res.Unchanged && !res.Missing {
		out.Change = &res.Change
	}
	if asJSON {
		if err := writeJSON(env, out); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
	} else {
		printSnapshot(env, out)
	}
	return exitFor(res.Findings)
}

func printSnapshot(env *Env, o snapshotOutput) {
	w := env.Stdout
	switch {
	case o.Missing:
		fmt.Fprintf(w, "No snapshot taken: %s\n", o.Problem)
		if o.ID > 0 {
			fmt.Fprintf(w, "The last good snapshot (#%d, %d contacts) stays current.\n", o.ID, o.Contacts)
		}
	case o.Unchanged:
		fmt.Fprintf(w, "The export has not changed since snapshot #%d (%d contacts).\n", o.ID, o.Contacts)
	default:
		fmt.Fprintf(w, "Snapshot #%d: %d contacts; %d added, %d removed, %d changed.\n", o.ID, o.Contacts, o.Added, o.Removed, o.Changed)
		if o.Undid != 0 {
			fmt.Fprintf(w, "This undoes snapshot #%d: the same contacts are back, so its findings are resolved and nothing needs restoring.\n", o.Undid)
		}
	}
	for _, e := range o.Errors {
		fmt.Fprintf(w, "  problem: %s\n", e.Error())
	}
	printFindings(env, o.Findings)
}

func printFindings(env *Env, fs []findings.Finding) {
	w := env.Stdout
	if len(fs) == 0 {
		fmt.Fprintln(w, "No findings.")
		return
	}
	for _, f := range fs {
		state := string(f.State)
		if f.State == findings.Acknowledged && f.AcknowledgedBy != "" {
			state = "accepted by " + f.AcknowledgedBy + " " + f.AcknowledgedAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "\n[%s] %s  (%s, %s)\n", f.Severity, f.Title, f.ID, state)
		if f.Explanation != "" {
			fmt.Fprintf(w, "  %s\n", f.Explanation)
		}
		if f.Advice != "" {
			fmt.Fprintf(w, "  What to do: %s\n", f.Advice)
		}
		if f.ForIT != "" {
			fmt.Fprintf(w, "  For IT: %s\n", f.ForIT)
		}
		for i, c := range f.Contacts {
			if i == 10 {
				fmt.Fprintf(w, "  ... and %d more\n", len(f.Contacts)-10)
				break
			}
			if c.Detail != "" {
				fmt.Fprintf(w, "  - %s: %s\n", c.Name, c.Detail)
			} else {
				fmt.Fprintf(w, "  - %s\n", c.Name)
			}
		}
	}
}
