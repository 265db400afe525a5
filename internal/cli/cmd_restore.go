package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/history"
)

func init() {
	register(&Command{
		Name:    "restore",
		Usage:   "restore --snapshot ID|--at TIME [--only removed|changed|all] [--contact KEY]... --format csv|vcf --out PATH [--force]",
		Summary: "write contacts of a point in time to a file Outlook imports (Outlook CSV) or to vCards",
		Run:     runRestore,
	})
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// ImportSteps tells the user how to bring a restore file back into Outlook (the windows
// say it too, so it lives in app).
const ImportSteps = app.ImportSteps

func runRestore(env *Env, args []string) int {
	c := commands["restore"]
	fs := newFlags(env, c)
	snapArg := fs.String("snapshot", "", "snapshot id")
	atArg := fs.String("at", "", "a point in time (the snapshot current then)")
	only := fs.String("only", "all", "removed (contacts since deleted), changed (their earlier versions) or all")
	format := fs.String("format", "csv", "csv (Outlook CSV import file) or vcf (vCard 3.0)")
	out := fs.String("out", "", "the file to write (for vcf, a folder writes one file per contact)")
	force := fs.Bool("force", false, "replace --out when it is an existing file (never the export location)")
	var keys multi
	fs.Var(&keys, "contact", "restore only this contact key (repeatable)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return ExitFailed
	}
	if *out == "" || (*snapArg == "") == (*atArg == "") {
		fs.Usage()
		return failf(env, "give --out and exactly one of --snapshot and --at")
	}
	if *format != "csv" && *format != "vcf" {
		return failf(env, "--format %q: use csv or vcf", *format)
	}
	path, err := filepath.Abs(*out) // the service takes absolute paths
	if err != nil {
		return failf(env, "%v", err)
	}
	req := app.RestoreRequest{Selection: history.Selection(*only), Keys: keys, Path: path, Force: *force, Format: app.OutlookCSV}
	switch {
	case *format == "vcf" && (isDir(*out) || strings.HasSuffix(*out, string(os.PathSeparator))):
		req.Format = app.VCardFolder
	case *format == "vcf":
		req.Format = app.VCardFile
	}
	if *snapArg != "" {
		id, err := parseSnapshotID(*snapArg)
		if err != nil {
			return failf(env, "%v", err)
		}
		req.Snapshot = id
	} else {
		t, err := parseTime(*atArg)
		if err != nil {
			return failf(env, "%v", err)
		}
		req.At = t
	}
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	// The windows' restore workflow, which decodes and writes the contacts a chunk at a
	// time; this command only words its result.
	res, err := svc.RestoreTo(req)
	var missing *app.FolderMissingError
	switch {
	case errors.Is(err, app.ErrNothingToRestore):
		fmt.Fprintf(env.Stdout, "Snapshot #%d has no contacts to restore with --only %s; nothing was written.\n", res.Snapshot, *only)
		return ExitOK
	case errors.As(err, &missing):
		return failf(env, "%s: the folder does not exist; create it or choose another --out", missing.Dir)
	case err != nil:
		return failf(env, "%v", err)
	case res.Written == 0:
		printUnreadable(env, res.Unreadable)
		return failf(env, "none of the %d contacts could be read; nothing was written", len(res.Unreadable))
	}
	fmt.Fprintf(env.Stdout, "Wrote %d contacts of snapshot #%d (%s) to %s.\n", res.Written, res.Snapshot, *only, *out)
	if *format == "csv" {
		fmt.Fprintln(env.Stdout, ImportSteps)
	}
	if len(res.Unreadable) > 0 {
		printUnreadable(env, res.Unreadable)
		return ExitFailed
	}
	return ExitOK
}

// printUnreadable lists the contacts a restore could not read from a damaged history.
func printUnreadable(env *Env, us []history.Unreadable) {
	fmt.Fprintf(env.Stdout, "%d contacts could not be read (the history is damaged; 'syncguard doctor' salvages what can be read) and are not in the file:\n", len(us))
	for _, u := range us {
		name := u.Name
		if name == "" {
			name = "(name unreadable)"
		}
		fmt.Fprintf(env.Stdout, "  - %s (key %s)\n", name, u.Key)
	}
}
