package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/findings"
)

// wizard is "Check my device setup": a few steps that learn the device, its sync
// software, version and settings (asked with the names the software shows), the other
// workstations, the category limit and the export, and end in a pass/warn/fail checklist
// that can be saved as a report for IT. The logic is app.Service.Evaluate; this is the
// form around it.
type wizard struct {
	u   *ui
	win fyne.Window

	step    int
	heading *widget.Label
	content *fyne.Container
	back    *widget.Button
	next    *widget.Button
	save    *widget.Button

	answers  app.Answers
	detected []conduit.Device

	// Step 1: the device.
	pick     *widget.Select
	name     *widget.Entry
	model    *widget.Entry
	software *widget.Select
	// Step 2: the version.
	version        *widget.Entry
	versionUnknown *widget.Check
	// Step 3: the settings, one radio group per catalog setting.
	settings map[string]*widget.RadioGroup
	// Step 4: other workstations.
	others, here *widget.RadioGroup
	othersIA     *widget.Check
	// Step 6: the export.
	export *widget.Entry
	found  *widget.Label

	checklist *app.Checklist
}

var stepTitles = []string{
	"Your device",
	"The sync software's version",
	"The sync software's settings",
	"Other computers",
	"Categories",
	"Your Outlook export",
	"The result",
}

const (
	othersNo      = "No, only with this computer"
	othersYes     = "Yes, also with another computer"
	othersUnknown = "I don't know"
	hereYes       = "Yes"
	hereNo        = "No"
	hereUnknown   = "I don't know"
	newDevice     = "Another device (not listed)"
	// dontKnow is an answer wherever the user may not know: the sync software, each of
	// its settings. SyncGuard then says it could not check that, rather than guessing.
	dontKnow = "I don't know"
)

func newWizard(u *ui) *wizard {
	w := &wizard{u: u, win: u.newWindow("SyncGuard: check my device setup", fyne.NewSize(720, 560)), settings: map[string]*widget.RadioGroup{}}
	w.heading = bold("")
	w.heading.SizeName = subHeading
	w.content = container.NewVBox()
	w.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { w.goTo(w.step - 1) })
	w.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), w.forward)
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.next.Importance = widget.HighImportance
	w.save = widget.NewButtonWithIcon("Save report…", theme.DocumentSaveIcon(), w.saveReport)

	w.pick = widget.NewSelect(nil, w.picked)
	w.name = widget.NewEntry()
	w.name.SetPlaceHolder("e.g. Anna's iPhone")
	w.model = widget.NewEntry()
	w.model.SetPlaceHolder("e.g. iPhone 15, Treo 680 (optional)")
	var names []string
	for _, sw := range u.svc.Catalog().Software {
		names = append(names, sw.Name)
	}
	w.software = widget.NewSelect(append(names, dontKnow), nil)
	w.software.PlaceHolder = "Choose the software that syncs it with Outlook"
	w.version = widget.NewEntry()
	w.versionUnknown = widget.NewCheck("I don't know the version", func(on bool) {
		if on {
			w.version.SetText("")
			w.version.Disable()
		} else {
			w.version.Enable()
		}
	})
	w.others = widget.NewRadioGroup([]string{othersNo, othersYes, othersUnknown}, nil)
	w.othersIA = widget.NewCheck("That computer's Outlook also syncs with InterAction", nil)
	w.here = widget.NewRadioGroup([]string{hereYes, hereNo, hereUnknown}, nil)
	w.export = widget.NewEntry()
	w.export.SetPlaceHolder("the exported .csv file, or a folder of .vcf files")
	w.found = wrapped("")

	buttons := container.NewHBox(layout.NewSpacer(), w.back, w.save, w.next)
	w.win.SetContent(container.NewBorder(container.NewPadded(w.heading), container.NewPadded(buttons), nil, nil,
		container.NewVScroll(container.NewPadded(w.content))))
	return w
}

