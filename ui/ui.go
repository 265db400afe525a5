// Package ui is SyncGuard's face and the only package besides cmd/ that imports Fyne: the
// tray icon and menu, the status window and popup warnings. It calls the headless app
// service and listens to its events; events arrive on the service's goroutine and are
// moved onto Fyne's with fyne.Do.
package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/internal/findings"
)

// AppID is the application id of FyneApp.toml.
const AppID = "io.github.syncguard"

var icons = map[app.State]fyne.Resource{}

func init() {
	for _, s := range []app.State{app.StateOK, app.StateAttention, app.StateDanger, app.StatePaused, app.StateSetup} {
		icons[s] = fyne.NewStaticResource("syncguard-"+string(s)+".png", assets.TrayIcon(string(s)))
	}
}

// StartTray starts the tray app and returns when the user quits.
func StartTray(env *cli.Env, _ []string) error {
	svc, err := app.New(app.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile})
	if err != nil {
		return err
	}
	defer svc.Close()
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("syncguard.png", assets.AppIcon()))
	t := newTray(a, svc)
	svc.Subscribe(func(e app.Event) { fyne.Do(func() { t.update(e) }) })
	svc.Start()
	t.update(app.Event{Status: svc.Status()})
	if st := svc.Status(); st.State == app.StateSetup || st.State == app.StateDanger || os.Getenv("SYNCGUARD_SHOW") != "" {
		t.win.Show() // first start, or something needs the user now
	}
	a.Run()
	return nil
}

type tray struct {
	a      fyne.App
	svc    *app.Service
	desk   desktop.App
	menu   *fyne.Menu
	status *fyne.MenuItem
	win    fyne.Window
}

func newTray(a fyne.App, svc *app.Service) *tray {
	t := &tray{a: a, svc: svc}
	t.win = a.NewWindow("SyncGuard")
	t.win.Resize(fyne.NewSize(760, 700))
	t.win.SetCloseIntercept(t.win.Hide) // closing the window leaves the tray running
	t.status = fyne.NewMenuItem("SyncGuard", nil)
	t.status.Disabled = true
	t.menu = fyne.NewMenu("SyncGuard",
		t.status,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Open SyncGuard", func() { t.win.Show(); t.win.RequestFocus() }),
		fyne.NewMenuItem("Check the export now", func() { go svc.Scan() }),
		fyne.NewMenuItem("Pause warnings for 1 hour", func() { go svc.Pause(time.Hour) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Quit", a.Quit),
	)
	if d, ok := a.(desktop.App); ok {
		t.desk = d
		d.SetSystemTrayMenu(t.menu)
	}
	return t
}

// update shows a new status: the icon, the menu's status line, the window; and pops up
// what the service says must be seen.
func (t *tray) update(e app.Event) {
	st := e.Status
	if t.desk != nil {
		t.desk.SetSystemTrayIcon(icons[st.State])
	}
	t.status.Label = st.Sentence
	t.menu.Refresh()
	t.win.SetContent(t.statusView(st))
	if e.Popup != nil {
		t.a.SendNotification(fyne.NewNotification("SyncGuard: "+e.Popup.Title, e.Popup.Message))
		t.win.Show()
		t.win.RequestFocus()
	}
}

// statusView is the status window: the state in one sentence, the open findings with
// their explanations and actions, the last snapshot and the export location.
func (t *tray) statusView(st app.Status) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(st.Sentence, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	items := container.NewVBox()
	for _, f := range st.Open {
		items.Add(t.findingCard(f))
	}
	if len(st.Open) == 0 && st.State != app.StateSetup {
		items.Add(widget.NewLabel("No open findings."))
	}
	exportText := st.Export
	if exportText == "" {
		exportText = "not chosen yet"
	}
	export := widget.NewLabel("Outlook export: " + exportText)
	export.Wrapping = fyne.TextWrapWord
	choose := widget.NewButton("Choose the export…", t.chooseExport)
	if t.svc.ExportLocked() {
		choose.Disable()
		export.SetText(export.Text + " (set by your IT department)")
	}
	last := "No snapshot yet."
	if s := st.LastSnapshot; s != nil {
		last = fmt.Sprintf("Last change recorded %s: %d contacts (%d added, %d removed, %d changed).",
			s.Time.Local().Format("Mon Jan 2 15:04"), s.Contacts, s.Added, s.Removed, s.Changed)
	}
	lastLabel := widget.NewLabel(last)
	lastLabel.Wrapping = fyne.TextWrapWord
	var problem fyne.CanvasObject = container.NewVBox()
	if st.Problem != "" {
		p := widget.NewLabel("The export could not be read: " + st.Problem)
		p.Wrapping = fyne.TextWrapWord
		problem = p
	}
	how := widget.NewLabel("How to export from Outlook: File > Open & Export > Import/Export > Export to a file > " +
		"Comma Separated Values > Contacts. CSV keeps categories and Mileage, which Outlook's vCards leave out.")
	how.Wrapping = fyne.TextWrapWord
	bottom := container.NewVBox(widget.NewSeparator(), lastLabel, problem, export, container.NewHBox(choose), how)
	return container.NewBorder(container.NewPadded(head), container.NewPadded(bottom), nil, nil, container.NewVScroll(container.NewPadded(items)))
}

func (t *tray) findingCard(f findings.Finding) fyne.CanvasObject {
	body := widget.NewLabel(f.Explanation + "\n\nWhat to do: " + f.Advice)
	body.Wrapping = fyne.TextWrapWord
	var lines []string
	for i, c := range f.Contacts {
		if i == 8 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(f.Contacts)-8))
			break
		}
		if c.Detail != "" {
			lines = append(lines, c.Name+": "+c.Detail)
		} else {
			lines = append(lines, c.Name)
		}
	}
	who := widget.NewLabel("")
	if len(lines) > 0 {
		who.SetText(joinLines(lines))
		who.Wrapping = fyne.TextWrapWord
	}
	ack := widget.NewButton("This was intended", func() {
		go func() {
			if err := t.svc.Acknowledge(f.ID); err != nil {
				fyne.Do(func() { dialog.ShowError(err, t.win) })
			}
		}()
	})
	buttons := container.NewHBox(ack)
	if len(f.Contacts) > 0 && f.SnapshotID > 0 {
		buttons.Add(widget.NewButton("Restore these contacts…", func() { t.restore(f) }))
	}
	title := fmt.Sprintf("%s — %s", severityWord(f.Severity), f.Title)
	return widget.NewCard("", title, container.NewVBox(body, who, buttons))
}

func severityWord(s findings.Severity) string {
	switch s {
	case findings.Danger:
		return "Danger"
	case findings.Warning:
		return "Warning"
	}
	return "Note"
}

func joinLines(ls []string) string {
	out := ""
	for i, l := range ls {
		if i > 0 {
			out += "\n"
		}
		out += "• " + l
	}
	return out
}

func (t *tray) restore(f findings.Finding) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		go func() {
			n, err := t.svc.RestoreFinding(f.ID, path, app.FormatFor(path))
			fyne.Do(func() {
				if err != nil {
					dialog.ShowError(err, t.win)
					return
				}
				dialog.ShowInformation("Contacts restored", fmt.Sprintf("%d contacts were written to %s.\n\n%s", n, filepath.Base(path), cli.ImportSteps), t.win)
			})
		}()
	}, t.win)
	d.SetFileName("SyncGuard restore.csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
}

func (t *tray) chooseExport() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		go func() {
			if err := t.svc.SetExport(u.Path()); err != nil {
				fyne.Do(func() { dialog.ShowError(err, t.win) })
			}
		}()
	}, t.win)
	d.Show()
}
