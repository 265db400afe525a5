package ui

import (
	"encoding/json"
	"os"

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
	pw.u.conceal(pw.win)
}

func (u *ui) showPopup(p *app.Popup) {
	u.popups++
	if u.popup == nil {
		pw := &popupWindow{u: u, win: u.newWindow("SyncGuard warning", fyne.NewSize(760, 560))}
		pw.win.SetCloseIntercept(pw.hide)
		u.popup = pw
	}
	if u.popup.visible {
		p = app.Merge(u.popup.popup, p) // the user has not closed the last one: add to it
	}
	u.popup.fill(p)
	u.popup.visible = true
	u.present(u.popup.win)
	u.popup.win.RequestFocus()
}

func (pw *popupWindow) fill(p *app.Popup) {
	pw.popup = p
	u := pw.u
	state := app.StateAttention
	if w, ok := findings.Worst(p.Findings); ok && w == findings.Danger {
		state = app.StateDanger
	}
	img := canvas.NewImageFromResource(icon(string(state)))
	img.SetMinSize(fyne.NewSize(48, 48))
	img.FillMode = canvas.ImageFillContain
	head := bold(p.Title)
	head.SizeName = subHeading
	list := container.NewVBox(wrapped(p.Message))
	// One card per finding, each with its own buttons: "This was intended" accepts the
	// finding on its card and no other, so nothing is accepted unseen.
	for _, f := range p.Findings {
		list.Add(u.findingCard(pw.win, f, func() { pw.drop(f.ID) }))
	}
	buttons := container.NewHBox()
	if p.Reason == app.BeforeSync {
		buttons.Add(widget.NewButton("Check my device setup…", func() { pw.hide(); u.showWizard() }))
	}
	buttons.Add(widget.NewButton("Review in SyncGuard", func() { pw.hide(); u.showStatus() }))
	buttons.Add(widget.NewButton(app.PauseWords, func() { pw.hide(); u.togglePauseTo(true) }))
	pw.win.SetTitle("SyncGuard warning")
	pw.win.SetContent(container.NewBorder(
		container.NewPadded(container.NewBorder(nil, nil, img, nil, head)),
		container.NewPadded(container.NewVBox(widget.NewSeparator(), buttons)), nil, nil,
		container.NewVScroll(container.NewPadded(list))))
}

// drop takes an accepted finding off the popup; the popup closes with its last one.
func (pw *popupWindow) drop(id string) {
	p := *pw.popup
	p.Findings = nil
	for _, f := range pw.popup.Findings {
		if f.ID != id {
			p.Findings = append(p.Findings, f)
		}
	}
	if len(p.Findings) == 0 {
		pw.hide()
		return
	}
	pw.fill(app.Repopup(&p))
}

func (u *ui) togglePauseTo(pause bool) {
	if pause != u.paused() {
		u.togglePause()
	}
}

// popupEnv carries the popup the service decided to show to the window process it starts
// for it (ui/tray.PopupEnv, the same name): the event that carried it was published before
// the process could subscribe, and a popup before a sync (its trigger, the wizard's button)
// is not the one PopupFor makes of the open findings.
const popupEnv = "SYNCGUARD_POPUP"

// handedPopup is the popup the service handed to this window process started for name,
// nil when there is none.
func handedPopup(name string) *app.Popup {
	v := os.Getenv(popupEnv)
	if name != app.WindowPopup || v == "" {
		return nil
	}
	var p app.Popup
	if json.Unmarshal([]byte(v), &p) != nil || p.Title == "" {
		return nil
	}
	return &p
}
