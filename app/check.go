package app

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"runtime/debug"
	"sort"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

// CheckRequest is what one device check looks at beyond the service's own configuration.
// The zero value is the tray's hourly check. Paths are absolute.
type CheckRequest struct {
	// Fleet is the fleet folder; "" is the one in force (the policy's, else the settings').
	Fleet string `json:"fleet,omitempty"`
	// ReadExport makes the category check count the contacts of an export read now
	// (Export, else the export location in force) instead of the last snapshot's.
	ReadExport bool   `json:"read_export,omitempty"`
	Export     string `json:"export,omitempty"`
	// Detect, when set, is where devices and the Outlook profile's mailboxes are looked for
	// instead of the service's own places (the command line's --reg, --no-detect, ...).
	Detect *conduit.DetectOptions `json:"detect,omitempty"`
	// FromCommandLine marks a check a person or script ran as a command: the history's
	// event says so, and a setup that cannot be read fails the check instead of being
	// reported as unknown.
	FromCommandLine bool `json:"from_command_line,omitempty"`
}

// CheckResult is what a device check found; it is the public JSON of `check --json`.
type CheckResult struct {
	Workstation WorkstationInfo    `json:"workstation"`
	Devices     []conduit.Device   `json:"devices"`
	Findings    []findings.Finding `json:"findings"`
	Worst       string             `json:"worst"` // "none", "info", "warning" or "danger"
	Detection   []string           `json:"detection_errors"`
	// Addins are the sync programs recognized by their Outlook add-in (iCloud for Windows,
	// Google Workspace Sync, iTunes); their risks are among the findings.
	Addins   []conduit.AddinMatch `json:"outlook_addins"`
	Contacts CheckContacts        `json:"contacts"`
	Fleet    *CheckFleet          `json:"fleet"` // null when no fleet folder is configured
	// Saved says whether the findings went into the history, where `findings`, the tray
	// and its popups see them; SaveError says why not.
	Saved     bool   `json:"saved"`
	SaveError string `json:"save_error,omitempty"`
}

// ExportIncomplete is CheckContacts.Error for an export with files that could not be
// read; the command line adds how to see which.
const ExportIncomplete = "the export could not be read completely"

// CheckContacts says which export the category check read.
type CheckContacts struct {
	Location string `json:"location,omitempty"`
	Count    int    `json:"count"`
	Error    string `json:"error,omitempty"`
}

// CheckFleet is the fleet part of a check.
type CheckFleet struct {
	Folder       string          `json:"folder"`
	Published    bool            `json:"published"`
	PublishError string          `json:"publish_error,omitempty"`
	ReadAt       time.Time       `json:"read_at"`
	FromCache    bool            `json:"from_cache"`
	Age          string          `json:"age,omitempty"`
	Problem      string          `json:"problem,omitempty"`
	Others       int             `json:"other_workstations"` // fresh files of other workstations
	Stale        []fleet.Stale   `json:"stale"`
	Skipped      []fleet.Skipped `json:"skipped"`
	// offline and age are for the tray's FleetState, which the JSON does not carry.
	offline bool
	age     time.Duration
}

// WorkstationInfo is this workstation's id and InterAction answer: the JSON of
// `workstation show` and part of `check --json`.
type WorkstationInfo struct {
	ID              string           `json:"id"`
	IDSource        string           `json:"id_source"` // "user" or "hostname"
	InteractionSync workstation.Sync `json:"interaction_sync"`
	// Problems are mailbox sources that could not be read (a .reg export).
	Problems []string `json:"problems,omitempty"`
}

// WorkstationInfo resolves this workstation's id and InterAction answer from the user's
// settings, the policy, the Outlook profile's mailboxes (live, or from the .reg exports
// of opt) and the add-in hint: workstation.Determine.
func (s *Service) WorkstationInfo(opt workstation.MailboxOptions) (WorkstationInfo, error) {
	id, idSource, sync, warns, err := workstation.Determine(s.dataDir, s.policy, opt)
	if err != nil {
		// The id may be known still (an unreadable mailbox list): workstationOrUnknown
		// keeps it, so the fleet file keeps its name.
		return WorkstationInfo{ID: id, IDSource: idSource}, err
	}
	info := WorkstationInfo{ID: id, IDSource: idSource, InteractionSync: sync}
	for _, w := range warns {
		info.Problems = append(info.Problems, w.Error())
	}
	return info, nil
}

// Check runs every device setup check once (software version, settings, the category
// limit, Outlook add-ins, devices shared with other workstations through the fleet
// folder, which it publishes to), stores the findings, resolving the device findings it
// no longer sees, and tells the tray. The tray's hourly check and `syncguard check` are
// this one workflow, so they raise and resolve the same findings.
func (s *Service) Check(req CheckRequest) (CheckResult, error) {
	return s.check(context.Background(), req, false)
}

