// Package policy reads the admin policy: a TOML file that IT places machine-wide (or
// passes with --policy) and, on Windows, the registry values that Group Policy or Intune
// push (registry.go), to set thresholds, the export location, the fleet folder, retention
// and notifications. Every key they set is locked for the user: the settings window shows
// it read-only. An unknown key or a bad value is an error naming the key (and the file or
// registry value), so a typo never silently falls back to a default.
package policy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/syncguard/syncguard/internal/safefile"
)

// Policy is the whole policy. The zero value is not useful: start from Default().
type Policy struct {
	Export        Export        `toml:"export"`
	Thresholds    Thresholds    `toml:"thresholds"`
	Fleet         Fleet         `toml:"fleet"`
	Workstation   Workstation   `toml:"workstation"`
	Devices       Devices       `toml:"devices"`
	Retention     Retention     `toml:"retention"`
	Notifications Notifications `toml:"notifications"`

	// File is the policy file that was read ("" when none was).
	File string `toml:"-"`
	// Registries are the registry keys that set at least one value, lowest precedence first.
	Registries []string `toml:"-"`
	// Locked lists the keys the policy set ("fleet.folder", ...): the user may not change them.
	Locked map[string]bool `toml:"-"`
	// Sources says, for each key the policy set, where it was set (Where).
	Sources map[string]string `toml:"-"`
}

// Export says where the Outlook export is.
type Export struct {
	// Location is the export file or folder.
	Location string `toml:"location"`
	// CountryCode is the calling code assumed for phone numbers written without one.
	CountryCode string `toml:"country_code"`
	// Source is where the contacts are read: "files" (the export at Location, on every
	// system) or "outlook" (Outlook itself, through its object model; Windows only).
	// "" leaves the choice to the user's settings.
	Source string `toml:"source"`
	// OutlookFolders names subfolders of Outlook's Contacts folder read with it.
	OutlookFolders []string `toml:"outlook_folders"`
	// OutlookEvery is how often Outlook is read while it runs (default 15m), besides the
	// reads right when a device sync starts and ends.
	OutlookEvery Duration `toml:"outlook_every"`
}

// Export sources.
const (
	SourceFiles   = "files"
	SourceOutlook = "outlook"
)

