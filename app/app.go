// Package app is SyncGuard's headless application: it owns the history, watches the
// export, takes snapshots when it changes, keeps the current status and tells subscribers
// (the tray UI) what happened. It knows nothing of Fyne: the UI calls it and listens to
// its events, never the other way round, so all of it is tested without a display.
package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/watch"
)

// State is what the tray icon shows.
type State string

// States, from the icon's point of view.
const (
	StateSetup     State = "setup"     // no export location yet
	StateOK        State = "ok"        // nothing open above info
	StateAttention State = "attention" // an open warning
	StateDanger    State = "danger"    // an open danger
	StatePaused    State = "paused"    // warnings paused by the user
)

// Status is the application's state in a form the UI shows as it is.
type Status struct {
	State        State
	Sentence     string // the state in one sentence
	Export       string
	LastSnapshot *history.Snapshot
	Open         []findings.Finding
	PausedUntil  time.Time
	Problem      string // the last export problem, if the export could not be read
}

// Event tells subscribers that something changed.
type Event struct {
	Status Status
	// Popup lists findings the user should see now: new, open, above info, not shown
	// before, and warnings not paused.
	Popup []findings.Finding
}

// Settings are the user's own choices, kept in settings.json in the data folder. What the
// admin policy sets wins over them.
type Settings struct {
	Export        string `json:"export_location"`
	Notifications *bool  `json:"notifications,omitempty"`
}

// Service is the running application.
type Service struct {
	dataDir string
	policy  *policy.Policy
	store   *history.Store

	mu       sync.Mutex
	settings Settings
	status   Status
	shown    map[string]bool // finding ids already popped up
	subs     []func(Event)
	watcher  *watch.Watcher
	stop     chan struct{}
	now      func() time.Time
}

// New opens the history in dataDir (refusing a second instance) and reads the policy and
// settings.
func New(dataDir, policyFile string) (*Service, error) {
	p, err := policy.Load(policyFile)
	if err != nil {
		return nil, err
	}
	if err := datadir.Ensure(dataDir); err != nil {
		return nil, err
	}
	st, err := history.Open(dataDir, history.Options{})
	if err != nil {
		return nil, err
	}
	s := &Service{dataDir: dataDir, policy: p, store: st, shown: map[string]bool{}, stop: make(chan struct{}), now: time.Now}
	if err := s.loadSettings(); err != nil {
		st.Close()
		return nil, err
	}
	// Findings open at start were shown in an earlier session or are in the status window:
	// only new ones pop up.
	open, _ := st.Findings(false)
	for _, f := range open {
		s.shown[f.ID] = true
	}
	s.refresh("")
	return s, nil
}

func (s *Service) settingsPath() string { return filepath.Join(s.dataDir, "settings.json") }

func (s *Service) loadSettings() error {
	data, err := os.ReadFile(s.settingsPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: cannot read the settings: %v", s.settingsPath(), err)
	}
	if err := json.Unmarshal(data, &s.settings); err != nil {
		return fmt.Errorf("%s: the settings are damaged (%v); fix or delete the file", s.settingsPath(), err)
	}
	return nil
}

// Export is the export location in force: the policy's, else the user's.
func (s *Service) Export() string {
	if s.policy.Export.Location != "" {
		return s.policy.Export.Location
	}
	return s.settings.Export
}

// ExportLocked reports whether the admin policy sets the export location.
func (s *Service) ExportLocked() bool { return s.policy.IsLocked("export.location") }

