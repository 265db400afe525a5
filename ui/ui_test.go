package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/outlook/outlooktest"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// The export writers every test of the service and the windows shares (atomic writes).
var writeBook, writeExport = books.WriteBook, books.WriteExport

// uiQueue is the test's "main loop": Fyne's test driver runs fyne.Do on the caller's
// goroutine, so the service's events and the UI's background work are queued here and run
// on the test's goroutine, the only one that touches widgets, when it pumps.
var uiQueue = make(chan func(), 4096)

// calmEnds holds what u.after was asked to run later: a test ends the calm after an
// acceptance when it chooses, instead of waiting on the clock.
var calmEnds []func()

func endCalm() {
	fs := calmEnds
	calmEnds = nil
	for _, f := range fs {
		f()
	}
}

func pump() {
	for {
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}

// setup starts the service and the windows on the test driver, wired as StartWindow wires
// them (to the service itself here rather than over its socket), on the default policy:
// never this machine's.
func setup(t *testing.T) (*ui, *app.Service, string) {
	t.Helper()
	uiQueue = make(chan func(), 4096) // nothing left over from another test
	calmEnds = nil
	a := test.NewApp()
	t.Cleanup(a.Quit)
	dir := t.TempDir()
	t.Setenv("HOME", dir) // where the file dialogs open
	svc, err := app.New(app.Options{DataDir: filepath.Join(dir, "data"), NoLiveDetect: true, Policy: policy.Default(),
		Processes: func() ([]string, error) { return nil, nil }, User: func() string { return `FIRM\anna` }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	u := newUI(a, svc)
	u.do = func(f func()) { uiQueue <- f }
	u.after = func(_ time.Duration, f func()) { calmEnds = append(calmEnds, f) }
	svc.Subscribe(func(e app.Event) { u.do(func() { u.update(e) }) })
	u.update(app.Event{Status: svc.Status()})
	return u, svc, dir
}

// newUI is the windows on svc for a test: unlike the window process's, closing the last
// window does not quit, so a test can close and open windows in turn.
func newUI(a fyne.App, svc app.API) *ui { return makeUI(a, svc, false) }

// eventually runs the queued UI work and waits for cond; the bound is against a hang,
// not a timing target.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		pump()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: never happened", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// shown is every text a window shows, as the user reads it: labels, buttons, card
// titles, checks and radio choices, through every container and widget renderer.
func shown(w fyne.Window) string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if !o.Visible() {
			continue
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, "["+x.Text+"]")
		case *widget.Card:
			out = append(out, x.Title, x.Subtitle)
		case *widget.Check:
			out = append(out, "("+x.Text+")")
		}
	}
	return strings.Join(out, "\n")
}

// button finds a visible button by its text.
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	bs := buttons(w.Content(), text)
	if len(bs) == 0 {
		t.Fatalf("no button %q in:\n%s", text, shown(w))
	}
	return bs[0]
}

// buttons finds every visible button with that text under o, top to bottom.
func buttons(o fyne.CanvasObject, text string) []*widget.Button {
	var out []*widget.Button
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text && x.Visible() {
			out = append(out, b)
		}
	}
	return out
}

// dialogShown is the text of the dialog on top of w ("" when none), and its buttons.
func dialogShown(w fyne.Window) (string, map[string]*widget.Button) {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return "", nil
	}
	var text []string
	bs := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Label:
			text = append(text, x.Text)
		case *widget.Button:
			bs[x.Text] = x
		}
	}
	return strings.Join(text, "\n"), bs
}

// The file dialogs are Fyne's own, driven as a user drives them: the dialog over the
// window, its file name field, its items and its buttons. Each test's HOME is its temporary
// folder, where the dialogs open (setup).

// overDialog is the dialog shown over w; the test fails if none opened.
func overDialog(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil || !top.Visible() {
		t.Fatalf("no dialog opened over %q", w.Title())
	}
	return top
}

// dialogButton is a button of the dialog over w.
func dialogButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(overDialog(t, w)) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("the dialog over %q has no button %q", w.Title(), text)
	return nil
}

// saveAs types name into the save dialog over w and presses Save.
func saveAs(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	var entry *widget.Entry
	for _, o := range test.LaidOutObjects(overDialog(t, w)) {
		if e, ok := o.(*widget.Entry); ok {
			entry = e
		}
	}
	if entry == nil {
		t.Fatal("the save dialog has no file name field")
	}
	entry.SetText("")
	test.Type(entry, name)
	test.Tap(dialogButton(t, w, "Save"))
}