// check is Check; quiet records new findings as shown instead of popping them up (the
// wizard shows them in its own checklist).
func (s *Service) check(ctx context.Context, req CheckRequest, quiet bool) (CheckResult, error) {
	s.checkMu.Lock()
	defer s.checkMu.Unlock()
	detect := s.detectOptions()
	if req.Detect != nil {
		detect = *req.Detect
	}
	strict := req.FromCommandLine
	ws, err := s.workstationOrUnknown(workstation.MailboxOptions{Live: detect.Live, RegFiles: detect.RegFiles})
	if err != nil && strict {
		return CheckResult{}, err
	}
	var errs []error
	declared, err := conduit.OpenStore(s.dataDir).List()
	if err != nil {
		if strict {
			return CheckResult{}, err
		}
		errs = append(errs, err)
	}
	detected, detErrs := conduit.Detect(detect)
	errs = append(errs, detErrs...)
	devs := conduit.Merge(detected, declared)
	if devs == nil {
		devs = []conduit.Device{}
	}
	out := CheckResult{Workstation: ws, Devices: devs, Findings: []findings.Finding{}, Detection: errStrings(errs)}

	// The category check needs the contacts; no export configured is reported by the
	// check itself, not treated as "no contacts with several categories".
	var cs []*contacts.Contact
	s.mu.Lock()
	loc, folder := s.exportLocked(), s.fleetFolderLocked()
	s.mu.Unlock()
	if req.Export != "" {
		loc = req.Export
	}
	if req.Fleet != "" {
		folder = req.Fleet
	}
	switch {
	case !req.ReadExport:
		cs = s.currentContacts()
	case loc != "" && len(devs) > 0:
		out.Contacts.Location = loc
		_, res, err := exports.Read(loc)
		switch {
		case err != nil:
			out.Contacts.Error = err.Error()
		case res.Unreadable():
			out.Contacts.Error = ExportIncomplete
		default:
			cs = res.Contacts
			out.Contacts.Count = len(cs)
		}
	}
	for _, d := range devs {
		out.Findings = append(out.Findings, conduit.CheckDevice(s.catalog, d, cs)...)
	}
	cs = nil
	// Programs seen only by their Outlook add-in (iCloud for Windows, Google Workspace
	// Sync): no device record, but they sync Outlook here. The same .reg files Detect
	// read: an unreadable one is already among the errors.
	addins, _ := conduit.DetectAddins(detect, s.catalog)
	out.Addins = addins
	if out.Addins == nil {
		out.Addins = []conduit.AddinMatch{}
	}
	out.Findings = append(out.Findings, conduit.CheckAddins(s.catalog, addins)...)
	if folder != "" {
		st, fs := s.checkFleet(ctx, folder, ws, devs, req.FromCommandLine)
		out.Fleet = st
		out.Findings = append(out.Findings, fs...)
	}
	sync := ws.InteractionSync
	out.Findings = conduit.WithDeclaredOthers(out.Findings, devs, sync.Known && sync.Value)

	now := s.now()
	for i := range out.Findings {
		out.Findings[i].Normalize(now)
	}
	sort.SliceStable(out.Findings, func(i, j int) bool { return out.Findings[i].Severity > out.Findings[j].Severity })
	out.Worst = "none"
	if w, any := findings.Worst(out.Findings); any {
		out.Worst = w.String()
	}
	s.mu.Lock()
	quiet = quiet || s.devices.applying > 0 // a check the wizard's own answers set off
	if quiet {
		// The wizard's checklist shows these findings: mark them shown before they are
		// stored, so that no scan running meanwhile pops them up over the wizard.
		s.gate.markShown(out.Findings, now)
	}
	s.mu.Unlock()
	var saved []findings.Finding
	st, err := s.history()
	if err == nil {
		saved, err = st.SaveFindings(out.Findings, findings.DeviceKinds, now)
	}
	if err != nil {
		out.SaveError = err.Error()
		errs = append(errs, err)
	} else {
		out.Saved = true
	}
	if quiet {
		// The wizard's own check: the user just asked whether the setup is safe and the
		// checklist answers with what this check found, so a finding accepted earlier and
		// found again is open again; else the checklist would list failures while the
		// tray says all good.
		for _, f := range saved {
			if f.State == findings.Acknowledged && f.Severity > findings.Info {
				st.SetFindingState(f.ID, findings.Open, "", now)
			}
		}
	}
	msg := fmt.Sprintf("device check: %s, %s", findings.Plural(len(devs), "device", "devices"), findings.Plural(len(out.Findings), "finding", "findings"))
	if req.FromCommandLine {
		msg = "device check from the command line: " + findings.Plural(len(out.Findings), "finding", "findings")
	}
	if out.Saved {
		if err := st.AddEvent(history.Event{Time: now, Kind: history.EventCheck, Message: msg}); err != nil {
			out.Saved, out.SaveError = false, err.Error()
		}
	}
	fl := FleetState{Folder: folder}
	if f := out.Fleet; f != nil {
		fl = FleetState{Folder: f.Folder, ReadAt: f.ReadAt, Others: f.Others, FromCache: f.FromCache, CacheAge: f.Age,
			Offline: f.offline, Problem: f.Problem, Published: f.Published, Stale: len(f.Stale), Skipped: len(f.Skipped)}
		if f.FromCache {
			fl.ReadAt = fl.ReadAt.Add(-f.age)
		}
		if fl.Problem == "" && f.PublishError != "" {
			fl.Problem = "this workstation's file could not be written: " + f.PublishError
		}
	}
	if d := req.Detect; d == nil || (d.Live && len(d.RegFiles)+len(d.AppleLockdown)+len(d.AppleBackups) == 0) {
		// What the tray lists as this workstation's devices comes from its own detection,
		// never from a command's --reg or --no-detect run through the service.
		s.mu.Lock()
		s.devices.devices, s.devices.errors, s.devices.fleet, s.devices.checkedAt = devs, errStrings(errs), fl, now
		s.devices.sync, s.devices.wsID = sync, ws.ID
		s.mu.Unlock()
	}
	debug.FreeOSMemory() // the contacts read for the category check are garbage now
	s.publishFresh()
	return out, nil
}

