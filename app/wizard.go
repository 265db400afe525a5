package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/workstation"
)

// The "Check my device setup" wizard's logic lives here, so that it is tested without a
// display: the UI collects Answers step by step and shows the Checklist.

// Answers are what the user told the wizard.
type Answers struct {
	// Device is the device and its sync software: ID, Name, Model, Software (a catalog
	// id), Version and Settings (catalog setting key -> value).
	Device conduit.Device
	// Others is whether the device is also synchronized with another computer: "no",
	// "yes" or "unknown"; OthersInterAction whether that computer's Outlook syncs with
	// InterAction too.
	Others            string
	OthersInterAction bool
	// ThisInterAction is whether this workstation's Outlook syncs with InterAction (nil:
	// not answered; the policy or the add-in may know).
	ThisInterAction *bool
	// Export is the export location.
	Export string
}

// Result of a checklist item.
type Result string

// Results, from good to bad. A note is something SyncGuard could not check or wants
// said (the user did not know, a vCard export); like a finding of severity info it does
// not count as a problem, so the checklist and the tray agree.
const (
	Pass Result = "pass"
	Note Result = "note"
	Warn Result = "warn"
	Fail Result = "fail"
)

// Item is one line of the checklist.
type Item struct {
	Check  string `json:"check"`
	Result Result `json:"result"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
	// Finding is the id of the finding behind a result that is not a pass, the one the
	// tray and the status window show ("" for an item no finding stands for, such as an
	// answer SyncGuard could not check).
	Finding string `json:"finding,omitempty"`
}

// Checklist is the wizard's end: what passed, what to watch and what to fix.
type Checklist struct {
	Time        time.Time      `json:"time"`
	Workstation string         `json:"workstation"`
	Device      conduit.Device `json:"device"`
	Items       []Item         `json:"items"`
}

// Worst is the worst result of the checklist.
func (c Checklist) Worst() Result {
	w := Pass
	for _, it := range c.Items {
		if it.Result == Fail {
			return Fail
		}
		if it.Result == Warn {
			w = Warn
		}
	}
	return w
}

// Text is the report for IT: plain text, one item per paragraph.
func (c Checklist) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "SyncGuard device setup check\n%s, workstation %s\n", c.Time.Format("2006-01-02 15:04 MST"), c.Workstation)
	d := c.Device
	fmt.Fprintf(&b, "Device: %s\n", deviceLine(d.Name, d.ID, d.Software, d.Version))
	fmt.Fprintf(&b, "Overall: %s\n", strings.ToUpper(string(c.Worst())))
	for _, it := range c.Items {
		fmt.Fprintf(&b, "\n[%s] %s\n  %s\n", strings.ToUpper(string(it.Result)), it.Check, it.Detail)
		if it.Fix != "" {
			fmt.Fprintf(&b, "  How to fix: %s\n", it.Fix)
		}
	}
	return b.String()
}

// deviceLine names the device for the report, leaving out what the user did not give
// (an empty "()" or "software  " reads as a fault in the report).
func deviceLine(name, id, software, version string) string {
	line := strings.TrimSpace(name)
	if line == "" {
		line = "not named"
	}
	if id = strings.TrimSpace(id); id != "" && id != line {
		line += " (" + id + ")"
	}
	if sw := strings.TrimSpace(software + " " + version); sw != "" {
		line += ", software " + sw
	} else {
		line += ", software not named"
	}
	return line
}

// JSON is the report as JSON, for IT scripts.
func (c Checklist) JSON() []byte {
	b, _ := json.MarshalIndent(c, "", "  ")
	return append(b, '\n')
}

// ExportPreview reads an export location and says how many contacts it holds, for the
// wizard's last step. A location that cannot be read gives an error saying why.
func (s *Service) ExportPreview(path string) (int, exports.Location, error) {
	if path == "" {
		return 0, exports.Location{}, errors.New("no export location chosen")
	}
	loc, res, err := exports.Read(path)
	if err != nil {
		return 0, loc, err
	}
	if res.Unreadable() {
		msg := "the export could not be read completely"
		if len(res.Errors) > 0 {
			e := res.Errors[0]
			msg = fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Message)
		}
		return len(res.Contacts), loc, errors.New(msg)
	}
	return len(res.Contacts), loc, nil
}

// syncSourceWords says in a lawyer's words where the InterAction answer came from.
func syncSourceWords(s workstation.Sync) string {
	switch s.Source {
	case "policy":
		return "as IT set it"
	case "mailbox-list":
		if len(s.Matched) > 0 {
			return "IT's list of InterAction mailboxes names " + strings.Join(s.Matched, ", ")
		}
		return "IT's list of InterAction mailboxes does not name this computer's mailboxes"
	case "add-in":
		return "a guess from the InterAction add-in in Outlook; please confirm it"
	}
	return "your answer"
}

// Evaluate builds the checklist for the answers, without saving anything.
func (s *Service) Evaluate(a Answers) Checklist {
	wsID, sync := s.Workstation()
	if a.ThisInterAction != nil && sync.Source != "policy" && sync.Source != "mailbox-list" {
		// IT's answer (the policy's, or its mailbox list's) stands over the user's.
		sync = workstation.Sync{Known: true, Value: *a.ThisInterAction, Source: "user", Mailboxes: sync.Mailboxes}
	}
	c := Checklist{Time: s.now(), Workstation: wsID, Device: a.Device}
	add := func(it Item) { c.Items = append(c.Items, it) }
	d := a.Device
	d.ID = deviceID(d) // as Apply saves it, so the items name the findings the tray shows
	sw, known := s.catalog.Lookup(d.Software)

	// 1. The sync software.
	if !known {
		detail := fmt.Sprintf("SyncGuard does not know %q, so its version and settings were not checked.", d.Software)
		if d.Software == "" {
			detail = "Not known, so its version and settings were not checked."
		}
		add(Item{Check: "Sync software", Result: Note, Detail: detail,
			Fix: "Choose the software from the list, or ask IT to add it to the catalog."})
	} else {
		add(Item{Check: "Sync software", Result: Pass, Detail: sw.Name + " is known to SyncGuard."})
	}

	// 2. Its version (none to check for a phone that syncs with the server).
	if known && sw.Path != "exchange-direct" && sw.Path != "phone-app" {
		add(fromFindings("Software version", conduit.CheckVersion(d, sw),
			fmt.Sprintf("%s %s is current.", sw.Name, d.Version)))
	}

	// 3. Each setting that matters, with the names the software shows.
	if known {
		for _, st := range sw.Settings {
			v, set := d.Settings[st.Key]
			if !set && st.AppliesWhen != "" {
				// A setting the software offers only in one case (CompanionLink's conflict
				// dialog: only when syncing to Google) is not asked of everyone.
				add(Item{Check: st.Label, Result: Pass, Detail: "Offered only when " + st.AppliesWhen + "; if that is your case, look it up in " + st.Where + "."})
				continue
			}
			if !set {
				add(Item{Check: st.Label, Result: Note, Detail: "Not known, so not checked.",
					Fix: "Look it up in " + st.Where + " and run the check again."})
				continue
			}
			m, ok := st.Match(v)
			if !ok {
				add(Item{Check: st.Label, Result: Note, Detail: fmt.Sprintf("%q is not a choice SyncGuard knows, so it was not checked.", v)})
				continue
			}
			it := Item{Check: st.Label, Result: Pass, Detail: fmt.Sprintf("%q: %s", m.Label, m.Explanation)}
			switch m.Severity {
			case "danger":
				it.Result = Fail
			case "warning":
				it.Result = Warn
			case "info":
				it.Result = Note
			}
			if it.Result != Pass {
				// The finding conduit.CheckSettings raises for this setting.
				it.Finding = findings.MakeID(findings.ConduitSetting, d.ID+"/setting/"+strings.ToLower(st.Key))
			}
			if it.Result == Warn || it.Result == Fail {
				it.Fix = "Change it in " + st.Where + " to a choice that neither overwrites nor duplicates contacts."
			}
			add(it)
		}
	}

	// 4. Other workstations: InterAction's first rule. The same finding the tray shows.
	d.Others = othersAnswer(a)
	it := Item{Check: "Other workstations"}
	switch fs := conduit.CheckOthers(d, sync.Known && sync.Value); {
	case len(fs) > 0:
		it = fromFindings("Other workstations", fs, "")
	case a.Others == "no":
		it.Result, it.Detail = Pass, "The device synchronizes with this workstation only."
	default:
		it.Result, it.Detail = Note, "Not known. If the fleet folder is set up, SyncGuard finds out by itself."
		it.Fix = "Ask IT whether the device is paired with another computer."
	}
	if f := s.fleetFindingsFor(d); len(f) > 0 {
		it = fromFindings("Other workstations", f, "")
	}
	add(it)

	// 5. InterAction on this workstation.
	if sync.Known {
		add(Item{Check: "InterAction on this workstation", Result: Pass,
			Detail: fmt.Sprintf("This workstation's Outlook %s with InterAction (%s).", map[bool]string{true: "syncs", false: "does not sync"}[sync.Value], syncSourceWords(sync))})
	} else {
		add(Item{Check: "InterAction on this workstation", Result: Note, Detail: "Not known.",
			Fix: "Answer the question in the wizard, or ask IT to set workstation.interaction_sync in the policy."})
	}

	// 6. Categories on a one-category device, counted on the export.
	n, loc, exportErr := s.ExportPreview(a.Export)
	if known {
		cs := s.exportContacts(a.Export)
		add(fromFindings("Categories", conduit.CheckCategoryLimit(d, sw, cs),
			"The device keeps every category, or no contact here has more than one."))
	}

	// 7. The export location.
	switch {
	case a.Export == "":
		add(Item{Check: "Outlook export", Result: Fail, Detail: "No export location chosen: SyncGuard cannot see changes.",
			Fix: "In Outlook: File > Open & Export > Import/Export > Export to a file > Comma Separated Values > Contacts; then choose that file."})
	case exportErr != nil:
		add(Item{Check: "Outlook export", Result: Fail, Detail: a.Export + ": " + exportErr.Error(),
			Fix: "Export the contacts again from Outlook, or choose another location."})
	case n == 0:
		add(Item{Check: "Outlook export", Result: Fail, Detail: "The export holds no contacts.", Fix: "Export the Contacts folder, not another one."})
	case strings.Contains(strings.ToLower(loc.Description), "vcard") || strings.HasSuffix(strings.ToLower(a.Export), ".vcf"):
		add(Item{Check: "Outlook export", Result: Note,
			Detail: fmt.Sprintf("%s found, as vCards: Outlook's vCards carry no categories and no Mileage, so their loss cannot be seen.", findings.Plural(n, "contact", "contacts")),
			Fix:    "Export as Comma Separated Values instead."})
	default:
		add(Item{Check: "Outlook export", Result: Pass, Detail: fmt.Sprintf("%s found in %s.", findings.Plural(n, "contact", "contacts"), a.Export)})
	}
	return c
}

func (s *Service) exportContacts(path string) []*contacts.Contact {
	if path == "" {
		return nil
	}
	_, res, err := exports.Read(path)
	if err != nil || res.Unreadable() {
		return nil
	}
	return res.Contacts
}

// fleetFindingsFor returns open multi-workstation findings about the device.
func (s *Service) fleetFindingsFor(d conduit.Device) []findings.Finding {
	open, _ := s.store.Findings(false)
	var out []findings.Finding
	for _, f := range open {
		if f.Kind == findings.MultiWorkstation && f.Severity > findings.Info && (f.DeviceID == d.ID || strings.Contains(f.Title, d.Name)) {
			out = append(out, f)
		}
	}
	return out
}

// fromFindings turns a check's findings into one item, as the tray counts them: no
// finding passes, an info is a note, a warning asks to look, a danger fails.
func fromFindings(check string, fs []findings.Finding, passDetail string) Item {
	if len(fs) == 0 {
		return Item{Check: check, Result: Pass, Detail: passDetail}
	}
	worst := fs[0]
	for _, f := range fs {
		if f.Severity > worst.Severity {
			worst = f
		}
	}
	it := Item{Check: check, Result: Warn, Detail: worst.Title, Fix: worst.Advice, Finding: worst.ID}
	if it.Finding == "" {
		it.Finding = findings.MakeID(worst.Kind, worst.Subject)
	}
	if worst.Explanation != "" {
		it.Detail += ". " + worst.Explanation
	}
	switch worst.Severity {
	case findings.Danger:
		it.Result = Fail
	case findings.Info:
		it.Result = Note
	}
	return it
}

// deviceID is the id a device declared in the wizard is saved under: its own, else one
// made from its name.
func deviceID(d conduit.Device) string {
	if d.ID != "" {
		return d.ID
	}
	return strings.ToLower(strings.Join(strings.Fields(d.Name), "-"))
}

// othersAnswer is the wizard's answer about other computers as the device records it.
func othersAnswer(a Answers) string {
	switch {
	case a.Others == "yes" && a.OthersInterAction:
		return conduit.OthersYesInterAction
	case a.Others == "yes":
		return conduit.OthersYes
	case a.Others == "no":
		return conduit.OthersNo
	}
	return ""
}

// Apply saves what the wizard learned (the device declaration in devices.json, whether
// this workstation syncs with InterAction, the export location) and runs the device check,
// so the tray shows the result. Its findings do not pop up: the wizard's checklist is
// already showing them.
func (s *Service) Apply(ctx context.Context, a Answers) error {
	d := a.Device
	d.ID = deviceID(d)
	if d.ID == "" {
		return errors.New("give the device a name")
	}
	d.Source = conduit.SourceDeclared
	d.Others = othersAnswer(a)
	defer s.applyingDeclared()()
	if err := conduit.OpenStore(s.dataDir).Put(d); err != nil {
		return err
	}
	if a.ThisInterAction != nil && !s.policy.IsLocked("workstation.interaction_sync") {
		if err := s.SetWorkstation(WorkstationEdit{InteractionSync: a.ThisInterAction}); err != nil {
			return err
		}
	}
	if a.Export != "" && a.Export != s.Export() && !s.ExportLocked() {
		if err := s.SetExport(a.Export); err != nil {
			return err
		}
	}
	s.checkDevices(ctx, true)
	return nil
}

// CategoryCount reads the export and counts the contacts with two or more categories: on
// a one-category device, those are the contacts that lose categories.
func (s *Service) CategoryCount(path string) (multi, total int, err error) {
	if path == "" {
		return 0, 0, errors.New("no export location chosen")
	}
	_, res, err := exports.Read(path)
	if err != nil {
		return 0, 0, err
	}
	for _, c := range res.Contacts {
		if len(c.Categories) >= 2 {
			multi++
		}
	}
	return multi, len(res.Contacts), nil
}