// tapItem taps the item labelled name in the file dialog over w: a folder opens, a file
// is chosen. The grid shows names without their extension.
func tapItem(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	for _, o := range test.LaidOutObjects(overDialog(t, w)) {
		item, ok := o.(fyne.Tappable)
		wid, isWidget := o.(fyne.Widget)
		if _, isButton := o.(*widget.Button); !ok || !isWidget || isButton {
			continue
		}
		for _, c := range test.WidgetRenderer(wid).Objects() {
			if l, ok := c.(*widget.Label); ok && l.Text == name {
				test.Tap(item)
				return
			}
		}
	}
	t.Fatalf("the dialog over %q shows no %q", w.Title(), name)
}

func TestAFindingTurnsTheTrayAndPopsUp(t *testing.T) {
	u, svc, dir := setup(t)
	if u.State() != app.StateSetup {
		t.Fatalf("before set-up: %s", u.State())
	}
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	if err := svc.SetExport(export); err != nil {
		t.Fatal(err)
	}
	eventually(t, "all good", func() bool { return u.State() == app.StateOK })

	// A device sync deletes 40 contacts.
	writeExport(t, export, 260)
	svc.Scan()
	eventually(t, "the windows turn to danger", func() bool { return u.State() == app.StateDanger })
	eventually(t, "the popup", func() bool { return u.popups == 1 })
	text := shown(u.popup.win)
	for _, want := range []string{"40 contacts disappeared from Outlook at once", "What to do:", "[Restore these contacts…]", "[This was intended]", "[Pause warnings for 1 hour]"} {
		if !strings.Contains(text, want) {
			t.Errorf("the popup lacks %q:\n%s", want, text)
		}
	}
	// The status window says the same, with the finding's actions.
	if s := shown(u.status.win); !strings.Contains(s, "Danger: 40 contacts disappeared") || !strings.Contains(s, "[Review the contacts]") {
		t.Errorf("the status window:\n%s", s)
	}
	// "Restore these contacts…", in the popup and in the status window, asks where with
	// Fyne's save dialog and writes the 40 deleted contacts there.
	for i, w := range []fyne.Window{u.popup.win, u.status.win} {
		test.Tap(button(t, w, "Restore these contacts…"))
		name := fmt.Sprintf("rescued %d.csv", i)
		saveAs(t, w, name)
		eventually(t, "the restored contacts in "+name, func() bool {
			cs, errs, _ := exports.ReadFile(filepath.Join(dir, name))
			return len(cs) == 40 && len(errs) == 0
		})
		eventually(t, "the confirmation", func() bool { q, _ := dialogShown(w); return strings.Contains(q, "Contacts restored") })
		test.Tap(dialogButton(t, w, "OK"))
	}
	// Its footer in plain words.
	footer := shown(u.status.win)
	for _, want := range []string{"Watching for changes.", "Syncs with InterAction", "Not known. Check my device setup asks it."} {
		if !strings.Contains(footer, want) {
			t.Errorf("the footer lacks %q:\n%s", want, footer)
		}
	}
	for _, bad := range []string{"change events", "(user)", "InterAction sync here"} {
		if strings.Contains(footer, bad) {
			t.Errorf("the footer says %q", bad)
		}
	}
	// "This was intended" in the popup asks first, naming what is accepted; then the tray
	// goes back to all good, and the finding does not pop up again.
	test.Tap(button(t, u.popup.win, "This was intended"))
	q, bs := dialogShown(u.popup.win)
	if !strings.Contains(q, "Accept that 40 contacts were deleted?") || bs["Accept"] == nil {
		t.Fatalf("no confirmation naming what is accepted: %q", q)
	}
	test.Tap(bs["Accept"])
	eventually(t, "all good after acknowledging", func() bool { return u.State() == app.StateOK })
	svc.ScanNow()
	pump()
	if u.popups != 1 {
		t.Error("the acknowledged finding popped up again")
	}
}

