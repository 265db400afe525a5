package tray

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/notify"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/testkit"
)

// standIn is the windows' process in this test: a process that runs until the test ends
// it (closes its standard input), as the real one runs until its last window closes.
type standIn struct {
	mu     sync.Mutex
	names  []string    // the window each start was for
	cmds   []*exec.Cmd // as started
	closes []*os.File
}

func (s *standIn) command(name string) *exec.Cmd {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names = append(s.names, name)
	cmd := exec.Command("cat")
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	cmd.Stdin = r // an *os.File: the child reads it directly, cat exits when w closes
	s.closes = append(s.closes, w, r)
	s.cmds = append(s.cmds, cmd)
	return cmd
}

func (s *standIn) started() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.names)
}

// closeLast makes the last window process exit, as when its last window is closed.
func (s *standIn) closeLast() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closes[len(s.closes)-2].Close()
}

// menuItem is one item of the tray menu as a StatusNotifier host reads it over D-Bus.
type menuItem struct {
	id        int32
	label     string
	separator bool
	enabled   bool
}

// hostView reads the tray as the desktop's panel does: the menu through
// com.canonical.dbusmenu and the icon through org.kde.StatusNotifierItem, on the bus.
type hostView struct {
	t    *testing.T
	conn *dbus.Conn
	name string
}

func (h *hostView) menu() []menuItem {
	h.t.Helper()
	var rev uint32
	var layout struct {
		ID    int32
		Props map[string]dbus.Variant
		Kids  []dbus.Variant
	}
	err := h.conn.Object(h.name, "/StatusNotifierItem/menu").
		Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &layout)
	if err != nil {
		h.t.Fatal(err)
	}
	var items []menuItem
	for _, k := range layout.Kids {
		kid := k.Value().([]any)
		props := kid[1].(map[string]dbus.Variant)
		it := menuItem{id: kid[0].(int32), enabled: true}
		if v, ok := props["type"]; ok && v.Value() == "separator" {
			it.separator = true
		}
		if v, ok := props["label"]; ok {
			it.label = v.Value().(string)
		}
		if v, ok := props["enabled"]; ok {
			it.enabled = v.Value().(bool)
		}
		items = append(items, it)
	}
	return items
}

func (h *hostView) click(label string) {
	h.t.Helper()
	for _, it := range h.menu() {
		if it.label == label {
			err := h.conn.Object(h.name, "/StatusNotifierItem/menu").
				Call("com.canonical.dbusmenu.Event", 0, it.id, "clicked", dbus.MakeVariant(""), uint32(0)).Err
			if err != nil {
				h.t.Fatal(err)
			}
			return
		}
	}
	h.t.Fatalf("no menu item %q in %+v", label, h.menu())
}

// icon is the tray icon's picture, as the host draws it (ARGB pixels).
func (h *hostView) icon() (w, ht int32, argb []byte) {
	h.t.Helper()
	v, err := h.conn.Object(h.name, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.IconPixmap")
	if err != nil {
		h.t.Fatal(err)
	}
	px := v.Value().([][]any)
	if len(px) == 0 {
		return 0, 0, nil
	}
	return px[0][0].(int32), px[0][1].(int32), px[0][2].([]byte)
}

// waitFor polls until ok holds: what the tray does on a click happens after the click's
// D-Bus call returned. A minute is a guard against a hang, not a measure of speed.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(time.Minute); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: never happened", what)
		}
	}
}

func argbOf(t *testing.T, pngData []byte) (int32, int32, []byte) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	out := make([]byte, 0, 4*b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			out = append(out, byte(a), byte(r), byte(g), byte(bl))
		}
	}
	return int32(b.Dx()), int32(b.Dy()), out
}

var trayRan bool

