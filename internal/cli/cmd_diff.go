package cli

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/history"
)

func init() {
	register(&Command{
		Name:    "diff",
		Usage:   "diff A B [--json]",
		Summary: "what changed from snapshot A to snapshot B, contact by contact and field by field",
		Run:     runDiff,
	})
}

func runDiff(env *Env, args []string) int {
	c := commands["diff"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, ok := parseArgs(fs, args, 2)
	if !ok {
		return ExitFailed
	}
	a, err := parseSnapshotID(pos[0])
	if err != nil {
		return failf(env, "%v", err)
	}
	b, err := parseSnapshotID(pos[1])
	if err != nil {
		return failf(env, "%v", err)
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	var ch diff.Change
	if code := withStore(env, func(st *history.Store) int {
		if ch, err = st.Diff(a, b, p.Export.CountryCode); err != nil {
			return failf(env, "%v", err)
		}
		return ExitOK
	}); code != ExitOK {
		return code
	}
	if *asJSON {
		if ch.Added == nil {
			ch.Added = []diff.Entry{}
		}
		if ch.Removed == nil {
			ch.Removed = []diff.Entry{}
		}
		if ch.Changed == nil {
			ch.Changed = []diff.Changed{}
		}
		writeJSON(env, ch)
		return ExitOK
	}
	w := env.Stdout
	fmt.Fprintf(w, "From snapshot #%d (%d contacts) to #%d (%d contacts): %d added, %d removed, %d changed.\n",
		a, ch.Before, b, ch.After, len(ch.Added), len(ch.Removed), len(ch.Changed))
	for _, e := range ch.Added {
		fmt.Fprintf(w, "+ %s  [%s]\n", e.Contact.DisplayName(), e.Key)
	}
	for _, e := range ch.Removed {
		fmt.Fprintf(w, "- %s  [%s]\n", e.Contact.DisplayName(), e.Key)
	}
	for _, c := range ch.Changed {
		fmt.Fprintf(w, "~ %s  [%s]\n", c.New.DisplayName(), c.Key)
		for _, f := range c.Fields {
			fmt.Fprintf(w, "    %s: %s -> %s\n", f.Field, oneLine(f.Old), oneLine(f.New))
		}
	}
	return ExitOK
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " / ")
	if s == "" {
		return "(empty)"
	}
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return fmt.Sprintf("%q", s)
}