// SetExport changes the export location (when the policy does not lock it), saves it and
// takes a snapshot of the new location.
func (s *Service) SetExport(path string) error {
	if s.ExportLocked() {
		return fmt.Errorf("the export location is set by your IT department's policy (%s)", s.policy.File)
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	s.mu.Lock()
	s.settings.Export = path
	data, _ := json.MarshalIndent(s.settings, "", "  ")
	s.mu.Unlock()
	if err := datadir.WriteFileAtomic(s.settingsPath(), data, 0o600); err != nil {
		return err
	}
	s.restartWatch()
	s.Scan()
	return nil
}

// Subscribe registers a function called (on the service's goroutine) after every change.
func (s *Service) Subscribe(f func(Event)) {
	s.mu.Lock()
	s.subs = append(s.subs, f)
	s.mu.Unlock()
}

// Status is the current status.
func (s *Service) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Start watches the export and snapshots it on every change until Close.
func (s *Service) Start() {
	s.restartWatch()
	go s.Scan()
}

func (s *Service) restartWatch() {
	s.mu.Lock()
	if s.watcher != nil {
		s.watcher.Close()
		s.watcher = nil
	}
	export := s.Export()
	s.mu.Unlock()
	if export == "" {
		return
	}
	w, err := watch.New(export, watch.Options{})
	if err != nil {
		s.refresh(err.Error())
		return
	}
	s.mu.Lock()
	s.watcher = w
	s.mu.Unlock()
	go func() {
		for range w.Changes() {
			s.Scan()
		}
	}()
}

// Scan takes a snapshot now (when the export changed) and publishes the new status.
func (s *Service) Scan() {
	export := s.Export()
	if export == "" {
		s.refresh("")
		return
	}
	r, err := s.store.SnapshotExport(export, history.SnapshotOptions{Policy: s.policy})
	problem := ""
	switch {
	case err != nil:
		problem = err.Error()
	case r.Missing:
		problem = r.Problem
	case !r.Unchanged:
		s.store.Maintain(s.policy.Retention, s.now())
		// Reading and matching a whole export leaves much garbage; a tray app idles for
		// hours after it, so give the memory back now rather than when the scavenger gets
		// to it.
		debug.FreeOSMemory()
	}
	s.refresh(problem)
}

// Acknowledge marks a finding as intended.
func (s *Service) Acknowledge(id string) error {
	if _, err := s.store.SetFindingState(id, findings.Acknowledged, s.now()); err != nil {
		return err
	}
	s.refresh(s.Status().Problem)
	return nil
}

// Pause stops popups for d; the icon shows the paused state.
func (s *Service) Pause(d time.Duration) {
	s.mu.Lock()
	s.status.PausedUntil = s.now().Add(d)
	s.mu.Unlock()
	s.refresh(s.Status().Problem)
}

// Store gives the UI the history for its windows (reading only).
func (s *Service) Store() *history.Store { return s.store }

// refresh recomputes the status from the history and tells subscribers.
func (s *Service) refresh(problem string) {
	open, _ := s.store.Findings(false)
	last, _ := s.store.Latest()
	s.mu.Lock()
	st := Status{Export: s.Export(), LastSnapshot: last, Open: open, PausedUntil: s.status.PausedUntil, Problem: problem}
	paused := s.now().Before(st.PausedUntil)
	worst, any := findings.Worst(open)
	switch {
	case st.Export == "":
		st.State, st.Sentence = StateSetup, "SyncGuard is not set up yet: choose where your Outlook export is."
	case paused:
		st.State, st.Sentence = StatePaused, fmt.Sprintf("Warnings are paused until %s.", st.PausedUntil.Format("15:04"))
	case any && worst == findings.Danger:
		st.State, st.Sentence = StateDanger, fmt.Sprintf("Danger: %s. Do not sync your device until you have looked at it.", open[0].Title)
	case any && worst == findings.Warning:
		st.State, st.Sentence = StateAttention, fmt.Sprintf("Needs your attention: %s.", open[0].Title)
	case last == nil:
		st.State, st.Sentence = StateOK, "Waiting for the first readable export."
	default:
		st.State, st.Sentence = StateOK, fmt.Sprintf("All good: %d contacts watched, last change recorded %s.", last.Contacts, last.Time.Local().Format("Jan 2 15:04"))
	}
	var popup []findings.Finding
	for _, f := range open {
		if f.Severity > findings.Info && !s.shown[f.ID] && !paused && s.notificationsOn() {
			popup = append(popup, f)
			s.shown[f.ID] = true
		}
	}
	s.status = st
	subs := append([]func(Event){}, s.subs...)
	s.mu.Unlock()
	for _, f := range subs {
		f(Event{Status: st, Popup: popup})
	}
}

func (s *Service) notificationsOn() bool {
	if s.policy.IsLocked("notifications.enabled") || s.settings.Notifications == nil {
		return s.policy.Notifications.Enabled
	}
	return *s.settings.Notifications
}

// Close stops watching and closes the history.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.watcher != nil {
		s.watcher.Close()
	}
	s.mu.Unlock()
	return s.store.Close()
}

// RestoreFinding writes the contacts a finding concerns, as they were before the change
// that raised it, to an Outlook CSV at path, and returns how many it wrote.
func (s *Service) RestoreFinding(id, path string) (int, error) {
	all, err := s.store.Findings(true)
	if err != nil {
		return 0, err
	}
	var f *findings.Finding
	for i := range all {
		if all[i].ID == id {
			f = &all[i]
		}
	}
	if f == nil {
		return 0, fmt.Errorf("no finding %s", id)
	}
	list, err := s.store.Snapshots()
	if err != nil {
		return 0, err
	}
	var before uint64
	for _, sn := range list {
		if sn.ID < f.SnapshotID {
			before = sn.ID
		}
	}
	if before == 0 {
		return 0, fmt.Errorf("the snapshot before this change is no longer kept; restore a point in time from the history instead")
	}
	var keys []string
	for _, c := range f.Contacts {
		keys = append(keys, c.Key)
	}
	cs, err := s.store.ForRestore(before, history.SelectAll, keys)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, cs); err != nil {
		return 0, err
	}
	if err := datadir.WriteFileAtomic(path, buf.Bytes(), 0o600); err != nil {
		return 0, err
	}
	s.store.AddEvent(history.Event{Kind: history.EventRestore, Snapshot: before,
		Message: fmt.Sprintf("%d contacts of %q restored to %s", len(cs), f.Title, path)})
	return len(cs), nil
}