// open starts the wizard from the first step, with what SyncGuard already knows filled in.
func (w *wizard) open() {
	devs, _ := w.u.svc.Devices()
	w.detected = devs
	opts := []string{}
	for _, d := range devs {
		opts = append(opts, w.deviceLabel(d))
	}
	w.pick.Options = append(opts, newDevice)
	if len(devs) > 0 {
		w.pick.SetSelectedIndex(0)
	} else {
		w.pick.SetSelected(newDevice)
	}
	if w.export.Text == "" {
		w.export.SetText(w.u.svc.Export())
	}
	if w.u.svc.ExportLocked() {
		w.export.Disable()
	}
	_, sync := w.u.svc.Workstation()
	switch {
	case !sync.Known:
		w.here.SetSelected(hereUnknown)
	case sync.Value:
		w.here.SetSelected(hereYes)
	default:
		w.here.SetSelected(hereNo)
	}
	if sync.Source == "policy" || sync.Source == "mailbox-list" {
		// IT's word (the policy, or its list of InterAction-synced mailboxes) decides.
		w.here.Disable()
	}
	w.goTo(0)
	w.u.present(w.win)
	w.win.RequestFocus()
}

func (w *wizard) deviceLabel(d conduit.Device) string {
	l := d.Name
	if d.Model != "" {
		l += " (" + d.Model + ")"
	}
	if sw, ok := w.u.svc.Catalog().Lookup(d.Software); ok {
		l += " with " + sw.Name
	} else if d.Software != "" {
		l += " with " + d.Software
	}
	return l
}

// picked fills the device fields from a detected or declared device.
func (w *wizard) picked(label string) {
	for _, d := range w.detected {
		if w.deviceLabel(d) != label {
			continue
		}
		w.answers.Device = d
		w.name.SetText(d.Name)
		w.model.SetText(d.Model)
		if sw, ok := w.u.svc.Catalog().Lookup(d.Software); ok {
			w.software.SetSelected(sw.Name)
		}
		w.version.SetText(d.Version)
		return
	}
	w.answers.Device = conduit.Device{}
	w.name.SetText("")
	w.model.SetText("")
	w.version.SetText("")
}

func (w *wizard) sw() *conduit.Software {
	sw, _ := w.u.svc.Catalog().Lookup(w.software.Selected)
	return sw
}

// forward checks the step's answers and moves on; at the export step it runs the check.
// A step whose question is not answered stays, and its heading says what is missing
// ("I don't know" is an answer).
func (w *wizard) forward() {
	if missing := w.missing(w.step); missing != "" {
		w.heading.SetText(fmt.Sprintf("Step %d of %d: %s — %s", w.step+1, len(stepTitles), stepTitles[w.step], missing))
		return
	}
	switch w.step {
	case 5:
		w.finish()
		return
	case 6:
		w.u.conceal(w.win)
		return
	}
	w.goTo(w.step + 1)
}

// missing says what the step still needs answered, "" when nothing.
func (w *wizard) missing(step int) string {
	switch step {
	case 0:
		if strings.TrimSpace(w.name.Text) == "" || w.software.Selected == "" {
			return "give the device a name and choose its sync software (or \"I don't know\")"
		}
	case 1:
		if strings.TrimSpace(w.version.Text) == "" && !w.versionUnknown.Checked {
			return "give the version, or tick \"I don't know the version\""
		}
	case 2:
		if sw := w.sw(); sw != nil {
			for _, st := range sw.Settings {
				if rg := w.settings[sw.ID+"/"+st.Key]; rg != nil && rg.Selected == "" {
					return "answer every setting (\"I don't know\" is an answer)"
				}
			}
		}
	case 3:
		if w.others.Selected == "" || w.here.Selected == "" {
			return "answer both questions (\"I don't know\" is an answer)"
		}
	}
	return ""
}