func TestTheWizardWalkedStepByStepEndsInAChecklist(t *testing.T) {
	u, _, dir := setup(t)
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 120)
	report := filepath.Join(dir, "report.txt")

	u.showWizard()
	w := u.wizard
	heading := func() string { return w.heading.Text }
	if !strings.HasPrefix(heading(), "Step 1 of 7") {
		t.Fatalf("first step: %q", heading())
	}
	// Next without a name stays on the step and says what is missing.
	test.Tap(w.next)
	if !strings.Contains(heading(), "give the device a name") {
		t.Errorf("no name: %q", heading())
	}
	test.Type(w.name, "Anna's Treo")
	if !slices.Contains(w.software.Options, "I don't know") {
		t.Errorf("the sync software list has no \"I don't know\": %v", w.software.Options)
	}
	w.software.SetSelected("Palm Desktop HotSync Manager")
	test.Tap(w.next)

	if !strings.HasPrefix(heading(), "Step 2 of 7: The sync software's version") {
		t.Fatalf("step 2: %q", heading())
	}
	if !strings.Contains(shown(w.win), "The newest version SyncGuard knows is") {
		t.Errorf("the version step gives no hint:\n%s", shown(w.win))
	}
	// The version step needs a version or "I don't know".
	test.Tap(w.next)
	if !strings.HasPrefix(heading(), "Step 2 of 7") || !strings.Contains(heading(), "I don't know the version") {
		t.Fatalf("no version given, yet: %q", heading())
	}
	test.Type(w.version, "4.1")
	test.Tap(w.next)

	if !strings.HasPrefix(heading(), "Step 3 of 7") || !strings.Contains(shown(w.win), "HotSync Action for the Contacts (Address Book) conduit") {
		t.Fatalf("step 3 asks with the software's own names:\n%s", shown(w.win))
	}
	// Step 3 does not advance without an answer, and says so; "I don't know" is one.
	rg := w.settings["hotsync/contacts-action"]
	if !slices.Contains(rg.Options, "I don't know") {
		t.Errorf("the setting's choices lack \"I don't know\": %v", rg.Options)
	}
	test.Tap(w.next)
	if !strings.HasPrefix(heading(), "Step 3 of 7") || !strings.Contains(heading(), "answer every setting") {
		t.Fatalf("step 3 unanswered: %q", heading())
	}
	rg.SetSelected("Handheld overwrites Desktop")
	test.Tap(w.next)

	if !strings.HasPrefix(heading(), "Step 4 of 7: Other computers") {
		t.Fatalf("step 4: %q", heading())
	}
	test.Tap(w.next)
	if !strings.HasPrefix(heading(), "Step 4 of 7") || !strings.Contains(heading(), "answer both questions") {
		t.Fatalf("step 4 unanswered: %q", heading())
	}
	w.others.SetSelected(othersYes)
	test.Tap(w.othersIA)
	w.here.SetSelected(hereYes)
	test.Tap(w.next)

	if !strings.Contains(shown(w.win), "keeps one category per contact") {
		t.Errorf("the categories step:\n%s", shown(w.win))
	}
	test.Tap(w.next)

	if !strings.HasPrefix(heading(), "Step 6 of 7: Your Outlook export") {
		t.Fatalf("step 6: %q", heading())
	}
	// The export chosen with the open dialog, which counts it.
	w.export.SetText("")
	test.Tap(button(t, w.win, "File…"))
	tapItem(t, w.win, "contacts")
	test.Tap(dialogButton(t, w.win, "Open"))
	if w.export.Text != export {
		t.Errorf("the export chosen: %q", w.export.Text)
	}
	eventually(t, "the count", func() bool { return strings.HasPrefix(w.found.Text, "120 contacts found") })
	if w.next.Text != "Check" {
		t.Errorf("the last question's button: %q", w.next.Text)
	}
	test.Tap(w.next)

	eventually(t, "the checklist", func() bool { return w.step == 6 })
	text := shown(w.win)
	for _, want := range []string{
		"Step 7 of 7: The result",
		"Your device setup can lose or duplicate contacts",
		"Fail: HotSync Action for the Contacts (Address Book) conduit",
		"Fail: Other workstations",
		"Pass: Outlook export",
		"How to fix:",
		"[Save report…]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the checklist lacks %q:\n%s", want, text)
		}
	}
	test.Tap(w.save)
	saveAs(t, w.win, "report.txt")
	eventually(t, "the report", func() bool {
		b, err := os.ReadFile(report)
		return err == nil && strings.Contains(string(b), "[FAIL] Other workstations")
	})
	eventually(t, "the report's confirmation", func() bool { q, _ := dialogShown(w.win); return strings.Contains(q, report) })
	if q, bs := dialogShown(w.win); !strings.Contains(q, "Report saved") || bs["Open the folder"] == nil {
		t.Errorf("the report's confirmation:\n%s", q)
	}
	// The answers were saved: the tray knows the device and shows its danger, and the
	// status window lists what the checklist failed.
	eventually(t, "the device in the status", func() bool { return u.last.Counts.Devices == 1 && u.State() == app.StateDanger })
	status := shown(u.status.win)
	for _, want := range []string{"Anna's Treo also syncs with another computer", `HotSync Action for the Contacts (Address Book) conduit is set to "Handheld overwrites Desktop"`} {
		if !strings.Contains(status, want) {
			t.Errorf("the checklist failed it, the status window lacks %q:\n%s", want, status)
		}
	}
}

