package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
)

func writeExport(t *testing.T, path string, n int) {
	t.Helper()
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, gen.Book(4, 300)[:n]); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o600)
	old := time.Now().Add(-time.Minute)
	os.Chtimes(path, old, old)
}

// texts collects what the window shows: label and button texts, card titles.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, "["+w.Text+"]")
		case *widget.Card:
			out = append(out, w.Subtitle)
			if w.Content != nil {
				walk(w.Content)
			}
		case *container.Scroll:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case *widget.Card:
			walk(w.Content)
		case *container.Scroll:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return found
}

func TestAFindingTurnsTheTrayAndIsAcknowledgedFromTheWindow(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	svc, err := app.New(filepath.Join(dir, "data"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	tr := newTray(a, svc)
	events := make(chan app.Event, 16)
	svc.Subscribe(func(e app.Event) {
		fyne.Do(func() { tr.update(e) })
		events <- e
	})
	tr.update(app.Event{Status: svc.Status()})
	if !strings.Contains(strings.Join(texts(tr.win.Content()), "\n"), "not set up yet") {
		t.Errorf("before set-up the window must say so: %v", texts(tr.win.Content()))
	}
	if err := svc.SetExport(export); err != nil {
		t.Fatal(err)
	}
	// A device sync deletes 40 contacts.
	writeExport(t, export, 260)
	test.AssertNotificationSent(t, fyne.NewNotification("SyncGuard: 40 contacts disappeared from Outlook at once",
		"Do not sync the device again until this is understood. Restore the deleted contacts into Outlook (Restore these contacts), then check the device setup."),
		svc.Scan)
	var e app.Event
	for e = range events {
		if len(e.Popup) > 0 {
			break
		}
	}
	if e.Status.State != app.StateDanger || tr.status.Label != e.Status.Sentence {
		t.Fatalf("state %s, tray status line %q", e.Status.State, tr.status.Label)
	}
	shown := strings.Join(texts(tr.win.Content()), "\n")
	for _, want := range []string{"40 contacts disappeared from Outlook at once", "[This was intended]", "[Restore these contacts…]", "What to do"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the window lacks %q:\n%s", want, shown)
		}
	}
	ack := findButton(tr.win.Content(), "This was intended")
	if ack == nil {
		t.Fatal("no acknowledge button")
	}
	test.Tap(ack)
	deadline := time.After(20 * time.Second)
	for {
		select {
		case e = <-events:
			if e.Status.State == app.StateOK {
				if strings.Contains(strings.Join(texts(tr.win.Content()), "\n"), "disappeared") {
					t.Error("the acknowledged finding is still shown")
				}
				return
			}
		case <-deadline:
			t.Fatal("acknowledging did not bring the state back to all good")
		}
	}
}
