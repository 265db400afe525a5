// Package workstation knows this workstation as the fleet sees it: its id (the name of
// its fleet file), the mailboxes its Outlook opens, and whether it syncs with
// InterAction. That answer decides how grave it is to share a device with another
// workstation, so it comes from the facts IT controls first: the policy's explicit
// answer, then the policy's list of InterAction-synced mailboxes matched against the
// mailboxes of the Outlook profile, then the user's answer, and last the InterAction
// Outlook add-in as a hint (InterAction's sync runs on its server; see Resolve).
package workstation

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/policy"
)

// Config is what the user set, kept in <data>/workstation.json (a small file beside the
// history so that the CLI can change it while the tray app holds the database).
type Config struct {
	Schema          int    `json:"schema"`
	ID              string `json:"id,omitempty"`
	InteractionSync *bool  `json:"interaction_sync,omitempty"`
	// Mailboxes the user or IT declared as opened by this workstation's Outlook, for
	// when the Outlook profile cannot be read (another system, a profile elsewhere).
	Mailboxes []string `json:"mailboxes,omitempty"`
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

// Sync is the resolved answer to "does this workstation sync with InterAction?", with
// the facts it came from, so that `workstation show` can say where each one came from.
type Sync struct {
	Known  bool   `json:"known"`
	Value  bool   `json:"value"`
	Source string `json:"source"` // "policy", "mailbox-list", "user", "add-in" or "unknown"
	Detail string `json:"detail,omitempty"`
	// Mailboxes are the mailboxes this workstation's Outlook opens (detected or declared);
	// Matched those of them the policy's list names as InterAction-synced.
	Mailboxes []Mailbox `json:"mailboxes"`
	Matched   []string  `json:"interaction_mailboxes,omitempty"`
	// List is where the policy's list of InterAction-synced mailboxes came from ("" when
	// the policy has none).
	List string `json:"mailbox_list,omitempty"`
}

// Facts are what Resolve decides from.
type Facts struct {
	Policy    *bool              // workstation.interaction_sync
	List      policy.MailboxList // workstation.interaction_mailboxes(_file)
	Mailboxes []Mailbox          // this workstation's mailboxes, detected and declared
	Addin     AddinResult        // the InterAction add-in's registration (a hint)
	User      *bool              // the user's answer
}

// Resolve decides whether this workstation syncs with InterAction, from the facts IT
// controls first. InterAction's Outlook sync is server-side: the administrator enables
// it per user contact list, so what makes a workstation "synced" is the mailbox its
// Outlook opens, not anything installed on it.
//  1. The policy's explicit workstation.interaction_sync: IT's word, locked.
//  2. The policy's mailbox list: a mailbox of this workstation in it means yes; a list
//     and known mailboxes none of which is in it mean no. (No known mailbox: the list
//     cannot decide, and the next source does.)
//  3. The user's answer.
//  4. The InterAction Outlook add-in, as a hint only: the sync needs nothing on the
//     workstation, so the add-in proves nothing; its absence is never taken as "no".
func Resolve(f Facts) Sync {
	s := Sync{Mailboxes: f.Mailboxes, List: f.List.Source}
	if s.Mailboxes == nil {
		s.Mailboxes = []Mailbox{}
	}
	listed := map[string]bool{}
	for _, a := range f.List.Addresses {
		listed[a] = true
	}
	for _, m := range f.Mailboxes {
		if listed[m.Address] {
			s.Matched = append(s.Matched, m.Address)
		}
	}
	switch {
	case f.Policy != nil:
		s.Known, s.Value, s.Source = true, *f.Policy, "policy"
		s.Detail = "workstation.interaction_sync"
	case len(f.List.Addresses) > 0 && len(s.Matched) > 0:
		s.Known, s.Value, s.Source = true, true, "mailbox-list"
		s.Detail = strings.Join(s.Matched, ", ") + " is in the InterAction mailbox list (" + f.List.Source + ")"
	case len(f.List.Addresses) > 0 && len(f.Mailboxes) > 0:
		s.Known, s.Value, s.Source = true, false, "mailbox-list"
		s.Detail = "none of this workstation's mailboxes (" + strings.Join(Addresses(f.Mailboxes), ", ") + ") is in the InterAction mailbox list (" + f.List.Source + ")"
	case f.User != nil:
		s.Known, s.Value, s.Source = true, *f.User, "user"
	case f.Addin.Found:
		s.Known, s.Value, s.Source = true, true, "add-in"
		s.Detail = "hint only: an InterAction Outlook add-in is registered (" + f.Addin.Where + "); InterAction's sync runs on its server, so confirm it"
	default:
		s.Source = "unknown"
		s.Detail = "set it with: syncguard workstation set --interaction-sync=true|false, or --mailbox ADDRESS (IT: the policy's workstation.interaction_mailboxes)"
	}
	if s.Source != "mailbox-list" && len(f.List.Addresses) > 0 && len(f.Mailboxes) == 0 {
		s.Detail = strings.TrimPrefix(s.Detail+"; ", "; ") + "the policy lists the InterAction mailboxes, but this workstation's mailboxes are not known (declare them with: syncguard workstation set --mailbox ADDRESS)"
	}
	return s
}

// Determine resolves this workstation's id and InterAction answer from every source: the
// user's settings in dataDir, the policy, the mailboxes Outlook opens, and (when opt.Live)
// the add-in hint. Errors reading a mailbox source are returned beside the answer, which
// the other sources still decide; an unreadable policy mailbox list is an error.
func Determine(dataDir string, p *policy.Policy, opt MailboxOptions) (id, idSource string, s Sync, warnings []error, err error) {
	c, err := Load(dataDir)
	if err != nil {
		return "", "", Sync{}, nil, err
	}
	id, idSource = c.ID, "user"
	if id == "" {
		id, idSource = DefaultID(), "hostname"
	}
	list, err := p.Mailboxes()
	if err != nil {
		return id, idSource, Sync{}, nil, err
	}
	detected, warnings := DetectMailboxes(opt)
	var declared []Mailbox
	for _, a := range c.Mailboxes {
		declared = append(declared, Mailbox{Address: a, Source: "user", Detail: "workstation set --mailbox"})
	}
	var addin AddinResult
	if opt.Live {
		addin = DetectAddin()
	}
	s = Resolve(Facts{Policy: p.Workstation.InteractionSync, List: list, Mailboxes: mergeMailboxes(detected, declared), Addin: addin, User: c.InteractionSync})
	return id, idSource, s, warnings, nil
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
