package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/version"
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
	// syncLogs are the sync logs' modification times at the last look.
	syncLogs       map[string]time.Time
	syncLogsLooked bool
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
	data, _ := datadir.ReadLocked(conduit.OpenStore(s.dataDir).Path())
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
		data, _ := datadir.ReadLocked(conduit.OpenStore(s.dataDir).Path())
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
		if sw.Recognize.RunsAllDay {
			// In the tray all day: its process running is no sign of a sync (its sync
			// logs and partnership records are; see syncLogsChanged).
			continue
		}
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

// Workstation resolves this workstation's id and whether it syncs with InterAction (from
// the policy, its mailbox list matched against the Outlook profile's mailboxes, the
// user's answer, and the add-in as a hint: workstation.Resolve).
func (s *Service) Workstation() (id string, sync workstation.Sync) {
	d := s.detectOptions()
	ws, _ := s.workstationOrUnknown(workstation.MailboxOptions{Live: d.Live, RegFiles: d.RegFiles})
	return ws.ID, ws.InteractionSync
}

// workstationOrUnknown is WorkstationInfo, or, when the user's settings or the policy's
// mailbox list cannot be read, the host name's id and an unknown answer that says why
// (shown where the answer is, rather than a guess), with the error.
func (s *Service) workstationOrUnknown(opt workstation.MailboxOptions) (WorkstationInfo, error) {
	ws, err := s.WorkstationInfo(opt)
	if err != nil {
		if ws.ID == "" {
			ws.ID, ws.IDSource = workstation.DefaultID(), "hostname"
		}
		ws.InteractionSync = workstation.Sync{Source: "unknown", Detail: err.Error(), Mailboxes: []workstation.Mailbox{}}
	}
	return ws, err
}

// currentContacts rebuilds the last snapshot's contacts for the category check (nil when
// there is none: the check then says it does not know, rather than passing).
func (s *Service) currentContacts() []*contacts.Contact {
	if s.store == nil {
		return nil
	}
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

// CheckDevices runs the device check (Check) as the tray's schedule does: on the last
// snapshot's contacts, with the service's own places to detect devices in.
func (s *Service) CheckDevices(ctx context.Context) { s.checkDevices(ctx, false) }

// checkDevices runs the check; quiet records new findings as shown instead of popping
// them up (the wizard shows them in its own checklist). Its errors are in the status.
func (s *Service) checkDevices(ctx context.Context, quiet bool) {
	_, _ = s.check(ctx, CheckRequest{}, quiet)
}

// appVersion is the release this binary is (internal/version), as fleet files report it.
func appVersion() string { return version.Version }

// syncLogsChanged reports the sync software whose sync log (the catalog's sync_logs, such
// as HotSync's log) was written since the last look: a sync of a program that runs all
// day, which its process alone cannot tell. The first look only notes the logs' times.
func (s *Service) syncLogsChanged() []string {
	env := s.opt.Env
	if env == nil {
		env = os.Getenv
	}
	var changed []string
	seen := map[string]time.Time{}
	for _, sw := range s.catalog.Software {
		for _, pattern := range sw.Recognize.SyncLogs {
			matches, _ := filepath.Glob(expandWindowsVars(pattern, env))
			for _, m := range matches {
				fi, err := os.Stat(m)
				if err != nil || !fi.Mode().IsRegular() {
					continue
				}
				seen[m] = fi.ModTime()
				s.mu.Lock()
				prev, known := s.devices.syncLogs[m]
				looked := s.devices.syncLogsLooked
				s.mu.Unlock()
				if looked && (!known || !prev.Equal(fi.ModTime())) && !slices.Contains(changed, sw.Name) {
					changed = append(changed, sw.Name)
				}
			}
		}
	}
	s.mu.Lock()
	s.devices.syncLogs, s.devices.syncLogsLooked = seen, true
	s.mu.Unlock()
	return changed
}

// expandWindowsVars replaces %NAME% with the variable's value; a pattern naming a
// variable that is not set matches nothing.
func expandWindowsVars(p string, env func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '%')
		if i < 0 {
			b.WriteString(p)
			break
		}
		j := strings.IndexByte(p[i+1:], '%')
		if j < 0 {
			b.WriteString(p)
			break
		}
		v := env(p[i+1 : i+1+j])
		if v == "" {
			return string(filepath.Separator) + "nonexistent-" + p[i+1:i+1+j]
		}
		b.WriteString(p[:i])
		b.WriteString(v)
		p = p[i+2+j:]
	}
	out := b.String()
	if filepath.Separator == '/' {
		out = strings.ReplaceAll(out, `\`, "/")
	}
	return out
}

// explainRemovals adds the likely cause to the deletion findings of a snapshot when a
// program whose Outlook add-in moves contacts out of the mailbox (the catalog's risks
// marked on_removal: iCloud for Windows) is installed here: to InterAction the moved
// contacts are deleted, and the first thing to look at is that program's folder in
// Outlook. Worded as the inference it is.
func (s *Service) explainRemovals(r *history.Result) {
	var dels []findings.Finding
	for _, f := range r.Findings {
		if f.Kind == findings.MassDeletion {
			dels = append(dels, f)
		}
	}
	if len(dels) == 0 {
		return
	}
	addins, _ := conduit.DetectAddins(s.detectOptions(), s.catalog)
	var causes, advice []string
	for _, m := range addins {
		sw, ok := s.catalog.Lookup(m.Software)
		if !ok {
			continue
		}
		for _, risk := range sw.Risks {
			if risk.OnRemoval {
				causes = append(causes, fmt.Sprintf("%s's add-in is installed in Outlook on this computer, and %s", sw.Name, risk.Title))
				advice = append(advice, risk.Advice)
			}
		}
	}
	if len(causes) == 0 {
		return
	}
	for i := range dels {
		dels[i].Explanation = strings.TrimSpace(dels[i].Explanation + " A likely cause (an inference, not a certainty): " + strings.Join(causes, "; ") + ". Look for the missing contacts in that program's folder in Outlook.")
		dels[i].Advice = strings.TrimSpace(dels[i].Advice + " " + strings.Join(advice, " "))
	}
	// The same findings (same ids) saved again: updated, not repeated, and no others touched.
	_, _ = s.store.SaveFindings(dels, nil, s.now())
}