func TestRestoreFromTheHistoryWindowWritesTheFile(t *testing.T) {
	u, svc, dir := setup(t)
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	svc.SetExport(export)
	writeExport(t, export, 260)
	svc.Scan()
	u.showHistory()
	h := u.history
	h.win.Resize(fyne.NewSize(900, 620))
	if len(h.snaps) != 2 || h.selected != 0 {
		t.Fatalf("the timeline: %d snapshots, selected %d", len(h.snaps), h.selected)
	}
	if !strings.Contains(h.head.Text, "40 removed") {
		t.Errorf("the change: %q", h.head.Text)
	}
	// The timeline says each change in words.
	var lines []string
	for _, o := range test.LaidOutObjects(h.list) {
		if l, ok := o.(*widget.Label); ok {
			lines = append(lines, l.Text)
		}
	}
	timeline := strings.Join(lines, "\n")
	if !strings.Contains(timeline, "260 contacts · 40 removed") || !strings.Contains(timeline, "300 contacts · the first snapshot") || strings.Contains(timeline, "\u2212") {
		t.Errorf("the timeline:\n%s", timeline)
	}
	// Cancel in the save dialog writes nothing and leaves the window usable.
	test.Tap(h.restoreRemoved)
	test.Tap(dialogButton(t, h.win, "Cancel"))
	pump()
	if top := h.win.Canvas().Overlays().Top(); top != nil && top.Visible() {
		t.Error("the save dialog stayed open after Cancel")
	}
	// Everything the change removed.
	target := filepath.Join(dir, "removed.csv")
	test.Tap(h.restoreRemoved)
	saveAs(t, h.win, "removed.csv")
	eventually(t, "the restore file", func() bool {
		cs, errs, _ := exports.ReadFile(target)
		return len(cs) == 40 && len(errs) == 0
	})
	// The confirmation names the folder and the full path, and opens the folder.
	eventually(t, "the confirmation", func() bool { q, _ := dialogShown(h.win); return strings.Contains(q, "Contacts restored") })
	q, bs := dialogShown(h.win)
	if !strings.Contains(q, "40 contacts were written to this file, in the folder "+dir) || !strings.Contains(q, target) {
		t.Errorf("the confirmation of the restore:\n%s", q)
	}
	var opened []string
	u.openFolder = func(d string) error { opened = append(opened, d); return nil }
	test.Tap(bs["Open the folder"])
	if len(opened) != 1 || opened[0] != dir {
		t.Errorf("Open the folder opened %v, want %s", opened, dir)
	}
	test.Tap(bs["OK"])
	// Two checked contacts, ticked in the list.
	var checks []*widget.Check
	for _, o := range test.LaidOutObjects(h.changes) {
		if c, ok := o.(*widget.Check); ok && !c.Disabled() {
			checks = append(checks, c)
		}
	}
	if len(checks) < 2 {
		t.Fatalf("%d checks in the list", len(checks))
	}
	test.Tap(checks[0])
	test.Tap(checks[1])
	if h.restoreChecked.Text != "Restore the 2 checked contacts…" || h.restoreChecked.Disabled() {
		t.Errorf("the button: %q", h.restoreChecked.Text)
	}
	target = filepath.Join(dir, "two.vcf")
	test.Tap(h.restoreChecked)
	saveAs(t, h.win, "two.vcf")
	eventually(t, "two contacts as vCards", func() bool {
		cs, _, _ := exports.ReadFile(target)
		return len(cs) == 2
	})
	// A whole point in time, from the Restore tab.
	u.showRestore()
	h.point.SetSelectedIndex(1) // the first snapshot: 300 contacts
	target = filepath.Join(dir, "then.csv")
	test.Tap(h.whole)
	saveAs(t, h.win, "then.csv")
	eventually(t, "the point in time", func() bool {
		cs, _, _ := exports.ReadFile(target)
		return len(cs) == 300
	})
}

func TestSettingsShowWhatThePolicyLocksAndWriteTheLoginEntry(t *testing.T) {
	uiQueue = make(chan func(), 4096)
	a := test.NewApp()
	defer a.Quit()
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.toml")
	os.WriteFile(policy, []byte("[fleet]\nfolder = '"+filepath.Join(dir, "fleet")+"'\n"), 0o600)
	svc, err := app.New(app.Options{DataDir: filepath.Join(dir, "data"), PolicyFile: policy, NoLiveDetect: true,
		Processes: func() ([]string, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	u := newUI(a, svc)
	u.do = func(f func()) { uiQueue <- f }
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))

	u.showSettings()
	w := u.settings.win
	text := shown(w)
	if !strings.Contains(text, "Set by your IT department's policy ("+policy+")") {
		t.Errorf("the locked fleet folder does not say who set it:\n%s", text)
	}
	var fleetEntry, exportEntry *widget.Entry
	var login *widget.Check
	for _, o := range test.LaidOutObjects(w.Content()) {
		switch x := o.(type) {
		case *widget.Entry:
			if x.Text == filepath.Join(dir, "fleet") {
				fleetEntry = x
			} else if exportEntry == nil {
				exportEntry = x
			}
		case *widget.Check:
			if x.Text == "Start SyncGuard when I log in" {
				login = x
			}
		}
	}
	if fleetEntry == nil || !fleetEntry.Disabled() {
		t.Error("the fleet folder set by the policy must be shown read-only")
	}
	if exportEntry == nil || exportEntry.Disabled() {
		t.Error("the export location, not in the policy, must be editable")
	}
	if login == nil {
		t.Fatal("no start-at-login check")
	}
	test.Tap(login)
	entry := filepath.Join(dir, "config", "autostart", AppID+".desktop")
	if b, err := os.ReadFile(entry); err != nil || !strings.Contains(string(b), "Exec=") {
		t.Fatalf("the XDG autostart entry: %v", err)
	}
	test.Tap(login)
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Error("unticking must remove the login entry")
	}
}