// Thresholds tune the rules (DESIGN.md §4). Counts are contacts; percents are of the book
// before the change. A rule fires at "at least" its threshold. The defaults are set so that
// a year of ordinary days on a 2,000-contact book raises nothing (internal/rules measures
// it) while every device failure of the scenario tests is caught.
type Thresholds struct {
	// MassDeletionMin (mass_deletion_min, default 10) and MassDeletionPercent
	// (mass_deletion_percent, default 5): one change removing at least max(min, percent of
	// the book) contacts is a mass-deletion danger. Ten is InterAction's own limit: at ten
	// suspicious changes it aborts its sync and puts the list into Possible Corruption; the
	// percentage keeps a large book's ordinary clean-up days quiet.
	MassDeletionMin     int     `toml:"mass_deletion_min"`
	MassDeletionPercent float64 `toml:"mass_deletion_percent"`
	// MassEditMin (mass_edit_min, default 25) and MassEditPercent (mass_edit_percent,
	// default 10): at least max(min, percent) contacts rewritten in one change, beyond those
	// a more specific finding already explains, is a mass-edit warning (an overwrite). A
	// person edits a handful of contacts a day; a deliberate bulk edit in Outlook (a category
	// given to a whole mailing list) is possible, hence a warning and a higher floor than
	// deletions.
	MassEditMin     int     `toml:"mass_edit_min"`
	MassEditPercent float64 `toml:"mass_edit_percent"`
	// FieldLossMin (field_loss_min, default 10): phones, e-mails, addresses or notes removed
	// from at least this many contacts in one change is a field-loss warning. Ten is
	// InterAction's limit again; fewer is a person tidying up.
	FieldLossMin int `toml:"field_loss_min"`
	// FieldLossDangerMin (field_loss_danger_min, default 30): from this many contacts on,
	// field loss is a danger: nobody deletes fields from thirty contacts by hand in a day,
	// while removing old fax numbers from a dozen is a plausible clean-up.
	FieldLossDangerMin int `toml:"field_loss_danger_min"`
	// TruncationMin (truncation_min, default 5, at least 2): this many contacts with one
	// field cut to the same length in one change is a truncation danger. One or two could
	// be edits that happen to agree; five cuts at one length are a device limit.
	TruncationMin int `toml:"truncation_min"`
	// CategoryCollapseMin (category_collapse_min, default 3): this many contacts that had
	// two or more categories and now keep exactly one of them is a category-collapse
	// danger (a one-category device). A person drops a category from one contact, rarely
	// from three in one change.
	CategoryCollapseMin int `toml:"category_collapse_min"`
	// CategoryLossMin (category_loss_min, default 5): categories removed from this many
	// contacts in one change is a category-loss warning (a category filter). A category
	// fused into one name ("Clients; VIP") is a danger from the first contact and needs no
	// threshold: no person types that.
	CategoryLossMin int `toml:"category_loss_min"`
	// MileageMin (mileage_min, default 1): this many contacts with Outlook's Mileage cleared
	// or rewritten is a mileage-changed danger. InterAction owns that field and nobody
	// edits it by hand, so one is already damage.
	MileageMin int `toml:"mileage_min"`
	// MileageDangerMin (mileage_danger_min, default 10): from this many contacts, a
	// Mileage change is a danger. InterAction's field mapping says Mileage "indicates who
	// can see the contact in Outlook"; one changed contact may be a person's edit, ten in
	// one change are a device rewriting it.
	MileageDangerMin int `toml:"mileage_danger_min"`
	// PrivateMin (private_min, default 1): this many contacts whose Private flag was
	// cleared is a private-changed danger (InterAction maps the flag to its private
	// contact; cleared, the contact becomes visible to the firm), and this many whose flag
	// was set, a warning.
	PrivateMin int `toml:"private_min"`
	// UserFieldsMin (user_fields_min, default 10): User Fields 1-4 (InterAction's custom
	// fields 1-4) cleared or rewritten on this many contacts in one change is a user-fields
	// warning. A person fills in a field here and there; ten at once is a device.
	UserFieldsMin int `toml:"user_fields_min"`
	// DuplicatesMin (duplicates_min, default 1): this many added contacts that are people
	// already in the book (same name and a shared e-mail or phone) is a duplicates warning.
	// One is enough: InterAction duplicates it in turn and does not match it up.
	DuplicatesMin int `toml:"duplicates_min"`
	// DuplicatesDangerMin (duplicates_danger_min, default 10): from this many, duplicates
	// are a danger (a conduit adding every conflicting item; InterAction's limit of ten).
	DuplicatesDangerMin int `toml:"duplicates_danger_min"`
	// RevertMin (revert_min, default 3): this many contacts going back to an earlier
	// version of themselves in one change is a revert danger (two sources overwriting each
	// other). One or two is a person undoing an edit.
	RevertMin int `toml:"revert_min"`
}

// Fleet is the firm-wide shared folder of workstation files.
type Fleet struct {
	Folder    string   `toml:"folder"`
	StaleDays int      `toml:"stale_days"`
	Timeout   Duration `toml:"timeout"`
}

// Workstation describes this workstation.
type Workstation struct {
	// InteractionSync, when set, says whether this workstation's Outlook syncs with
	// InterAction; unset means detect it, or ask the user.
	InteractionSync *bool `toml:"interaction_sync"`
	// InteractionMailboxes are the mailboxes (e-mail addresses) whose contact lists
	// InterAction's server-side Outlook sync covers, as InterAction's administrator
	// enables them per user. A workstation whose Outlook opens one of them syncs with
	// InterAction; one that opens none of them does not.
	InteractionMailboxes []string `toml:"interaction_mailboxes"`
	// InteractionMailboxesFile names a file IT exports from InterAction's administration
	// with those addresses: one per line, or a CSV with an e-mail column. Read by
	// MailboxList; its addresses join InteractionMailboxes.
	InteractionMailboxesFile string `toml:"interaction_mailboxes_file"`
}

