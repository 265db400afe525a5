package cli

import (
	"fmt"

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
type policySetting struct {
	Key    string `json:"key"`              // "thresholds.mass_deletion_min", as in the policy file
	Value  any    `json:"value"`            // number, text, true/false, or null (unset: detect)
	Source string `json:"source"`           // "file", "registry" or "default"
	Where  string `json:"where,omitempty"`  // the file's path or the registry value's full name
	Locked bool   `json:"locked,omitempty"` // the user may not change it
}

type policyReport struct {
	File       string          `json:"file,omitempty"`       // the policy file read, if any
	Registries []string        `json:"registries,omitempty"` // registry keys that set something
	Settings   []policySetting `json:"settings"`
}

func runPolicy(env *Env, args []string) int {
	fs := newFlags(env, commands["policy"])
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	r := policyReport{File: p.File, Registries: p.Registries, Settings: []policySetting{}}
	for _, k := range policy.Keys() {
		s := policySetting{Key: k.Name, Value: p.Value(k), Source: "default", Where: p.Where(k.Name), Locked: p.IsLocked(k.Name)}
		switch {
		case s.Where == "":
		case s.Where == p.File:
			s.Source = "file"
		default:
			s.Source = "registry"
		}
		r.Settings = append(r.Settings, s)
	}
	if *asJSON {
		if err := writeJSON(env, r); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	w := env.Stdout
	switch {
	case p.Origin() == "":
		fmt.Fprintf(w, "No admin policy here (no %s", policy.MachinePath())
		if len(policy.MachineRegistries()) > 0 {
			fmt.Fprintf(w, ", nothing under HKLM or HKCU\\%s", policy.RegistryPath)
		}
		fmt.Fprintln(w, "): every setting is the default.")
	default:
		fmt.Fprintf(w, "Admin policy read from %s.\n", p.Origin())
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
