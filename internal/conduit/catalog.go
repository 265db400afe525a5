// Package conduit knows the software that synchronizes a handheld device with Outlook (a
// "conduit"): a catalog of that software with its versions and the settings that lose data,
// the devices paired with this workstation (detected from ActiveSync partnerships and
// Apple pairing records, or declared by the user), and the checks that turn a device's
// software version, settings and category limit into findings.
//
// The catalog never guesses: every fact carries its source and whether it is certain, and a
// version that no source confirms is empty, so that the version check says "unknown"
// instead of raising a false alarm or a false all-clear.
package conduit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/safefile"
)

// Catalog is the list of sync software SyncGuard knows.
type Catalog struct {
	Schema   int        `json:"schema"`
	Reviewed string     `json:"reviewed,omitempty"`
	Note     string     `json:"note,omitempty"`
	Software []Software `json:"software"`

	// File is where the catalog was read from ("" for the embedded one).
	File string `json:"-"`
}

// Software is one sync program.
type Software struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Aliases   []string  `json:"aliases,omitempty"`
	Vendor    string    `json:"vendor,omitempty"`
	Platforms []string  `json:"platforms,omitempty"`
	Recognize Recognize `json:"recognize"`
	// Latest is the newest version known, with when it was known; MinimumSafe the version
	// below which the software is known to lose data. Either may be empty: unknown.
	Latest      VersionFact `json:"latest"`
	MinimumSafe VersionFact `json:"minimum_safe"`
	OneCategory BoolFact    `json:"one_category_per_contact"`
	Settings    []Setting   `json:"settings"`
	// Path says how the software syncs contacts: "pc-sync" (a program on the workstation
	// between the device and Outlook, the default), "exchange-direct" (the phone syncs
	// with the mailbox on Exchange / Microsoft 365: no workstation in between), "phone-app"
	// (an app on the phone, such as Outlook mobile) or "outlook-add-in" (an Outlook add-in
	// on the workstation that syncs Outlook with another cloud).
	Path string `json:"path,omitempty"`
	// PathNote says what that path means for SyncGuard: what it can see and catch.
	PathNote string `json:"path_note,omitempty"`
	// Risks are what the software is known to do to contacts whatever its settings; a
	// device using it gets each as a finding of the device check.
	Risks []Risk `json:"risks,omitempty"`
}

// Risk is one thing a sync program is known to do to contacts, with the fix.
type Risk struct {
	Key      string `json:"key"`
	Severity string `json:"severity"` // "info", "warning" or "danger"
	Risk     string `json:"risk"`     // "data-loss", "duplicates", "category-loss", "privacy", "unseen"
	Title    string `json:"title"`    // for the lawyer: no command lines
	Advice   string `json:"advice"`   // for the lawyer: buttons and steps, no command lines
	// OnRemoval: the risk explains contacts disappearing from the export (iCloud moving
	// them into its own folder); when the export loses contacts while the program is
	// present, the deletion finding says so.
	OnRemoval bool `json:"on_removal,omitempty"`
	Fact
}

// Fact is what every catalog fact carries besides its value: where it comes from (a URL
// or "DESIGN.md") and whether the team is certain of it.
type Fact struct {
	Source  string `json:"source"`
	Certain bool   `json:"certain"`
	Note    string `json:"note,omitempty"`
}

// Recognize says how the software is found on a workstation.
type Recognize struct {
	WindowsUninstall []string `json:"windows_uninstall"`
	WindowsProcesses []string `json:"windows_processes"`
	MacOSBundleIDs   []string `json:"macos_bundle_ids"`
	Partnerships     string   `json:"partnerships"`
	// RunsAllDay: the program starts with Windows and sits in the tray (HotSync Manager,
	// CompanionLink, Akruto), so its process running says nothing about a sync starting;
	// only its other signals (SyncLogs, a partnership's last-sync time) do.
	RunsAllDay     bool   `json:"runs_all_day,omitempty"`
	RunsAllDayNote string `json:"runs_all_day_note,omitempty"`
	// SyncLogs are files the program writes when a sync runs (HotSync's log), as paths
	// with %VARIABLES% and * patterns; one being written is a sync under way or just done.
	SyncLogs     []string `json:"sync_logs,omitempty"`
	SyncLogsNote string   `json:"sync_logs_note,omitempty"`
	// OutlookAddins are what the software's Outlook add-in registers under
	// Software\Microsoft\Office\Outlook\Addins: its ProgID, or a word its ProgID,
	// FriendlyName or Description contains (matched ignoring case). A registered add-in
	// shows the software syncs Outlook here, without any partnership record.
	OutlookAddins     []string `json:"outlook_addins,omitempty"`
	OutlookAddinsNote string   `json:"outlook_addins_note,omitempty"`
	Fact
}

