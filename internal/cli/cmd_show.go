package cli

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/history"
)

func init() {
	register(&Command{
		Name:    "show",
		Usage:   "show CONTACT [--json]",
		Summary: "a contact's versions over time (CONTACT is a key, or part of a name or e-mail)",
		Run:     runShow,
	})
}

type showOutput struct {
	Key      string            `json:"key"`
	Name     string            `json:"name"`
	Versions []history.Version `json:"versions"`
}

func runShow(env *Env, args []string) int {
	c := commands["show"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, ok := parseArgs(fs, args, 1)
	if !ok {
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	return withStore(env, func(st *history.Store) int { return show(env, st, pos[0], *asJSON, p.Export.CountryCode) })
}

func show(env *Env, st *history.Store, query string, asJSON bool, cc string) int {
	matches, err := st.Find(query)
	if err != nil {
		return failf(env, "%v", err)
	}
	switch {
	case len(matches) == 0:
		return failf(env, "no contact matches %q", query)
	case len(matches) > 1 && !asJSON:
		fmt.Fprintf(env.Stdout, "%d contacts match %q; show one by its key:\n", len(matches), query)
		for i, m := range matches {
			if i == 50 {
				fmt.Fprintf(env.Stdout, "  ... and %d more\n", len(matches)-50)
				break
			}
			fmt.Fprintf(env.Stdout, "  %-8s %s\n", m.Key, m.Name)
		}
		return ExitOK
	}
	var outs []showOutput
	for _, m := range matches {
		vs, err := st.Versions(m.Key)
		if err != nil {
			return failf(env, "%v", err)
		}
		outs = append(outs, showOutput{Key: m.Key, Name: m.Name, Versions: vs})
	}
	if asJSON {
		if len(outs) == 1 {
			writeJSON(env, outs[0])
		} else {
			writeJSON(env, map[string]any{"contacts": outs})
		}
		return ExitOK
	}
	o := outs[0]
	fmt.Fprintf(env.Stdout, "%s [%s]: %d versions\n", o.Name, o.Key, len(o.Versions))
	var prev *history.Version
	for i := range o.Versions {
		v := &o.Versions[i]
		when := v.Time.Local().Format("2006-01-02 15:04")
		switch {
		case v.Removed:
			fmt.Fprintf(env.Stdout, "#%d %s  removed from the export\n", v.Snapshot, when)
		case prev == nil || prev.Contact == nil:
			fmt.Fprintf(env.Stdout, "#%d %s  %s\n", v.Snapshot, when, summary(v))
		default:
			fmt.Fprintf(env.Stdout, "#%d %s  changed:\n", v.Snapshot, when)
			for _, f := range diff.Fields(prev.Contact, v.Contact, cc) {
				fmt.Fprintf(env.Stdout, "    %s: %s -> %s\n", f.Field, oneLine(f.Old), oneLine(f.New))
			}
		}
		prev = v
	}
	return ExitOK
}

func summary(v *history.Version) string {
	c := v.Contact
	return fmt.Sprintf("%s; %d e-mails, %d phones, categories %q", c.DisplayName(), len(c.Emails), len(c.Phones), c.Categories)
}
