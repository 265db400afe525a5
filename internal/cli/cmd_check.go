package cli

import (
	"fmt"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/findings"
)

func init() {
	register(&Command{
		Name: "check",
		Usage: "check [--json] [--fleet DIR] [--export PATH] [--reg FILE]... " +
			"[--apple-lockdown DIR]... [--apple-backups DIR]... [--no-detect]",
		Summary: "run every device setup check, publish this workstation's fleet file, exit 0/1/2 by the worst finding",
		Run:     runCheck,
	})
}

// checkOutput is the public JSON of `check --json`: app's CheckResult, the one device check.
type checkOutput = app.CheckResult

func runCheck(env *Env, args []string) int {
	fs := newFlags(env, commands["check"])
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	fleetDir := fs.String("fleet", "", "the fleet folder (overrides the policy's fleet.folder)")
	export := fs.String("export", "", "the Outlook export to count multi-category contacts in (default: the policy's export.location)")
	var det detectFlags
	det.register(fs)
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	detect := det.options()
	out, err := svc.Check(app.CheckRequest{Fleet: absPath(*fleetDir), ReadExport: true, Export: absPath(*export),
		Detect: &detect, FromCommandLine: true})
	if err != nil {
		return failf(env, "%v", err)
	}
	if out.Contacts.Error == app.ExportIncomplete {
		out.Contacts.Error += "; run 'syncguard scan " + out.Contacts.Location + "' for details"
	}
	if *asJSON {
		if err := writeJSON(env, out); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
	} else {
		printCheck(env, out)
	}
	return exitFor(out.Findings)
}

func printCheck(env *Env, out checkOutput) {
	w := env.Stdout
	fmt.Fprintf(w, "Workstation %s; InterAction sync: %s\n", out.Workstation.ID, describeSync(out.Workstation.InteractionSync))
	fmt.Fprintln(w, findings.Plural(len(out.Devices), "device", "devices"))
	for _, e := range out.Detection {
		fmt.Fprintf(w, "  could not read: %s\n", e)
	}
	if out.Contacts.Error != "" {
		fmt.Fprintf(w, "Export %s: %s\n", out.Contacts.Location, out.Contacts.Error)
	}
	if f := out.Fleet; f != nil {
		fmt.Fprintf(w, "Fleet folder %s: %s", f.Folder, findings.Plural(f.Others, "other workstation", "other workstations"))
		if f.FromCache {
			fmt.Fprintf(w, " (last good view, %s old: %s)", f.Age, f.Problem)
		} else if f.Problem != "" {
			fmt.Fprintf(w, " (%s)", f.Problem)
		}
		fmt.Fprintf(w, ", %d stale, %d skipped\n", len(f.Stale), len(f.Skipped))
		if f.PublishError != "" {
			fmt.Fprintf(w, "  not published: %s\n", f.PublishError)
		}
	}
	if out.SaveError != "" {
		fmt.Fprintf(w, "Not saved to the history: %s\n", out.SaveError)
	}
	if len(out.Findings) == 0 {
		fmt.Fprintln(w, "No findings: the device setup looks safe.")
		return
	}
	fmt.Fprintf(w, "\n%s (worst: %s):\n", findings.Plural(len(out.Findings), "finding", "findings"), out.Worst)
	for _, f := range out.Findings {
		fmt.Fprintf(w, "\n[%s] %s (%s)\n", f.Severity, f.Title, f.Kind)
		if f.Explanation != "" {
			fmt.Fprintf(w, "  %s\n", f.Explanation)
		}
		for _, c := range f.Contacts {
			fmt.Fprintf(w, "    %s: %s\n", c.Name, c.Detail)
		}
		if f.Advice != "" {
			fmt.Fprintf(w, "  What to do: %s\n", f.Advice)
		}
		if f.ForIT != "" {
			fmt.Fprintf(w, "  For IT: %s\n", f.ForIT)
		}
	}
}
