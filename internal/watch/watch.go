// Package watch tells the app when the Outlook export may have changed, and only once the
// files have stopped changing. It watches the folder that holds the export with fsnotify
// (an export file is replaced by a rename, so watching the file itself loses it), debounces
// each path on its own (an export written in many pieces is one change), checks that size
// and time hold still before reporting (Outlook writes a large CSV for seconds), rescans in
// full at start, after an event overflow and periodically (what events miss), and polls
// where fsnotify cannot see changes (network shares, or when it fails).
//
// It blocks on channels and timers only, so an idle watcher costs no CPU.
package watch

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Reason says why a change is reported.
type Reason string

// Reasons.
const (
	Start    Reason = "start"    // the first full scan after New
	Changed  Reason = "changed"  // files changed and have settled
	Rescan   Reason = "rescan"   // the periodic full rescan
	Overflow Reason = "overflow" // events were lost: rescan everything
)

// Change is one report: read the export again. Paths lists the files that changed (empty
// for a full rescan).
type Change struct {
	Reason Reason
	Paths  []string
}

// Options tune a Watcher. Zero values take the defaults.
type Options struct {
	// Debounce is the quiet time after a path's last event before it is checked (2 s).
	Debounce time.Duration
	// Settle is how long size and modification time must hold still (1 s).
	Settle time.Duration
	// Rescan is the period of the full rescan (10 min); negative turns it off.
	Rescan time.Duration
	// Poll is the polling period where fsnotify cannot be used (30 s).
	Poll time.Duration
	// ForcePoll polls even where fsnotify would work.
	ForcePoll bool
}

func (o *Options) defaults() {
	if o.Debounce <= 0 {
		o.Debounce = 2 * time.Second
	}
	if o.Settle <= 0 {
		o.Settle = time.Second
	}
	if o.Rescan == 0 {
		o.Rescan = 10 * time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = 30 * time.Second
	}
}

// Watcher reports changes of one export location on Changes.
type Watcher struct {
	path    string // the export: a file or a folder
	dir     string // the folder watched
	single  bool   // path is one file
	opt     Options
	changes chan Change
	done    chan struct{}
	once    sync.Once
	fsw     *fsnotify.Watcher
	polling bool
	why     string
}

// New starts watching path (an export file or folder). It does not fail: where fsnotify
// cannot watch, it polls, and Mode says so.
func New(path string, opt Options) (*Watcher, error) {
	opt.defaults()
	path = filepath.Clean(path)
	w := &Watcher{path: path, dir: path, opt: opt, changes: make(chan Change), done: make(chan struct{})}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		// A file (or an export not written yet) is watched through its folder: Outlook
		// replaces the file, and a watch on the file itself would end with the old one.
		w.dir, w.single = filepath.Dir(path), true
	}
	switch {
	case opt.ForcePoll:
		w.polling, w.why = true, "polling was asked for"
	case isNetworkPath(w.path) || isNetworkPath(w.dir):
		w.polling, w.why = true, "the export is on a network share, where change events are not reliable"
	default:
		fsw, err := fsnotify.NewWatcher()
		if err == nil {
			if err = fsw.Add(w.dir); err != nil {
				fsw.Close()
			}
		}
		if err != nil {
			w.polling, w.why = true, "change events are not available ("+err.Error()+")"
		} else {
			w.fsw = fsw
		}
	}
	go w.loop()
	return w, nil
}

// Changes delivers reports. Reports that the reader has not taken yet are merged into
// one, so a slow reader gets one change, not a backlog. It is closed by Close.
func (w *Watcher) Changes() <-chan Change { return w.changes }

// Mode says how the location is watched, for the status window: "events" or "polling
// every 30s: why".
func (w *Watcher) Mode() string {
	if w.polling {
		return "polling every " + w.opt.Poll.String() + ": " + w.why
	}
	return "change events"
}

// Polling reports whether the watcher polls.
func (w *Watcher) Polling() bool { return w.polling }

// Close stops the watcher; Changes is closed soon after.
func (w *Watcher) Close() {
	w.once.Do(func() { close(w.done) })
}

// stamp is what "holding still" compares.
type stamp struct {
	size    int64
	mod     time.Time
	missing bool
}

func (s stamp) same(o stamp) bool {
	return s.size == o.size && s.mod.Equal(o.mod) && s.missing == o.missing
}

func stat(p string) stamp {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{missing: true}
	}
	return stamp{size: fi.Size(), mod: fi.ModTime()}
}

// pending is a path waiting for its debounce and then for its size and time to settle.
type pending struct {
	due  time.Time
	last stamp
	seen bool // last holds a stamp taken at an earlier check
}

