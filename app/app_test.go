package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/testkit/books"
	"github.com/syncguard/syncguard/internal/watch"
)

// The export writer the tests of the service and the windows share (atomic writes).
var (
	writeExport = books.WriteExport
	writeBook   = books.WriteBook
)

// recorder keeps every event a subscriber got.
type recorder struct {
	mu     sync.Mutex
	events []Event
	ch     chan Event
}

func record(s *Service) *recorder {
	r := &recorder{ch: make(chan Event, 256)}
	s.Subscribe(func(e Event) {
		r.mu.Lock()
		r.events = append(r.events, e)
		r.mu.Unlock()
		select {
		case r.ch <- e:
		default:
		}
	})
	return r
}

func (r *recorder) last() Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return Event{}
	}
	return r.events[len(r.events)-1]
}

// popups returns the popups received since event i.
func (r *recorder) popupsSince(i int) []*Popup {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*Popup
	for _, e := range r.events[i:] {
		if e.Popup != nil {
			out = append(out, e.Popup)
		}
	}
	return out
}

func (r *recorder) n() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// waitFor reads events until ok; the bound is against a hang, not a timing target.
func (r *recorder) waitFor(t *testing.T, what string, ok func(Event) bool) Event {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case e := <-r.ch:
			if ok(e) {
				return e
			}
		case <-deadline:
			t.Fatalf("%s: never happened; last status %+v", what, r.last().Status.Sentence)
		}
	}
}

func newService(t *testing.T, dir string, opt Options) *Service {
	t.Helper()
	opt.DataDir = filepath.Join(dir, "data")
	opt.NoLiveDetect = true
	if opt.PolicyFile == "" && opt.Policy == nil {
		opt.Policy = policy.Default() // never this machine's policy
	}
	if opt.Processes == nil {
		opt.Processes = func() ([]string, error) { return nil, nil }
	}
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestServiceFromSetupToDangerAndBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	if _, err := New(Options{DataDir: filepath.Join(dir, "data"), PolicyFile: filepath.Join(dir, "none.toml")}); err == nil {
		t.Fatal("a policy file that does not exist must be an error")
	}
	s := newService(t, dir, Options{})
	defer s.Close()
	rec := record(s)
	if st := s.Status(); st.State != StateSetup || !st.NeedsSetup {
		t.Fatalf("before set-up: %s, needs setup %v", st.State, st.NeedsSetup)
	}
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.State != StateOK || st.Counts.Contacts != 300 || !strings.HasPrefix(st.Sentence, "All good") {
		t.Fatalf("after set-up: %s %q", st.State, st.Sentence)
	}

	// A device sync deletes 40 contacts: the icon turns to danger, one popup says so.
	writeExport(t, export, 260)
	mark := rec.n()
	s.Scan()
	e := rec.last()
	pops := rec.popupsSince(mark)
	if e.Status.State != StateDanger || e.Status.Worst == nil || e.Status.Worst.Kind != findings.MassDeletion {
		t.Fatalf("after the deletion: %s %q", e.Status.State, e.Status.Sentence)
	}
	if len(pops) != 1 || pops[0].Reason != AfterChange || pops[0].Findings[0].Kind != findings.MassDeletion {
		t.Fatalf("popups: %+v", pops)
	}
	id := pops[0].Findings[0].ID

	// Restore the deleted contacts from the finding: exactly the 40, as they were.
	restored := filepath.Join(dir, "restore.csv")
	if n, err := s.RestoreFinding(id, restored, FormatFor(restored)); err != nil || n != 40 {
		t.Fatalf("restore: %d, %v", n, err)
	}
	if cs, errs, _ := exports.ReadFile(restored); len(cs) != 40 || len(errs) != 0 {
		t.Errorf("restore file: %d contacts, %v", len(cs), errs)
	}

	// The same finding never pops up twice, not even after a restart.
	mark = rec.n()
	s.ScanNow()
	if p := rec.popupsSince(mark); len(p) != 0 {
		t.Errorf("popped up again: %+v", p[0].Title)
	}

	// Acknowledged: the icon goes back to all good.
	if _, err := s.Acknowledge(id); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.State != StateOK {
		t.Errorf("after acknowledging: %s %q", st.State, st.Sentence)
	}

	// Paused: a new finding does not pop up, and the icon keeps the danger with a pause
	// mark; when warnings resume, the finding that is still open pops up.
	s.Pause(time.Hour)
	writeExport(t, export, 200)
	mark = rec.n()
	s.Scan()
	if st := s.Status(); st.State != StateDanger || st.Icon != "danger-paused" {
		t.Errorf("paused over a danger: %s, icon %s", st.State, st.Icon)
	}
	if p := rec.popupsSince(mark); len(p) != 0 {
		t.Errorf("a popup while paused: %s", p[0].Title)
	}
	mark = rec.n()
	s.Pause(0)
	if p := rec.popupsSince(mark); len(p) != 1 || p[0].Findings[0].Kind != findings.MassDeletion {
		t.Errorf("after the pause: %+v", p)
	}

	// Settings survive a restart; a second instance is refused meanwhile.
	if _, err := New(Options{DataDir: filepath.Join(dir, "data"), Policy: policy.Default()}); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("a second instance must be refused: %v", err)
	}
	s.Close()
	s2 := newService(t, dir, Options{})
	defer s2.Close()
	rec2 := record(s2)
	if s2.Export() != export {
		t.Errorf("export after restart: %q", s2.Export())
	}
	s2.ScanNow()
	if p := rec2.popupsSince(0); len(p) != 0 {
		t.Errorf("a finding shown before the restart popped up again: %s", p[0].Title)
	}
}