func (w *wizard) goTo(step int) {
	if step < 0 {
		step = 0
	}
	w.heading.SetText(fmt.Sprintf("Step %d of %d: %s", step+1, len(stepTitles), stepTitles[step]))
	w.content.Objects = w.stepContent(step)
	w.content.Refresh()
	w.back.Hidden = step == 0
	w.save.Hidden = step != 6
	switch step {
	case 5:
		w.next.SetText("Check")
		w.next.SetIcon(theme.NavigateNextIcon())
	case 6:
		w.next.SetText("Close")
		w.next.SetIcon(theme.ConfirmIcon())
	default:
		w.next.SetText("Next")
		w.next.SetIcon(theme.NavigateNextIcon())
	}
	w.back.Refresh()
	w.save.Refresh()
	w.step = step // last: a test waiting for the step sees it complete
}

func (w *wizard) stepContent(step int) []fyne.CanvasObject {
	switch step {
	case 0:
		intro := "Which phone or handheld synchronizes with Outlook on this computer?"
		if len(w.detected) > 0 {
			intro += " SyncGuard found the devices listed below."
		}
		return []fyne.CanvasObject{
			wrapped(intro),
			widget.NewForm(
				widget.NewFormItem("Device", w.pick),
				widget.NewFormItem("Name", w.name),
				widget.NewFormItem("Model", w.model),
				widget.NewFormItem("Sync software", w.software),
			),
			wrapped("The sync software is the program that copies contacts between the device and Outlook: " +
				"iTunes or Apple Devices, Windows Mobile Device Center, ActiveSync, HotSync, and others."),
		}
	case 1:
		sw := w.sw()
		hint := "Look in the program's Help > About window."
		if sw != nil && sw.Latest.Version != "" {
			hint += fmt.Sprintf(" The newest version SyncGuard knows is %s.", sw.Latest.Version)
		}
		name := "the sync software"
		if sw != nil {
			name = sw.Name
		}
		w.version.SetPlaceHolder("e.g. 6.1")
		return []fyne.CanvasObject{
			wrapped("Which version of " + name + " is installed? Old versions have known bugs that lose or duplicate contacts."),
			widget.NewForm(widget.NewFormItem("Version", w.version)),
			w.versionUnknown,
			wrapped(hint),
		}
	case 2:
		sw := w.sw()
		if sw == nil || len(sw.Settings) == 0 {
			return []fyne.CanvasObject{wrapped("SyncGuard knows no settings of this software that matter for contacts.")}
		}
		objs := []fyne.CanvasObject{wrapped("Open " + sw.Name + " and read these settings. They are named here as the program shows them.")}
		for _, st := range sw.Settings {
			rg := w.settings[sw.ID+"/"+st.Key]
			if rg == nil {
				var labels []string
				for _, v := range st.Values {
					if v.Value != "*" {
						labels = append(labels, v.Label)
					}
				}
				rg = widget.NewRadioGroup(append(labels, dontKnow), nil)
				if cur, ok := w.answers.Device.Settings[st.Key]; ok {
					if m, ok := st.Match(cur); ok {
						rg.SetSelected(m.Label)
					}
				}
				w.settings[sw.ID+"/"+st.Key] = rg
			}
			objs = append(objs, section(st.Label, wrapped("Where: "+st.Where), rg))
		}
		return objs
	case 3:
		return []fyne.CanvasObject{
			wrapped("Does this device also synchronize with another computer (at home, a second office, an assistant's PC)?"),
			w.others, w.othersIA,
			widget.NewSeparator(),
			wrapped("Does this computer's Outlook synchronize with InterAction?"),
			w.here,
			wrapped("InterAction's first rule for handhelds: never synchronize a device with several workstations that synchronize with InterAction; their different settings overwrite each other's data."),
		}
	case 4:
		cats := wrapped("")
		if path := strings.TrimSpace(w.export.Text); path != "" {
			cats.SetText("Counting the contacts with several categories in your export…")
			go func() {
				multi, total, err := w.u.svc.CategoryCount(path)
				w.u.do(func() {
					if err != nil {
						cats.SetText("The export could not be read to count categories: " + err.Error())
						return
					}
					cats.SetText(fmt.Sprintf("In your export, %d of %s have two or more categories.", multi, findings.Plural(total, "contact", "contacts")))
				})
			}()
		}
		return []fyne.CanvasObject{wrapped(w.categoryText()), cats}
	case 5:
		how := "To make the export in Outlook: File > Open & Export > Import/Export > Export to a file > Comma Separated Values > Contacts. " +
			"Choose CSV rather than vCards: Outlook's vCards carry no categories and no Mileage, so their loss could not be seen."
		row := container.NewBorder(nil, nil, nil, container.NewHBox(
			widget.NewButton("File…", func() { w.u.pickFile(w.win, func(p string) { w.export.SetText(p); w.count() }) }),
			widget.NewButton("Folder…", func() { w.u.pickFolder(w.win, func(p string) { w.export.SetText(p); w.count() }) }),
			widget.NewButton("Count contacts", w.count),
		), w.export)
		if w.u.svc.ExportLocked() {
			how = "Your IT department set the export location."
		}
		objs := []fyne.CanvasObject{
			wrapped("Where does Outlook export your contacts? SyncGuard reads that export to see every change a sync makes."),
			row, w.found, widget.NewSeparator(), wrapped(how),
		}
		if w.u.outlookSource {
			// On Windows SyncGuard can read Outlook itself: no export to make, ever.
			fromOutlook := widget.NewButton("Read the contacts from Outlook itself instead", w.useOutlook)
			if w.u.svc.Settings().SourceLocked {
				fromOutlook.Disable()
			}
			objs = append([]fyne.CanvasObject{
				wrapped("SyncGuard can read your contacts from Outlook itself while Outlook runs (no export needed), or from an export file."),
				fromOutlook, widget.NewSeparator(),
			}, objs...)
		}
		return objs
	default:
		return w.checklistContent()
	}
}