func TestAContactsVersionsSideBySide(t *testing.T) {
	u, svc, dir := setup(t)
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(4, 50)
	i := 0
	for len(book[i].Categories) < 2 || len(book[i].Phones) == 0 {
		i++ // a contact with several categories and a phone, for a one-category device to damage
	}
	// A long address, as law firms have: it must not be broken mid-word.
	book[i].Emails = []contacts.Value{{Value: "francois.hernandez-papadopoulos@wachtell-lipton-rosen-katz.example.com", Types: []string{"internet"}}}
	writeBook(t, export, book)
	svc.SetExport(export)
	orig := book[i]
	changed := orig.Clone()
	changed.Categories = changed.Categories[:1]
	changed.Phones = nil
	after := append([]*contacts.Contact{}, book...)
	after[i] = changed
	writeBook(t, export, after)
	svc.Scan()
	u.showHistory()
	h := u.history
	if len(h.rows) != 1 || h.rows[0].what != "Changed" {
		t.Fatalf("the change: %+v", h.rows)
	}
	before := len(u.a.Driver().AllWindows())
	h.showVersions(h.rows[0].key, h.rows[0].name)
	wins := u.a.Driver().AllWindows()
	if len(wins) != before+1 {
		t.Fatal("no versions window")
	}
	vw := wins[len(wins)-1]
	vw.Resize(fyne.NewSize(960, 600))
	text := shown(vw)
	if !strings.Contains(text, strings.Join(orig.Categories, "; ")) || !strings.Contains(text, orig.Phones[0].Value) {
		t.Errorf("the earlier version is not shown beside the new one:\n%s", text)
	}
	// Every value gets the room it needs: no label is cut or squeezed, and each e-mail
	// address is on one line of its own, whole.
	for _, o := range test.LaidOutObjects(vw.Content()) {
		l, ok := o.(*widget.Label)
		if !ok || !o.Visible() {
			continue
		}
		if sz, min := l.Size(), l.MinSize(); sz.Width < min.Width || sz.Height < min.Height {
			t.Errorf("%q is given %v, needs %v", l.Text, sz, min)
		}
	}
	for _, e := range orig.Emails {
		if !strings.Contains(text, e.Value) {
			t.Errorf("the e-mail %q is not shown whole:\n%s", e.Value, text)
		}
	}
	// No value is broken over more lines than it has (an e-mail address broken mid-word
	// is drawn as two lines of text).
	for _, o := range test.LaidOutObjects(vw.Content()) {
		l, ok := o.(*widget.Label)
		if !ok || l.Text == "" || strings.HasPrefix(l.Text, "Values in red") {
			continue
		}
		drawn := 0
		for _, x := range test.LaidOutObjects(l) {
			if tx, ok := x.(*canvas.Text); ok && tx.Text != "" {
				drawn++
			}
		}
		if want := strings.Count(l.Text, "\n") + 1; drawn > want {
			t.Errorf("%q is drawn on %d lines, it has %d", l.Text, drawn, want)
		}
	}
	// Close and Escape close it.
	button(t, vw, "Close")
	vw.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if n := len(u.a.Driver().AllWindows()); n != before {
		t.Errorf("Escape did not close the versions window: %d windows, want %d", n, before)
	}
}

func TestSettingsSayWhatTheySaved(t *testing.T) {
	u, _, dir := setup(t)
	u.clock = func() time.Time { return time.Date(2026, 12, 2, 10, 4, 0, 0, time.Local) }
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 20)
	u.showSettings()
	w := u.settings.win
	var entry *widget.Entry
	for _, o := range test.LaidOutObjects(w.Content()) {
		if e, ok := o.(*widget.Entry); ok && entry == nil {
			entry = e
		}
	}
	test.Type(entry, export)
	test.Tap(buttons(w.Content(), "Save")[0])
	eventually(t, "saved", func() bool {
		return strings.HasPrefix(u.settings.saved.Text, "Saved at 10:04: the Outlook export is "+export)
	})
	eventually(t, "the status window shows it", func() bool { return strings.Contains(shown(u.status.win), export) })
	for _, o := range test.LaidOutObjects(w.Content()) {
		if c, ok := o.(*widget.Check); ok && c.Text == "Show popup warnings and desktop notifications" {
			test.Tap(c)
		}
	}
	if u.settings.saved.Text != "Saved at 10:04: popup warnings are off." {
		t.Errorf("after unticking the warnings: %q", u.settings.saved.Text)
	}
	test.Type(entry, "-nonexistent")
	test.Tap(buttons(w.Content(), "Save")[0])
	eventually(t, "not saved", func() bool { return strings.HasPrefix(u.settings.saved.Text, "Not saved: ") })
}

