package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/workstation"
)

// State is what the tray icon shows.
type State string

// States, from the icon's point of view.
const (
	StateSetup     State = "setup"     // no export location yet
	StateOK        State = "ok"        // nothing open above info
	StateAttention State = "attention" // an open warning
	StateDanger    State = "danger"    // an open danger
	// StateError: the history cannot be read, so the findings and the last snapshot are
	// unknown; never shown as "All good". Its icon is the danger one (see Status.Icon):
	// while the history is unreadable, nothing a sync does is being watched.
	StateError State = "error"
)

// Counts are the numbers the status window shows.
type Counts struct {
	Danger, Warning, Info int // open findings by severity
	Contacts              int // in the last snapshot
	Devices               int
}

// Status is the application's state in a form the UI shows as it is.
type Status struct {
	State    State
	Sentence string // the state in one sentence
	Line     string // the state in a few words, for the tray menu
	// Icon names the tray icon (assets.TrayIcon): the state, with "-paused" while warnings
	// are paused: pausing silences popups, it does not make a danger safe.
	Icon  string
	Worst *findings.Finding // the first open finding (see Open), nil when none
	// Open is the open findings in the order the windows list them: the harm they
	// describe, contacts already lost first (findings.SortByHarm).
	Open []findings.Finding
	// Accepted is the findings accepted as intended, the latest first (at most 20): they
	// stay listed, with who accepted them and when, and can be reopened.
	Accepted []findings.Finding
	Counts   Counts

	Export       string
	ExportLocked bool
	Source       string // policy.SourceFiles or policy.SourceOutlook
	WatchMode    string // "change events" or "polling every 30s: why"
	Problem      string // why the export could not be read at the last look
	// HistoryError: the history itself could not be read (a damaged file, a read that
	// failed); the findings and the last snapshot above are then unknown, not absent, and
	// State is StateError. HistoryDamaged: the file is damaged (history.ErrDamaged).
	HistoryError   string
	HistoryDamaged bool
	LastSnapshot   *history.Snapshot

	Devices         []conduit.Device
	DeviceErrors    []string
	DevicesChecked  time.Time // zero before the first check
	Fleet           FleetState
	FleetAge        string // how old the fleet view is, in words
	Workstation     string
	InteractionSync workstation.Sync

	PausedUntil time.Time // zero unless warnings are paused
	// NeedsSetup: nothing is set up (no export and no device): the wizard opens by itself.
	NeedsSetup bool
}

// Status is the current status, computed from the history and the last device check.
func (s *Service) Status() Status {
	all, ferr := s.store.Findings(true)
	var open []findings.Finding
	for _, f := range all {
		if f.State == findings.Open {
			open = append(open, f)
		}
	}
	// The worst harm first: contacts already lost, then about to be lost, then settings.
	findings.SortByHarm(open)
	last, lerr := s.store.Latest()
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{
		Export: s.exportLocked(), ExportLocked: s.policy.IsLocked("export.location"), Source: s.sourceLocked(),
		Problem: s.problem, LastSnapshot: last, Open: open, Accepted: accepted(all, 20),
		Devices: s.devices.devices, DeviceErrors: s.devices.errors, DevicesChecked: s.devices.checkedAt,
		Fleet: s.devices.fleet, FleetAge: s.devices.fleet.Age(now),
		Workstation: s.devices.wsID, InteractionSync: s.devices.sync,
	}
	if err := errors.Join(ferr, lerr); err != nil {
		// Findings that could not be read must not look like none.
		st.HistoryError = err.Error()
		st.HistoryDamaged = errors.Is(err, history.ErrDamaged)
	}
	if s.watcher != nil {
		st.WatchMode = s.watcher.Mode()
	}
	if s.gate.paused(now) {
		st.PausedUntil = s.gate.pausedUntil
	}
	for _, f := range open {
		switch f.Severity {
		case findings.Danger:
			st.Counts.Danger++
		case findings.Warning:
			st.Counts.Warning++
		default:
			st.Counts.Info++
		}
	}
	if len(open) > 0 {
		st.Worst = &open[0]
	}
	if last != nil {
		st.Counts.Contacts = last.Contacts
	}
	st.Counts.Devices = len(st.Devices)
	st.NeedsSetup = st.Export == "" && st.Source != policy.SourceOutlook && len(st.Devices) == 0
	st.State, st.Sentence = judge(st, now)
	st.Line = trayLine(st)
	st.Icon = string(st.State)
	if st.State == StateError {
		st.Icon = string(StateDanger)
	}
	if !st.PausedUntil.IsZero() {
		st.Icon += "-paused"
		until := st.PausedUntil.Local().Format("15:04")
		st.Line = pausedLine(st) + " · warnings paused until " + until
		st.Sentence += " Warnings are paused until " + until + ": nothing pops up until then, but the icon and this window still show every problem."
	}
	return st
}

// pausedLine is the state's part of the tray line while paused: short, since the pause
// is said after it ("Danger: 40 contacts deleted · warnings paused until 10:04").
func pausedLine(st Status) string {
	if st.Worst == nil || st.State == StateOK || st.State == StateSetup || st.State == StateError {
		return trayLine(st)
	}
	word := "Danger: "
	if st.State == StateAttention {
		word = "Needs attention: "
	}
	line := word + Summary(*st.Worst)
	if n := st.Counts.Danger + st.Counts.Warning - 1; n > 0 {
		line += fmt.Sprintf(" (and %d more)", n)
	}
	return line
}