// VersionFact is a version number with its provenance.
type VersionFact struct {
	Version string `json:"version"`
	KnownAt string `json:"known_at,omitempty"` // when the version was known to be current
	// UpdateAdvice replaces the generic "update to X" advice where that can be
	// impossible (a discontinued product whose last version dropped older devices).
	UpdateAdvice string `json:"update_advice,omitempty"`
	Fact
}

// BoolFact is a yes/no fact that may be unknown (Value nil).
type BoolFact struct {
	Value *bool  `json:"value"`
	Kept  string `json:"kept,omitempty"` // for one_category_per_contact: which category the device keeps
	Fact
}

// Setting is one option of the software that matters for contacts.
type Setting struct {
	Key   string `json:"key"`   // stable, for `device add --setting KEY=VALUE`
	Label string `json:"label"` // as the software shows it
	Where string `json:"where"` // where the user finds it
	// AppliesWhen names the case in which the software offers the setting at all
	// (CompanionLink's conflict dialog: only when syncing to Google); "" = always. The
	// wizard asks it only of users in that case.
	AppliesWhen string         `json:"applies_when,omitempty"`
	Values      []SettingValue `json:"values"`
	Fact
}

// SettingValue is one choice of a setting and its risk. Value "*" stands for any value the
// other entries do not name (a category filter's list of categories).
type SettingValue struct {
	Value       string `json:"value"`
	Label       string `json:"label"`
	Severity    string `json:"severity"` // "", "info", "warning" or "danger"
	Risk        string `json:"risk"`     // "", "data-loss", "duplicates", "category-loss"
	Explanation string `json:"explanation"`
}

// MaxCatalogSize bounds a catalog file: the embedded one is about 20 KB.
const MaxCatalogSize = 8 << 20

// Load returns the embedded catalog, or the file the policy names (devices.catalog_file)
// when file is not empty.
func Load(file string) (*Catalog, error) {
	if file == "" {
		c, err := Parse("embedded catalog", assets.CatalogJSON)
		if err != nil {
			return nil, fmt.Errorf("%v (a build error: report it)", err)
		}
		return c, nil
	}
	// Only a regular file of a catalog's size: "/dev/zero" ran out of memory.
	data, err := safefile.ReadFile(file, MaxCatalogSize)
	if err != nil {
		return nil, fmt.Errorf("cannot read the catalog named by devices.catalog_file: %v; fix devices.catalog_file in the policy", err)
	}
	c, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	c.File = file
	return c, nil
}

// Parse reads and validates a catalog; name is used in errors, which give the line.
func Parse(name string, data []byte) (*Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a typo in IT's catalog must not silently drop a fact
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %s; fix the catalog file", name, jsonErrorAt(data, err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: text after the catalog's closing brace; fix the catalog file", name)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %v; fix the catalog file", name, err)
	}
	return &c, nil
}

// jsonErrorAt turns a JSON error into "line N: message".
func jsonErrorAt(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return err.Error()
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return fmt.Sprintf("line %d: %v", bytes.Count(data[:off], []byte("\n"))+1, err)
}

