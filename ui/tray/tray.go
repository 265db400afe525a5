// Package tray is SyncGuard's service process face: the tray icon and its menu, drawn by
// fyne.io/systray directly (a StatusNotifierItem over D-Bus on Linux, a notification-area
// icon on Windows), the desktop notifications, and the windows' process, started when a
// window is wanted. It imports no Fyne: the service runs all day, and with no Fyne app
// there is no OpenGL context and no 60 Hz loop in it. The windows run in `syncguard
// window NAME`, a child process that exits when its last window closes.
package tray

import (
	"encoding/json"
	"sync"
	"time"

	"fyne.io/systray"

	"github.com/syncguard/syncguard/app"
)

// Service is what the tray asks of the service (*app.Service).
type Service interface {
	Status() app.Status
	Subscribe(f func(app.Event)) (unsubscribe func())
	Pause(d time.Duration)
	ShowWindow(name string)
}

// startingLine is the menu's status line until the first status. The pause item's words
// are app.PauseWords and app.ResumeWords, which the popup's button says too.
const startingLine = "SyncGuard is starting…"

// entry is one item of the menu: its label and the window it opens ("" for the status
// line, the pause item and Quit, which the tray handles itself).
type entry struct {
	label, window string
}

// menu is the tray menu, top to bottom; "" is a separator. The status line and the pause
// item are filled in by update.
var menu = []entry{
	{label: startingLine},
	{},
	{"Check my device setup…", app.WindowWizard},
	{"Open SyncGuard", app.WindowStatus},
	{"Contact history…", app.WindowHistory},
	{"Restore contacts…", app.WindowRestore},
	{},
	{label: app.PauseWords},
	{"Settings…", app.WindowSettings},
	{},
	{label: "Quit"},
}

// notifier shows a desktop notification (notify.Notifier).
type notifier interface {
	Send(title, body string) error
}

// tray is the icon and menu, kept in step with the service's events. Its methods run on
// the service's goroutines and on the menu's: mu guards its state.
type tray struct {
	svc     Service
	windows *windowProcess
	notify  notifier
	logf    func(format string, a ...any)
	quit    func()
	// begin starts the service's watching and checks (app.Service.Start), once the tray
	// shows the first status.
	begin func()
	// release gives memory back once the service is idle again (settleFor after the last
	// event or window process): the garbage of a snapshot, the history's mapped pages.
	release func()

	mu          sync.Mutex
	items       map[string]*systray.MenuItem // by label, as first built
	status      *systray.MenuItem
	pause       *systray.MenuItem
	iconName    string
	line        string
	paused      bool
	notified    int // desktop notifications sent (tests count them)
	unsubscribe func()
	settle      *time.Timer
	// gathered are the popups of the moment while no window process runs; gather shows
	// them when no more come (gatherFor).
	gathered *app.Popup
	gather   *time.Timer
}

// settleFor is how long after the last event the service is taken to be idle: a
// snapshot's events come in a burst (the snapshot, then the device check).
const settleFor = 10 * time.Second

// settled schedules release for when nothing has happened for settleFor.
func (t *tray) settled() {
	if t.release == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.settle == nil {
		t.settle = time.AfterFunc(settleFor, t.release)
		return
	}
	t.settle.Reset(settleFor)
}

// build adds the menu to the tray icon and starts serving its clicks.
func (t *tray) build() {
	systray.SetTitle("SyncGuard") // the name StatusNotifier hosts show; some need one
	systray.SetTooltip("SyncGuard")
	t.setIcon(string(app.StateSetup))
	t.items = map[string]*systray.MenuItem{}
	for _, e := range menu {
		if e.label == "" {
			systray.AddSeparator()
			continue
		}
		it := systray.AddMenuItem(e.label, "")
		t.items[e.label] = it
		switch e.label {
		case startingLine:
			t.status = it
			it.Disable()
			continue
		case app.PauseWords:
			t.pause = it
			go t.serve(it, t.togglePause)
			continue
		case "Quit":
			go t.serve(it, t.quit)
			continue
		}
		go t.serve(it, func() { t.svc.ShowWindow(e.window) })
	}
}