func TestSettingsChooseTheExportWithTheFolderAndFileDialogs(t *testing.T) {
	u, svc, dir := setup(t)
	folder := filepath.Join(dir, "Outlook exports")
	os.Mkdir(folder, 0o700)
	export := filepath.Join(folder, "contacts.csv")
	writeExport(t, export, 50)

	u.showSettings()
	w := u.settings.win
	// The export row's "Folder…" comes first; the folder dialog opens in the home folder.
	test.Tap(button(t, w, "Folder…"))
	tapItem(t, w, "Outlook exports")
	test.Tap(dialogButton(t, w, "Open"))
	eventually(t, "the folder as the export", func() bool { return svc.Export() == folder })
	eventually(t, "the status shows it", func() bool { return strings.Contains(shown(u.status.win), folder) })

	// "File…" opens where the last dialog was: the file is one tap away.
	test.Tap(button(t, w, "File…"))
	tapItem(t, w, "contacts")
	test.Tap(dialogButton(t, w, "Open"))
	eventually(t, "the file as the export", func() bool { return svc.Export() == export })
	eventually(t, "its 50 contacts watched", func() bool { return u.last.Counts.Contacts == 50 })
}

// twoLosses makes the export lose 40 contacts and collapse the categories of others in
// one change: two findings that lost data.
func twoLosses(t *testing.T, u *ui, svc *app.Service, dir string) {
	t.Helper()
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(4, 300)
	writeBook(t, export, book)
	if err := svc.SetExport(export); err != nil {
		t.Fatal(err)
	}
	var after []*contacts.Contact
	collapsed := 0
	for i, c := range book {
		if i >= 260 {
			break // the last 40 deleted
		}
		if len(c.Categories) >= 2 && collapsed < 10 {
			c = c.Clone()
			c.Categories = c.Categories[:1]
			collapsed++
		}
		after = append(after, c)
	}
	writeBook(t, export, after)
	svc.Scan()
	eventually(t, "two dangers", func() bool { return u.last.Counts.Danger == 2 })
}

func TestThisWasIntendedAcceptsOneFindingAfterAskingAndItCanBeReopened(t *testing.T) {
	u, svc, dir := setup(t)
	twoLosses(t, u, svc, dir)
	w := u.status.win
	w.Resize(fyne.NewSize(760, 900))
	text := shown(w)
	first := strings.Index(text, "Danger: 40 contacts disappeared")
	second := strings.Index(text, "lost their other categories")
	if first < 0 || second < 0 {
		t.Fatalf("the status window:\n%s", text)
	}
	intended := buttons(w.Content(), "This was intended")
	if len(intended) != 2 {
		t.Fatalf("%d \"This was intended\" buttons, want one per finding", len(intended))
	}
	// Cancel: nothing is accepted.
	test.Tap(intended[0])
	q, bs := dialogShown(w)
	if !strings.Contains(q, "They stay in SyncGuard's history and can still be restored") {
		t.Fatalf("the confirmation: %q", q)
	}
	test.Tap(bs["Cancel"])
	pump()
	if u.last.Counts.Danger != 2 {
		t.Fatal("cancelled, yet accepted")
	}
	// Accept the first: only it leaves the open findings.
	test.Tap(intended[0])
	_, bs = dialogShown(w)
	test.Tap(bs["Accept"])
	eventually(t, "one accepted", func() bool { return u.last.Counts.Danger == 1 && len(u.last.Accepted) == 1 })
	text = shown(w)
	open, acceptedPart, ok := strings.Cut(text, "Accepted as intended")
	if !ok || strings.Contains(open, "40 contacts disappeared") || !strings.Contains(acceptedPart, "40 contacts disappeared") ||
		!strings.Contains(acceptedPart, `Accepted by FIRM\anna on `) || !strings.Contains(acceptedPart, "[Reopen]") {
		t.Errorf("after accepting the deletion:\n%s", text)
	}
	// The next card moved up under the pointer: its buttons wait before they take a click,
	// so the second click of a double click accepts nothing.
	next := buttons(w.Content(), "This was intended")
	if len(next) != 1 || !next[0].Disabled() {
		t.Fatalf("the next card's button must be disabled right after the first was accepted")
	}
	test.Tap(next[0])
	pump()
	if _, bs := dialogShown(w); bs["Accept"] != nil || u.last.Counts.Danger != 1 {
		t.Fatal("a click right after accepting acted on the next finding")
	}
	endCalm()
	if next := buttons(w.Content(), "This was intended"); len(next) != 1 || next[0].Disabled() {
		t.Fatal("the buttons must work again after the calm")
	}
	// Reopen: the deletion is open again, first in the list.
	test.Tap(button(t, w, "Reopen"))
	eventually(t, "reopened", func() bool { return u.last.Counts.Danger == 2 && len(u.last.Accepted) == 0 })
	if text := shown(w); strings.Contains(text, "Accepted as intended") || strings.Index(text, "Danger: 40 contacts disappeared") > strings.Index(text, "lost their other categories") {
		t.Errorf("after reopening:\n%s", text)
	}
}

