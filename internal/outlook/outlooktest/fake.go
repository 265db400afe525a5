// Package outlooktest is a fake Outlook that behaves like the part of the object model
// internal/outlook uses: folders of contact items with properties, EntryIDs and
// modification times, a folder that changes while it is read, Outlook closing part-way,
// and access refused. Tests on any system use it in place of COM.
package outlooktest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/syncguard/syncguard/internal/outlook"
)

// Outlook is the fake application. Its zero value is not running; use New.
type Outlook struct {
	mu      sync.Mutex
	running bool
	denied  bool
	folders map[string]*folder // by path: "Contacts", "Contacts/Clients"
	order   []string
	seq     int
	clock   time.Time

	// CloseAfter, when > 0, makes Outlook close once that many items have been opened
	// (counting from the last Start): the next Items call fails with ErrClosed.
	CloseAfter int
	// DenyItems makes opening items fail as when the security prompt is answered "Deny".
	DenyItems bool
	// DuringItems runs before each Items call (a folder changing while it is read).
	DuringItems func(o *Outlook)

	opened   int // items opened since Start
	Sessions int // how many times Connect attached
}

type folder struct {
	path  string
	items map[string]*outlook.Item
	order []string
}

// New is a running Outlook with an empty default Contacts folder.
func New() *Outlook {
	o := &Outlook{running: true, folders: map[string]*folder{}, clock: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	o.AddFolder("Contacts")
	return o
}

// AddFolder creates a contacts folder ("Contacts/Clients").
func (o *Outlook) AddFolder(path string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.folders[path] == nil {
		o.folders[path] = &folder{path: path, items: map[string]*outlook.Item{}}
		o.order = append(o.order, path)
	}
}

// Stop and Start close and start Outlook; Deny makes Connect fail as a refused access.
func (o *Outlook) Stop()  { o.mu.Lock(); o.running = false; o.mu.Unlock() }
func (o *Outlook) Start() { o.mu.Lock(); o.running = true; o.opened = 0; o.mu.Unlock() }
func (o *Outlook) Deny()  { o.mu.Lock(); o.denied = true; o.mu.Unlock() }

// Opened is how many items have been opened since Start (the work a read did).
func (o *Outlook) Opened() int { o.mu.Lock(); defer o.mu.Unlock(); return o.opened }

func (o *Outlook) tick() time.Time {
	o.clock = o.clock.Add(time.Second)
	return o.clock
}

// Add creates an item in a folder with these properties and returns its EntryID.
func (o *Outlook) Add(path string, props map[string]string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	f := o.folders[path]
	if f == nil {
		panic("outlooktest: no folder " + path)
	}
	o.seq++
	id := fmt.Sprintf("00000000A1B2C3D4%08X", o.seq)
	p := make(map[string]string, len(props))
	for k, v := range props {
		p[k] = v
	}
	f.items[id] = &outlook.Item{EntryID: id, Modified: o.tick(), Props: p}
	f.order = append(f.order, id)
	return id
}

// Edit changes an item's properties (nil value: clears it) and its modification time.
func (o *Outlook) Edit(id string, props map[string]string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, f := range o.folders {
		if it := f.items[id]; it != nil {
			for k, v := range props {
				if v == "" {
					delete(it.Props, k)
				} else {
					it.Props[k] = v
				}
			}
			it.Modified = o.tick()
			return
		}
	}
	panic("outlooktest: no item " + id)
}

// Delete removes an item.
func (o *Outlook) Delete(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, f := range o.folders {
		if f.items[id] != nil {
			delete(f.items, id)
			for i, x := range f.order {
				if x == id {
					f.order = append(f.order[:i:i], f.order[i+1:]...)
					break
				}
			}
		}
	}
}

// IDs lists a folder's EntryIDs in order.
func (o *Outlook) IDs(path string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.folders[path].order...)
}

// Connect is the fake's outlook.Connector.
func (o *Outlook) Connect() (outlook.Session, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case !o.running:
		return nil, outlook.ErrNotRunning
	case o.denied:
		return nil, outlook.ErrAccessDenied
	}
	o.Sessions++
	return &session{o: o}, nil
}

type session struct{ o *Outlook }

func (s *session) Close() error { return nil }

func (s *session) Folders(names []string) ([]outlook.Folder, error) {
	s.o.mu.Lock()
	defer s.o.mu.Unlock()
	if !s.o.running {
		return nil, outlook.ErrClosed
	}
	out := []outlook.Folder{&fakeFolder{o: s.o, path: "Contacts"}}
	for _, n := range names {
		p := "Contacts/" + strings.Trim(n, "/")
		if s.o.folders[p] == nil {
			return nil, fmt.Errorf("%q: %w", p, outlook.ErrFolder)
		}
		out = append(out, &fakeFolder{o: s.o, path: p})
	}
	return out, nil
}

type fakeFolder struct {
	o    *Outlook
	path string
}

func (f *fakeFolder) Path() string { return f.path }

func (f *fakeFolder) Stamps(ctx context.Context) ([]outlook.Stamp, error) {
	f.o.mu.Lock()
	defer f.o.mu.Unlock()
	if !f.o.running {
		return nil, outlook.ErrClosed
	}
	fo := f.o.folders[f.path]
	if fo == nil {
		return nil, outlook.ErrFolder
	}
	out := make([]outlook.Stamp, 0, len(fo.order))
	for _, id := range fo.order {
		out = append(out, outlook.Stamp{EntryID: id, Modified: fo.items[id].Modified})
	}
	return out, nil
}

func (f *fakeFolder) Items(ctx context.Context, ids []string) ([]outlook.Item, error) {
	if f.o.DuringItems != nil {
		f.o.DuringItems(f.o)
	}
	f.o.mu.Lock()
	defer f.o.mu.Unlock()
	if f.o.CloseAfter > 0 && f.o.opened >= f.o.CloseAfter {
		f.o.running = false
	}
	if !f.o.running {
		return nil, outlook.ErrClosed
	}
	if f.o.DenyItems {
		return nil, outlook.ErrAccessDenied
	}
	var out []outlook.Item
	for _, id := range ids {
		for _, fo := range f.o.folders {
			if it := fo.items[id]; it != nil {
				p := make(map[string]string, len(it.Props))
				for k, v := range it.Props {
					p[k] = v
				}
				out = append(out, outlook.Item{EntryID: id, Modified: it.Modified, Props: p})
				f.o.opened++
			}
		}
	}
	return out, nil
}
