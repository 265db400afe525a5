package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
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
	st, err := openStore(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	defer st.Close()
	var id uint64
	if *snapArg != "" {
		if id, err = parseSnapshotID(*snapArg); err != nil {
			return failf(env, "%v", err)
		}
	} else {
		t, err := parseTime(*atArg)
		if err != nil {
			return failf(env, "%v", err)
		}
		sn, err := st.At(t)
		if err != nil {
			return failf(env, "%v", err)
		}
		id = sn.ID
	}
	set, err := st.RestoreSet(id, history.Selection(*only), keys)
	if err != nil {
		return failf(env, "%v", err)
	}
	cs := set.Contacts
	if len(cs) == 0 && len(set.Unreadable) > 0 {
		printUnreadable(env, set.Unreadable)
		return failf(env, "none of the %d contacts could be read; nothing was written", len(set.Unreadable))
	}
	if len(cs) == 0 {
		fmt.Fprintf(env.Stdout, "Snapshot #%d has no contacts to restore with --only %s; nothing was written.\n", id, *only)
		return ExitOK
	}
	if err := exports.CheckRestoreTarget(*out, *force, watchedLocations(env, st)...); err != nil {
		return failf(env, "%v", err)
	}
	if err := writeRestore(*out, *format, cs); err != nil {
		return failf(env, "%v", err)
	}
	st.AddEvent(history.Event{Time: time.Now(), Kind: history.EventRestore, Snapshot: id,
		Message: fmt.Sprintf("%d contacts (%s) restored to %s", len(cs), *only, *out)})
	fmt.Fprintf(env.Stdout, "Wrote %d contacts of snapshot #%d (%s) to %s.\n", len(cs), id, *only, *out)
	if *format == "csv" {
		fmt.Fprintln(env.Stdout, ImportSteps)
	}
	if len(set.Unreadable) > 0 {
		printUnreadable(env, set.Unreadable)
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

// writeRestore writes the restore file through a temporary file, private to the user, so
// a failed write never leaves half a file where the user expects a whole one.
func writeRestore(out, format string, cs []*contacts.Contact) error {
	if format == "vcf" && (isDir(out) || strings.HasSuffix(out, string(os.PathSeparator))) {
		return exports.WriteVCardFolder(out, cs)
	}
	if dir := filepath.Dir(out); !isDir(dir) {
		return fmt.Errorf("%s: the folder does not exist; create it or choose another --out", dir)
	}
	datadir.RemoveLeftoverTemps(out) // what a killed restore to the same file left
	return datadir.WriteAtomic(out, 0o600, func(w io.Writer) error {
		if format == "csv" {
			return exports.WriteOutlookCSV(w, cs)
		}
		return exports.WriteVCards(w, cs)
	})
}

// watchedLocations are the export locations a restore must never write into: the one in
// force (policy or settings) and the one the latest snapshot read.
func watchedLocations(env *Env, st *history.Store) []string {
	var locs []string
	if p, err := policy.Load(env.PolicyFile); err == nil {
		if export, _, err := locations(env, p); err == nil {
			locs = append(locs, export)
		}
	}
	if list, err := st.Snapshots(); err == nil && len(list) > 0 {
		locs = append(locs, list[len(list)-1].Location)
	}
	return locs
}
