package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/findings"
)

// statusWindow is "Open SyncGuard": the state in one sentence, the open findings with
// their explanations and actions, the last snapshot, the export, the devices and the fleet.
type statusWindow struct {
	u      *ui
	win    fyne.Window
	icon   *canvas.Image
	head   *widget.Label
	body   *fyne.Container
	scroll *container.Scroll
}

func newStatusWindow(u *ui) *statusWindow {
	s := &statusWindow{u: u, win: u.newWindow("SyncGuard", fyne.NewSize(760, 640))}
	s.icon = canvas.NewImageFromResource(icon(string(app.StateSetup)))
	s.icon.SetMinSize(fyne.NewSize(48, 48))
	s.icon.FillMode = canvas.ImageFillContain
	s.head = bold("")
	s.head.SizeName = subHeading
	s.body = container.NewVBox()
	buttons := container.NewHBox(
		widget.NewButton("Check my device setup…", u.showWizard),
		widget.NewButton("Contact history…", u.showHistory),
		widget.NewButton("Check the export now", func() { go u.svc.ScanNow() }),
		widget.NewButton("Settings…", u.showSettings),
	)
	top := container.NewBorder(nil, nil, s.icon, nil, s.head)
	s.scroll = container.NewVScroll(container.NewPadded(s.body))
	s.win.SetContent(container.NewBorder(container.NewPadded(top), container.NewPadded(buttons), nil, nil, s.scroll))
	return s
}

// show fills the window with a status; the window stays hidden until asked for.
func (s *statusWindow) show(st app.Status) {
	s.icon.Resource = icon(st.Icon)
	s.icon.Refresh()
	s.head.SetText(st.Sentence)
	objs := []fyne.CanvasObject{bold(countsLine(st))}
	for _, f := range st.Open {
		objs = append(objs, s.u.findingCard(s.win, f, nil))
	}
	if len(st.Open) == 0 && st.State != app.StateSetup {
		objs = append(objs, widget.NewLabel("No open findings: nothing needs your attention."))
	}
	if len(st.Accepted) > 0 {
		objs = append(objs, widget.NewSeparator(), bold("Accepted as intended"),
			wrapped("These no longer show in the icon or pop up. Reopen one if it was accepted by mistake."))
		for _, f := range st.Accepted {
			objs = append(objs, s.acceptedRow(f))
		}
	}
	objs = append(objs, widget.NewSeparator(), s.details(st))
	s.body.Objects = objs
	s.body.Refresh()
}

func countsLine(st app.Status) string {
	c := st.Counts
	var parts []string
	if c.Danger > 0 {
		parts = append(parts, findings.Plural(c.Danger, "danger", "dangers"))
	}
	if c.Warning > 0 {
		parts = append(parts, findings.Plural(c.Warning, "warning", "warnings"))
	}
	if c.Info > 0 {
		parts = append(parts, findings.Plural(c.Info, "note", "notes"))
	}
	open := "No open findings"
	if len(parts) > 0 {
		open = "Open: " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s · %s watched · %s", open, findings.Plural(c.Contacts, "contact", "contacts"), findings.Plural(c.Devices, "device", "devices"))
}

func (s *statusWindow) details(st app.Status) fyne.CanvasObject {
	now := time.Now()
	box := container.NewVBox()
	add := func(title, text string) {
		box.Add(container.NewBorder(nil, nil, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, wrapped(text)))
	}
	last := "No snapshot yet."
	if sn := st.LastSnapshot; sn != nil {
		last = fmt.Sprintf("%s: %s (%s).",
			sn.Time.Local().Format("Mon Jan 2 15:04"), findings.Plural(sn.Contacts, "contact", "contacts"), app.ChangeWords(*sn, sn.Added == sn.Contacts && sn.Removed == 0 && sn.Changed == 0))
	}
	add("Last change recorded", last)
	export := st.Export
	switch {
	case export == "":
		export = "not chosen yet. In Outlook: File > Open & Export > Import/Export > Export to a file > Comma Separated Values > Contacts."
	case st.ExportLocked:
		export += " (set by your IT department)"
	}
	if w := app.WatchWords(st.WatchMode); w != "" && st.Export != "" {
		export += ". " + w
	}
	add("Outlook export", export)
	if st.Problem != "" {
		add("Export problem", st.Problem)
	}
	devs := "None found or declared. Run \"Check my device setup\" to tell SyncGuard about your phone."
	if len(st.Devices) > 0 {
		var ls []string
		for _, d := range st.Devices {
			ls = append(ls, s.u.svc.DeviceWords(d))
		}
		devs = strings.Join(ls, "; ")
	}
	if !st.DevicesChecked.IsZero() {
		devs += fmt.Sprintf(" (checked %s)", st.DevicesChecked.Local().Format("15:04"))
	}
	add("Devices", devs)
	fl := "No fleet folder: devices shared with other workstations cannot be seen."
	if f := st.Fleet; f.Folder != "" {
		switch {
		case f.Offline:
			fl = fmt.Sprintf("%s cannot be read: %s", f.Folder, f.Problem)
		case f.ReadAt.IsZero():
			fl = f.Folder + ": not read yet."
		default:
			fl = fmt.Sprintf("%s: %s, read %s ago", f.Folder, findings.Plural(f.Others, "other workstation", "other workstations"), f.Age(now))
			if f.FromCache {
				fl += fmt.Sprintf(" (the folder is unreachable; this is the last good view, %s old)", f.CacheAge)
			}
			fl += "."
		}
	}
	add("Fleet", fl)
	add("Syncs with InterAction", app.SyncWords(st.InteractionSync))
	return box
}

// findingCard is one finding: what happened, what to do, the contacts concerned, and the
// buttons app.Actions gives it. The status window and the popup both use it, so that the
// advice never names a button the window lacks. accepted runs after the finding was
// accepted (the popup drops its card).
func (u *ui) findingCard(w fyne.Window, f findings.Finding, accepted func()) fyne.CanvasObject {
	body := container.NewVBox(wrapped(f.Explanation), wrapped("What to do: "+f.Advice))
	var lines []string
	for i, c := range f.Contacts {
		if i == 6 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(f.Contacts)-6))
			break
		}
		if c.Detail != "" {
			lines = append(lines, "• "+c.Name+": "+readable(c.Detail))
		} else {
			lines = append(lines, "• "+c.Name)
		}
	}
	if len(lines) > 0 {
		body.Add(wrapped(strings.Join(lines, "\n")))
	}
	calm := u.calmNow()
	buttons := container.NewHBox()
	for _, a := range app.Actions(f) {
		var tap func()
		switch a.ID {
		case app.ActRestore:
			tap = func() { u.restoreFinding(w, f) }
		case app.ActReview:
			tap = func() { u.showHistory(); u.history.selectSnapshot(f.SnapshotID) }
		case app.ActWizard:
			tap = u.showWizard
		case app.ActSettings:
			tap = u.showSettings
		case app.ActAcknowledge:
			tap = func() { u.accept(w, f, accepted) }
		default:
			continue
		}
		b := widget.NewButton(a.Label, tap)
		if calm {
			b.Disable()
		}
		buttons.Add(b)
	}
	body.Add(buttons)
	return section(severityWord(f.Severity)+": "+f.Title, body)
}

