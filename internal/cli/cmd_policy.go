package cli

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/policy"
)

func init() {
	register(&Command{
		Name:    "policy",
		Usage:   "policy [--json]",
		Summary: "print the admin policy in force, each setting with where it came from (policy file, Group Policy registry value, default)",
		Run:     runPolicy,
	})
}

// policySetting is one line of `policy --json`.
type policySetting = app.PolicySetting

type policyReport = app.PolicyReport

func runPolicy(env *Env, args []string) int {
	fs := newFlags(env, commands["policy"])
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	r, err := svc.PolicyReport()
	if err != nil {
		return failf(env, "%v", err)
	}
	if *asJSON {
		if err := writeJSON(env, r); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	w := env.Stdout
	origin := strings.Join(append(append([]string{}, nonEmpty(r.File)...), r.Registries...), ", ")
	switch {
	case origin == "":
		fmt.Fprintf(w, "No admin policy here (no %s", policy.MachinePath())
		if len(policy.MachineRegistries()) > 0 {
			fmt.Fprintf(w, ", nothing under HKLM or HKCU\\%s", policy.RegistryPath)
		}
		fmt.Fprintln(w, "): every setting is the default.")
	default:
		fmt.Fprintf(w, "Admin policy read from %s.\n", origin)
	}
	fmt.Fprintln(w)
	for _, s := range r.Settings {
		v := fmt.Sprint(s.Value)
		switch s.Value.(type) {
		case nil:
			v = "(unset: detect)"
		case string:
			v = fmt.Sprintf("%q", s.Value)
		}
		where := "default"
		if s.Where != "" {
			where = s.Where
		}
		fmt.Fprintf(w, "%-36s %-24s %s\n", s.Key, v, where)
	}
	return ExitOK
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
