package cli

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/dupes"
	"github.com/syncguard/syncguard/internal/exports"
)

func init() {
	register(&Command{
		Name:    "duplicates",
		Usage:   "duplicates [--json] [PATH]",
		Summary: "find contacts that are one person, with the rule that matched them and a suggested survivor (nothing is merged)",
		Run:     runDuplicates,
	})
}

type clusterOut struct {
	Rule     string              `json:"rule"`
	Survivor string              `json:"survivor"`
	Contacts []*contacts.Contact `json:"contacts"`
}

func runDuplicates(env *Env, args []string) int {
	c := commands["duplicates"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) > 1 {
		fs.Usage()
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	path := p.Export.Location
	if len(pos) == 1 {
		path = pos[0]
	}
	if path == "" {
		return failf(env, "no export location: pass PATH or set export.location in the policy")
	}
	_, res, err := exports.Read(path)
	if err != nil {
		return failf(env, "%v", err)
	}
	for _, e := range res.Errors {
		fmt.Fprintf(env.Stderr, "problem: %s\n", e.Error())
	}
	clusters := dupes.Find(res.Contacts)
	out := make([]clusterOut, 0, len(clusters))
	for _, cl := range clusters {
		out = append(out, clusterOut{Rule: cl.Rule, Survivor: cl.Contacts[cl.Survivor].DisplayName(), Contacts: cl.Contacts})
	}
	if *asJSON {
		writeJSON(env, map[string]any{"clusters": out})
		return ExitOK
	}
	if len(out) == 0 {
		fmt.Fprintf(env.Stdout, "No duplicates among %d contacts.\n", len(res.Contacts))
		return ExitOK
	}
	n := 0
	for _, cl := range out {
		n += len(cl.Contacts)
	}
	fmt.Fprintf(env.Stdout, "%d people appear more than once (%d records of %d contacts). Nothing was merged.\n", len(out), n, len(res.Contacts))
	for _, cl := range out {
		fmt.Fprintf(env.Stdout, "\n%s (%s), keep: %s\n", cl.Survivor, cl.Rule, cl.Survivor)
		for _, x := range cl.Contacts {
			var emails []string
			for _, e := range x.Emails {
				emails = append(emails, e.Value)
			}
			fmt.Fprintf(env.Stdout, "  - %s  %v  %s:%d\n", x.DisplayName(), emails, x.Source.File, x.Source.Line)
		}
	}
	return ExitOK
}
