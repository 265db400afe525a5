package cli

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/app"
)

func init() {
	register(&Command{
		Name:    "findings",
		Usage:   "findings [--json] [--all]",
		Summary: "list open findings (with --all also acknowledged and resolved ones); exit 0/1/2 by the worst open one",
		Run:     runFindings,
	})
	register(&Command{
		Name:  "ack",
		Usage: "ack [--yes] FINDING",
		Summary: "accept one finding as intended (by id or the start of its id); one that lost contacts " +
			"asks first, or needs --yes",
		Run: runAck,
	})
	register(&Command{
		Name:    "reopen",
		Usage:   "reopen FINDING",
		Summary: "take an acceptance back: the finding is open again",
		Run:     runReopen,
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
	return withService(env, func(svc service) int {
		list, err := svc.Findings(*all)
		if err != nil {
			return failf(env, "%v", err)
		}
		if *asJSON {
			writeJSON(env, map[string]any{"findings": list})
		} else {
			printFindings(env, list)
		}
		return exitFor(list)
	})
}

// runAck accepts a finding through the app's workflow, the one the windows use: a
// finding that lost contacts is accepted only after its confirmation, answered on a
// terminal or given in advance with --yes (a script).
func runAck(env *Env, args []string) int {
	c := commands["ack"]
	fs := newFlags(env, c)
	yes := fs.Bool("yes", false, "accept without asking, also a finding that lost contacts")
	pos, ok := parseArgs(fs, args, 1)
	if !ok {
		return ExitFailed
	}
	return withService(env, func(svc service) int {
		f, err := svc.Finding(pos[0])
		if err != nil {
			return failf(env, "%v", err)
		}
		if q := app.Confirmation(f); q != "" && !*yes {
			if env.Stdin == nil {
				return failf(env, "%s\nNothing was accepted. Run it again with --yes to accept it.", q)
			}
			fmt.Fprintf(env.Stdout, "%s [y/N] ", q)
			answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
			if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
				fmt.Fprintln(env.Stdout, "Nothing was accepted.")
				return ExitFailed
			}
		}
		f, err = svc.Acknowledge(f.ID)
		if err != nil {
			return failf(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "Accepted as intended by %s: %s (%s)\n", f.AcknowledgedBy, f.Title, f.ID)
		return ExitOK
	})
}

func runReopen(env *Env, args []string) int {
	fs := newFlags(env, commands["reopen"])
	pos, ok := parseArgs(fs, args, 1)
	if !ok {
		return ExitFailed
	}
	return withService(env, func(svc service) int {
		f, err := svc.Reopen(pos[0])
		if err != nil {
			return failf(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "Open again: %s (%s)\n", f.Title, f.ID)
		return ExitOK
	})
}

// withService gives one command the app's service (env.open) and closes it after, so
// that the command runs the windows' workflow.
func withService(env *Env, f func(svc service) int) int {
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	return f(svc)
}