func TestThePopupAcceptsOnlyTheFindingOnItsCard(t *testing.T) {
	u, svc, dir := setup(t)
	twoLosses(t, u, svc, dir)
	eventually(t, "the popup", func() bool { return u.popup != nil && u.popup.visible })
	w := u.popup.win
	w.Resize(fyne.NewSize(760, 900))
	if !strings.HasPrefix(u.popup.popup.Title, "40 contacts disappeared") {
		t.Errorf("the popup's title comes from the worst loss: %q", u.popup.popup.Title)
	}
	intended := buttons(w.Content(), "This was intended")
	if len(intended) != 2 {
		t.Fatalf("%d \"This was intended\" buttons in the popup, want one per finding:\n%s", len(intended), shown(w))
	}
	test.Tap(intended[1]) // the categories
	q, bs := dialogShown(w)
	if !strings.Contains(q, "lost all but one of their categories") {
		t.Fatalf("the confirmation names another finding: %q", q)
	}
	test.Tap(bs["Accept"])
	eventually(t, "one accepted", func() bool { return u.last.Counts.Danger == 1 })
	if u.last.Open[0].Kind != "mass-deletion" {
		t.Errorf("the deletion must stay open: %+v", u.last.Open[0].Title)
	}
	endCalm()
	if text := shown(w); strings.Contains(text, "lost their other categories") || !strings.Contains(text, "40 contacts disappeared") || !u.popup.visible {
		t.Errorf("the popup after accepting the categories:\n%s", text)
	}
}

func TestPausingFromThePopupKeepsTheDangerShown(t *testing.T) {
	u, svc, dir := setup(t)
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	svc.SetExport(export)
	writeExport(t, export, 260)
	svc.Scan()
	eventually(t, "danger", func() bool { return u.Icon() == "danger" })
	// The popup's pause button (the tray's pause item is ui/tray's, tested there).
	eventually(t, "the popup", func() bool { return u.popups == 1 && u.popup.visible })
	test.Tap(button(t, u.popup.win, app.PauseWords))
	eventually(t, "paused", func() bool { return u.Icon() == "danger-paused" })
	if u.popup.visible {
		t.Error("the popup stayed open after pausing")
	}
	if !strings.HasPrefix(u.last.Line, "Danger: 40 contacts deleted · warnings paused until ") {
		t.Errorf("the status line: %q", u.last.Line)
	}
	if u.status.icon.Resource != icon("danger-paused") {
		t.Error("the status window's icon does not show the pause")
	}
	svc.Pause(0) // the tray's "Resume warnings"
	eventually(t, "resumed", func() bool { return u.Icon() == "danger" && u.status.icon.Resource == icon("danger") })
}

