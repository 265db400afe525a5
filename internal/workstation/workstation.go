// Package workstation knows this workstation as the fleet sees it: its id (the name of
// its fleet file) and whether its Outlook syncs with InterAction. That answer decides how
// grave it is to share a device with another workstation, so it comes from the best
// source there is: the admin policy, then the InterAction Outlook add-in's registration
// (Windows), then what the user said with `workstation set`.
package workstation

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncguard/syncguard/internal/datadir"
)

// Config is what the user set, kept in <data>/workstation.json (a small file beside the
// history so that the CLI can change it while the tray app holds the database).
type Config struct {
	Schema          int    `json:"schema"`
	ID              string `json:"id,omitempty"`
	InteractionSync *bool  `json:"interaction_sync,omitempty"`
}

func path(dataDir string) string { return filepath.Join(dataDir, "workstation.json") }

// Load reads the user's settings; a missing file is the empty config.
func Load(dataDir string) (Config, error) { return load(dataDir, datadir.ReadLocked) }

// load reads the file with read: datadir.ReadLocked, or os.ReadFile under Update's lock.
func load(dataDir string, read func(string) ([]byte, error)) (Config, error) {
	p := path(dataDir)
	data, err := read(p)
	if errors.Is(err, os.ErrNotExist) {
		return Config{Schema: 1}, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("%s: cannot read the workstation settings: %v", p, err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("%s: %v; fix it or delete it and run 'syncguard workstation set' again", p, err)
	}
	if c.Schema != 1 {
		return Config{}, fmt.Errorf("%s: schema %d is not understood; a newer SyncGuard wrote it", p, c.Schema)
	}
	return c, nil
}

// Update changes the settings through change in one read-modify-write under the file's
// lock, so that two changes at once (`workstation set --id` and `--interaction-sync`, or
// the wizard) both land. The file is written atomically, private to the user.
func Update(dataDir string, change func(*Config) error) error {
	return datadir.Update(path(dataDir), func() error {
		c, err := load(dataDir, os.ReadFile)
		if err != nil {
			return err
		}
		if err := change(&c); err != nil {
			return err
		}
		return write(dataDir, c)
	})
}

// Save replaces the settings with c (a new data folder, the demo's sandbox); a change of
// one setting goes through Update.
func Save(dataDir string, c Config) error {
	return datadir.Update(path(dataDir), func() error { return write(dataDir, c) })
}

func write(dataDir string, c Config) error {
	c.Schema = 1
	if c.ID != "" {
		if err := ValidID(c.ID); err != nil {
			return err
		}
	}
	data, _ := json.MarshalIndent(c, "", "  ")
	return datadir.WriteFileAtomic(path(dataDir), append(data, '\n'), 0o600)
}

// ValidID checks a workstation id: it names the workstation's file in the shared fleet
// folder, so it must be a plain, portable file name (letters, digits, '.', '-', '_', not
// starting with a dot, at most 64 characters).
func ValidID(id string) error {
	if id == "" || len(id) > 64 || strings.HasPrefix(id, ".") {
		return fmt.Errorf("workstation id %q must be 1 to 64 characters and not start with a dot", id)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_'
		if !ok {
			return fmt.Errorf("workstation id %q may hold only letters, digits, '.', '-' and '_' (it names a file in the fleet folder)", id)
		}
	}
	return nil
}

// DefaultID derives an id from the host name.
func DefaultID() string {
	h, err := os.Hostname()
	if err != nil {
		h = ""
	}
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	id := strings.TrimLeft(b.String(), ".")
	if len(id) > 64 {
		id = id[:64]
	}
	if id == "" {
		id = "workstation"
	}
	return id
}

// Sync is the resolved answer to "does this workstation sync with InterAction?".
type Sync struct {
	Known  bool   `json:"known"`
	Value  bool   `json:"value"`
	Source string `json:"source"` // "policy", "add-in", "user" or "unknown"
	Detail string `json:"detail,omitempty"`
}

// Resolve decides whether this workstation syncs with InterAction. The policy comes first:
// it is IT's word and locked. Then the add-in: its registration shows InterAction is used
// here (its absence proves nothing, so it only ever answers yes). Then the user's word.
func Resolve(policyValue *bool, addin AddinResult, user *bool) Sync {
	switch {
	case policyValue != nil:
		return Sync{Known: true, Value: *policyValue, Source: "policy"}
	case addin.Found:
		return Sync{Known: true, Value: true, Source: "add-in", Detail: addin.Where}
	case user != nil:
		return Sync{Known: true, Value: *user, Source: "user"}
	}
	return Sync{Source: "unknown", Detail: "set it with: syncguard workstation set --interaction-sync=true|false"}
}

// AddinResult is what add-in detection found.
type AddinResult struct {
	Found bool   `json:"found"`
	Where string `json:"where,omitempty"` // the registry key
}

// addinMatches says whether an Outlook add-in registration is InterAction's. LexisNexis
// does not publish the add-in's ProgID, and it has changed between InterAction versions as
// far as the team knows, so SyncGuard does not look for one exact ProgID (which would be an
// uncertain guess): it takes any add-in whose ProgID, FriendlyName or Description names
// "InterAction". Uncertain by design; the policy key workstation.interaction_sync settles it.
func addinMatches(progID, friendly, description string) bool {
	for _, s := range []string{progID, friendly, description} {
		if strings.Contains(strings.ToLower(s), "interaction") {
			return true
		}
	}
	return false
}
