package cli

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/conduit"
)

func init() {
	register(&Command{
		Name:    "catalog",
		Usage:   "catalog [--json]",
		Summary: "list the sync software SyncGuard knows: versions, settings and their risks, with sources",
		Run:     runCatalog,
	})
}

// loadCatalog reads the catalog the policy names, or the embedded one.
func loadCatalog(env *Env) (*conduit.Catalog, error) {
	p, err := loadPolicy(env)
	if err != nil {
		return nil, err
	}
	return conduit.Load(p.Devices.CatalogFile)
}

func runCatalog(env *Env, args []string) int {
	fs := newFlags(env, commands["catalog"])
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	cat, err := loadCatalog(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	if *asJSON {
		if err := writeJSON(env, cat); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	w := env.Stdout
	from := "embedded catalog"
	if cat.File != "" {
		from = cat.File
	}
	fmt.Fprintf(w, "Sync software catalog (%s, reviewed %s)\n", from, cat.Reviewed)
	for _, s := range cat.Software {
		fmt.Fprintf(w, "\n%s  %s\n", s.ID, s.Name)
		if s.Path != "" {
			fmt.Fprintf(w, "  path:          %s: %s\n", s.Path, s.PathNote)
		}
		fmt.Fprintf(w, "  latest:        %s\n", versionFact(s.Latest))
		fmt.Fprintf(w, "  minimum safe:  %s\n", versionFact(s.MinimumSafe))
		oc := "unknown"
		if s.OneCategory.Value != nil {
			oc = map[bool]string{true: "yes", false: "no"}[*s.OneCategory.Value]
		}
		fmt.Fprintf(w, "  one category per contact: %s%s\n", oc, certainty(s.OneCategory.Fact))
		for _, st := range s.Settings {
			fmt.Fprintf(w, "  setting %s: %q (%s)%s\n", st.Key, st.Label, st.Where, certainty(st.Fact))
			for _, v := range st.Values {
				sev := v.Severity
				if sev == "" {
					sev = "safe"
				}
				val := v.Value
				if val == "" {
					val = `""`
				}
				fmt.Fprintf(w, "    %-28s %-8s %s\n", val, sev, v.Label)
			}
		}
		for _, r := range s.Risks {
			fmt.Fprintf(w, "  risk %s (%s): %s%s\n", r.Key, r.Severity, r.Title, certainty(r.Fact))
		}
	}
	return ExitOK
}

func versionFact(v conduit.VersionFact) string {
	if v.Version == "" {
		if v.Note != "" {
			return "unknown (" + strings.TrimSuffix(v.Note, ".") + ")"
		}
		return "unknown"
	}
	s := v.Version
	if v.KnownAt != "" {
		s += " as of " + v.KnownAt
	}
	return s + certainty(v.Fact)
}

func certainty(f conduit.Fact) string {
	src := f.Source
	if src == "" {
		src = "no public source"
	}
	if f.Certain {
		return " [certain; " + src + "]"
	}
	return " [not certain; " + src + "]"
}
