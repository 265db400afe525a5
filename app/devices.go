package app

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

// FleetState is what the status window says about the fleet folder.
type FleetState struct {
	Folder    string    // "" when none is configured
	ReadAt    time.Time // when the view was read (zero before the first check)
	Others    int       // other workstations with a fresh file
	FromCache bool      // the folder could not be read; this is the last good view
	CacheAge  string    // how old the cached view was, in words
	Offline   bool      // not readable and no cached view
	Problem   string
	Published bool
	Stale     int
	Skipped   int
}

// Age says how old the fleet view is at now, in words ("" before the first read).
func (f FleetState) Age(now time.Time) string {
	if f.ReadAt.IsZero() {
		return ""
	}
	return fleet.RoundAge(now.Sub(f.ReadAt))
}

type deviceState struct {
	devices     []conduit.Device
	errors      []string
	fleet       FleetState
	checkedAt   time.Time
	partnership string // signature of the detected partnerships at the last look
	declared    string // devices.json at the last look
	applying    int    // wizard answers being saved: their devices.json write is not news
	looked      bool
	sync        workstation.Sync
	wsID        string
}

func loadDeviceState(string) deviceState { return deviceState{} }

func (s *Service) detectOptions() conduit.DetectOptions {
	o := s.opt.Detect
	o.Live = !s.opt.NoLiveDetect
	return o
}

// Devices lists the devices paired here (detected) or declared (in the wizard or with
// `syncguard device add`), merged.
func (s *Service) Devices() ([]conduit.Device, []error) {
	detected, errs := conduit.Detect(s.detectOptions())
	declared, err := conduit.OpenStore(s.dataDir).List()
	if err != nil {
		errs = append(errs, err)
	}
	return conduit.Merge(detected, declared), errs
}

// partnershipsChanged reports whether the detected partnership records differ from the
// last look (never at the first look: that is the baseline).
func (s *Service) partnershipsChanged() bool {
	detected, _ := conduit.Detect(s.detectOptions())
	var parts []string
	for _, d := range detected {
		parts = append(parts, fmt.Sprintf("%s|%s|%s|%s|%v", d.ID, d.Software, d.Version, d.LastSync.UTC().Format(time.RFC3339), d.Settings))
	}
	sort.Strings(parts)
	sig := strings.Join(parts, "\n")
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := s.devices.looked && sig != s.devices.partnership
	s.devices.partnership, s.devices.looked = sig, true
	return changed
}

// declaredChanged reports whether devices.json changed since the last look: `syncguard
// device add` or `device set` while the tray runs; the check then runs again.
func (s *Service) declaredChanged() bool {
	data, _ := os.ReadFile(conduit.OpenStore(s.dataDir).Path())
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := s.devices.looked && string(data) != s.devices.declared && s.devices.applying == 0
	s.devices.declared = string(data)
	return changed
}

// applyingDeclared brackets the wizard's own write of devices.json: while it lasts, and
// for the content it leaves, a look does not take the write for a change made elsewhere
// (which would pop up the findings the wizard's checklist is showing).
func (s *Service) applyingDeclared() (done func()) {
	s.mu.Lock()
	s.devices.applying++
	s.mu.Unlock()
	return func() {
		data, _ := os.ReadFile(conduit.OpenStore(s.dataDir).Path())
		s.mu.Lock()
		s.devices.applying--
		s.devices.declared = string(data)
		s.mu.Unlock()
	}
}

