package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/outlook"
	"github.com/syncguard/syncguard/internal/policy"
)

// connectOutlook attaches to Outlook; tests put a fake Outlook here.
var connectOutlook outlook.Connector = outlook.Attach

func init() {
	register(&Command{
		Name:    "outlook",
		Usage:   "outlook probe [--json] [--folder NAME]...",
		Summary: "read Outlook's contacts without recording them: counts and timings, for a pilot on a real workstation",
		Run:     runOutlook,
	})
}

// probeOutput is the JSON of `outlook probe --json`.
type probeOutput struct {
	Folders    []outlook.FolderCount `json:"folders"`
	Contacts   int                   `json:"contacts"`
	Errors     int                   `json:"errors"`
	FirstRead  string                `json:"first_read"`
	SecondRead string                `json:"second_read"`
	Reopened   int                   `json:"second_read_opened"`
}

func runOutlook(env *Env, args []string) int {
	if len(args) == 0 || args[0] != "probe" {
		fmt.Fprintln(env.Stderr, "usage: syncguard outlook probe [--json] [--folder NAME]...")
		return ExitFailed
	}
	c := commands["outlook"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	var folders multiFlag
	fs.Var(&folders, "folder", "a subfolder of Contacts to read too (repeatable)")
	if _, err := parseInterleaved(fs, args[1:]); err != nil {
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	// No cache file: the probe times a whole first read, then an incremental one from
	// the first read's state, and records nothing.
	r := &outlook.Reader{Connect: connectOutlook, Folders: append(append([]string(nil), p.Export.OutlookFolders...), folders...)}
	first, err := r.Read(context.Background())
	if err != nil {
		return failOutlook(env, err)
	}
	second, err := r.ReadAfter(context.Background(), first)
	if err != nil {
		return failOutlook(env, err)
	}
	out := probeOutput{Folders: first.Folders, Contacts: len(first.Contacts), Errors: len(first.Errors),
		FirstRead: first.Took.Round(time.Millisecond).String(), SecondRead: second.Took.Round(time.Millisecond).String(),
		Reopened: second.Opened}
	if *asJSON {
		if err := writeJSON(env, out); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	w := env.Stdout
	for _, f := range out.Folders {
		fmt.Fprintf(w, "%s: %d items, %d contacts\n", f.Path, f.Items, f.Contacts)
	}
	fmt.Fprintf(w, "First read: %d contacts in %s (every item opened).\n", out.Contacts, out.FirstRead)
	fmt.Fprintf(w, "Second read: %s (%d items opened again; unchanged items are skipped).\n", out.SecondRead, out.Reopened)
	if out.Errors > 0 {
		fmt.Fprintf(w, "%d items could not be read whole; `syncguard snapshot --outlook` lists them.\n", out.Errors)
	}
	return ExitOK
}

// snapshotOutlook is `snapshot --outlook`: read Outlook and record it, through the same
// workflow as the tray.
func snapshotOutlook(env *Env, p *policy.Policy, asJSON, withChange bool) int {
	st, err := openStore(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	defer st.Close()
	r := app.OutlookReader(env.DataDir, p, connectOutlook)
	res, _, err := app.SnapshotOutlook(context.Background(), st, r, p, time.Now())
	if err != nil {
		return failOutlook(env, err)
	}
	return printSnapshotResult(env, outlook.Location, res, asJSON, withChange)
}

// failOutlook says in one line why Outlook could not be read, and exits 3: nothing was
// recorded.
func failOutlook(env *Env, err error) int {
	msg := outlook.Explain(err)
	if detail := err.Error(); !strings.Contains(msg, detail) && !isSentinel(err) {
		msg += " (" + detail + ")"
	}
	return failf(env, "Outlook: %s", msg)
}

// isSentinel reports whether err is exactly one of outlook's errors, which Explain
// already says better.
func isSentinel(err error) bool {
	for _, e := range []error{outlook.ErrUnsupported, outlook.ErrNotInstalled, outlook.ErrNotRunning,
		outlook.ErrAccessDenied, outlook.ErrClosed, outlook.ErrFolder} {
		if err == e {
			return true
		}
	}
	return false
}