func TestTheWatcherTakesASnapshotWhenTheExportChanges(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	s := newService(t, dir, Options{Watch: watch.Options{Debounce: 20 * time.Millisecond, Settle: 20 * time.Millisecond}})
	defer s.Close()
	rec := record(s)
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	s.Start()
	rec.waitFor(t, "the first snapshot", func(e Event) bool { return e.Status.LastSnapshot != nil })
	// A device sync rewrites the export with 40 contacts fewer.
	writeExport(t, export, 260)
	e := rec.waitFor(t, "the deletion seen", func(e Event) bool { return e.Popup != nil })
	if e.Status.State != StateDanger || e.Status.Counts.Contacts != 260 {
		t.Errorf("after the watcher: %s, %d contacts", e.Status.State, e.Status.Counts.Contacts)
	}
}

// declareRisky declares a Palm with HotSync set to "Handheld overwrites Desktop".
func declareRisky(t *testing.T, s *Service, export string) {
	t.Helper()
	err := s.Apply(context.Background(), Answers{
		Device: conduit.Device{ID: "palm-1", Name: "Anna's Treo", Software: "hotsync", Version: "6.0",
			Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}},
		Others: "no", Export: export,
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAWarningBeforeASyncActuallyStartingWhileACheckFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 50)
	var mu sync.Mutex
	running := []string{"bash", "outlook.exe"}
	profile := filepath.Join(dir, "profile")
	hotsyncLog := filepath.Join(profile, "Documents", "Palm OS Desktop", "Anna", "HotSync.log")
	if err := os.MkdirAll(filepath.Dir(hotsyncLog), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(hotsyncLog, []byte("HotSync started\n"), 0o600)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(hotsyncLog, old, old)
	s := newService(t, dir, Options{Processes: func() ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		return append([]string{}, running...), nil
	}, Env: func(k string) string {
		if k == "USERPROFILE" {
			return profile
		}
		return ""
	}})
	defer s.Close()
	rec := record(s)
	mark0 := rec.n()
	declareRisky(t, s, export)
	if p := rec.popupsSince(mark0); len(p) != 0 {
		t.Errorf("the wizard's own findings popped up over it: %s", p[0].Title)
	}
	st := s.Status()
	if st.Counts.Devices != 1 || st.State != StateDanger {
		t.Fatalf("after declaring the device: %d devices, %s %q", st.Counts.Devices, st.State, st.Sentence)
	}
	s.Look() // the baseline: HotSync is not running
	setRunning := func(names ...string) {
		mu.Lock()
		running = names
		mu.Unlock()
	}
	// HotSync Manager sits in the tray all day: its process starting is no sync.
	setRunning("bash", "HOTSYNC.EXE")
	mark := rec.n()
	s.Look()
	if p := rec.popupsSince(mark); len(p) != 0 {
		t.Fatalf("HotSync Manager starting (it runs all day) warned of a sync: %q (%s)", p[0].Title, p[0].Trigger)
	}
	// Its log being written is a HotSync running.
	os.WriteFile(hotsyncLog, []byte("HotSync started\nContacts: synchronizing\n"), 0o600)
	os.Chtimes(hotsyncLog, time.Now(), time.Now())
	mark = rec.n()
	s.Look()
	p := rec.popupsSince(mark)
	if len(p) != 1 || p[0].Reason != BeforeSync || !strings.Contains(p[0].Trigger, "HotSync") {
		var got []string
		for _, x := range p {
			got = append(got, fmt.Sprintf("%v %q (%s)", x.Reason, x.Title, x.Trigger))
		}
		t.Fatalf("HotSync's log written: %d popups, want one: %s", len(p), strings.Join(got, "; "))
	}
	if !strings.Contains(p[0].Message, "Cancel the sync") {
		t.Errorf("the warning does not say what to do: %s", p[0].Message)
	}
	// A program that starts only to sync (Windows Mobile Device Center) warns when it
	// starts, once per run.
	setRunning("bash", "HOTSYNC.EXE", "wmdc.exe")
	mark = rec.n()
	s.Look()
	if p := rec.popupsSince(mark); len(p) != 1 || !strings.Contains(p[0].Trigger, "wmdc.exe") {
		t.Fatalf("WMDC started: %d popups", len(p))
	}
	mark = rec.n()
	s.Look()
	if len(rec.popupsSince(mark)) != 0 {
		t.Error("warned twice for one run of WMDC")
	}
	// The next run warns again: every sync with a failing setup is risky.
	setRunning("bash")
	s.Look()
	setRunning("wmdc.exe")
	mark = rec.n()
	s.Look()
	if len(rec.popupsSince(mark)) != 1 {
		t.Error("the next run of WMDC was not warned about")
	}
	// Paused: no warning.
	s.Pause(time.Hour)
	setRunning()
	s.Look()
	setRunning("wmdc.exe")
	mark = rec.n()
	s.Look()
	if len(rec.popupsSince(mark)) != 0 {
		t.Error("warned while paused")
	}
	s.Pause(0)
	// Acknowledged: the user said the setup is intended, so starting HotSync is quiet.
	for _, f := range s.Status().Open {
		if f.Kind.IsDevice() {
			s.Acknowledge(f.ID)
		}
	}
	setRunning()
	s.Look()
	setRunning("wmdc.exe")
	mark = rec.n()
	s.Look()
	if p := rec.popupsSince(mark); len(p) != 0 {
		t.Errorf("warned about acknowledged findings: %s", p[0].Title)
	}
}

