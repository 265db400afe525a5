package cli

import (
	"fmt"
	"strconv"

	"github.com/syncguard/syncguard/internal/workstation"
)

func init() {
	register(&Command{
		Name:    "workstation",
		Usage:   "workstation set [--id ID] [--interaction-sync=true|false] | workstation show [--json]",
		Summary: "name this workstation in the fleet folder and say whether its Outlook syncs with InterAction",
		Run:     runWorkstation,
	})
}

// workstationInfo is the JSON of `workstation show` and part of `check --json`.
type workstationInfo struct {
	ID              string           `json:"id"`
	IDSource        string           `json:"id_source"` // "user" or "hostname"
	InteractionSync workstation.Sync `json:"interaction_sync"`
}

// resolveWorkstation combines the user's settings, the policy and the add-in detection.
func resolveWorkstation(env *Env) (workstationInfo, error) {
	p, err := loadPolicy(env)
	if err != nil {
		return workstationInfo{}, err
	}
	c, err := workstation.Load(env.DataDir)
	if err != nil {
		return workstationInfo{}, err
	}
	info := workstationInfo{ID: c.ID, IDSource: "user"}
	if info.ID == "" {
		info.ID, info.IDSource = workstation.DefaultID(), "hostname"
	}
	info.InteractionSync = workstation.Resolve(p.Workstation.InteractionSync, workstation.DetectAddin(), c.InteractionSync)
	return info, nil
}

func runWorkstation(env *Env, args []string) int {
	c := commands["workstation"]
	if len(args) == 0 {
		newFlags(env, c).Usage()
		return ExitFailed
	}
	if isHelp(args[0]) {
		newFlags(env, c).Usage()
		return ExitOK
	}
	fs := newFlags(env, c)
	switch args[0] {
	case "set":
		id := fs.String("id", "", "this workstation's id: the name of its file in the fleet folder (default: the host name)")
		sync := fs.String("interaction-sync", "", "true if this workstation's Outlook syncs with InterAction, false if not")
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		if fs.NFlag() == 0 {
			return failf(env, "workstation set: nothing to set; give --id or --interaction-sync")
		}
		if *id != "" {
			if err := workstation.ValidID(*id); err != nil {
				return failf(env, "%v", err)
			}
		}
		var b *bool
		if *sync != "" {
			v, err := strconv.ParseBool(*sync)
			if err != nil {
				return failf(env, "--interaction-sync=%q: write true or false", *sync)
			}
			b = &v
		}
		// One read-modify-write under the file's lock: a `workstation set` running at the
		// same time keeps its change too.
		if err := workstation.Update(env.DataDir, func(cfg *workstation.Config) error {
			if *id != "" {
				cfg.ID = *id
			}
			if b != nil {
				cfg.InteractionSync = b
			}
			return nil
		}); err != nil {
			return failf(env, "%v", err)
		}
		return showWorkstation(env, false)
	case "show":
		asJSON := fs.Bool("json", false, "print JSON for scripts")
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		return showWorkstation(env, *asJSON)
	}
	return failf(env, "workstation: unknown action %q; use set or show", args[0])
}

func showWorkstation(env *Env, asJSON bool) int {
	info, err := resolveWorkstation(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	if asJSON {
		if err := writeJSON(env, info); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "workstation id:   %s (from the %s)\n", info.ID, info.IDSource)
	fmt.Fprintf(env.Stdout, "InterAction sync: %s\n", describeSync(info.InteractionSync))
	return ExitOK
}

func describeSync(s workstation.Sync) string {
	if !s.Known {
		return "unknown; " + s.Detail
	}
	v := "no"
	if s.Value {
		v = "yes"
	}
	from := map[string]string{"policy": "the admin policy", "add-in": "the InterAction Outlook add-in", "user": "your setting"}[s.Source]
	if s.Detail != "" {
		from += ", " + s.Detail
	}
	return v + " (from " + from + ")"
}
