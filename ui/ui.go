// Package ui is SyncGuard's windows and the only package besides cmd/ that imports Fyne:
// the status window, the "Check my device setup" wizard, the popup warnings, the history
// and restore window and the settings. They run in the window process (syncguard window
// NAME); the tray icon and its menu are ui/tray's, in the service's process. It calls the
// app service (app.API) and listens to its events; events arrive on the service's goroutines and are
// moved onto Fyne's with fyne.Do (ui.do, the one bridge). Anything slow (a snapshot, a
// device check, a restore) runs off the UI goroutine and reports back through ui.do.
package ui

import (
	"runtime"
	"time"

	"fyne.io/fyne/v2"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/assets"
)

// AppID is the application id of FyneApp.toml.
const AppID = "io.github.syncguard"

var icons = map[string]fyne.Resource{}

func init() {
	for _, s := range assets.TrayIcons() {
		icons[s] = fyne.NewStaticResource("syncguard-"+s+".png", assets.TrayIcon(s))
	}
}

// icon is the picture for a name of app.Status.Icon ("danger-paused"), the tray's own.
func icon(name string) fyne.Resource {
	if r, ok := icons[name]; ok {
		return r
	}
	return fyne.NewStaticResource("syncguard-"+name+".png", assets.TrayIcon(name))
}

// calmFor is how long the buttons of the findings stay disabled after one was accepted or
// reopened: the cards below move up, and the second click of a double click (or a click
// aimed at the card that was there) must not accept the next finding unseen. Longer
// than a double click's interval (500 ms on Windows by default).
const calmFor = 1200 * time.Millisecond

// ui holds the windows; every method runs on Fyne's goroutine.
type ui struct {
	a   fyne.App
	svc app.API

	state    app.State
	iconName string
	last     app.Status

	// calmPending: a finding was just accepted or reopened, so the next rebuild of the
	// findings moves cards; calm: their buttons are disabled until after(calmFor) ends it.
	calmPending, calm bool
	// after runs f on the UI goroutine after d (time.AfterFunc and fyne.Do in the app; the
	// tests keep f and run it when they choose, so no test waits on the clock).
	after func(d time.Duration, f func())

	status   *statusWindow
	wizard   *wizard
	history  *historyWindow
	settings *settingsWindow
	popup    *popupWindow
	popups   int // how many popups were shown
	// demo: the windows run on syncguard demo's sandbox, so nothing may change this
	// computer (start at login stays off).
	demo bool
	// outlookSource: reading Outlook itself can be chosen (Windows, where its object model
	// is; tests turn it on to drive the choice).
	outlookSource bool

	// do runs f on the UI goroutine: fyne.Do in the app. Tests, where Fyne's test driver
	// runs fyne.Do on the caller's goroutine, queue f for the test's own goroutine instead.
	do func(f func())
	// openFolder shows a folder in the file manager (Fyne's OpenURL in the app; the tests
	// record which folder, since opening one would start a file manager).
	openFolder func(dir string) error
	// clock tells the time a window shows ("Saved at 10:04").
	clock func() time.Time

	// windowProcess: this is the window process (syncguard window NAME), which ends when
	// its last window closes (false only in tests, which close and open windows in turn).
	// The desktop notifications are the tray's (ui/tray), in the service's process.
	windowProcess bool
	// onScreen are the windows shown and not closed since (present, conceal).
	onScreen map[fyne.Window]bool
	// quit ends the window process (the app's Quit; tests record it).
	quit func()
}

// newWindowUI is the window process's UI: the process ends with its last window.
func newWindowUI(a fyne.App, svc app.API) *ui { return makeUI(a, svc, true) }

