package ui

import (
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/internal/autostart"
	"github.com/syncguard/syncguard/internal/findings"
)

// settingsWindow shows the export location, the fleet folder, notifications and start at
// login. What the admin policy sets is shown read-only, with where it comes from.
type settingsWindow struct {
	u   *ui
	win fyne.Window
	// saved confirms each change as it is saved ("Saved at 10:04: …"): a setting that
	// applies silently leaves the user wondering whether it took.
	saved *widget.Label
}

func newSettingsWindow(u *ui) *settingsWindow {
	return &settingsWindow{u: u, win: u.newWindow("SyncGuard: settings", fyne.NewSize(700, 520))}
}

// loginEntry is what "Start at login" starts: this very executable.
func loginEntry() autostart.Entry {
	exe, _ := os.Executable()
	if p, err := filepath.EvalSymlinks(exe); err == nil {
		exe = p
	}
	return autostart.Entry{ID: AppID, Name: "SyncGuard", Exec: exe}
}

func (s *settingsWindow) open() {
	s.fill()
	s.u.present(s.win)
	s.win.RequestFocus()
}

func (s *settingsWindow) fill() {
	u := s.u
	e := u.svc.Settings()
	locked := "Set by your IT department's policy"
	if e.PolicyFile != "" {
		locked += " (" + e.PolicyFile + ")"
	}
	locked += "; it cannot be changed here."

	export := widget.NewEntry()
	export.SetText(e.Export)
	export.SetPlaceHolder("the Outlook export file or folder")
	exportRow := container.NewBorder(nil, nil, nil, container.NewHBox(
		widget.NewButton("File…", func() { u.pickFile(s.win, func(p string) { export.SetText(p); s.setExport(p) }) }),
		widget.NewButton("Folder…", func() { u.pickFolder(s.win, func(p string) { export.SetText(p); s.setExport(p) }) }),
		widget.NewButton("Save", func() { s.setExport(export.Text) }),
	), export)
	export.OnSubmitted = s.setExport
	var exportItem fyne.CanvasObject = exportRow
	if e.ExportLocked {
		export.Disable()
		exportItem = container.NewVBox(export, wrapped(locked))
	}

	fleetDir := widget.NewEntry()
	fleetDir.SetText(e.FleetFolder)
	fleetDir.SetPlaceHolder(`the firm's shared folder, e.g. \\fileserver\SyncGuard`)
	setFleet := func(p string) {
		p = strings.TrimSpace(p)
		what := "the fleet folder is " + p
		if p == "" {
			what = "no fleet folder"
		}
		s.apply(u.svc.SetFleetFolder(p), what)
	}
	fleetDir.OnSubmitted = setFleet
	var fleetItem fyne.CanvasObject = container.NewBorder(nil, nil, nil, container.NewHBox(
		widget.NewButton("Folder…", func() {
			u.pickFolder(s.win, func(p string) { fleetDir.SetText(p); setFleet(p) })
		}),
		widget.NewButton("Save", func() { setFleet(fleetDir.Text) }),
	), fleetDir)
	if e.FleetLocked {
		fleetDir.Disable()
		fleetItem = container.NewVBox(fleetDir, wrapped(locked))
	}

	notify := widget.NewCheck("Show popup warnings and desktop notifications", nil)
	notify.SetChecked(e.Notifications)
	notify.OnChanged = func(on bool) {
		s.apply(u.svc.SetNotifications(on), map[bool]string{true: "popup warnings are on", false: "popup warnings are off"}[on])
	}
	var notifyItem fyne.CanvasObject = notify
	if e.NotificationsLocked {
		notify.Disable()
		notifyItem = container.NewVBox(notify, wrapped(locked))
	}

	entry := loginEntry()
	login := widget.NewCheck("Start SyncGuard when I log in", nil)
	if !u.demo {
		login.SetChecked(entry.Enabled())
	}
	login.OnChanged = func(on bool) {
		var err error
		if on {
			err = entry.Enable()
		} else {
			err = entry.Disable()
		}
		if err == nil {
			err = u.svc.SetStartAtLogin(on)
		}
		s.apply(err, map[bool]string{true: "SyncGuard starts when you log in", false: "SyncGuard no longer starts when you log in"}[on])
	}
	var loginItem fyne.CanvasObject = login
	if u.demo {
		// The demo's sandbox must leave the computer as it found it: no Run key, no
		// autostart entry for a sandbox that is gone tomorrow.
		login.OnChanged = nil
		login.Disable()
		loginItem = container.NewVBox(login, wrapped("Not in the demo: it never changes how this computer starts."))
	}

	// Where contacts are read: Outlook itself exists only on Windows; elsewhere the export
	// is the only source and no choice is shown.
	var sourceItem fyne.CanvasObject
	if u.outlookSource {
		const fromOutlook, fromFiles = "Outlook itself (no export needed)", "An export file or folder"
		source := widget.NewRadioGroup([]string{fromOutlook, fromFiles}, nil)
		if e.Source == "outlook" {
			source.SetSelected(fromOutlook)
		} else {
			source.SetSelected(fromFiles)
		}
		source.OnChanged = func(choice string) {
			src := map[string]string{fromOutlook: "outlook", fromFiles: "files"}[choice]
			if src == "" {
				return
			}
			go func() {
				err := u.svc.SetSource(src)
				what := "contacts are read from the export"
				if src == "outlook" {
					st := u.svc.Status()
					switch {
					case st.Problem != "":
						what = "contacts are read from Outlook itself. " + st.Problem
					case st.LastSnapshot != nil:
						what = "contacts are read from Outlook itself: " + findings.Plural(st.LastSnapshot.Contacts, "contact", "contacts") + " read"
					default:
						what = "contacts are read from Outlook itself"
					}
				}
				u.do(func() { s.apply(err, what) })
			}()
		}
		sourceItem = source
		if e.SourceLocked {
			source.Disable()
			sourceItem = container.NewVBox(source, wrapped(locked))
		}
	}

	policy := "No policy file: SyncGuard's defaults apply."
	if e.PolicyFile != "" {
		policy = e.PolicyFile
	}
	form := widget.NewForm()
	if sourceItem != nil {
		form.Append("Read contacts from", sourceItem)
	}
	for _, it := range []*widget.FormItem{
		widget.NewFormItem("Outlook export", exportItem),
		widget.NewFormItem("Fleet folder", fleetItem),
		widget.NewFormItem("Warnings", notifyItem),
		widget.NewFormItem("At login", loginItem),
		widget.NewFormItem("Admin policy", wrapped(policy)),
		widget.NewFormItem("Mass deletion", wrapped("a danger from "+e.MassDeletion+" removed in one change")),
		widget.NewFormItem("Data folder", wrapped(u.svc.DataDir())),
	} {
		form.AppendItem(it)
	}
	s.saved = wrapped("Each change is saved as you make it; a path is saved with its Save button or Enter.")
	s.win.SetContent(container.NewBorder(nil, container.NewPadded(s.saved), nil, nil, container.NewVScroll(container.NewPadded(form))))
}

func (s *settingsWindow) setExport(p string) {
	p = strings.TrimSpace(p)
	go func() {
		err := s.u.svc.SetExport(p)
		s.u.do(func() { s.apply(err, "the Outlook export is "+p+"; SyncGuard reads it now") })
	}()
}

// apply says what was saved, or why it was not.
func (s *settingsWindow) apply(err error, what string) {
	if err != nil {
		s.saved.Importance = widget.DangerImportance
		s.saved.SetText("Not saved: " + err.Error())
		showError(err, s.win)
		return
	}
	s.saved.Importance = widget.SuccessImportance
	s.saved.SetText("Saved at " + s.u.clock().Format("15:04") + ": " + what + ".")
}