func TestAChangedPartnershipRecordWarnsWhileACheckFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 50)
	reg := filepath.Join(dir, "partners.reg")
	partner := func(ids ...string) {
		s := "Windows Registry Editor Version 5.00\r\n"
		for i, id := range ids {
			s += "\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows CE Services\\Partners\\" + id + "]\r\n\"DisplayName\"=\"Phone " + id + "\"\r\n\"PId\"=dword:0000000" + string(rune('1'+i)) + "\r\n"
		}
		os.WriteFile(reg, []byte(s), 0o600)
	}
	partner("P1")
	s := newService(t, dir, Options{Detect: conduit.DetectOptions{RegFiles: []string{reg}}})
	defer s.Close()
	rec := record(s)
	declareRisky(t, s, export)
	s.Look() // baseline
	mark := rec.n()
	s.Look()
	if len(rec.popupsSince(mark)) != 0 {
		t.Fatal("no change, yet a warning")
	}
	partner("P1", "P2")
	mark = rec.n()
	s.Look()
	p := rec.popupsSince(mark)
	var before *Popup
	for _, x := range p {
		if x.Reason == BeforeSync {
			before = x
		}
	}
	if before == nil || !strings.Contains(before.Trigger, "partnership") {
		t.Fatalf("a new partnership while HotSync's setting fails: %+v", p)
	}
	if n := s.Status().Counts.Devices; n != 3 {
		t.Errorf("devices after the new partnership: %d", n)
	}
}

