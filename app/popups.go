package app

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/findings"
)

// PopupReason says why a popup appears.
type PopupReason string

// Popup reasons (DESIGN.md §2.5).
const (
	// AfterChange: the export changed in a risky way; the user should act before the next
	// Outlook-to-InterAction sync carries the damage on.
	AfterChange PopupReason = "after-change"
	// BeforeSync: the sync software just started, or a partnership record changed, while
	// a check of the device setup fails: the sync about to run is risky.
	BeforeSync PopupReason = "before-sync"
)

// Popup is a warning the UI shows as a desktop notification and a window.
type Popup struct {
	Reason   PopupReason
	Title    string // one line, for the notification
	Message  string // what happened and why it matters
	Trigger  string // for BeforeSync: what was seen ("HOTSYNC.EXE started")
	Findings []findings.Finding
}

// gate decides what pops up. It holds no lock of its own: the Service calls it under its
// mutex. What was shown is kept in the data folder, so a restart does not show the same
// warning again, while a finding raised when the app was not running (by a CLI snapshot)
// still pops up at the next start.
type gate struct {
	file        string
	shown       map[string]time.Time // finding id -> when it popped up
	pausedUntil time.Time
	// running is the set of sync programs seen at the last look, so one run of the
	// software warns once, not at every look.
	running map[string]bool
}

type gateFile struct {
	Shown       map[string]time.Time `json:"shown"`
	PausedUntil time.Time            `json:"paused_until,omitzero"`
}

func loadGate(file string) *gate {
	g := &gate{file: file, shown: map[string]time.Time{}, running: map[string]bool{}}
	data, err := os.ReadFile(file)
	if err != nil {
		return g
	}
	var gf gateFile
	if json.Unmarshal(data, &gf) == nil {
		if gf.Shown != nil {
			g.shown = gf.Shown
		}
		g.pausedUntil = gf.PausedUntil
	}
	return g
}

func (g *gate) save() error {
	if g.file == "" {
		return nil
	}
	data, _ := json.MarshalIndent(gateFile{Shown: g.shown, PausedUntil: g.pausedUntil}, "", "  ")
	return datadir.WriteFileAtomic(g.file, data, 0o600)
}

func (g *gate) paused(now time.Time) bool { return now.Before(g.pausedUntil) }