// acceptedRow is a finding accepted as intended: what, who and when, and Reopen.
func (s *statusWindow) acceptedRow(f findings.Finding) fyne.CanvasObject {
	u := s.u
	who := f.AcknowledgedBy
	if who == "" {
		who = "someone" // accepted before SyncGuard kept who
	}
	when := ""
	if !f.AcknowledgedAt.IsZero() {
		when = " on " + f.AcknowledgedAt.Local().Format("Mon Jan 2 15:04")
	}
	reopen := widget.NewButton("Reopen", func() {
		u.calmPending = true
		go func() {
			if _, err := u.svc.Reopen(f.ID); err != nil {
				u.do(func() { showError(err, s.win) })
			}
		}()
	})
	if u.calmNow() {
		reopen.Disable()
	}
	text := container.NewVBox(wrapped(severityWord(f.Severity)+": "+f.Title), wrapped("Accepted by "+who+when+"."))
	return container.NewBorder(nil, nil, nil, container.NewCenter(reopen), text)
}

// accept accepts one finding as intended, after a confirmation that names what is
// accepted when the finding lost data (app.Confirmation).
func (u *ui) accept(w fyne.Window, f findings.Finding, done func()) {
	run := func() {
		u.calmPending = true
		go func() {
			_, err := u.svc.Acknowledge(f.ID)
			u.do(func() {
				if err != nil {
					showError(err, w)
					return
				}
				if done != nil {
					done()
				}
			})
		}()
	}
	q := app.Confirmation(f)
	if q == "" {
		run()
		return
	}
	d := dialog.NewConfirm("Accept as intended?", q, func(ok bool) {
		if ok {
			run()
		}
	}, w)
	d.SetConfirmText("Accept")
	d.SetDismissText("Cancel")
	d.Show()
}

// restoreFinding asks where to write the contacts a finding concerns, as they were
// before the change, and says how to import them into Outlook.
func (u *ui) restoreFinding(w fyne.Window, f findings.Finding) {
	u.pickSave(w, "SyncGuard restore.csv", func(path string) {
		go func() {
			n, err := u.svc.RestoreFinding(f.ID, path, app.FormatFor(path))
			u.do(func() { u.restored(w, n, path, err) })
		}()
	})
}

func (u *ui) restored(w fyne.Window, n int, path string, err error) {
	if err != nil {
		showError(err, w)
		return
	}
	u.showSaved(w, "Contacts restored",
		fmt.Sprintf("%s written to this file, in the folder %s:", findings.Plural(n, "contact was", "contacts were"), filepath.Dir(path)),
		path, wrapSteps(app.ImportSteps))
}

// wrapSteps breaks Outlook's import steps at each ">" so the dialog stays narrow.
func wrapSteps(s string) string { return strings.ReplaceAll(s, " > ", "\n  > ") }

func severityWord(s findings.Severity) string {
	switch s {
	case findings.Danger:
		return "Danger"
	case findings.Warning:
		return "Warning"
	}
	return "Note"
}

// readable rewrites the rules' "old → new" for the window: Fyne's bundled font draws the
// arrow followed by a replacement box, so it says "old, now new" instead.
func readable(detail string) string { return strings.ReplaceAll(detail, " → ", ", now ") }