func (w *Watcher) loop() {
	defer close(w.changes)
	if w.fsw != nil {
		defer w.fsw.Close()
	}
	var (
		out     *Change // merged, not yet taken by the reader
		paths   = map[string]*pending{}
		timer   = time.NewTimer(time.Hour)
		rescanC <-chan time.Time
		pollC   <-chan time.Time
		events  <-chan fsnotify.Event
		errs    <-chan error
		known   map[string]stamp // the polled state
	)
	timer.Stop()
	add := func(c Change) {
		if out == nil {
			out = &Change{Reason: c.Reason}
		} else if c.Reason != Changed {
			out.Reason = c.Reason // a full rescan says more than a list of paths
		}
		if out.Reason == Changed {
			out.Paths = mergePaths(out.Paths, c.Paths)
		} else {
			out.Paths = nil
		}
	}
	touch := func(p string, now time.Time) {
		if pd, ok := paths[p]; ok {
			pd.due = now.Add(w.opt.Debounce)
			return
		}
		paths[p] = &pending{due: now.Add(w.opt.Debounce)}
	}
	// arm sets the one timer to the earliest due path: one timer for any number of paths.
	arm := func() {
		timer.Stop()
		var first time.Time
		for _, pd := range paths {
			if first.IsZero() || pd.due.Before(first) {
				first = pd.due
			}
		}
		if !first.IsZero() {
			timer.Reset(time.Until(first))
		}
	}
	if w.opt.Rescan > 0 && !w.polling {
		t := time.NewTicker(w.opt.Rescan)
		defer t.Stop()
		rescanC = t.C
	}
	if w.polling {
		t := time.NewTicker(w.opt.Poll)
		defer t.Stop()
		pollC = t.C
		known = w.scan()
	} else {
		events, errs = w.fsw.Events, w.fsw.Errors
	}
	add(Change{Reason: Start})
	for {
		var send chan<- Change
		var next Change
		if out != nil {
			send, next = w.changes, *out
		}
		select {
		case <-w.done:
			return
		case send <- next:
			out = nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.relevant(ev.Name) {
				touch(filepath.Clean(ev.Name), time.Now())
				arm()
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				add(Change{Reason: Overflow})
				continue
			}
			// The watch itself broke (the folder went away, a share disconnected): poll
			// from now on, which also notices when the folder comes back.
			w.fsw.Close()
			events, errs = nil, nil
			w.polling, w.why = true, "change events stopped ("+err.Error()+")"
			t := time.NewTicker(w.opt.Poll)
			defer t.Stop()
			pollC = t.C
			known = w.scan()
			add(Change{Reason: Overflow})
		case <-rescanC:
			add(Change{Reason: Rescan})
		case <-pollC:
			now := w.scan()
			for _, p := range diffStamps(known, now) {
				touch(p, time.Now())
			}
			known = now
			arm()
		case <-timer.C:
			t := time.Now()
			var settled []string
			for p, pd := range paths {
				if pd.due.After(t) {
					continue
				}
				st := stat(p)
				// Stable: the same size and time as at the last check, and not modified
				// within Settle. A vanished file is stable: its absence is the change.
				still := st.missing || (pd.seen && st.same(pd.last) && t.Sub(st.mod) >= w.opt.Settle)
				if still {
					settled = append(settled, p)
					delete(paths, p)
					continue
				}
				pd.last, pd.seen = st, true
				pd.due = t.Add(w.opt.Settle)
			}
			if len(settled) > 0 {
				sort.Strings(settled)
				add(Change{Reason: Changed, Paths: settled})
			}
			arm()
		}
	}
}

// relevant filters the folder's events: for a single export file only that file (and a
// rename onto its name); for a folder everything but hidden and Office lock files.
func (w *Watcher) relevant(name string) bool {
	name = filepath.Clean(name)
	if w.single {
		return name == w.path
	}
	base := filepath.Base(name)
	return !strings.HasPrefix(base, ".") && !strings.HasPrefix(base, "~$")
}

// scan stats what polling compares: the export file, or every entry of the folder.
func (w *Watcher) scan() map[string]stamp {
	m := map[string]stamp{}
	if w.single {
		if st := stat(w.path); !st.missing {
			m[w.path] = st
		}
		return m
	}
	ents, err := os.ReadDir(w.dir)
	if err != nil {
		return m
	}
	for _, e := range ents {
		p := filepath.Join(w.dir, e.Name())
		if !w.relevant(p) {
			continue
		}
		if fi, err := e.Info(); err == nil {
			m[p] = stamp{size: fi.Size(), mod: fi.ModTime()}
		}
	}
	return m
}

func diffStamps(a, b map[string]stamp) []string {
	var out []string
	for p, s := range b {
		if old, ok := a[p]; !ok || !old.same(s) {
			out = append(out, p)
		}
	}
	for p := range a {
		if _, ok := b[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

func mergePaths(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range append(append([]string{}, a...), b...) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// isNetworkPath reports a location where fsnotify does not see other machines' writes:
// a UNC path, or (per platform) a network file system or a mapped network drive.
func isNetworkPath(p string) bool {
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		return true
	}
	return onNetworkFS(p)
}
