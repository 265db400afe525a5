package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
)

// historyWindow is "Contact history…" and "Restore contacts…": the timeline of snapshots
// with their changes, a contact's versions side by side, and restore of the checked
// contacts, of everything a change removed, or of a whole point in time.
type historyWindow struct {
	u       *ui
	win     fyne.Window
	tabs    *container.AppTabs
	visible bool

	snaps    []history.Snapshot // newest first
	list     *widget.List
	selected int // index into snaps, -1 for none

	head    *widget.Label
	rows    []changeRow
	checked map[string]bool
	changes *widget.List

	restoreChecked, restoreRemoved *widget.Button

	// The Restore tab.
	point  *widget.Select
	which  *widget.RadioGroup
	format *widget.RadioGroup
	whole  *widget.Button
}

// changeRow is one contact of a change.
type changeRow struct {
	key, what, name, detail string
	restorable              bool // removed or changed: its earlier version can be restored
}

func newHistoryWindow(u *ui) *historyWindow {
	h := &historyWindow{u: u, win: u.newWindow("SyncGuard: contact history", fyne.NewSize(1000, 640)), selected: -1, checked: map[string]bool{}}
	h.list = widget.NewList(func() int { return len(h.snaps) },
		func() fyne.CanvasObject {
			// Truncated, not sized to the longest line: the split gives the list its width.
			l := widget.NewLabel("Jan 2 15:04 · 10000 contacts")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(snapLine(h.snaps[i], i == len(h.snaps)-1))
		})
	h.list.OnSelected = func(i widget.ListItemID) { h.show(i) }
	h.head = bold("Choose a snapshot on the left to see what changed.")
	h.changes = widget.NewList(func() int { return len(h.rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewCheck("", nil), widget.NewButton("Versions", nil), widget.NewLabel("Removed: Someone with a long name"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := h.rows[i]
			c := o.(*fyne.Container)
			label, check, versions := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Check), c.Objects[2].(*widget.Button)
			text := r.what + ": " + r.name
			if r.detail != "" {
				text += " (" + r.detail + ")"
			}
			label.SetText(text)
			label.Truncation = fyne.TextTruncateEllipsis
			check.OnChanged = nil
			check.SetChecked(h.checked[r.key])
			check.OnChanged = func(on bool) { h.checked[r.key] = on; h.refreshButtons() }
			if r.restorable {
				check.Enable()
			} else {
				check.Disable()
			}
			versions.OnTapped = func() { h.showVersions(r.key, r.name) }
		})
	h.restoreChecked = widget.NewButton("Restore the checked contacts…", h.doRestoreChecked)
	h.restoreRemoved = widget.NewButton("Restore everything this change removed…", h.doRestoreRemoved)
	h.refreshButtons()
	right := container.NewBorder(container.NewPadded(h.head),
		container.NewPadded(container.NewHBox(h.restoreChecked, h.restoreRemoved)), nil, nil, h.changes)
	split := container.NewHSplit(h.list, right)
	split.Offset = 0.45

	h.point = widget.NewSelect(nil, func(string) { h.refreshButtons() })
	h.point.PlaceHolder = "Choose a point in time"
	h.which = widget.NewRadioGroup([]string{
		"The whole address book as it was then",
		"Only the contacts deleted since then",
		"Only the earlier versions of contacts changed since then",
	}, nil)
	h.which.SetSelected("The whole address book as it was then")
	h.format = widget.NewRadioGroup([]string{"Outlook CSV (recommended: keeps categories and Mileage)", "vCard file"}, nil)
	h.format.SetSelected("Outlook CSV (recommended: keeps categories and Mileage)")
	h.whole = widget.NewButton("Restore…", h.doRestorePoint)
	restoreTab := container.NewVScroll(container.NewPadded(container.NewVBox(
		bold("Restore contacts as they were at a point in time"),
		wrapped("SyncGuard writes a file that Outlook imports in one go. Nothing in Outlook changes until you import it."),
		widget.NewLabel("Point in time:"), h.point,
		widget.NewLabel("Which contacts:"), h.which,
		widget.NewLabel("File format:"), h.format,
		container.NewHBox(h.whole),
		widget.NewSeparator(),
		wrapped(wrapSteps(app.ImportSteps)),
	)))
	h.tabs = container.NewAppTabs(container.NewTabItem("Timeline", split), container.NewTabItem("Restore", restoreTab))
	h.win.SetContent(h.tabs)
	h.win.SetCloseIntercept(func() { h.visible = false; h.u.conceal(h.win) })
	return h
}

// snapLine is one snapshot of the timeline, its change in words ("40 removed, 15
// changed"): shorthand such as "−40 +0 ~15" is read by no one, and Wine's fonts draw the
// minus sign as a replacement box.
func snapLine(s history.Snapshot, first bool) string {
	return fmt.Sprintf("%s · %s · %s", s.Time.Local().Format("Jan 2 15:04"), findings.Plural(s.Contacts, "contact", "contacts"), app.ChangeWords(s, first))
}

func (h *historyWindow) open() {
	h.visible = true
	h.reload()
	h.u.present(h.win)
	h.win.RequestFocus()
}

func (h *historyWindow) refreshIfOpen() {
	if h.visible {
		h.reload() // a new snapshot joins the timeline while the window is open
	}
}

// reload reads the snapshots again (a new one may have been taken).
func (h *historyWindow) reload() {
	list, err := h.u.svc.Snapshots()
	if err != nil {
		h.head.SetText("The history cannot be read: " + err.Error())
		return
	}
	if len(list) == len(h.snaps) {
		return
	}
	h.snaps = h.snaps[:0]
	var options []string
	for i := len(list) - 1; i >= 0; i-- {
		h.snaps = append(h.snaps, list[i])
		options = append(options, snapLine(list[i], i == 0))
	}
	h.list.Refresh()
	h.point.Options = options
	h.point.Refresh()
	if h.selected < 0 && len(h.snaps) > 0 {
		h.list.Select(0)
	}
}

// selectSnapshot shows one snapshot's change (from a finding's "Review the contacts").
func (h *historyWindow) selectSnapshot(id uint64) {
	h.tabs.SelectIndex(0)
	for i, s := range h.snaps {
		if s.ID == id {
			h.list.Select(i)
			return
		}
	}
}

// show lists what changed in snapshot i: removed and changed contacts can be restored.
func (h *historyWindow) show(i int) {
	h.selected = i
	h.checked = map[string]bool{}
	h.rows = nil
	s := h.snaps[i]
	prev := h.previous(i)
	switch {
	case prev == nil:
		h.head.SetText(fmt.Sprintf("%s: the first snapshot, %s.", s.Time.Local().Format("Mon Jan 2 15:04"), findings.Plural(s.Contacts, "contact", "contacts")))
	default:
		ch, err := h.u.svc.Diff(prev.ID, s.ID)
		if err != nil {
			h.head.SetText("This change cannot be read: " + err.Error())
			break
		}
		for _, e := range ch.Removed {
			h.rows = append(h.rows, changeRow{key: e.Key, what: "Removed", name: name(e.Contact), restorable: true})
		}
		for _, c := range ch.Changed {
			var fields []string
			for _, f := range c.Fields {
				fields = append(fields, f.Field)
			}
			h.rows = append(h.rows, changeRow{key: c.Key, what: "Changed", name: name(c.New), detail: strings.Join(fields, ", "), restorable: true})
		}
		for _, e := range ch.Added {
			h.rows = append(h.rows, changeRow{key: e.Key, what: "Added", name: name(e.Contact)})
		}
		h.head.SetText(fmt.Sprintf("%s: %d removed, %d changed, %d added. Check contacts to restore them as they were before.",
			s.Time.Local().Format("Mon Jan 2 15:04"), len(ch.Removed), len(ch.Changed), len(ch.Added)))
	}
	h.changes.Refresh()
	h.changes.ScrollToTop()
	h.refreshButtons()
}

func name(c *contacts.Contact) string {
	if c == nil {
		return "(unnamed)"
	}
	return c.DisplayName()
}

func (h *historyWindow) previous(i int) *history.Snapshot {
	if i+1 < len(h.snaps) {
		return &h.snaps[i+1]
	}
	return nil
}

func (h *historyWindow) refreshButtons() {
	n := 0
	for _, on := range h.checked {
		if on {
			n++
		}
	}
	h.restoreChecked.SetText(fmt.Sprintf("Restore the %s…", findings.Plural(n, "checked contact", "checked contacts")))
	if n == 0 {
		h.restoreChecked.SetText("Restore the checked contacts…")
		h.restoreChecked.Disable()
	} else {
		h.restoreChecked.Enable()
	}
	removed := false
	for _, r := range h.rows {
		removed = removed || r.what == "Removed"
	}
	if removed {
		h.restoreRemoved.Enable()
	} else {
		h.restoreRemoved.Disable()
	}
	if h.point != nil {
		if h.point.SelectedIndex() < 0 {
			h.whole.Disable()
		} else {
			h.whole.Enable()
		}
	}
}

func (h *historyWindow) doRestoreChecked() {
	prev := h.previous(h.selected)
	if prev == nil {
		return
	}
	var keys []string
	for k, on := range h.checked {
		if on {
			keys = append(keys, k)
		}
	}
	id := prev.ID
	h.u.pickSave(h.win, "SyncGuard restore.csv", func(path string) {
		go func() {
			n, err := h.u.svc.Restore(id, history.SelectAll, keys, path, app.FormatFor(path))
			h.u.do(func() { h.u.restored(h.win, n, path, err) })
		}()
	})
}

func (h *historyWindow) doRestoreRemoved() {
	id := h.snaps[h.selected].ID
	h.u.pickSave(h.win, "SyncGuard removed contacts.csv", func(path string) {
		go func() {
			n, err := h.u.svc.RestoreRemovedIn(id, path, app.FormatFor(path))
			h.u.do(func() { h.u.restored(h.win, n, path, err) })
		}()
	})
}

func (h *historyWindow) doRestorePoint() {
	i := h.point.SelectedIndex()
	if i < 0 {
		return
	}
	s := h.snaps[i]
	sel := []history.Selection{history.SelectAll, history.SelectRemoved, history.SelectChanged}[indexOf(h.which.Options, h.which.Selected)]
	name, format := "SyncGuard "+s.Time.Local().Format("2006-01-02 1504")+".csv", app.OutlookCSV
	if strings.HasPrefix(h.format.Selected, "vCard") {
		name, format = strings.TrimSuffix(name, ".csv")+".vcf", app.VCardFile
	}
	h.u.pickSave(h.win, name, func(path string) {
		go func() {
			n, err := h.u.svc.Restore(s.ID, sel, nil, path, format)
			h.u.do(func() { h.u.restored(h.win, n, path, err) })
		}()
	})
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

// showVersions shows a contact's versions side by side: one column per version, one row
// per field, so a lost phone or a collapsed category stands out. Each row is as tall as
// its longest value and each column as wide as its widest, so e-mail addresses are never
// broken mid-word; the window scrolls both ways. Close and Escape close it.
func (h *historyWindow) showVersions(key, who string) {
	vs, err := h.u.svc.Versions(key)
	if err != nil {
		showError(err, h.win)
		return
	}
	if len(vs) > 4 {
		vs = vs[len(vs)-4:] // the last four fit side by side
	}
	fields := []string{"Name", "E-mails", "Phones", "Categories", "Mileage", "Company", "Note"}
	cells := []fyne.CanvasObject{bold("Version")}
	for _, v := range vs {
		cells = append(cells, bold(v.Time.Local().Format("Mon Jan 2 15:04")))
	}
	for _, f := range fields {
		cells = append(cells, bold(f))
		for i, v := range vs {
			val := fieldValue(v, f)
			l := widget.NewLabel(val)
			if i > 0 && val != fieldValue(vs[i-1], f) {
				l.Importance = widget.DangerImportance // what changed from the version before
				l.TextStyle.Bold = true
			}
			cells = append(cells, l)
		}
	}
	for _, c := range cells {
		if l, ok := c.(*widget.Label); ok {
			l.Wrapping = fyne.TextWrapOff // fieldValue breaks the lines itself
		}
	}
	w := h.u.a.NewWindow("Versions of " + who)
	closeBtn := widget.NewButton("Close", w.Close)
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	note := wrapped("Values in red differ from the version before. To bring a version back, restore the contact from the change in the timeline.")
	w.SetContent(container.NewBorder(nil, container.NewPadded(container.NewBorder(nil, nil, nil, closeBtn, note)), nil, nil,
		container.NewScroll(container.NewPadded(container.New(&tableLayout{cols: len(vs) + 1}, cells...)))))
	w.Resize(fyne.NewSize(960, 600))
	w.SetOnClosed(func() { h.u.gone(w) })
	h.u.present(w)
}

// tableLayout places cells row by row in cols columns; each column is as wide as its
// widest cell and each row as tall as its tallest, unlike a grid whose cells are all the
// size of the largest.
type tableLayout struct{ cols int }

func (t *tableLayout) sizes(objs []fyne.CanvasObject) (cols, rows []float32) {
	cols = make([]float32, t.cols)
	rows = make([]float32, (len(objs)+t.cols-1)/t.cols)
	for i, o := range objs {
		m := o.MinSize()
		cols[i%t.cols] = max(cols[i%t.cols], m.Width)
		rows[i/t.cols] = max(rows[i/t.cols], m.Height)
	}
	return cols, rows
}

func (t *tableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	cols, rows := t.sizes(objs)
	pad := theme.Padding()
	var w, h float32
	for _, c := range cols {
		w += c + pad
	}
	for _, r := range rows {
		h += r + pad
	}
	return fyne.NewSize(w, h)
}

func (t *tableLayout) Layout(objs []fyne.CanvasObject, _ fyne.Size) {
	cols, rows := t.sizes(objs)
	pad := theme.Padding()
	y := float32(0)
	for r := range rows {
		x := float32(0)
		for c := range cols {
			i := r*t.cols + c
			if i >= len(objs) {
				return
			}
			objs[i].Move(fyne.NewPos(x, y))
			objs[i].Resize(fyne.NewSize(cols[c], rows[r]))
			x += cols[c] + pad
		}
		y += rows[r] + pad
	}
}

func fieldValue(v history.Version, field string) string {
	if v.Removed || v.Contact == nil {
		return "(removed)"
	}
	c := v.Contact
	join := func(vs []contacts.Value) string {
		var out []string
		for _, x := range vs {
			out = append(out, x.Value)
		}
		return strings.Join(out, "\n")
	}
	switch field {
	case "Name":
		return c.DisplayName()
	case "E-mails":
		return join(c.Emails)
	case "Phones":
		return join(c.Phones)
	case "Categories":
		return strings.Join(c.Categories, "; ")
	case "Mileage":
		return c.Mileage
	case "Company":
		return c.Organization
	case "Note":
		note := c.Note
		if r := []rune(note); len(r) > 400 {
			note = string(r[:400]) + "…"
		}
		return lines(note, 48)
	}
	return ""
}

// lines breaks text at spaces into lines of at most width characters (a longer word
// keeps its own line whole), so that a note reads as a paragraph in its column.
func lines(text string, width int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