// Devices configures the device checks.
type Devices struct {
	// CatalogFile replaces the embedded catalog of sync software.
	CatalogFile string `toml:"catalog_file"`
}

// Retention says which snapshots are kept.
type Retention struct {
	KeepAllDays int  `toml:"keep_all_days"` // every snapshot this many days
	DailyDays   int  `toml:"daily_days"`    // then one a day until this many days
	Weekly      bool `toml:"weekly"`        // then one a week (false: drop older ones)
}

// Notifications controls desktop popups.
type Notifications struct {
	Enabled bool `toml:"enabled"`
}

// Duration is a time.Duration written as "5s" or "2m" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText reads "5s", "1m30s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration; write it like \"5s\" or \"2m\"", string(b))
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration as "5s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Default is the policy with no file: DESIGN.md's defaults.
func Default() *Policy {
	return &Policy{
		Export: Export{CountryCode: "1", OutlookEvery: Duration{15 * time.Minute}},
		Thresholds: Thresholds{
			MassDeletionMin:     10, // InterAction aborts a sync at 10 suspicious changes
			MassDeletionPercent: 5,
			MassEditMin:         25,
			MassEditPercent:     10,
			FieldLossMin:        10,
			FieldLossDangerMin:  30,
			TruncationMin:       5,
			CategoryCollapseMin: 3,
			CategoryLossMin:     5,
			MileageMin:          1,
			MileageDangerMin:    10,
			PrivateMin:          1,
			UserFieldsMin:       10,
			DuplicatesMin:       1,
			DuplicatesDangerMin: 10,
			RevertMin:           3,
		},
		Fleet:         Fleet{StaleDays: 30, Timeout: Duration{5 * time.Second}},
		Retention:     Retention{KeepAllDays: 30, DailyDays: 365, Weekly: true},
		Notifications: Notifications{Enabled: true},
		Locked:        map[string]bool{},
		Sources:       map[string]string{},
	}
}

// MachinePath is where IT places the machine-wide policy on this platform.
func MachinePath() string {
	switch runtime.GOOS {
	case "windows":
		pd := os.Getenv("ProgramData")
		if pd == "" {
			pd = `C:\ProgramData`
		}
		return filepath.Join(pd, "SyncGuard", "policy.toml")
	case "darwin":
		return "/Library/Application Support/SyncGuard/policy.toml"
	}
	return "/etc/syncguard/policy.toml"
}

// Load reads the policy from file alone when it is named (--policy: a policy tried before
// it is deployed, or a test's), else this machine's policy: MachinePath() and, on Windows,
// the Group Policy registry keys (MachineRegistries). A missing machine-wide file means no
// file; a missing file that was named explicitly is an error.
func Load(file string) (*Policy, error) {
	if file != "" {
		return LoadSources(Sources{File: file})
	}
	return LoadSources(Sources{File: MachinePath(), FileOptional: true, Registries: MachineRegistries()})
}

// Sources are the places a policy is read from.
type Sources struct {
	File         string // the TOML policy file; "" for none
	FileOptional bool   // a missing File is no file rather than an error
	// Registries are laid over the file in order, each winning over what came before.
	Registries []Registry
}