// checkFleet publishes this workstation's file and reads the others', each within the
// policy's fleet.timeout, and raises the multi-workstation findings.
func (s *Service) checkFleet(ctx context.Context, folder string, ws WorkstationInfo, devs []conduit.Device, fromCommandLine bool) (*CheckFleet, []findings.Finding) {
	sync := ws.InteractionSync
	self := fleet.File{
		Schema: fleet.Schema,
		Workstation: fleet.Workstation{ID: ws.ID, Hostname: hostname(), User: userName(),
			InteractionSync: sync.Known && sync.Value, AppVersion: appVersion(),
			Mailboxes: workstation.Addresses(sync.Mailboxes)},
		UpdatedAt: s.now(),
	}
	for _, d := range devs {
		self.Devices = append(self.Devices, fleet.DeviceOf(d))
	}
	timeout := s.policy.Fleet.Timeout.Duration
	published := make(chan error, 1)
	// Publish and read at once, so a hanging file server costs one timeout, not two.
	go func() { published <- fleet.Publish(ctx, folder, self, timeout) }()
	opt := fleet.ReadOptions{Folder: folder, Timeout: timeout, StaleDays: s.policy.Fleet.StaleDays, CacheFile: fleet.CacheFile(s.dataDir)}
	if s.opt.FleetFS != nil {
		opt.FS = s.opt.FleetFS(folder)
	}
	v := fleet.Read(ctx, opt)
	st := &CheckFleet{Folder: folder, ReadAt: v.ReadAt, FromCache: v.FromCache, Problem: v.Problem,
		Stale: v.Stale, Skipped: v.Skipped, offline: v.Offline}
	var fs []findings.Finding
	if err := <-published; err != nil {
		st.PublishError = err.Error()
		if f, ok := fleet.PublishFinding(self, err); ok {
			fs = append(fs, f)
		}
	} else {
		st.Published = true
	}
	for _, w := range v.Workstations {
		if w.Workstation.ID != ws.ID {
			st.Others++ // this workstation's own file may be read before or after it is rewritten
		}
	}
	if v.FromCache {
		st.Age, st.age = fleet.RoundAge(v.Age), v.Age
	}
	list, _ := s.policy.Mailboxes() // an unreadable list already made the answer "unknown" or failed the check
	fs = append(fs, fleet.MultiWorkstation(self, v, list.Addresses)...)
	fs = append(fs, fleet.DirectSync(self, v)...)
	if v.Offline {
		again := "SyncGuard checks again within the hour."
		if fromCommandLine {
			again = "SyncGuard checks again at the next run."
		}
		fs = append(fs, findings.Finding{
			Kind: findings.MultiWorkstation, Severity: findings.Info, Subject: "fleet-unreachable",
			Title:       "The fleet folder could not be read: shared devices were not checked",
			Explanation: v.Problem,
			Advice:      "Check that the file server is reachable; " + again,
		})
	}
	if !sync.Known {
		// Raised by every check, the tray's too: a check that left it out would resolve
		// what the last one raised.
		fs = append(fs, findings.Finding{
			Kind: findings.MultiWorkstation, Severity: findings.Info, Subject: "interaction-sync-unknown",
			Title:       "Whether this workstation syncs with InterAction is unknown",
			Explanation: "The fleet file says it does not, so other workstations sharing a device see a warning rather than a danger.",
			Advice:      "Answer whether this computer's Outlook is synced with InterAction in the device check (Check my device setup), or ask IT.",
			ForIT:       "syncguard workstation set --interaction-sync=true|false, or the policy key workstation.interaction_sync.",
			Actions:     []findings.Action{findings.ActWizard},
		})
	}
	return st, fs
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func userName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func errStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		if e != nil {
			out = append(out, e.Error())
		}
	}
	return out
}