func TestTheWizardEndsInAChecklistAndSavesTheDevice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 120) // the generated book gives many contacts several categories
	s := newService(t, dir, Options{})
	defer s.Close()
	if n, _, err := s.ExportPreview(export); err != nil || n != 120 {
		t.Fatalf("preview: %d %v", n, err)
	}
	yes := true
	a := Answers{
		Device: conduit.Device{Name: "Anna's Treo", Software: "hotsync", Version: "6.0",
			Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}},
		Others: "yes", OthersInterAction: true, ThisInterAction: &yes, Export: export,
	}
	c := s.Evaluate(a)
	got := map[string]Result{}
	for _, it := range c.Items {
		got[it.Check] = it.Result
		if it.Result != Pass && it.Fix == "" {
			t.Errorf("%s: %s without a fix", it.Check, it.Result)
		}
	}
	want := map[string]Result{
		"Sync software": Pass, "Other workstations": Fail, "Categories": Warn, "Outlook export": Pass,
		"InterAction on this workstation":                        Pass,
		"HotSync Action for the Contacts (Address Book) conduit": Fail,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if c.Worst() != Fail {
		t.Errorf("worst: %s", c.Worst())
	}
	text := c.Text()
	for _, w := range []string{"Anna's Treo", "[FAIL] Other workstations", "How to fix", "120 contacts found"} {
		if !strings.Contains(text, w) {
			t.Errorf("the report lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "()") || strings.Contains(text, "software  ") {
		t.Errorf("the report's device line has an empty part:\n%s", text)
	}
	// A safe setup passes.
	a.Device.Settings["contacts-action"] = "synchronize"
	a.Others = "no"
	if c := s.Evaluate(a); got2(c, "HotSync Action for the Contacts (Address Book) conduit") != Pass || got2(c, "Other workstations") != Pass {
		t.Errorf("a safe setup: %+v", c.Items)
	}
	// Apply saves the device where `syncguard device list` finds it, and the tray checks it.
	a.Device.Settings["contacts-action"] = "handheld-overwrites-desktop"
	if err := s.Apply(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	devs, _ := conduit.OpenStore(s.DataDir()).List()
	if len(devs) != 1 || devs[0].Name != "Anna's Treo" || devs[0].Settings["contacts-action"] != "handheld-overwrites-desktop" {
		t.Fatalf("devices.json: %+v", devs)
	}
	st := s.Status()
	kinds := map[findings.Kind]bool{}
	for _, f := range st.Open {
		kinds[f.Kind] = true
	}
	if !kinds[findings.ConduitSetting] || st.Export != export {
		t.Errorf("after Apply: kinds %v, export %q", kinds, st.Export)
	}
}

func got2(c Checklist, check string) Result {
	for _, it := range c.Items {
		if it.Check == check {
			return it.Result
		}
	}
	return ""
}

func TestAPhonePairedWithAnotherInterActionWorkstationIsADanger(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	folder := filepath.Join(dir, "fleet")
	os.MkdirAll(folder, 0o700)
	other := fleet.File{Schema: fleet.Schema, UpdatedAt: time.Now(),
		Workstation: fleet.Workstation{ID: "ws-bob", Hostname: "bob-pc", User: "bob", InteractionSync: true, AppVersion: "dev"},
		Devices:     []fleet.Device{{ID: "00008101-001A2B3C4D5E6F70", Name: "Anna's iPhone", Model: "iPhone14,2", Software: "itunes"}}}
	data, _ := other.Marshal()
	os.WriteFile(filepath.Join(folder, "ws-bob.json"), data, 0o600)
	s := newService(t, dir, Options{})
	defer s.Close()
	if err := s.SetFleetFolder(folder); err != nil {
		t.Fatal(err)
	}
	conduit.OpenStore(s.DataDir()).Add(conduit.Device{ID: "00008101-001A2B3C4D5E6F70", Name: "Anna's iPhone", Model: "iPhone14,2",
		Software: "itunes", Source: conduit.SourceDeclared})
	s.CheckDevices(context.Background())
	st := s.Status()
	if st.Fleet.Others != 1 || !st.Fleet.Published || st.FleetAge == "" {
		t.Errorf("fleet: %+v, age %q", st.Fleet, st.FleetAge)
	}
	var multi *findings.Finding
	for i, f := range st.Open {
		// The shared device, not the note that this workstation's own answer is unknown
		// (which every check raises beside it).
		if f.Kind == findings.MultiWorkstation && f.Subject != "interaction-sync-unknown" {
			multi = &st.Open[i]
		}
	}
	if multi == nil || multi.Severity != findings.Danger || st.State != StateDanger {
		t.Fatalf("multi-workstation: %+v, state %s", multi, st.State)
	}
	if _, err := os.Stat(filepath.Join(folder, st.Workstation+".json")); err != nil {
		t.Errorf("this workstation's fleet file: %v", err)
	}
}

func TestRestoreAPointInTimeAndWhatAChangeRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 100)
	s := newService(t, dir, Options{})
	defer s.Close()
	s.SetExport(export)
	writeExport(t, export, 90)
	s.Scan()
	snaps, _ := s.Store().Snapshots()
	if len(snaps) != 2 {
		t.Fatalf("%d snapshots", len(snaps))
	}
	vcf := filepath.Join(dir, "removed.vcf")
	if n, err := s.RestoreRemovedIn(snaps[1].ID, vcf, FormatFor(vcf)); err != nil || n != 10 {
		t.Fatalf("removed in the change: %d %v", n, err)
	}
	if cs, _, _ := exports.ReadFile(vcf); len(cs) != 10 {
		t.Errorf("the vCard file holds %d contacts", len(cs))
	}
	all := filepath.Join(dir, "then.csv")
	if n, err := s.Restore(snaps[0].ID, history.SelectAll, nil, all, OutlookCSV); err != nil || n != 100 {
		t.Fatalf("point in time: %d %v", n, err)
	}
	datadir.ExpectPrivate(t, all)
}

func TestAPopupStillOnScreenTakesTheNextOneIn(t *testing.T) {
	t.Parallel()
	change := &Popup{Reason: AfterChange, Findings: []findings.Finding{{ID: "a", Title: "40 contacts disappeared"}}}
	device := &Popup{Reason: AfterChange, Findings: []findings.Finding{{ID: "b", Title: "HotSync overwrites Outlook"}, {ID: "a", Title: "40 contacts disappeared"}}}
	m := Merge(change, device)
	if len(m.Findings) != 2 || m.Findings[0].ID != "a" || m.Title != "40 contacts disappeared (and 1 more problem)" {
		t.Errorf("merged: %q %+v", m.Title, m.Findings)
	}
	sync := &Popup{Reason: BeforeSync, Trigger: "HOTSYNC.EXE started", Findings: []findings.Finding{{ID: "b", Title: "HotSync overwrites Outlook"}}}
	m = Merge(change, sync)
	if m.Reason != BeforeSync || m.Findings[0].ID != "b" || !strings.HasPrefix(m.Title, "Risky sync ahead: HotSync") {
		t.Errorf("a warning before a sync must lead: %q", m.Title)
	}
	if Merge(nil, change) != change {
		t.Error("nothing shown: the new popup as it is")
	}
}

func TestADeviceDeclaredFromTheCommandLineIsCheckedAtTheNextLook(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := newService(t, dir, Options{})
	defer s.Close()
	s.Look() // the baseline
	// What `syncguard device add` does while the tray runs: it writes devices.json.
	err := conduit.OpenStore(s.DataDir()).Add(conduit.Device{ID: "palm-1", Name: "Treo", Software: "hotsync", Version: "6.2.2",
		Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}, Source: conduit.SourceDeclared})
	if err != nil {
		t.Fatal(err)
	}
	s.Look()
	st := s.Status()
	if st.Counts.Devices != 1 || st.State != StateDanger {
		t.Errorf("after device add: %d devices, %s", st.Counts.Devices, st.State)
	}
}