// Summary says what a finding is about in a few words, for a one-line tray menu item.
func Summary(f findings.Finding) string {
	n := len(f.Contacts)
	c := func(one, many string) string { return findings.Plural(n, one, many) }
	if n > 0 {
		switch f.Kind {
		case findings.MassDeletion:
			return c("contact", "contacts") + " deleted"
		case findings.CategoryCollapse, findings.CategoryLoss:
			return c("contact", "contacts") + " lost categories"
		case findings.MileageChanged:
			return "Mileage changed on " + c("contact", "contacts")
		case findings.FieldLoss:
			return c("contact", "contacts") + " lost details"
		case findings.Truncation:
			return c("contact", "contacts") + " cut short"
		case findings.MassEdit:
			return c("contact", "contacts") + " rewritten"
		case findings.Revert:
			return c("contact", "contacts") + " reverted to older versions"
		case findings.Duplicates:
			return c("contact", "contacts") + " added twice"
		}
	}
	switch f.Kind {
	case findings.ExportMissing:
		return "the Outlook export cannot be read"
	case findings.MultiWorkstation:
		return "a device is synced with two workstations"
	case findings.ConduitSetting:
		return "a risky sync setting"
	case findings.OutdatedSoftware:
		return "outdated sync software"
	case findings.CategoryDeviceLimit:
		return "a device keeps one category per contact"
	}
	return f.Title
}

// trayLine says the state in a few words: a tray menu item is one line that panels do
// not wrap, so the full sentence would be cut off.
func trayLine(st Status) string {
	c := st.Counts
	switch st.State {
	case StateDanger:
		return "Danger: " + findings.Plural(c.Danger+c.Warning, "problem needs", "problems need") + " you — open SyncGuard"
	case StateError:
		return "SyncGuard cannot read its history — open SyncGuard"
	case StateAttention:
		if st.LastSnapshot == nil && c.Warning == 0 {
			return "The Outlook export cannot be read"
		}
		return "Needs attention: " + findings.Plural(c.Warning, "warning", "warnings")
	case StateSetup:
		return "Not set up yet"
	}
	if st.LastSnapshot == nil {
		return "Waiting for the Outlook export"
	}
	return "All good: " + findings.Plural(st.LastSnapshot.Contacts, "contact", "contacts") + " watched"
}

// judge turns a status into the icon's state and one sentence a lawyer understands.
func judge(st Status, now time.Time) (State, string) {
	// The icon's colour is the most severe open finding; the words are about the first
	// (the worst harm), which is not always the most severe.
	worst, _ := findings.Worst(st.Open)
	more := ""
	if n := st.Counts.Danger + st.Counts.Warning - 1; n > 0 {
		more = fmt.Sprintf(" (and %s)", findings.Plural(n, "more problem", "more problems"))
	}
	switch {
	case st.HistoryDamaged:
		return StateError, "SyncGuard cannot read its history of your contacts: the file is damaged, so changes are not being recorded. Ask your IT support to repair it; what can still be read will be saved."
	case st.HistoryError != "":
		return StateError, "SyncGuard cannot read its history of your contacts (" + strings.TrimRight(st.HistoryError, ". ") +
			"), so it cannot tell whether anything needs your attention, and changes may not be recorded. Restart SyncGuard; if this stays, ask your IT support."
	case st.Worst != nil && worst == findings.Danger:
		return StateDanger, fmt.Sprintf("Danger: %s%s. Do not sync your device until you have looked at it.", st.Worst.Title, more)
	case st.Worst != nil && worst == findings.Warning:
		return StateAttention, fmt.Sprintf("Needs your attention: %s%s.", st.Worst.Title, more)
	case st.Source == policy.SourceOutlook && st.LastSnapshot == nil && st.Problem != "":
		return StateAttention, "SyncGuard cannot read Outlook yet. " + st.Problem
	case st.Source == policy.SourceOutlook && st.LastSnapshot == nil:
		return StateOK, "Waiting for the first read of Outlook's contacts."
	case st.Source == policy.SourceOutlook && st.Problem != "":
		// Outlook closed is ordinary; the snapshot taken before it stands, and says when.
		return StateOK, fmt.Sprintf("All good: %s watched. %s",
			findings.Plural(st.LastSnapshot.Contacts, "contact", "contacts"), st.Problem)
	case st.Export == "" && st.Source != policy.SourceOutlook:
		return StateSetup, "SyncGuard is not set up yet: run \"Check my device setup\" to choose your Outlook export."
	case st.LastSnapshot == nil && st.Problem != "":
		return StateAttention, "The Outlook export cannot be read yet: " + st.Problem
	case st.LastSnapshot == nil:
		return StateOK, "Waiting for the first readable Outlook export."
	}
	return StateOK, fmt.Sprintf("All good: %s watched, last change recorded %s.",
		findings.Plural(st.LastSnapshot.Contacts, "contact", "contacts"), st.LastSnapshot.Time.Local().Format("Jan 2 15:04"))
}