// LoadSources reads the policy from src: the defaults, then the file, then each registry
// key, a later one winning key by key; then checks the result as a whole.
func LoadSources(src Sources) (*Policy, error) {
	p := Default()
	if src.File != "" {
		// Only a regular file, and only as much as a policy can be: a FIFO named with
		// --policy blocked every command, and a device never ends.
		data, err := safefile.ReadFile(src.File, MaxFileSize)
		switch {
		case err == nil:
			if p, err = parse(src.File, data, false); err != nil {
				return nil, err
			}
		case src.FileOptional && errors.Is(err, os.ErrNotExist):
		default:
			return nil, fmt.Errorf("cannot read the policy file: %v; fix the path or the file", err)
		}
	}
	for _, r := range src.Registries {
		if err := p.applyRegistry(r); err != nil {
			return nil, err
		}
	}
	if err := p.Validate(); err != nil {
		if len(p.Registries) == 0 {
			return nil, fmt.Errorf("%s: %v", p.File, err)
		}
		// A bad combination (field_loss_danger_min below field_loss_min) may be half in the
		// file and half in the registry: name every place it may be fixed.
		return nil, fmt.Errorf("policy (%s): %v", p.Origin(), err)
	}
	return p, nil
}

// MaxFileSize bounds the policy file. A policy is a few kilobytes; a megabyte leaves room
// for any comments IT writes, and keeps a runaway file from taking the decoder's time.
const MaxFileSize = 1 << 20

// maxDepth bounds how deeply a key is dotted or a value nested. The policy's keys are
// section.key (two levels) and its values plain; the TOML decoder spends time and memory
// that grow faster than the depth (a key 100,000 levels deep took 86 s and 10 GB), so a
// deeper file is refused before it is decoded.
const maxDepth = 16

// checkDepth refuses a file whose keys or values nest deeper than maxDepth, naming the
// line. It follows TOML's strings and comments, so a dot or bracket inside them (a UNC
// path, a comment) does not count.
func checkDepth(name string, data []byte) error {
	line, nest, dots := 1, 0, 0
	deep := func() error {
		return fmt.Errorf("%s:%d: a key or value nested more than %d levels deep; the policy's keys are like thresholds.mass_deletion_min: fix the policy file", name, line, maxDepth)
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
			dots = 0
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			if i+2 < len(data) && data[i+1] == c && data[i+2] == c {
				// A multi-line string runs to the next three quotes of its kind.
				i += 3
				for ; i < len(data) && !(i+2 < len(data) && data[i] == c && data[i+1] == c && data[i+2] == c); i++ {
					if c == '"' && data[i] == '\\' {
						i++
					} else if data[i] == '\n' {
						line++
					}
				}
				i += 2
				continue
			}
			for i++; i < len(data) && data[i] != c && data[i] != '\n'; i++ {
				if c == '"' && data[i] == '\\' {
					i++
				}
			}
			if i < len(data) && data[i] == '\n' {
				line++
			}
		case '.':
			if dots++; dots > maxDepth {
				return deep()
			}
		case '=', ',':
			dots = 0
		case '[', '{':
			dots = 0
			if nest++; nest > maxDepth {
				return deep()
			}
		case ']', '}':
			dots = 0
			nest--
		}
	}
	return nil
}

// Parse reads a policy from data; name is used in errors.
func Parse(name string, data []byte) (*Policy, error) { return parse(name, data, true) }

// parse reads a policy file; validate is false when registry values are still to come and
// the whole is checked after them.
func parse(name string, data []byte, validate bool) (*Policy, error) {
	p := Default()
	if err := checkDepth(name, data); err != nil {
		return nil, err
	}
	md, err := toml.Decode(string(data), p)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s; fix the policy file", name, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %v; fix the policy file", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown key %s; see the README's policy section for the keys", name, strings.Join(keys, ", "))
	}
	p.File = name
	for _, k := range md.Keys() {
		p.Locked[k.String()] = true
	}
	for _, k := range keyList {
		if md.IsDefined(k.Section, k.Value) {
			p.Sources[k.Name] = name
		}
	}
	if err := p.Validate(); err != nil && validate {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return p, nil
}

