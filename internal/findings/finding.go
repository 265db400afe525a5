// Package findings defines the Finding, the one thing every check of SyncGuard produces:
// the rules that judge a change of the export, the device setup checks and the fleet
// report all speak it, the history store keeps it, and the tray shows the worst open one.
package findings

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Kind is a stable identifier that IT scripts rely on (DESIGN.md §4).
type Kind string

// The kinds of DESIGN.md §4.
const (
	ExportMissing       Kind = "export-missing"
	MassDeletion        Kind = "mass-deletion"
	Duplicates          Kind = "duplicates"
	CategoryCollapse    Kind = "category-collapse"
	CategoryLoss        Kind = "category-loss"
	MileageChanged      Kind = "mileage-changed"
	FieldLoss           Kind = "field-loss"
	Truncation          Kind = "truncation"
	MassEdit            Kind = "mass-edit"
	Revert              Kind = "revert"
	MultiWorkstation    Kind = "multi-workstation"
	ConduitSetting      Kind = "conduit-setting"
	OutdatedSoftware    Kind = "outdated-software"
	CategoryDeviceLimit Kind = "category-device-limit"
)

// AllKinds lists every kind in the order of DESIGN.md §4.
var AllKinds = []Kind{ExportMissing, MassDeletion, Duplicates, CategoryCollapse, CategoryLoss,
	MileageChanged, FieldLoss, Truncation, MassEdit, Revert, MultiWorkstation, ConduitSetting,
	OutdatedSoftware, CategoryDeviceLimit}

// Severity orders findings: the tray shows the worst open one.
type Severity int

// Severities, in increasing order of harm.
const (
	Info Severity = iota
	Warning
	Danger
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Danger:
		return "danger"
	}
	return "info"
}

// ParseSeverity reads "info", "warning" or "danger".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "danger":
		return Danger, nil
	}
	return Info, fmt.Errorf("unknown severity %q: use info, warning or danger", s)
}

// MarshalText writes the severity as its name in JSON and TOML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ExitCode is the exit status of `check` and `snapshot` for a worst severity (DESIGN.md §5).
func (s Severity) ExitCode() int { return int(s) }

// State is where the user is with a finding.
type State string

// States of a finding.
const (
	Open         State = "open"
	Acknowledged State = "acknowledged"
	Resolved     State = "resolved"
)

// ContactRef names a contact a finding concerns, enough for a person to recognise it and
// for the history to find its version.
type ContactRef struct {
	Name        string `json:"name"`
	Key         string `json:"key,omitempty"`         // the history's stable contact id
	Fingerprint string `json:"fingerprint,omitempty"` // the version concerned (before the change)
	Detail      string `json:"detail,omitempty"`      // e.g. "Clients; VIP -> Clients"
}

// Action is something that helps: review, restore, acknowledge, open a dialog elsewhere.
type Action struct {
	ID    string `json:"id"`    // "review", "restore", "acknowledge", "open-wizard", ...
	Label string `json:"label"` // what the button says
}

// Finding is one thing that went wrong or may go wrong.
type Finding struct {
	ID          string       `json:"id"`
	Kind        Kind         `json:"kind"`
	Severity    Severity     `json:"severity"`
	Title       string       `json:"title"`
	Explanation string       `json:"explanation"`
	Advice      string       `json:"advice"` // what to do, in a sentence or two
	Contacts    []ContactRef `json:"contacts,omitempty"`
	SnapshotID  uint64       `json:"snapshot,omitempty"`
	DeviceID    string       `json:"device,omitempty"`
	Actions     []Action     `json:"actions,omitempty"`
	State       State        `json:"state"`
	FirstSeen   time.Time    `json:"first_seen"`
	LastSeen    time.Time    `json:"last_seen"`
	// AcknowledgedBy and AcknowledgedAt say who accepted the finding as intended, and when
	// (the OS user): an accepted finding stays listed, so that a deliberate "this was
	// intended" can be told from a slip and taken back.
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	// Subject distinguishes findings of one kind that are about different things (a device
	// id, a setting, a snapshot); with Kind it makes the ID, so a finding that repeats is
	// updated rather than duplicated.
	Subject string `json:"subject,omitempty"`
}

