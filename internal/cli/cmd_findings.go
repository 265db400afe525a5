package cli

import (
	"fmt"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
)

func init() {
	register(&Command{
		Name:    "findings",
		Usage:   "findings [--json] [--all]",
		Summary: "list open findings (with --all also acknowledged and resolved ones); exit 0/1/2 by the worst open one",
		Run:     runFindings,
	})
	register(&Command{
		Name:    "ack",
		Usage:   "ack FINDING",
		Summary: "acknowledge a finding as intended (by id or the start of its id)",
		Run:     runAck,
	})
}

func runFindings(env *Env, args []string) int {
	c := commands["findings"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	all := fs.Bool("all", false, "include acknowledged and resolved findings")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	return withStore(env, func(st *history.Store) int {
		list, err := st.Findings(*all)
		if err != nil {
			return failf(env, "%v", err)
		}
		if list == nil {
			list = []findings.Finding{}
		}
		if *asJSON {
			writeJSON(env, map[string]any{"findings": list})
		} else {
			printFindings(env, list)
		}
		return exitFor(list)
	})
}

func runAck(env *Env, args []string) int {
	c := commands["ack"]
	fs := newFlags(env, c)
	pos, ok := parseArgs(fs, args, 1)
	if !ok {
		return ExitFailed
	}
	return withStore(env, func(st *history.Store) int {
		f, err := st.SetFindingState(pos[0], findings.Acknowledged, time.Now())
		if err != nil {
			return failf(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "Acknowledged: %s (%s)\n", f.Title, f.ID)
		return ExitOK
	})
}
