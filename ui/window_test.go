package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/app/remote/remotetest"
	"github.com/syncguard/syncguard/internal/findings"
)

// TestTheWindowProcessWorksThroughTheService runs the windows as the window process does:
// on a remote.Client over the real per-user socket of a real service, with no store of
// their own. It opens the window it was started for and those the tray asks for, shows
// the service's popups, and ends with its last window.
func TestTheWindowProcessWorksThroughTheService(t *testing.T) {
	uiQueue = make(chan func(), 4096)
	calmEnds = nil
	a := test.NewApp()
	t.Cleanup(a.Quit)
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	data := filepath.Join(dir, "data")
	svc, l := remotetest.Serve(t, data)
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	if err := svc.SetExport(export); err != nil {
		t.Fatal(err)
	}

	c, err := remote.Dial(data)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u := newWindowUI(a, c)
	u.do = func(f func()) { uiQueue <- f }
	u.after = func(_ time.Duration, f func()) { calmEnds = append(calmEnds, f) }
	quits := 0
	u.quit = func() { quits++ }
	c.Subscribe(func(e app.Event) { u.do(func() { u.update(e) }) })
	u.update(app.Event{Status: c.Status()})

	// Started as `syncguard window settings`: the settings are the service's.
	if !u.open(app.WindowSettings) || !u.onScreen[u.settings.win] {
		t.Fatal("the settings window did not open")
	}
	if s := shown(u.settings.win); !strings.Contains(s, data) {
		t.Fatalf("the settings window does not show the service's data folder:\n%s", s)
	}
	if es := entries(u.settings.win.Content()); len(es) == 0 || es[0].Text != export {
		t.Fatalf("the settings window's export location is not the service's %s", export)
	}

	// The tray's menu asks for the status window.
	svc.ShowWindow(app.WindowStatus)
	eventually(t, "the status window opened by the tray's request", func() bool { return u.onScreen[u.status.win] })
	if s := shown(u.status.win); !strings.Contains(s, "All good") {
		t.Fatalf("the status window:\n%s", s)
	}

	// A device sync deletes 40 contacts: the service's popup opens here.
	writeExport(t, export, 260)
	svc.Scan()
	eventually(t, "the popup", func() bool { return u.popup != nil && u.popup.visible })
	if w, _ := findings.Worst(u.popup.popup.Findings); w != findings.Danger || !u.onScreen[u.popup.win] {
		t.Fatalf("the popup: %q", u.popup.popup.Title)
	}

	// The history window reads the history through the service.
	u.open(app.WindowHistory)
	eventually(t, "the history's timeline", func() bool { return len(u.history.snaps) == 2 })
	if len(u.history.rows) != 40 {
		t.Fatalf("the newest change lists %d contacts, want the 40 removed", len(u.history.rows))
	}

	// Windows close; the process lives while one is left, and the popup's "Review in
	// SyncGuard" (which closes the popup and opens the status window) does not end it.
	u.conceal(u.settings.win)
	u.history.win.Hide()
	u.history.visible = false
	u.gone(u.history.win)
	u.conceal(u.status.win)
	test.Tap(button(t, u.popup.win, "Review in SyncGuard"))
	pump()
	if quits != 0 || !u.onScreen[u.status.win] {
		t.Fatalf("after the popup's review: %d quits, status window on screen %v", quits, u.onScreen[u.status.win])
	}
	u.conceal(u.status.win)
	pump()
	if quits != 1 {
		t.Fatalf("the last window closed: %d quits, want 1", quits)
	}

	// The service stops: the window process learns it.
	l.Close()
	<-c.Done()
}

// entries finds the text entries under o, top to bottom.
func entries(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	for _, x := range test.LaidOutObjects(o) {
		if e, ok := x.(*widget.Entry); ok {
			out = append(out, e)
		}
	}
	return out
}

// TestTheWindowsDoNotImportTheCommandLine: the windows run in a process of their own and
// talk to the service; the command line is another face of that service, not theirs.
func TestTheWindowsDoNotImportTheCommandLine(t *testing.T) {
	// go test puts its own go first in the PATH.
	// The windows' start-up is built with cgo (Fyne's driver); list what that build
	// imports also when the tests themselves run without cgo.
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "github.com/syncguard/syncguard/internal/cli" {
			t.Fatal("ui imports internal/cli")
		}
	}
	if !strings.Contains(string(out), "github.com/syncguard/syncguard/app/remote") {
		t.Fatalf("go list -deps printed no app/remote, the window process's client:\n%s", out)
	}
}