// MakeID derives the stable id of a finding from its kind and subject.
func MakeID(kind Kind, subject string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + subject))
	return string(kind) + "-" + hex.EncodeToString(sum[:4])
}

// Normalize fills the ID and state where they are unset.
func (f *Finding) Normalize(now time.Time) {
	if f.ID == "" {
		f.ID = MakeID(f.Kind, f.Subject)
	}
	if f.State == "" {
		f.State = Open
	}
	if f.FirstSeen.IsZero() {
		f.FirstSeen = now
	}
	if f.LastSeen.IsZero() {
		f.LastSeen = now
	}
}

// Worst returns the highest severity among the open findings, and whether there was one.
func Worst(fs []Finding) (Severity, bool) {
	worst, any := Info, false
	for _, f := range fs {
		if f.State != Open {
			continue
		}
		if !any || f.Severity > worst {
			worst = f.Severity
		}
		any = true
	}
	return worst, any
}

// MarshalJSON is the default encoding; declared so that the JSON form is a documented
// contract (field names above) rather than an accident.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	return json.Marshal(plain(f))
}

// Standard actions.
var (
	ActReview      = Action{ID: "review", Label: "Review the contacts"}
	ActRestore     = Action{ID: "restore", Label: "Restore these contacts"}
	ActAcknowledge = Action{ID: "acknowledge", Label: "This was intended"}
	ActWizard      = Action{ID: "open-wizard", Label: "Check my device setup"}
)

// Plural words a count for people: "1 contact", "40 contacts". Every message SyncGuard
// shows counts something, so the rules, the app and the command line share it.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// DeviceKinds are the kinds a device setup check raises; a check resolves those of them it
// no longer sees.
var DeviceKinds = []Kind{MultiWorkstation, ConduitSetting, OutdatedSoftware, CategoryDeviceLimit}

// IsDevice reports a kind about the device setup rather than a change of the contacts.
func (k Kind) IsDevice() bool {
	for _, d := range DeviceKinds {
		if k == d {
			return true
		}
	}
	return false
}

// Harm is what a finding is about, from the worst for the user: contacts already lost
// (or damaged) in Outlook, contacts about to be lost at the next sync, and a setting
// that puts them at risk. Windows list findings in this order, because the contacts
// already lost are the ones to restore before InterAction's next sync carries the loss on.
type Harm int

// Harms, worst first.
const (
	HarmLost Harm = iota
	HarmAtRisk
	HarmSetting
)

// Harm says what kind of harm a finding of this kind describes.
func (k Kind) Harm() Harm {
	switch k {
	case MultiWorkstation, CategoryDeviceLimit, ExportMissing:
		// A shared device overwrites at its next sync; a one-category device drops
		// categories at its next sync; an export SyncGuard cannot read hides whatever the
		// next sync does.
		return HarmAtRisk
	case ConduitSetting, OutdatedSoftware:
		return HarmSetting
	}
	return HarmLost
}

// LostData reports a kind whose finding says contacts or their details are already gone
// or damaged in Outlook: accepting one as intended must be a deliberate act.
func (k Kind) LostData() bool {
	switch k {
	case MassDeletion, CategoryCollapse, CategoryLoss, MileageChanged, FieldLoss, Truncation,
		MassEdit, Revert,
		"private-changed", "user-fields": // DESIGN.md §4 kinds no rule raises yet

		return true
	}
	return false
}

// SortByHarm orders findings as the windows list them: notes (info) last; before them,
// contacts already lost, then contacts about to be lost, then settings; within each, the
// more severe first, then the one that concerns more contacts, then the newest.
func SortByHarm(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if (a.Severity == Info) != (b.Severity == Info) {
			return b.Severity == Info
		}
		if ha, hb := a.Kind.Harm(), b.Kind.Harm(); ha != hb {
			return ha < hb
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if len(a.Contacts) != len(b.Contacts) {
			return len(a.Contacts) > len(b.Contacts)
		}
		return a.LastSeen.After(b.LastSeen)
	})
}