// The tray as the desktop's panel sees it, over a real D-Bus: the menu of the Fyne tray it
// replaces, item for item, with the status line greyed; a menu item asks the service for
// its window, and the windows' process is started only when none runs; the pause item
// pauses and turns into "Resume warnings" with the paused icon; a popup is a desktop
// notification and the popup window; Quit ends the tray.
func TestTheTrayOverDBus(t *testing.T) {
	// fyne.io/systray keeps one tray per process: it cannot run a second time (-count=2).
	if trayRan {
		t.Skip("the tray has run in this process already (fyne.io/systray runs once per process)")
	}
	trayRan = true
	bus := testkit.DBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus) // systray and the notifier use the session bus
	shown := testkit.NotificationServer(t, bus)

	dir := t.TempDir()
	svc, err := app.New(app.Options{DataDir: filepath.Join(dir, "data"), Policy: policy.Default(), NoLiveDetect: true,
		Processes: func() ([]string, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	var mu sync.Mutex
	var asked []string // the windows asked of the service, as the window process hears them
	svc.Subscribe(func(e app.Event) {
		if e.Show != "" {
			mu.Lock()
			asked = append(asked, e.Show)
			mu.Unlock()
		}
	})
	win := &standIn{}
	logs := make(chan string, 16)
	logf := func(f string, a ...any) {
		select {
		case logs <- fmt.Sprintf(f, a...):
		default:
		}
	}
	tr := &tray{svc: svc, windows: &windowProcess{command: win.command, logf: logf},
		notify: notify.New(""), logf: logf, quit: systray.Quit, begin: func() {}}
	defer tr.windows.stop()
	ended := make(chan struct{})
	go func() {
		systray.Run(func() { tr.start("") }, nil)
		close(ended)
	}()
	defer func() {
		select {
		case <-ended:
		default:
			systray.Quit()
			<-ended
		}
	}()

	host, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	h := &hostView{t: t, conn: host, name: fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())}
	waitFor(t, "the tray on the bus", func() bool {
		var has bool
		host.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, h.name).Store(&has)
		return has
	})

	st := svc.Status()
	want := []menuItem{
		{label: st.Line}, {separator: true},
		{label: "Check my device setup…", enabled: true}, {label: "Open SyncGuard", enabled: true},
		{label: "Contact history…", enabled: true}, {label: "Restore contacts…", enabled: true},
		{separator: true},
		{label: "Pause warnings for 1 hour", enabled: true}, {label: "Settings…", enabled: true},
		{separator: true},
		{label: "Quit", enabled: true},
	}
	var got []menuItem
	waitFor(t, "the status line", func() bool {
		got = h.menu()
		return len(got) > 0 && got[0].label == st.Line
	})
	for i := range got {
		got[i].id = 0
		if got[i].separator {
			got[i] = menuItem{separator: true}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("the tray menu:\n%+v\nwant\n%+v", got, want)
	}
	if w, ht, px := h.icon(); !slices.Equal(px, third(argbOf(t, assets.TrayIcon("setup")))) || w != 64 || ht != 64 {
		t.Errorf("the icon before set-up is not the set-up icon (%dx%d)", w, ht)
	}

	// Nothing is set up: the wizard opens by itself, in a window process started for it.
	waitFor(t, "the wizard's window process", func() bool { return len(win.started()) == 1 })
	if got := win.started(); got[0] != app.WindowWizard {
		t.Errorf("the first start opened %q, want the wizard", got)
	}
	// With it running, a menu item goes to it (the service's event), no second process.
	h.click("Settings…")
	waitFor(t, "the settings request", func() bool { mu.Lock(); defer mu.Unlock(); return slices.Contains(asked, "settings") })
	if got := win.started(); len(got) != 1 {
		t.Errorf("a second window process was started while one ran: %q", got)
	}
	// Its last window closed, it exits; the next item starts a new one for its window.
	win.closeLast()
	waitFor(t, "the window process's exit", func() bool { return !tr.windows.isRunning() })
	h.click("Restore contacts…")
	waitFor(t, "a new window process", func() bool { return len(win.started()) == 2 })
	if got := win.started(); got[1] != app.WindowRestore {
		t.Errorf("Restore contacts… started the window process for %q", got[1])
	}

	// Pause: the item turns into Resume, and the icon gets its pause badge.
	h.click("Pause warnings for 1 hour")
	waitFor(t, "Resume warnings", func() bool { return h.menu()[7].label == "Resume warnings" })
	paused := svc.Status()
	if paused.PausedUntil.IsZero() {
		t.Error("the service is not paused")
	}
	if _, _, px := h.icon(); !slices.Equal(px, third(argbOf(t, assets.TrayIcon(paused.Icon)))) {
		t.Errorf("the icon is not %s's", paused.Icon)
	}
	h.click("Resume warnings")
	waitFor(t, "Pause again", func() bool { return h.menu()[7].label == "Pause warnings for 1 hour" })

	// A popup: the desktop notification, and the popup window in the running process.
	tr.update(app.Event{Status: svc.Status(), Popup: &app.Popup{Title: "40 contacts were deleted", Message: "A device sync deleted 40 contacts."}})
	n := <-shown
	if n.Summary != "SyncGuard: 40 contacts were deleted" || n.Body != "A device sync deleted 40 contacts." {
		t.Errorf("the notification: %+v", n)
	}
	if got := win.started(); len(got) != 2 {
		t.Errorf("the popup started a second window process: %q", got)
	}

	h.click("Quit")
	<-ended
}

func third[A, B, C any](_ A, _ B, c C) C { return c }

// At start the snapshot and the device check each raise a popup within moments: with no
// window open, the tray starts one window process for both and hands it both, merged, as
// the Fyne tray merged them into the one window it showed.
func TestThePopupsOfAMomentGoToOneWindowProcess(t *testing.T) {
	win := &standIn{}
	tr := &tray{windows: &windowProcess{command: win.command, logf: func(string, ...any) {}}}
	defer tr.windows.stop()
	tr.popup(&app.Popup{Reason: app.AfterChange, Title: "40 contacts disappeared", Findings: []findings.Finding{{ID: "mass-deletion-1"}}})
	tr.popup(&app.Popup{Reason: app.AfterChange, Title: "A device is also paired elsewhere", Findings: []findings.Finding{{ID: "shared-device-1"}}})
	// Running: show has set the process's environment (under the lock isRunning takes).
	waitFor(t, "the popup's window process", tr.windows.isRunning)
	win.mu.Lock()
	cmd := win.cmds[0]
	win.mu.Unlock()
	var handed *app.Popup
	for _, kv := range cmd.Env {
		if v, ok := strings.CutPrefix(kv, PopupEnv+"="); ok {
			if err := json.Unmarshal([]byte(v), &handed); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := win.started(); len(got) != 1 || got[0] != app.WindowPopup {
		t.Fatalf("window processes started: %q, want one for the popup", got)
	}
	if handed == nil || len(handed.Findings) != 2 {
		t.Fatalf("the window process was handed %+v, want both popups' findings", handed)
	}
}