// serve runs f for each click on the item.
func (t *tray) serve(it *systray.MenuItem, f func()) {
	for range it.ClickedCh {
		f()
	}
}

// update shows a new status: the icon, the status line, the pause item; then what the
// event asks for: a popup is a desktop notification and the popup window, a window
// request opens the windows' process when none runs.
func (t *tray) update(e app.Event) {
	st := e.Status
	t.mu.Lock()
	if st.Icon != "" && st.Icon != t.iconName {
		t.setIcon(st.Icon)
	}
	if st.Line != "" && st.Line != t.line {
		t.line = st.Line
		t.status.SetTitle(st.Line)
	}
	if paused := !st.PausedUntil.IsZero(); paused != t.paused {
		t.paused = paused
		if paused {
			t.pause.SetTitle(app.ResumeWords)
		} else {
			t.pause.SetTitle(app.PauseWords)
		}
	}
	t.mu.Unlock()
	if p := e.Popup; p != nil {
		t.mu.Lock()
		t.notified++
		t.mu.Unlock()
		// The notification goes out on its own goroutine: the service's events must not
		// wait for the desktop (PowerShell takes a second to show a toast).
		go func() {
			if err := t.notify.Send("SyncGuard: "+p.Title, p.Message); err != nil {
				t.logf("%v", err)
			}
		}()
		t.popup(p)
	}
	if e.Show != "" {
		t.windows.show(e.Show)
	}
	t.settled()
}

// gatherFor is how long the tray gathers popups before it starts a window process for
// them: at start the snapshot and the device check each raise theirs within a second or
// so, and a process started for the first would not hear the second (it subscribes a few
// hundred milliseconds after it starts). The Fyne tray merged them into one window; so
// does this one, a moment later.
const gatherFor = 1500 * time.Millisecond

// popup shows p: a running window process shows it itself, from the same event; else p is
// merged with the others of the moment and handed to the process started for them.
func (t *tray) popup(p *app.Popup) {
	if t.windows.isRunning() {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gathered = app.Merge(t.gathered, p)
	if t.gather == nil {
		t.gather = time.AfterFunc(gatherFor, t.showGathered)
	} else {
		t.gather.Reset(gatherFor)
	}
}

func (t *tray) showGathered() {
	t.mu.Lock()
	p := t.gathered
	t.gathered = nil
	t.mu.Unlock()
	if p == nil {
		return
	}
	if !t.windows.show(app.WindowPopup, HandOver(p)...) {
		// A window process started meanwhile (the user opened a window) and did not
		// hear these popups: it shows the popup of the open findings.
		t.svc.ShowWindow(app.WindowPopup)
	}
}

// PopupEnv hands the popup to the window process started to show it (ui reads it under
// the same name).
const PopupEnv = "SYNCGUARD_POPUP"

// maxHandOver bounds the popup handed over in the environment: Windows allows 32,767
// characters for the whole of it. A larger popup (many findings at once) is left to the
// window process, which shows the popup of the open findings instead.
const maxHandOver = 16 << 10

// HandOver is the environment that hands p to a new window process.
func HandOver(p *app.Popup) []string {
	b, err := json.Marshal(p)
	if err != nil || len(b) > maxHandOver {
		return nil
	}
	return []string{PopupEnv + "=" + string(b)}
}

// setIcon shows the icon of a state name; t.mu is held.
func (t *tray) setIcon(name string) {
	t.iconName = name
	systray.SetIcon(iconFor(name))
}

func (t *tray) togglePause() {
	t.mu.Lock()
	paused := t.paused
	t.mu.Unlock()
	if paused {
		t.svc.Pause(0)
	} else {
		t.svc.Pause(time.Hour)
	}
}