func (c *Catalog) validate() error {
	if c.Schema != 1 {
		return fmt.Errorf("schema %d is not understood (this SyncGuard reads schema 1)", c.Schema)
	}
	seen := map[string]bool{}
	for i, s := range c.Software {
		if s.ID == "" || s.Name == "" {
			return fmt.Errorf("software entry %d needs an id and a name", i+1)
		}
		if seen[s.ID] {
			return fmt.Errorf("software id %q appears twice", s.ID)
		}
		seen[s.ID] = true
		for _, vf := range []struct {
			key string
			v   VersionFact
		}{{"latest", s.Latest}, {"minimum_safe", s.MinimumSafe}} {
			if vf.v.Version == "" {
				continue
			}
			if _, err := version.NewVersion(vf.v.Version); err != nil {
				return fmt.Errorf("%s: %s version %q is not a version number", s.ID, vf.key, vf.v.Version)
			}
			if vf.v.Source == "" && vf.v.Certain {
				return fmt.Errorf("%s: %s is marked certain but names no source", s.ID, vf.key)
			}
		}
		// A fact marked certain must say where it comes from: that is what "certain" means
		// in this catalog (Must show of issue 12).
		facts := []struct {
			what string
			f    Fact
		}{{"recognize", s.Recognize.Fact}, {"one_category_per_contact", s.OneCategory.Fact}}
		for _, st := range s.Settings {
			facts = append(facts, struct {
				what string
				f    Fact
			}{"setting " + st.Key, st.Fact})
		}
		for _, r := range s.Risks {
			facts = append(facts, struct {
				what string
				f    Fact
			}{"risk " + r.Key, r.Fact})
			if r.Key == "" || r.Title == "" {
				return fmt.Errorf("%s: every risk needs a key and a title", s.ID)
			}
			if _, err := findings.ParseSeverity(r.Severity); err != nil {
				return fmt.Errorf("%s: risk %s: %v", s.ID, r.Key, err)
			}
		}
		for _, f := range facts {
			if f.f.Certain && strings.TrimSpace(f.f.Source) == "" {
				return fmt.Errorf("%s: %s is marked certain but names no source", s.ID, f.what)
			}
		}
		if vf := s.MinimumSafe; vf.Version != "" && vf.Source == "" {
			return fmt.Errorf("%s: minimum_safe %s names no source; leave it empty when no source names a version that loses data", s.ID, vf.Version)
		}
		switch s.Path {
		case "", "pc-sync", "exchange-direct", "phone-app", "outlook-add-in":
		default:
			return fmt.Errorf("%s: path %q must be pc-sync, exchange-direct, phone-app or outlook-add-in", s.ID, s.Path)
		}
		keys := map[string]bool{}
		for _, st := range s.Settings {
			if st.Key == "" || keys[st.Key] {
				return fmt.Errorf("%s: setting key %q is empty or appears twice", s.ID, st.Key)
			}
			keys[st.Key] = true
			for _, v := range st.Values {
				if v.Severity != "" {
					if _, err := findings.ParseSeverity(v.Severity); err != nil {
						return fmt.Errorf("%s: setting %s value %q: %v", s.ID, st.Key, v.Value, err)
					}
				}
			}
		}
	}
	return nil
}

// Lookup finds software by id, name or alias, ignoring case.
func (c *Catalog) Lookup(name string) (*Software, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return nil, false
	}
	for i := range c.Software {
		s := &c.Software[i]
		if strings.ToLower(s.ID) == n || strings.ToLower(s.Name) == n {
			return s, true
		}
		for _, a := range s.Aliases {
			if strings.ToLower(a) == n {
				return s, true
			}
		}
	}
	return nil, false
}

// IDs lists the software ids, sorted, for error messages.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.Software))
	for i, s := range c.Software {
		ids[i] = s.ID
	}
	sort.Strings(ids)
	return ids
}

// Setting finds a setting by key or label, ignoring case.
func (s *Software) Setting(key string) (*Setting, bool) {
	k := strings.ToLower(strings.TrimSpace(key))
	for i := range s.Settings {
		st := &s.Settings[i]
		if strings.ToLower(st.Key) == k || strings.ToLower(st.Label) == k {
			return st, true
		}
	}
	return nil, false
}

// Match finds the catalog's entry for a value the user or a detector gave: by value or
// by the label the software shows, ignoring case; an empty value matches the entry whose
// value is empty; anything else falls to the "*" entry where there is one.
func (st *Setting) Match(value string) (*SettingValue, bool) {
	v := strings.ToLower(strings.TrimSpace(value))
	var wildcard *SettingValue
	for i := range st.Values {
		sv := &st.Values[i]
		if sv.Value == "*" {
			wildcard = sv
			continue
		}
		if strings.ToLower(sv.Value) == v || (v != "" && strings.ToLower(sv.Label) == v) {
			return sv, true
		}
	}
	if wildcard != nil && v != "" {
		return wildcard, true
	}
	return nil, false
}
