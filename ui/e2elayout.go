package ui

import (
	"fmt"
	"os"
	"strings"
	"time"
	_ "unsafe" // for go:linkname

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/syncguard/syncguard/internal/datadir"
)

// layoutEnv names the environment variable that make e2e sets to a file path: while it is
// set, the app writes there what every window shows and where (one line per button,
// label, text, entry, check and select), so that the end-to-end scripts can move the
// real pointer to "the button labelled X". A script cannot find widgets in a window that
// OpenGL draws, and coordinates written into the scripts would break with every layout
// change. The input stays real X events; only the map comes from the app.
const layoutEnv = "SYNCGUARD_E2E_LAYOUT"

// walkVisible is Fyne's own walk over what a canvas draws, the one every Fyne driver uses
// to find the object under the pointer. Fyne keeps it internal; a widget's drawn parts
// (a tab's label, a file dialog's items, a select's menu) are reachable only through it.
// The build fails at link time if Fyne renames it, so it cannot silently stop working.
//
//go:linkname walkVisible fyne.io/fyne/v2/internal/driver.WalkVisibleObjectTree
func walkVisible(obj fyne.CanvasObject,
	beforeChildren func(fyne.CanvasObject, fyne.Position, fyne.Position, fyne.Size) bool,
	afterChildren func(fyne.CanvasObject, fyne.Position, fyne.CanvasObject)) bool

// startLayoutDump writes the layout file whenever it changes, while the app runs. A
// poll, not hooks in every window: the dump must follow what Fyne lays out (a dialog
// opening, a list scrolling), which no window of ours is told about.
func (u *ui) startLayoutDump() {
	path := os.Getenv(layoutEnv)
	if path == "" {
		return
	}
	go func() {
		last := ""
		for range time.Tick(200 * time.Millisecond) {
			done := make(chan string, 1)
			fyne.Do(func() { done <- u.layout() })
			text := <-done
			if text == last {
				continue
			}
			if err := datadir.WriteFileAtomic(path, []byte(text), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, "e2e layout:", err)
				continue
			}
			last = text
		}
	}()
}

// layout lists, for every window, each visible element that shows text, in pixels
// relative to the window's drawing area:
//
//	TITLE \t LAYER \t KIND \t X \t Y \t W \t H \t TEXT
//
// LAYER is 0 for the window's content and 1… for the overlays above it (dialogs, menus),
// so a script can prefer what is on top. Elements scrolled out of sight are left out.
func (u *ui) layout() string {
	var b strings.Builder
	for _, w := range u.a.Driver().AllWindows() {
		c := w.Canvas()
		if c == nil || c.Content() == nil {
			continue
		}
		scale := c.Scale()
		title := strings.ReplaceAll(w.Title(), "\t", " ")
		layers := append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
		for layer, root := range layers {
			walkVisible(root, func(o fyne.CanvasObject, pos, clipPos fyne.Position, clipSize fyne.Size) bool {
				kind, text := describe(o)
				if kind == "" {
					return false
				}
				size := o.Size()
				// Only the part inside the scroll or split that clips it can be clicked.
				x0, y0 := max(pos.X, clipPos.X), max(pos.Y, clipPos.Y)
				x1, y1 := min(pos.X+size.Width, clipPos.X+clipSize.Width), min(pos.Y+size.Height, clipPos.Y+clipSize.Height)
				if x1-x0 < 2 || y1-y0 < 2 {
					return false
				}
				text = strings.NewReplacer("\n", " ", "\t", " ").Replace(text)
				fmt.Fprintf(&b, "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%s\n", title, layer, kind,
					int(x0*scale), int(y0*scale), int((x1-x0)*scale), int((y1-y0)*scale), text)
				return false
			}, nil)
		}
	}
	return b.String()
}

// describe names what a user would recognise an element by; "" for what shows no text.
func describe(o fyne.CanvasObject) (kind, text string) {
	switch x := o.(type) {
	case *widget.Button:
		kind, text = "button", x.Text
		if text == "" && x.Icon != nil {
			text = "icon:" + x.Icon.Name()
		}
		if x.Disabled() {
			kind = "button-disabled"
		}
	case *widget.Entry:
		// An empty field with no placeholder is still a field to click into.
		kind, text = "entry", x.Text
		if text == "" {
			text = x.PlaceHolder
		}
		if strings.TrimSpace(text) == "" {
			text = "(empty)"
		}
	case *widget.Check:
		kind, text = "check", x.Text
		if x.Checked {
			kind = "check-on"
		}
	case *widget.Select:
		kind, text = "select", x.Selected
		if text == "" {
			text = x.PlaceHolder
		}
	case *widget.Label:
		kind, text = "label", x.Text
	case *canvas.Text:
		kind, text = "text", x.Text
	}
	if kind != "" && strings.TrimSpace(text) == "" {
		return "", ""
	}
	return kind, text
}
