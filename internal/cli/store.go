package cli

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
)

// machinePolicy is where the policy is read from without --policy: the machine-wide file
// and, on Windows, the Group Policy registry keys. Tests replace it, so that no test reads
// the machine's own policy.
var machinePolicy = func() policy.Sources {
	return policy.Sources{File: policy.MachinePath(), FileOptional: true, Registries: policy.MachineRegistries()}
}

// loadPolicy reads the admin policy (--policy FILE alone, else the machine's). Nothing of
// it is set process-wide: its country_code goes to each normalization as a parameter.
func loadPolicy(env *Env) (*policy.Policy, error) {
	src := policy.Sources{File: env.PolicyFile}
	if env.PolicyFile == "" {
		src = machinePolicy()
	}
	p, err := policy.LoadSources(src)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// openStore opens the history in --data DIR.
func openStore(env *Env) (*history.Store, error) {
	return history.Open(env.DataDir, history.Options{})
}

// parseSnapshotID reads a snapshot id argument.
func parseSnapshotID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%q is not a snapshot id; run 'syncguard history' for the list", s)
	}
	return id, nil
}

// parseTime reads --at: RFC 3339, "2006-01-02 15:04" or a date (end of that day).
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t.Add(24*time.Hour - time.Nanosecond), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time; write it like 2026-11-24 or 2026-11-24T09:30:00Z", s)
}

// exitFor is the exit code of check and snapshot for the findings they raised.
func exitFor(fs []findings.Finding) int {
	worst := findings.Info
	for _, f := range fs {
		if f.State == findings.Open && f.Severity > worst {
			worst = f.Severity
		}
	}
	return worst.ExitCode()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