func (w *wizard) categoryText() string {
	general := "Outlook and InterAction keep many categories per contact, but some devices keep only one. " +
		"On such a device the other categories are lost, and the next two-way sync can write that loss back to Outlook and InterAction. " +
		"In InterAction's Manage Categories dialog you choose which one category goes to the device."
	sw := w.sw()
	if sw == nil {
		return general
	}
	switch v := sw.OneCategory.Value; {
	case v == nil:
		return "SyncGuard does not know whether " + sw.Name + " keeps more than one category per contact. " + general
	case *v:
		return sw.Name + " keeps one category per contact. " + general
	}
	return sw.Name + " keeps every category of a contact, so nothing is lost on the device."
}

// useOutlook makes Outlook itself the source and says how many contacts it read (or, in
// plain words, why it could not: Outlook closed, access refused).
func (w *wizard) useOutlook() {
	w.found.SetText("Reading your contacts from Outlook…")
	go func() {
		err := w.u.svc.SetSource("outlook")
		st := w.u.svc.Status()
		w.u.do(func() {
			switch {
			case err != nil:
				w.found.SetText("Not changed: " + err.Error())
			case st.Problem != "":
				w.found.SetText("Outlook will be read from now on. " + st.Problem)
			case st.LastSnapshot != nil:
				w.found.SetText(fmt.Sprintf("%s read from Outlook. SyncGuard reads Outlook from now on; no export is needed.", findings.Plural(st.LastSnapshot.Contacts, "contact", "contacts")))
			}
		})
	}()
}

// count reads the export and says how many contacts it holds.
func (w *wizard) count() {
	path := strings.TrimSpace(w.export.Text)
	w.found.SetText("Reading " + path + "…")
	go func() {
		n, _, err := w.u.svc.ExportPreview(path)
		w.u.do(func() {
			if err != nil {
				w.found.SetText("Cannot read it: " + err.Error())
				return
			}
			w.found.SetText(fmt.Sprintf("%s found in %s.", findings.Plural(n, "contact", "contacts"), path))
		})
	}()
}