// syncPrograms returns the running programs that the catalog knows as sync software.
func (s *Service) syncPrograms(names []string) []string {
	known := map[string]string{}
	for _, sw := range s.catalog.Software {
		for _, p := range sw.Recognize.WindowsProcesses {
			known[strings.ToLower(p)] = p
			known[strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(p, ".exe"), ".EXE"))] = p
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if p, ok := known[strings.ToLower(n)]; ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// Workstation resolves this workstation's id and whether it syncs with InterAction.
func (s *Service) Workstation() (id string, sync workstation.Sync) {
	c, _ := workstation.Load(s.dataDir)
	id = c.ID
	if id == "" {
		id = workstation.DefaultID()
	}
	return id, workstation.Resolve(s.policy.Workstation.InteractionSync, workstation.DetectAddin(), c.InteractionSync)
}

// currentContacts rebuilds the last snapshot's contacts for the category check (nil when
// there is none: the check then says it does not know, rather than passing).
func (s *Service) currentContacts() []*contacts.Contact {
	last, err := s.store.Latest()
	if err != nil || last == nil {
		return nil
	}
	es, err := s.store.Contacts(last.ID)
	if err != nil {
		return nil
	}
	cs := make([]*contacts.Contact, len(es))
	for i, e := range es {
		cs[i] = e.Contact
	}
	return cs
}

// CheckDevices runs every device setup check (software version, settings, the category
// limit, and devices shared with other workstations through the fleet folder), stores the
// findings (resolving those it no longer sees), and publishes the status with a popup for
// new ones. The fleet folder is read within the policy's timeout; a file server that is
// down costs that timeout and leaves the last good view.
func (s *Service) CheckDevices(ctx context.Context) { s.checkDevices(ctx, false) }

// checkDevices runs the check; quiet records new findings as shown instead of popping
// them up (the wizard shows them in its own checklist).
func (s *Service) checkDevices(ctx context.Context, quiet bool) {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	devs, errs := s.Devices()
	cs := s.currentContacts()
	var fs []findings.Finding
	for _, d := range devs {
		fs = append(fs, conduit.CheckDevice(s.catalog, d, cs)...)
	}
	cs = nil
	wsID, sync := s.Workstation()
	s.mu.Lock()
	folder := s.fleetFolderLocked()
	s.mu.Unlock()
	fl := FleetState{Folder: folder}
	if folder != "" {
		var more []findings.Finding
		fl, more = s.checkFleet(ctx, folder, wsID, sync, devs)
		fs = append(fs, more...)
	}
	fs = conduit.WithDeclaredOthers(fs, devs, sync.Known && sync.Value)
	now := s.now()
	s.mu.Lock()
	quiet = quiet || s.devices.applying > 0 // a check the wizard's own answers set off
	if quiet {
		// The wizard's checklist shows these findings: mark them shown before they are
		// stored, so that no scan running meanwhile pops them up over the wizard.
		for i := range fs {
			fs[i].Normalize(now)
		}
		s.gate.markShown(fs, now)
	}
	s.mu.Unlock()
	saved, err := s.store.SaveFindings(fs, findings.DeviceKinds, now)
	if err != nil {
		errs = append(errs, err)
	}
	if quiet {
		// The wizard's own check: the user just asked whether the setup is safe and the
		// checklist answers with what this check found, so a finding accepted earlier and
		// found again is open again; else the checklist would list failures while the
		// tray says all good.
		for _, f := range saved {
			if f.State == findings.Acknowledged && f.Severity > findings.Info {
				s.store.SetFindingState(f.ID, findings.Open, "", now)
			}
		}
	}
	s.store.AddEvent(history.Event{Time: now, Kind: history.EventCheck,
		Message: fmt.Sprintf("device check: %s, %s", findings.Plural(len(devs), "device", "devices"), findings.Plural(len(fs), "finding", "findings"))})
	var es []string
	for _, e := range errs {
		es = append(es, e.Error())
	}
	s.mu.Lock()
	s.devices.devices, s.devices.errors, s.devices.fleet, s.devices.checkedAt = devs, es, fl, now
	s.devices.sync, s.devices.wsID = sync, wsID
	s.mu.Unlock()
	debug.FreeOSMemory() // the contacts rebuilt for the category check are garbage now
	s.publishFresh()
}

func (s *Service) checkFleet(ctx context.Context, folder, wsID string, sync workstation.Sync, devs []conduit.Device) (FleetState, []findings.Finding) {
	host, _ := os.Hostname()
	uname := ""
	if u, err := user.Current(); err == nil {
		uname = u.Username
	}
	self := fleet.File{
		Schema: fleet.Schema,
		Workstation: fleet.Workstation{ID: wsID, Hostname: host, User: uname,
			InteractionSync: sync.Known && sync.Value, AppVersion: appVersion()},
		UpdatedAt: s.now(),
	}
	for _, d := range devs {
		self.Devices = append(self.Devices, fleet.DeviceOf(d))
	}
	timeout := s.policy.Fleet.Timeout.Duration
	published := make(chan error, 1)
	// Publish and read at once, so a hanging file server costs one timeout, not two.
	go func() { published <- fleet.Publish(ctx, folder, self, timeout) }()
	v := fleet.Read(ctx, fleet.ReadOptions{Folder: folder, Timeout: timeout, StaleDays: s.policy.Fleet.StaleDays, CacheFile: fleet.CacheFile(s.dataDir)})
	st := FleetState{Folder: folder, ReadAt: v.ReadAt, FromCache: v.FromCache, Offline: v.Offline, Problem: v.Problem,
		Stale: len(v.Stale), Skipped: len(v.Skipped)}
	if err := <-published; err == nil {
		st.Published = true
	} else if st.Problem == "" {
		st.Problem = "this workstation's file could not be written: " + err.Error()
	}
	if v.FromCache {
		st.CacheAge = fleet.RoundAge(v.Age)
		st.ReadAt = st.ReadAt.Add(-v.Age)
	}
	for _, w := range v.Workstations {
		if w.Workstation.ID != wsID {
			st.Others++
		}
	}
	fs := fleet.MultiWorkstation(self, v)
	if v.Offline {
		fs = append(fs, findings.Finding{
			Kind: findings.MultiWorkstation, Severity: findings.Info, Subject: "fleet-unreachable",
			Title:       "The fleet folder could not be read: shared devices were not checked",
			Explanation: v.Problem,
			Advice:      "Check that the file server is reachable; SyncGuard checks again within the hour.",
		})
	}
	return st, fs
}

// appVersion is the module version the binary was built from ("dev" for a local build).
func appVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
