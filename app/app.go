// Package app is SyncGuard's headless application: it owns the history, the export
// watcher, the rules (through the history's snapshots) and the device checks; it takes a
// snapshot when the export changes, keeps the current status, decides what pops up, and
// tells subscribers (the tray UI) what happened. It knows nothing of Fyne: the UI calls it
// and listens to its events, never the other way round, so all of it is tested with
// CGO_ENABLED=0 and without a display.
package app

import (
	"context"
	"errors"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/outlook"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/settings"
	"github.com/syncguard/syncguard/internal/watch"
)

// Options configure New. Only DataDir is required.
type Options struct {
	DataDir    string
	PolicyFile string // "" = the machine-wide policy (file and, on Windows, Group Policy)
	// Policy, when set, is the policy in force and PolicyFile is not read: tests inject one
	// so that they never read the machine's.
	Policy *policy.Policy
	Watch  watch.Options
	// Detect adds places to look for paired devices; NoLiveDetect skips this workstation's
	// registry and Apple folders (tests, the demo).
	Detect       conduit.DetectOptions
	NoLiveDetect bool
	// Processes lists the running programs' names; nil is the real process list.
	Processes func() ([]string, error)
	// LookEvery is how often running sync software and partnership records are looked at
	// (15 s); CheckEvery how often the whole device check runs (1 h).
	LookEvery, CheckEvery time.Duration
	Now                   func() time.Time
	// Outlook attaches to Outlook when contacts are read from it; nil is the real one.
	Outlook outlook.Connector
	// Env reads environment variables for the catalog's %VARIABLE% paths (sync logs);
	// nil is the process's environment. Tests point it at their own folders.
	Env func(string) string
	// User names who accepts a finding (default: the OS account).
	User func() string
	// FleetFS, when set, is the file system behind a fleet folder (tests put a slow or
	// vanishing folder there); nil is the real one.
	FleetFS func(folder string) fleet.FS
	// HistoryHeldOK is for a command's own service: the history is opened when a method
	// first needs it, and when another process holds it (a tray the command cannot reach)
	// what needs no history still works while what needs it returns the reason
	// (history.ErrAlreadyRunning). The tray never sets it: it owns the history from New on.
	HistoryHeldOK bool
	// Warn, for a command's own service, makes a damaged settings.json or catalog file a
	// warning (said through it) instead of an error: a rescue must not fail on them.
	Warn func(string)
}

// Event tells subscribers that something changed: the new status, and a popup to show
// when there is one.
type Event struct {
	Status Status
	Popup  *Popup
	// Show names a window the user asked for from the tray menu (one of Windows), ""
	// for none: the window process opens it.
	Show string
}

// Service is the running application.
type Service struct {
	opt     Options
	dataDir string
	policy  *policy.Policy
	catalog *conduit.Catalog
	store   *history.Store // with HistoryHeldOK, nil until history() opens it
	// storeErr is why history() could not open it (HistoryHeldOK).
	storeErr error
	now      func() time.Time

	scanMu  sync.Mutex // one snapshot at a time
	checkMu sync.Mutex // one device check at a time
	pubMu   sync.Mutex // events in order

	mu       sync.Mutex
	settings Settings
	gate     *gate
	problem  string // why the export could not be read, "" when it could
	devices  deviceState
	watcher  *watch.Watcher
	// lastRunning is the sync software seen running at the last look; lookedOnce that
	// there was one (a sync under way at start is not an edge).
	lastRunning []string
	lookedOnce  bool
	subs        map[int]func(Event)
	nextSub     int
	stop        chan struct{}
	stopped     bool
	wg          sync.WaitGroup
}

// New opens the history in opt.DataDir (a second instance gets history.ErrAlreadyRunning),
// reads the policy, the catalog and the settings. Start begins watching.
func New(opt Options) (*Service, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.LookEvery <= 0 {
		opt.LookEvery = 15 * time.Second
	}
	if opt.CheckEvery <= 0 {
		opt.CheckEvery = time.Hour
	}
	if opt.Processes == nil {
		opt.Processes = processNames
	}
	if opt.User == nil {
		opt.User = currentUser
	}
	p := opt.Policy
	if p == nil {
		var err error
		if p, err = policy.Load(opt.PolicyFile); err != nil {
			return nil, err
		}
	}
	cat, err := conduit.Load(p.Devices.CatalogFile)
	if err != nil && opt.Warn != nil && p.Devices.CatalogFile != "" {
		// A command must still restore and list findings with a bad catalog file: it
		// says so and checks against the embedded catalog.
		opt.Warn(err.Error() + "; the built-in catalog is used")
		cat, err = conduit.Load("")
	}
	if err != nil {
		return nil, err
	}
	if err := datadir.Ensure(opt.DataDir); err != nil {
		return nil, err
	}
	var st *history.Store
	if !opt.HistoryHeldOK {
		if st, err = history.Open(opt.DataDir, history.Options{}); err != nil {
			return nil, err
		}
	}
	s := &Service{
		opt: opt, dataDir: opt.DataDir, policy: p, catalog: cat, store: st, now: opt.Now,
		gate: loadGate(filepath.Join(opt.DataDir, "popups.json")),
		subs: map[int]func(Event){}, stop: make(chan struct{}),
	}
	if s.settings, err = settings.Load(s.dataDir); err != nil {
		if opt.Warn == nil {
			s.closeStore()
			return nil, err
		}
		// A command (restore above all) must work when settings.json is damaged: it
		// says so and goes on with the defaults and the policy.
		opt.Warn(err.Error())
		s.settings = Settings{}
	}
	s.devices = loadDeviceState(opt.DataDir)
	return s, nil
}