// collect turns the form into answers.
func (w *wizard) collect() app.Answers {
	a := w.answers
	d := a.Device
	d.Name = strings.TrimSpace(w.name.Text)
	d.Model = strings.TrimSpace(w.model.Text)
	d.Version = strings.TrimSpace(w.version.Text)
	if w.versionUnknown.Checked {
		d.Version = ""
	}
	d.Settings = map[string]string{}
	if sw := w.sw(); sw != nil {
		d.Software = sw.ID
		for _, st := range sw.Settings {
			rg := w.settings[sw.ID+"/"+st.Key]
			if rg == nil || rg.Selected == "" {
				continue
			}
			for _, v := range st.Values {
				if v.Label == rg.Selected {
					d.Settings[st.Key] = v.Value
				}
			}
		}
	}
	if w.software.Selected == dontKnow {
		d.Software = ""
	}
	a.Device = d
	switch w.others.Selected {
	case othersNo:
		a.Others = "no"
	case othersYes:
		a.Others = "yes"
	default:
		a.Others = "unknown"
	}
	a.OthersInterAction = w.othersIA.Checked
	a.ThisInterAction = nil
	if w.here.Selected == hereYes || w.here.Selected == hereNo {
		v := w.here.Selected == hereYes
		a.ThisInterAction = &v
	}
	a.Export = strings.TrimSpace(w.export.Text)
	return a
}

// finish saves the answers, runs the check and shows the checklist.
func (w *wizard) finish() {
	a := w.collect()
	w.next.Disable()
	w.heading.SetText("Checking…")
	go func() {
		err := w.u.svc.Apply(context.Background(), a)
		c := w.u.svc.Evaluate(a)
		w.u.do(func() {
			w.next.Enable()
			w.checklist = &c
			w.goTo(6)
			if err != nil {
				showError(err, w.win)
			}
		})
	}()
}

func (w *wizard) checklistContent() []fyne.CanvasObject {
	c := w.checklist
	if c == nil {
		return []fyne.CanvasObject{widget.NewLabel("No result yet.")}
	}
	summary := map[app.Result]string{
		app.Pass: "Your device setup looks safe.",
		app.Warn: "Your device setup works, but some things need a look.",
		app.Fail: "Your device setup can lose or duplicate contacts. Fix the items marked as failed before the next sync.",
	}[c.Worst()]
	for _, it := range c.Items {
		if it.Result == app.Note {
			summary += " Some things were not known, so SyncGuard could not check them (marked Note)."
			break
		}
	}
	objs := []fyne.CanvasObject{bold(summary)}
	for _, it := range c.Items {
		icon := widget.NewIcon(resultIcon(it.Result))
		text := container.NewVBox(bold(resultWord(it.Result)+": "+it.Check), wrapped(it.Detail))
		if it.Fix != "" {
			text.Add(wrapped("How to fix: " + it.Fix))
		}
		objs = append(objs, container.NewBorder(nil, nil, container.NewVBox(icon), nil, text))
	}
	return objs
}

func resultIcon(r app.Result) fyne.Resource {
	switch r {
	case app.Fail:
		return theme.NewErrorThemedResource(theme.CancelIcon())
	case app.Warn:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case app.Note:
		return theme.InfoIcon()
	}
	return theme.NewSuccessThemedResource(theme.ConfirmIcon())
}

func resultWord(r app.Result) string {
	switch r {
	case app.Fail:
		return "Fail"
	case app.Warn:
		return "Check"
	case app.Note:
		return "Note"
	}
	return "Pass"
}

// saveReport writes the checklist as text for IT (JSON when the name ends in .json).
func (w *wizard) saveReport() {
	if w.checklist == nil {
		return
	}
	c := *w.checklist
	w.u.pickSave(w.win, "SyncGuard device check.txt", func(path string) {
		data := []byte(c.Text())
		if strings.HasSuffix(strings.ToLower(path), ".json") {
			data = c.JSON()
		}
		go func() {
			err := writePrivate(path, data)
			w.u.do(func() {
				if err != nil {
					showError(err, w.win)
					return
				}
				w.u.showSaved(w.win, "Report saved", "The report of this check was saved to this file, in the folder "+filepath.Dir(path)+":",
					path, "Send it to your IT department: it lists what passed and how to fix the rest.")
			})
		}()
	})
}
