// Package watch tells when the export location may have changed: fsnotify on the folder
// that holds it, with a debounce so that an export written in many pieces is one change, a
// periodic rescan for what events miss (network shares, overflow), and polling where
// fsnotify cannot watch at all. It blocks on channels and timers only: an idle watcher
// costs no CPU.
package watch

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a Watcher.
type Options struct {
	Debounce time.Duration // quiet time after the last event before reporting (default 2 s)
	Rescan   time.Duration // periodic rescan even without events (default 5 min)
	Poll     time.Duration // polling interval where fsnotify does not work (default 30 s)
}

// Watcher reports changes of one export location on Changes().
type Watcher struct {
	path    string
	opt     Options
	changes chan struct{}
	done    chan struct{}
	once    sync.Once
	fsw     *fsnotify.Watcher
	// Polling is set when fsnotify could not watch the location.
	Polling bool
}

// New starts watching path (a file or a folder).
func New(path string, opt Options) (*Watcher, error) {
	if opt.Debounce == 0 {
		opt.Debounce = 2 * time.Second
	}
	if opt.Rescan == 0 {
		opt.Rescan = 5 * time.Minute
	}
	if opt.Poll == 0 {
		opt.Poll = 30 * time.Second
	}
	w := &Watcher{path: path, opt: opt, changes: make(chan struct{}, 1), done: make(chan struct{})}
	dir := path
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		dir = filepath.Dir(path) // a file is watched through its folder: exports replace it
	}
	fsw, err := fsnotify.NewWatcher()
	if err == nil {
		err = fsw.Add(dir)
	}
	if err != nil || isNetworkPath(path) {
		if fsw != nil {
			fsw.Close()
		}
		w.Polling = true
		go w.poll()
		return w, nil
	}
	w.fsw = fsw
	go w.loop()
	return w, nil
}

// Changes delivers a value after the location may have changed. Values coalesce: a slow
// reader gets one, not a backlog.
func (w *Watcher) Changes() <-chan struct{} { return w.changes }

// Close stops the watcher and closes Changes.
func (w *Watcher) Close() {
	w.once.Do(func() {
		close(w.done)
		if w.fsw != nil {
			w.fsw.Close()
		}
	})
}

func (w *Watcher) signal() {
	select {
	case w.changes <- struct{}{}:
	default: // one pending change is enough
	}
}

func (w *Watcher) relevant(name string) bool {
	if fi, err := os.Stat(w.path); err == nil && !fi.IsDir() {
		// A single export file: its own events, and renames into its name.
		return filepath.Clean(name) == filepath.Clean(w.path)
	}
	base := filepath.Base(name)
	return !strings.HasPrefix(base, ".") && !strings.HasPrefix(base, "~$")
}

func (w *Watcher) loop() {
	defer close(w.changes)
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	rescan := time.NewTicker(w.opt.Rescan)
	defer rescan.Stop()
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.relevant(ev.Name) {
				debounce.Reset(w.opt.Debounce)
			}
		case _, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			// An overflow or a watch error: events were lost, so rescan.
			debounce.Reset(w.opt.Debounce)
		case <-debounce.C:
			w.signal()
		case <-rescan.C:
			w.signal()
		}
	}
}

func (w *Watcher) poll() {
	defer close(w.changes)
	t := time.NewTicker(w.opt.Poll)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			w.signal() // the snapshot itself compares sizes and times: cheap when unchanged
		}
	}
}

// isNetworkPath reports a Windows UNC path or a mount fsnotify cannot see changes on.
func isNetworkPath(p string) bool {
	return strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//")
}