// Policy is the admin policy in force.
func (s *Service) Policy() *policy.Policy { return s.policy }

// Catalog is the catalog of sync software.
func (s *Service) Catalog() *conduit.Catalog { return s.catalog }

// Store gives the UI the history for its windows (reading only).
func (s *Service) Store() *history.Store { return s.store }

// DataDir is the data folder.
func (s *Service) DataDir() string { return s.dataDir }

// Subscribe registers f, called after every change with the new status and any popup.
// f runs on the service's goroutines and must not block (the UI hands the event to its own
// goroutine). The returned function unsubscribes.
func (s *Service) Subscribe(f func(Event)) (unsubscribe func()) {
	s.mu.Lock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = f
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.subs, id)
		s.mu.Unlock()
	}
}

// listened reports whether anyone subscribed to the service's events.
func (s *Service) listened() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs) > 0
}

// Start watches the export, takes a first snapshot and runs the first device check; then
// it keeps doing so until Close.
func (s *Service) Start() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// The snapshot first: the device check counts categories on its contacts, and the
		// damage already done is the first thing the user should see.
		s.Scan()
		s.restartWatch()
		s.CheckDevices(context.Background())
		s.lookLoop()
	}()
}

// Close stops watching and closes the history.
func (s *Service) Close() error {
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.stop)
	}
	if s.watcher != nil {
		s.watcher.Close()
		s.watcher = nil
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.scanMu.Lock() // let a snapshot under way finish: the store closes after it
	defer s.scanMu.Unlock()
	return s.closeStore()
}

func (s *Service) closeStore() error {
	if s.store == nil {
		return nil
	}
	return s.store.Close()
}

// history is the store, opened here on first use with HistoryHeldOK, or why there is
// none.
func (s *Service) history() (*history.Store, error) {
	if s.store == nil && s.storeErr == nil && s.opt.HistoryHeldOK {
		st, err := history.Open(s.dataDir, history.Options{})
		if err != nil && !errors.Is(err, history.ErrAlreadyRunning) {
			return nil, err // perhaps passing (a full disk): tried again at the next call
		}
		s.store, s.storeErr = st, err
	}
	if s.store == nil {
		return nil, s.storeErr
	}
	return s.store, nil
}

func (s *Service) restartWatch() {
	s.mu.Lock()
	if s.watcher != nil {
		s.watcher.Close()
		s.watcher = nil
	}
	export := s.exportLocked()
	if s.sourceLocked() == policy.SourceOutlook {
		// Outlook is read on a schedule and at each sync's edges, not watched.
		export = ""
	}
	if export == "" || s.stopped {
		s.mu.Unlock()
		s.publish(nil)
		return
	}
	w, _ := watch.New(export, s.opt.Watch)
	s.watcher = w
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// The first report is the full scan at start; later ones are settled changes,
		// periodic rescans and overflows. Each reads the export: the history skips files
		// whose size and time did not change, so a rescan of an unchanged export is cheap.
		for range w.Changes() {
			s.Scan()
		}
	}()
}

// Scan takes a snapshot now when the export changed, and publishes the new status and any
// popup.
func (s *Service) Scan() { s.scan(false) }

// ScanNow reads the export even when its files look unchanged ("Check the export now").
func (s *Service) ScanNow() { s.scan(true) }

func (s *Service) scan(force bool) {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	s.mu.Lock()
	export, stopped, src := s.exportLocked(), s.stopped, s.sourceLocked()
	s.mu.Unlock()
	if stopped {
		return
	}
	if src == policy.SourceOutlook {
		s.scanOutlook()
		return
	}
	if export == "" {
		s.publish(nil)
		return
	}
	s.takeSnapshot(export, force, false, true)
}