// The demo's tray must leave the computer as it found it: its start-at-login box cannot be
// ticked, and tapping it writes no autostart entry (the Run key on Windows).
func TestTheDemoNeverWritesTheLoginEntry(t *testing.T) {
	uiQueue = make(chan func(), 4096)
	a := test.NewApp()
	defer a.Quit()
	dir := t.TempDir()
	svc, err := app.New(app.Options{DataDir: filepath.Join(dir, "data"), NoLiveDetect: true, Policy: policy.Default(),
		Processes: func() ([]string, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	u := newUI(a, svc)
	u.do = func(f func()) { uiQueue <- f }
	u.demo = true
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))

	u.showSettings()
	var login *widget.Check
	for _, o := range test.LaidOutObjects(u.settings.win.Content()) {
		if x, ok := o.(*widget.Check); ok && x.Text == "Start SyncGuard when I log in" {
			login = x
		}
	}
	if login == nil {
		t.Fatal("no start-at-login check")
	}
	if !login.Disabled() || login.Checked {
		t.Errorf("in the demo the start-at-login box must be off and locked (disabled %v, checked %v)", login.Disabled(), login.Checked)
	}
	if !strings.Contains(shown(u.settings.win), "Not in the demo") {
		t.Error("the settings do not say why start at login is locked in the demo")
	}
	test.Tap(login)
	if _, err := os.Stat(filepath.Join(dir, "config", "autostart")); !os.IsNotExist(err) {
		t.Errorf("the demo wrote an autostart entry: %v", err)
	}
}

// On Windows Settings offers Outlook itself as the source; choosing it reads Outlook at
// once and says how many contacts it read (a fake Outlook stands in for COM here).
func TestSettingsChooseOutlookAsTheSource(t *testing.T) {
	u, svc, o := outlookUI(t)
	u.showSettings()
	w := u.settings.win
	var source *widget.RadioGroup
	for _, obj := range test.LaidOutObjects(w.Content()) {
		if r, ok := obj.(*widget.RadioGroup); ok {
			source = r
		}
	}
	if source == nil || source.Selected != "An export file or folder" {
		t.Fatalf("no source choice, or not the export by default: %+v", source)
	}
	source.SetSelected("Outlook itself (no export needed)")
	eventually(t, "Outlook read", func() bool {
		return strings.Contains(u.settings.saved.Text, "contacts are read from Outlook itself: 12 contacts read")
	})
	if st := svc.Status(); st.Source != "outlook" || st.LastSnapshot == nil || st.LastSnapshot.Contacts != 12 {
		t.Fatalf("after choosing Outlook: %+v", st.LastSnapshot)
	}
	// Outlook closed: choosing it again says so in plain words.
	o.Stop()
	source.SetSelected("An export file or folder")
	eventually(t, "back to files", func() bool { return strings.Contains(u.settings.saved.Text, "read from the export") })
	source.SetSelected("Outlook itself (no export needed)")
	eventually(t, "Outlook closed", func() bool { return strings.Contains(u.settings.saved.Text, "Outlook is not running") })
}

// outlookUI is the app on a service whose Outlook is a fake with 12 contacts, with the
// choice of Outlook as the source offered as on Windows.
func outlookUI(t *testing.T) (*ui, *app.Service, *outlooktest.Outlook) {
	t.Helper()
	uiQueue = make(chan func(), 4096)
	a := test.NewApp()
	t.Cleanup(a.Quit)
	dir := t.TempDir()
	o := outlooktest.New()
	for i := 0; i < 12; i++ {
		o.Add("Contacts", map[string]string{"FirstName": "Person", "LastName": fmt.Sprintf("Number%02d", i), "Email1Address": fmt.Sprintf("p%02d@example.com", i)})
	}
	svc, err := app.New(app.Options{DataDir: filepath.Join(dir, "data"), NoLiveDetect: true,
		Policy: policy.Default(), Outlook: o.Connect, Processes: func() ([]string, error) { return nil, nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	u := newUI(a, svc)
	u.do = func(f func()) { uiQueue <- f }
	u.clock = func() time.Time { return time.Date(2026, 12, 2, 10, 4, 0, 0, time.Local) }
	u.outlookSource = true
	return u, svc, o
}

// The wizard's last step offers Outlook itself on Windows and shows the count it read.
func TestTheWizardOffersOutlookItself(t *testing.T) {
	u, svc, _ := outlookUI(t)
	u.showWizard()
	w := u.wizard
	w.goTo(5)
	test.Tap(button(t, w.win, "Read the contacts from Outlook itself instead"))
	eventually(t, "Outlook read", func() bool { return strings.Contains(w.found.Text, "12 contacts read from Outlook") })
	if st := svc.Status(); st.Source != "outlook" || st.NeedsSetup {
		t.Fatalf("after the wizard chose Outlook: source %q, needs setup %v", st.Source, st.NeedsSetup)
	}
}

// Asked for the popup (the tray's gathered popups, `syncguard window popup`) while the only
// open finding is information, which has no popup (PopupFor is nil), the window process
// shows the status window instead of crashing on a popup that is not there.
func TestThePopupWithOnlyInformationOpenShowsTheStatus(t *testing.T) {
	u, svc, dir := setup(t)
	folder := filepath.Join(dir, "fleet")
	os.MkdirAll(folder, 0o700)
	if err := svc.SetFleetFolder(folder); err != nil {
		t.Fatal(err)
	}
	svc.CheckDevices(context.Background()) // whether this computer syncs with InterAction is unknown
	st := svc.Status()
	if len(st.Open) != 1 || st.Open[0].Subject != "interaction-sync-unknown" || st.Open[0].Severity != findings.Info {
		t.Fatalf("want only the information that the InterAction sync is unknown open: %+v", st.Open)
	}
	if p := svc.PopupFor(st.Open); p != nil {
		t.Fatalf("information has a popup: %+v", p)
	}
	pump()
	if !u.open(app.WindowPopup) {
		t.Fatal("the popup window is not known")
	}
	if !u.onScreen[u.status.win] {
		t.Error("with no popup to show, the status window must open")
	}
	if u.popup != nil && u.popup.visible {
		t.Error("a popup is shown although there is none")
	}
}
