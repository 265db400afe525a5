package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/dupes"
	"github.com/syncguard/syncguard/internal/exports"
)

func init() {
	register(&Command{
		Name:    "duplicates",
		Usage:   "duplicates [--json] [PATH]",
		Summary: "find contacts that are one person, with the rule that matched them and a suggested survivor (nothing is merged; without PATH, the export location in force)",
		Run:     runDuplicates,
	})
}

// duplicatesOutput is the --json contract: {"clusters": [{"rule", "survivor",
// "survivor_index", "contacts": [...]}], "errors": [...]}. survivor is the name of the
// record to keep and survivor_index its position in contacts: the names in a cluster are
// often the same, so scripts should use the index.
type duplicatesOutput struct {
	Clusters []clusterOut        `json:"clusters"`
	Errors   []exports.FileError `json:"errors"`
}

type clusterOut struct {
	Rule          string              `json:"rule"`
	Survivor      string              `json:"survivor"`
	SurvivorIndex int                 `json:"survivor_index"`
	Contacts      []*contacts.Contact `json:"contacts"`
}

func runDuplicates(env *Env, args []string) int {
	c := commands["duplicates"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return ExitFailed
	}
	if len(pos) > 1 {
		fs.Usage()
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	var path string
	if len(pos) == 1 {
		path = pos[0]
	} else if path, _, err = locations(env, p); err != nil {
		return failf(env, "%v", err)
	}
	if path == "" {
		return failf(env, "no export location: pass PATH, choose it in the tray app's Settings, or set export.location in the policy file")
	}
	_, res, err := exports.Read(path)
	if err != nil {
		return failf(env, "%v", err)
	}
	if len(res.Contacts) == 0 && len(res.Errors) > 0 {
		// Nothing could be read: "no duplicates" would be a false all-clear.
		for _, e := range res.Errors {
			fmt.Fprintf(env.Stderr, "problem: %s\n", e.Error())
		}
		return failf(env, "%s: no contacts could be read", path)
	}
	clusters := dupes.Find(res.Contacts, p.Export.CountryCode)
	out := duplicatesOutput{Clusters: make([]clusterOut, 0, len(clusters)), Errors: res.Errors}
	if out.Errors == nil {
		out.Errors = []exports.FileError{}
	}
	for _, cl := range clusters {
		out.Clusters = append(out.Clusters, clusterOut{Rule: cl.Rule, Survivor: cl.Contacts[cl.Survivor].DisplayName(),
			SurvivorIndex: cl.Survivor, Contacts: cl.Contacts})
	}
	if *asJSON {
		if err := writeJSON(env, out); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	for _, e := range res.Errors {
		fmt.Fprintf(env.Stderr, "problem: %s\n", e.Error())
	}
	printDuplicates(env.Stdout, out, len(res.Contacts))
	return ExitOK
}

func printDuplicates(w io.Writer, out duplicatesOutput, total int) {
	if len(out.Clusters) == 0 {
		fmt.Fprintf(w, "No duplicates among %d contacts.\n", total)
		return
	}
	n := 0
	for _, cl := range out.Clusters {
		n += len(cl.Contacts)
	}
	who := fmt.Sprintf("%d people appear", len(out.Clusters))
	if len(out.Clusters) == 1 {
		who = "1 person appears"
	}
	fmt.Fprintf(w, "%s more than once (%d records among %d contacts). Nothing was merged: "+
		"merge or delete the extra records in Outlook.\n", who, n, total)
	fmt.Fprintln(w, "\"keep\" marks the record to keep: the one InterAction knows (its Mileage is set), else the most complete.")
	for _, cl := range out.Clusters {
		fmt.Fprintf(w, "\n%s: %s\n", cl.Survivor, cl.Rule)
		for i, x := range cl.Contacts {
			mark := "    "
			if i == cl.SurvivorIndex {
				mark = "keep"
			}
			var points []string
			for _, e := range x.Emails {
				points = append(points, e.Value)
			}
			for _, p := range x.Phones {
				points = append(points, p.Value)
			}
			where := ""
			if x.Source.File != "" {
				where = fmt.Sprintf("  (%s:%d)", x.Source.File, x.Source.Line)
			}
			fmt.Fprintf(w, "  %s  %s  %s%s\n", mark, x.DisplayName(), strings.Join(points, ", "), where)
		}
	}
}
