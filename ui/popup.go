package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/findings"
)

// popupWindow is a warning: what happened, why it matters and what to do, with the
// actions at hand. The service decided that it should be seen (new, not acknowledged,
// not paused); the UI shows it as a desktop notification and this window.
type popupWindow struct {
	u       *ui
	win     fyne.Window
	popup   *app.Popup
	visible bool
}

func (pw *popupWindow) hide() {
	pw.visible = false
	pw.win.Hide()
}

func (u *ui) showPopup(p *app.Popup) {
	u.popups++
	u.a.SendNotification(fyne.NewNotification("SyncGuard: "+p.Title, p.Message))
	if u.popup == nil {
		pw := &popupWindow{u: u, win: u.newWindow("SyncGuard warning", fyne.NewSize(640, 520))}
		pw.win.SetCloseIntercept(pw.hide)
		u.popup = pw
	}
	if u.popup.visible {
		p = app.Merge(u.popup.popup, p) // the user has not closed the last one: add to it
	}
	u.popup.fill(p)
	u.popup.visible = true
	u.popup.win.Show()
	u.popup.win.RequestFocus()
}

func (pw *popupWindow) fill(p *app.Popup) {
	pw.popup = p
	u := pw.u
	state := app.StateAttention
	if w, ok := findings.Worst(p.Findings); ok && w == findings.Danger {
		state = app.StateDanger
	}
	icon := canvas.NewImageFromResource(icons[state])
	icon.SetMinSize(fyne.NewSize(48, 48))
	icon.FillMode = canvas.ImageFillContain
	head := bold(p.Title)
	head.SizeName = subHeading
	list := container.NewVBox(wrapped(p.Message))
	for _, f := range p.Findings {
		list.Add(section(severityWord(f.Severity)+": "+f.Title, wrapped(f.Explanation), wrapped("What to do: "+f.Advice)))
	}
	buttons := container.NewHBox()
	first := p.Findings[0]
	if p.Reason == app.BeforeSync || isDeviceFinding(first) {
		buttons.Add(widget.NewButton("Check my device setup…", func() { pw.hide(); u.showWizard() }))
	}
	if len(first.Contacts) > 0 && first.SnapshotID > 0 {
		buttons.Add(widget.NewButton("Restore these contacts…", func() { u.restoreFinding(pw.win, first) }))
	}
	buttons.Add(widget.NewButton("Review in SyncGuard", func() { pw.hide(); u.showStatus() }))
	if p.Reason == app.AfterChange {
		buttons.Add(widget.NewButton("This was intended", func() {
			for _, f := range p.Findings {
				u.acknowledge(pw.win, f.ID)
			}
			pw.hide()
		}))
	}
	buttons.Add(widget.NewButton("Pause warnings for 1 hour", func() { pw.hide(); u.togglePauseTo(true) }))
	pw.win.SetTitle("SyncGuard warning")
	pw.win.SetContent(container.NewBorder(
		container.NewPadded(container.NewBorder(nil, nil, icon, nil, head)),
		container.NewPadded(container.NewVBox(widget.NewSeparator(), buttons)), nil, nil,
		container.NewVScroll(container.NewPadded(list))))
}

func isDeviceFinding(f findings.Finding) bool {
	switch f.Kind {
	case findings.MultiWorkstation, findings.ConduitSetting, findings.OutdatedSoftware, findings.CategoryDeviceLimit:
		return true
	}
	return false
}

func (u *ui) togglePauseTo(pause bool) {
	if pause != (u.state == app.StatePaused) {
		u.togglePause()
	}
}
