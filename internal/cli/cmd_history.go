package cli

import (
	"fmt"
	"time"

	"github.com/syncguard/syncguard/internal/history"
)

func init() {
	register(&Command{
		Name:    "history",
		Usage:   "history [--json]",
		Summary: "list the snapshots with what each changed",
		Run:     runHistory,
	})
}

type historyItem struct {
	ID       uint64    `json:"id"`
	Time     time.Time `json:"time"`
	Contacts int       `json:"contacts"`
	Added    int       `json:"added"`
	Removed  int       `json:"removed"`
	Changed  int       `json:"changed"`
	Location string    `json:"location"`
}

func runHistory(env *Env, args []string) int {
	c := commands["history"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	var list []history.Snapshot
	if code := withService(env, func(svc service) int {
		var err error
		if list, err = svc.Snapshots(); err != nil {
			return failf(env, "%v", err)
		}
		return ExitOK
	}); code != ExitOK {
		return code
	}
	items := make([]historyItem, 0, len(list))
	for _, s := range list {
		items = append(items, historyItem{s.ID, s.Time, s.Contacts, s.Added, s.Removed, s.Changed, s.Location})
	}
	if *asJSON {
		writeJSON(env, map[string]any{"snapshots": items})
		return ExitOK
	}
	if len(items) == 0 {
		fmt.Fprintln(env.Stdout, "No snapshots yet: run 'syncguard snapshot --export PATH'.")
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "%6s  %-20s %9s %7s %7s %7s\n", "id", "time", "contacts", "added", "removed", "changed")
	for _, s := range items {
		fmt.Fprintf(env.Stdout, "%6d  %-20s %9d %7d %7d %7d\n", s.ID, s.Time.Local().Format("2006-01-02 15:04:05"), s.Contacts, s.Added, s.Removed, s.Changed)
	}
	return ExitOK
}