func makeUI(a fyne.App, svc app.API, windowProcess bool) *ui {
	u := &ui{a: a, svc: svc, do: fyne.Do, onScreen: map[fyne.Window]bool{}, quit: a.Quit, windowProcess: windowProcess}
	u.after = func(d time.Duration, f func()) { time.AfterFunc(d, func() { u.do(f) }) }
	u.openFolder = func(dir string) error { return openFolderURL(a, dir) }
	u.clock = time.Now
	u.outlookSource = runtime.GOOS == "windows"
	u.status = newStatusWindow(u)
	return u
}

// update shows a new status in the open windows, and pops up what the service says must
// be seen.
func (u *ui) update(e app.Event) {
	st := e.Status
	u.last = st
	u.state = st.State
	u.iconName = st.Icon
	u.status.show(st)
	if u.history != nil {
		u.history.refreshIfOpen()
	}
	if e.Popup != nil {
		u.showPopup(e.Popup)
	}
	if e.Show != "" {
		u.open(e.Show)
	}
}

// open shows the window a name of app.Windows (or app.WindowRestore) stands for; false
// for a name it does not know. The popup is the one for the open findings (the status
// window when none is open): the window process may start after the event that carried
// the service's popup.
func (u *ui) open(name string) bool {
	switch name {
	case app.WindowStatus:
		u.showStatus()
	case app.WindowWizard:
		u.showWizard()
	case app.WindowHistory:
		u.showHistory()
	case app.WindowRestore:
		u.showRestore()
	case app.WindowSettings:
		u.showSettings()
	case app.WindowPopup:
		u.showOpenPopup()
	default:
		return false
	}
	return true
}

// present shows w and counts it on screen.
func (u *ui) present(w fyne.Window) {
	u.onScreen[w] = true
	w.Show()
}

// conceal hides w (a tray app's windows hide rather than close, to open again quickly).
func (u *ui) conceal(w fyne.Window) {
	w.Hide()
	u.gone(w)
}

// gone: w is no longer on screen. When it was the window process's last, the process
// ends, after what the click that closed it does next (the popup's "Review in
// SyncGuard" hides the popup, then shows the status window).
func (u *ui) gone(w fyne.Window) {
	delete(u.onScreen, w)
	if u.windowProcess {
		u.do(func() {
			if len(u.onScreen) == 0 {
				u.quit()
			}
		})
	}
}

// State is the state the windows show (for tests).
func (u *ui) State() app.State { return u.state }

// Icon is the name of the status's icon ("danger-paused"), as the windows show it.
func (u *ui) Icon() string { return u.iconName }

func (u *ui) paused() bool { return !u.last.PausedUntil.IsZero() }

func (u *ui) togglePause() {
	d := time.Hour
	if u.paused() {
		d = 0
	}
	go u.svc.Pause(d)
}

// calmNow starts the calm after an acceptance when one is pending, and reports whether
// the findings' buttons are to be disabled now.
func (u *ui) calmNow() bool {
	if u.calmPending {
		u.calmPending, u.calm = false, true
		u.after(calmFor, func() {
			u.calm = false
			u.status.show(u.last)
			if u.popup != nil && u.popup.visible {
				u.popup.fill(u.popup.popup)
			}
		})
	}
	return u.calm
}

func (u *ui) showStatus() { u.present(u.status.win); u.status.win.RequestFocus() }

func (u *ui) showWizard() {
	if u.wizard == nil {
		u.wizard = newWizard(u)
	}
	u.wizard.open()
}

func (u *ui) showHistory() {
	if u.history == nil {
		u.history = newHistoryWindow(u)
	}
	u.history.open()
}

func (u *ui) showRestore() {
	u.showHistory()
	u.history.tabs.SelectIndex(1)
}

func (u *ui) showSettings() {
	if u.settings == nil {
		u.settings = newSettingsWindow(u)
	}
	u.settings.open()
}

// newWindow makes a window that hides on close (conceal), to open again quickly; the
// window process ends with its last one.
func (u *ui) newWindow(title string, size fyne.Size) fyne.Window {
	w := u.a.NewWindow(title)
	w.Resize(size)
	w.SetCloseIntercept(func() { u.conceal(w) })
	return w
}
