package ui

import (
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// showSaved confirms a file SyncGuard wrote (a restore, a report): what it is, the full
// path (a person must find the file again, and a file name alone does not say where it
// went), what to do next, and a button that opens the folder in the file manager.
func (u *ui) showSaved(w fyne.Window, title, text, path, next string) {
	full := path
	if abs, err := filepath.Abs(path); err == nil {
		full = abs
	}
	where := widget.NewLabel(full)
	where.TextStyle = fyne.TextStyle{Monospace: true}
	where.Wrapping = fyne.TextWrapBreak // a path has no spaces to wrap at
	content := container.NewVBox(wrapped(text), where)
	if next != "" {
		content.Add(wrapped(next))
	}
	var d *dialog.CustomDialog
	open := widget.NewButton("Open the folder", func() {
		if err := u.openFolder(filepath.Dir(full)); err != nil {
			showError(err, w)
		}
	})
	ok := widget.NewButton("OK", func() { d.Hide() })
	ok.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, content, w)
	d.SetButtons([]fyne.CanvasObject{open, ok})
	d.Resize(fyne.NewSize(600, content.MinSize().Height+120))
	d.Show()
}

// openFolderURL opens a folder in the desktop's file manager, through Fyne (xdg-open,
// Explorer, Finder).
func openFolderURL(a fyne.App, dir string) error {
	u, err := url.Parse(storage.NewFileURI(dir).String())
	if err != nil {
		return err
	}
	return a.OpenURL(u)
}