// fresh picks, among the open findings, those to pop up now: above info, never shown,
// and only while warnings are not paused and notifications are on. A finding the user
// acknowledged is not open, so it never pops up. Findings skipped while paused are not
// marked shown: they stay in the status window and the icon, and pop up when warnings
// resume if they are still open then.
func (g *gate) fresh(open []findings.Finding, enabled bool, now time.Time) *Popup {
	if !enabled || g.paused(now) {
		return nil
	}
	var fs []findings.Finding
	for _, f := range open {
		if (f.State == findings.Open || f.State == "") && f.Severity > findings.Info && g.shown[f.ID].IsZero() {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	for _, f := range fs {
		g.shown[f.ID] = now
	}
	g.save()
	return changePopup(fs)
}

// markShown records findings as shown without a popup: the wizard's checklist showed them.
func (g *gate) markShown(fs []findings.Finding, now time.Time) {
	for _, f := range fs {
		if g.shown[f.ID].IsZero() {
			g.shown[f.ID] = now
		}
	}
	g.save()
}

// changePopup words the popup for findings raised by a change or a check. The findings
// are listed by the harm they describe, and the title and first sentence come from the
// first: contacts already lost before a risky setting.
func changePopup(fs []findings.Finding) *Popup {
	fs = append([]findings.Finding(nil), fs...)
	findings.SortByHarm(fs)
	p := &Popup{Reason: AfterChange, Findings: fs, Title: fs[0].Title}
	if len(fs) > 1 {
		p.Title = fs[0].Title + " (and " + findings.Plural(len(fs)-1, "more problem", "more problems") + ")"
	}
	if fs[0].Kind.IsDevice() {
		p.Message = "The check of your device setup found something that loses or duplicates contacts at the next sync. " +
			"Fix it before you sync the device again."
	} else {
		p.Message = "A change of your Outlook contacts looks like a device sync went wrong. " +
			"Outlook passes every change on to InterAction at its next sync, so look at it now: " +
			"restore what was lost, or say it was intended."
	}
	return p
}

// PopupFor words the popup for open findings without recording it as shown (make
// screenshots).
func (s *Service) PopupFor(open []findings.Finding) *Popup {
	var fs []findings.Finding
	for _, f := range open {
		if f.Severity > findings.Info {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return changePopup(fs)
}

// beforeSync is called with the sync programs running now. A program that was not running
// at the last look has just started: if a device check fails (open findings of the device
// kinds, above info), that sync is risky and the user is warned, once per run of the
// program. partnership is non-empty when a partnership record changed.
func (g *gate) beforeSync(running []string, partnership string, open []findings.Finding, enabled bool, now time.Time) *Popup {
	var started []string
	next := map[string]bool{}
	for _, r := range running {
		key := strings.ToLower(r)
		next[key] = true
		if !g.running[key] {
			started = append(started, r)
		}
	}
	g.running = next
	if len(started) == 0 && partnership == "" {
		return nil
	}
	if !enabled || g.paused(now) {
		return nil
	}
	var failing []findings.Finding
	for _, f := range open {
		if f.Kind.IsDevice() && f.Severity > findings.Info && (f.State == findings.Open || f.State == "") {
			failing = append(failing, f)
		}
	}
	if len(failing) == 0 {
		return nil
	}
	sort.Strings(started)
	findings.SortByHarm(failing)
	trigger := partnership
	if len(started) > 0 {
		trigger = strings.Join(started, ", ") + " started"
	}
	return &Popup{
		Reason:   BeforeSync,
		Trigger:  trigger,
		Findings: failing,
		Title:    "Risky sync ahead: " + failing[0].Title,
		Message: "Your device is about to sync (" + trigger + ") while a check of its setup fails. " +
			"A sync now can delete or duplicate contacts in Outlook, and InterAction takes the damage on. " +
			"Cancel the sync and fix the setup first.",
	}
}

func (g *gate) pause(until time.Time) {
	g.pausedUntil = until
	g.save()
}

// Merge adds a newer popup to one still on screen, so that a warning the user has not
// read yet is not replaced by the next one (at start, the snapshot and the device check
// each raise theirs within seconds). A warning before a sync leads: it is the most urgent.
func Merge(shown, next *Popup) *Popup {
	if shown == nil {
		return next
	}
	first, second := shown, next
	if next.Reason == BeforeSync && shown.Reason != BeforeSync {
		first, second = next, shown
	}
	out := *first
	seen := map[string]bool{}
	out.Findings = nil
	var rest []findings.Finding
	for i, f := range append(append([]findings.Finding{}, first.Findings...), second.Findings...) {
		if seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		if first.Reason == BeforeSync && i < len(first.Findings) {
			out.Findings = append(out.Findings, f) // the sync about to run leads
		} else {
			rest = append(rest, f)
		}
	}
	findings.SortByHarm(rest)
	out.Findings = append(out.Findings, rest...)
	return Repopup(&out)
}

// Repopup words a popup again for the findings it holds now (merged, or some accepted
// from it): the title and first sentence come from the first, the title counts the rest.
func Repopup(p *Popup) *Popup {
	out := *p
	if len(out.Findings) == 0 {
		return &out
	}
	out.Title = out.Findings[0].Title
	if out.Reason == BeforeSync {
		out.Title = "Risky sync ahead: " + out.Title
	} else {
		out.Message = changePopup(out.Findings).Message
	}
	if n := len(out.Findings) - 1; n > 0 {
		out.Title += " (and " + findings.Plural(n, "more problem", "more problems") + ")"
	}
	return &out
}
