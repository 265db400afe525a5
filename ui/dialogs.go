package ui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/internal/datadir"
)

// Fyne's own file dialogs: they work the same on every platform and need no native
// helper. Each is sized to its window, as the default is too small to read paths in.
// The size is set after Show: Fyne 2.8.1's FileDialog builds its content in Show, and
// Resize before that dereferences the missing content and panics (issue 16).

// pickSave asks where to write a file, pickFolder and pickFile for an export location or
// fleet folder. Tests drive these very dialogs (ui_test.go), so a dialog that cannot open
// fails them.
func (u *ui) pickSave(parent fyne.Window, name string, done func(path string)) {
	saveDialog(parent, name, done)
}
func (u *ui) pickFolder(parent fyne.Window, done func(path string)) { folderDialog(parent, done) }
func (u *ui) pickFile(parent fyne.Window, done func(path string))   { fileDialog(parent, done) }

func saveDialog(parent fyne.Window, name string, done func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		done(path)
	}, parent)
	d.SetFileName(name)
	if ext := filepath.Ext(name); ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	}
	d.Show()
	d.Resize(parent.Canvas().Size())
}

func folderDialog(parent fyne.Window, done func(path string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			done(u.Path())
		}
	}, parent)
	d.Show()
	d.Resize(parent.Canvas().Size())
}

func fileDialog(parent fyne.Window, done func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err == nil && r != nil {
			path := r.URI().Path()
			r.Close()
			done(path)
		}
	}, parent)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".vcf", ".CSV", ".VCF"}))
	d.Show()
	d.Resize(parent.Canvas().Size())
}

// wrapped is a label that wraps at the window's width: long sentences must never be cut.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func bold(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func showError(err error, w fyne.Window) { dialog.ShowError(err, w) }

// subHeading is the size of window headings.
const subHeading = theme.SizeNameSubHeadingText

// writePrivate writes a report the way restores are written: atomically, for the user
// alone.
func writePrivate(path string, data []byte) error { return datadir.WriteFileAtomic(path, data, 0o600) }

// section is a titled block whose title wraps (a Card's title does not, and a long
// finding title would push the window wider than the screen).
func section(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	return widget.NewCard("", "", container.NewVBox(append([]fyne.CanvasObject{bold(title)}, objs...)...))
}