// takeSnapshot records a snapshot of export and judges it, for the tray's scans and for
// syncguard snapshot alike (Snapshot), so that both explain removals and raise popups the
// same way. inForce: export is the location in force, whose problem the status shows.
// The caller holds scanMu.
func (s *Service) takeSnapshot(export string, force, details, inForce bool) (*SnapshotResult, error) {
	r, err := SnapshotExport(s.store, export, SnapshotOptions{Policy: s.policy, Force: force, Details: details, Now: s.now(), Maintain: true})
	problem := ""
	switch {
	case err != nil:
		problem = err.Error()
	case r.Missing:
		problem = r.Problem
	case !r.Unchanged:
		s.explainRemovals(&r.Result)
		problem = r.Maintenance // the snapshot is recorded; this says what failed after it
		// Reading and matching a whole export leaves much garbage; a tray app idles for
		// hours after it, so give the memory back now rather than when the scavenger gets
		// to it.
		debug.FreeOSMemory()
	}
	if inForce {
		s.mu.Lock()
		s.problem = problem
		s.mu.Unlock()
	}
	s.publishFresh()
	return r, err
}

// publishFresh publishes the status with a popup for findings not shown yet. Only a tray
// (or a window) shows a popup: with no one subscribed, as in a command's own service, it
// does nothing, so that the findings stay new for the tray to pop up.
func (s *Service) publishFresh() {
	if s.store == nil || !s.listened() {
		return
	}
	open, _ := s.store.Findings(false)
	s.mu.Lock()
	p := s.gate.fresh(open, s.notificationsOn(), s.now())
	s.mu.Unlock()
	if p != nil {
		s.recordShown(p)
	}
	s.publish(p)
}

func (s *Service) recordShown(p *Popup) {
	msg := p.Title
	if p.Trigger != "" {
		msg = p.Trigger + ": " + msg
	}
	s.store.AddEvent(history.Event{Time: s.now(), Kind: history.EventWarning, Message: msg})
}

// publish recomputes the status and tells every subscriber, in order.
func (s *Service) publish(p *Popup) { s.publishEvent(p, "") }

func (s *Service) publishEvent(p *Popup, show string) {
	if !s.listened() {
		return // no one to tell (a command's own service): the status is not worth reading
	}
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	st := s.Status()
	s.mu.Lock()
	subs := make([]func(Event), 0, len(s.subs))
	for i := 0; i < s.nextSub; i++ {
		if f, ok := s.subs[i]; ok {
			subs = append(subs, f)
		}
	}
	s.mu.Unlock()
	for _, f := range subs {
		f(Event{Status: st, Popup: p, Show: show})
	}
}

// Pause stops popups for d (the tray's "Pause warnings for 1 hour"); the icon shows the
// paused state until then. Pause(0) resumes.
func (s *Service) Pause(d time.Duration) {
	s.mu.Lock()
	until := time.Time{}
	if d > 0 {
		until = s.now().Add(d)
	}
	s.gate.pause(until)
	s.mu.Unlock()
	s.publish(nil)
	if d <= 0 {
		s.publishFresh()
	}
}

// lookLoop looks at running sync software and partnership records every LookEvery, and
// runs the whole device check every CheckEvery. A ticker, not a busy loop: one look reads
// the process list (a few milliseconds).
func (s *Service) lookLoop() {
	look := time.NewTicker(s.opt.LookEvery)
	defer look.Stop()
	check := time.NewTicker(s.opt.CheckEvery)
	defer check.Stop()
	// Outlook is read on the policy's schedule (when it is the source; the tick is cheap
	// otherwise: one comparison).
	readOutlook := time.NewTicker(s.policy.Export.OutlookEvery.Duration)
	defer readOutlook.Stop()
	var resume <-chan time.Time
	for {
		// When warnings are paused, wake up when the pause ends, so the icon comes back.
		s.mu.Lock()
		until := s.gate.pausedUntil
		s.mu.Unlock()
		if d := until.Sub(s.now()); d > 0 {
			resume = time.After(d)
		} else {
			resume = nil
		}
		select {
		case <-s.stop:
			return
		case <-look.C:
			s.Look()
		case <-check.C:
			s.CheckDevices(context.Background())
		case <-readOutlook.C:
			if s.Source() == policy.SourceOutlook {
				s.Scan()
			}
		case <-resume:
			s.publishFresh()
		}
	}
}

// Look checks once whether sync software started or a partnership record changed, and
// warns before the sync when a device check fails. The tray calls it every LookEvery;
// tests call it directly.
func (s *Service) Look() {
	names, _ := s.opt.Processes()
	running := s.syncPrograms(names)
	changed := ""
	declared := s.declaredChanged() // before partnershipsChanged marks the first look done
	partnership := s.partnershipsChanged()
	if logs := s.syncLogsChanged(); len(logs) > 0 {
		partnership = true
		changed = strings.Join(logs, ", ") + " wrote its sync log (a sync is running)"
	}
	s.syncEdge(running, partnership)
	if partnership {
		if changed == "" {
			changed = "a device partnership record changed"
		}
		s.CheckDevices(context.Background()) // judge the new partnership before warning
	} else if declared {
		s.CheckDevices(context.Background())
	}
	open, _ := s.store.Findings(false)
	s.mu.Lock()
	p := s.gate.beforeSync(running, changed, open, s.notificationsOn(), s.now())
	s.mu.Unlock()
	if p != nil {
		s.recordShown(p)
		s.publish(p)
	}
}