// Validate checks every value's range and names the key that is wrong.
func (p *Policy) Validate() error {
	t := p.Thresholds
	ints := []struct {
		key  string
		v    int
		min  int
		note string // why the minimum, where it is another key
	}{
		{key: "thresholds.mass_deletion_min", v: t.MassDeletionMin, min: 1},
		{key: "thresholds.mass_edit_min", v: t.MassEditMin, min: 1},
		{key: "thresholds.field_loss_min", v: t.FieldLossMin, min: 1},
		{key: "thresholds.field_loss_danger_min", v: t.FieldLossDangerMin, min: t.FieldLossMin, note: " (thresholds.field_loss_min)"},
		{key: "thresholds.truncation_min", v: t.TruncationMin, min: 2},
		{key: "thresholds.category_collapse_min", v: t.CategoryCollapseMin, min: 1},
		{key: "thresholds.category_loss_min", v: t.CategoryLossMin, min: 1},
		{key: "thresholds.mileage_min", v: t.MileageMin, min: 1},
		{key: "thresholds.mileage_danger_min", v: t.MileageDangerMin, min: t.MileageMin, note: " (thresholds.mileage_min)"},
		{key: "thresholds.private_min", v: t.PrivateMin, min: 1},
		{key: "thresholds.user_fields_min", v: t.UserFieldsMin, min: 1},
		{key: "thresholds.duplicates_min", v: t.DuplicatesMin, min: 1},
		{key: "thresholds.duplicates_danger_min", v: t.DuplicatesDangerMin, min: t.DuplicatesMin, note: " (thresholds.duplicates_min)"},
		{key: "thresholds.revert_min", v: t.RevertMin, min: 1},
		{key: "fleet.stale_days", v: p.Fleet.StaleDays, min: 1},
		{key: "retention.keep_all_days", v: p.Retention.KeepAllDays, min: 1},
		{key: "retention.daily_days", v: p.Retention.DailyDays, min: 0},
	}
	for _, i := range ints {
		if i.v < i.min {
			return fmt.Errorf("%s = %d is too small: it must be at least %d%s", i.key, i.v, i.min, i.note)
		}
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{"thresholds.mass_deletion_percent", t.MassDeletionPercent}, {"thresholds.mass_edit_percent", t.MassEditPercent}} {
		if !(f.v > 0 && f.v <= 100) { // written so that NaN, which compares false, fails
			return fmt.Errorf("%s = %g must be a percentage above 0 and at most 100", f.key, f.v)
		}
	}
	if p.Retention.DailyDays != 0 && p.Retention.DailyDays < p.Retention.KeepAllDays {
		return fmt.Errorf("retention.daily_days = %d must be 0 or at least retention.keep_all_days (%d)", p.Retention.DailyDays, p.Retention.KeepAllDays)
	}
	if p.Fleet.Timeout.Duration <= 0 || p.Fleet.Timeout.Duration > 5*time.Minute {
		return fmt.Errorf("fleet.timeout = %s must be above 0 and at most 5m", p.Fleet.Timeout.Duration)
	}
	switch p.Export.Source {
	case "", SourceFiles, SourceOutlook:
	default:
		return fmt.Errorf("export.source = %q must be \"files\" or \"outlook\"", p.Export.Source)
	}
	if e := p.Export.OutlookEvery.Duration; e < time.Minute || e > 24*time.Hour {
		return fmt.Errorf("export.outlook_every = %s must be at least 1m and at most 24h", e)
	}
	for i, m := range p.Workstation.InteractionMailboxes {
		if !LooksLikeAddress(m) {
			return fmt.Errorf("workstation.interaction_mailboxes[%d] = %q is not an e-mail address; write addresses like \"anna@firm.example\"", i, m)
		}
	}
	cc := strings.TrimPrefix(strings.TrimSpace(p.Export.CountryCode), "+")
	if cc == "" || len(cc) > 3 || strings.Trim(cc, "0123456789") != "" {
		return fmt.Errorf("export.country_code = %q must be a calling code of 1 to 3 digits, like \"1\" or \"44\"", p.Export.CountryCode)
	}
	return nil
}

// IsLocked reports whether the policy file set key (e.g. "fleet.folder").
func (p *Policy) IsLocked(key string) bool { return p.Locked[key] }
