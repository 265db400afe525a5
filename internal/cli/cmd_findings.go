package cli

import (
	"time"

	"github.com/syncguard/syncguard/internal/findings"
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
	if _, err := parseInterleaved(fs, args); err != nil {
		return ExitFailed
	}
	st, err := openStore(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	defer st.Close()
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
}

func runAck(env *Env, args []string) int {
	c := commands["ack"]
	fs := newFlags(env, c)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return ExitFailed
	}
	if len(pos) != 1 {
		fs.Usage()
		return ExitFailed
	}
	st, err := openStore(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	defer st.Close()
	f, err := st.SetFindingState(pos[0], findings.Acknowledged, time.Now())
	if err != nil {
		return failf(env, "%v", err)
	}
	env.Stdout.Write([]byte("Acknowledged: " + f.Title + " (" + f.ID + ")\n"))
	return ExitOK
}
