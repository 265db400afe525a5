package watch

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// next waits for the next report; the bound is against a hang, not a timing target.
func next(t *testing.T, w *Watcher, what string) Change {
	t.Helper()
	select {
	case c, ok := <-w.Changes():
		if !ok {
			t.Fatalf("%s: the watcher stopped", what)
		}
		return c
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: nothing reported", what)
	}
	return Change{}
}

// until reads reports until one satisfies ok, and returns the paths of every Changed
// report read on the way.
func until(t *testing.T, w *Watcher, what string, ok func(Change) bool) []string {
	t.Helper()
	var seen []string
	for {
		c := next(t, w, what)
		seen = append(seen, c.Paths...)
		if ok(c) {
			return seen
		}
	}
}

func fast(o Options) Options {
	if o.Debounce == 0 {
		o.Debounce = 50 * time.Millisecond
	}
	if o.Settle == 0 {
		o.Settle = 50 * time.Millisecond
	}
	return o
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTheFirstReportIsAFullScan(t *testing.T) {
	w, _ := New(t.TempDir(), fast(Options{}))
	defer w.Close()
	if c := next(t, w, "start"); c.Reason != Start {
		t.Fatalf("first report: %+v", c)
	}
	if w.Polling() {
		t.Errorf("a local folder is watched with events, not polled: %s", w.Mode())
	}
}

func TestEveryFileOfAFolderExportIsReportedAfterItSettles(t *testing.T) {
	dir := t.TempDir()
	w, _ := New(dir, fast(Options{}))
	defer w.Close()
	next(t, w, "start")
	var want []string
	for i := range 20 { // an export written as one file per contact
		p := filepath.Join(dir, string(rune('a'+i))+".vcf")
		want = append(want, p)
		write(t, p, "BEGIN:VCARD")
	}
	write(t, filepath.Join(dir, "~$lock.vcf"), "x") // Office's lock file is not a contact
	got := map[string]bool{}
	until(t, w, "20 files", func(c Change) bool {
		for _, p := range c.Paths {
			got[p] = true
		}
		return len(got) >= len(want)
	})
	for _, p := range want {
		if !got[p] {
			t.Errorf("%s not reported", filepath.Base(p))
		}
	}
	if got[filepath.Join(dir, "~$lock.vcf")] {
		t.Error("an Office lock file was reported")
	}
	os.Remove(want[0])
	if paths := until(t, w, "a deletion", func(c Change) bool { return c.Reason == Changed }); !slices.Contains(paths, want[0]) {
		t.Errorf("the deleted file is not reported: %v", paths)
	}
}

func TestAFileStillBeingWrittenIsReportedOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	// Settle is far longer than the pauses of the writer, as Outlook writing a big CSV.
	w, _ := New(export, Options{Debounce: 20 * time.Millisecond, Settle: 1500 * time.Millisecond})
	defer w.Close()
	next(t, w, "start")
	f, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		f.WriteString("Name,E-mail Address\r\n")
		f.Sync()
		time.Sleep(20 * time.Millisecond)
	}
	f.Close()
	until(t, w, "the export", func(c Change) bool { return c.Reason == Changed })
	if fi, _ := os.Stat(export); fi.Size() != 10*int64(len("Name,E-mail Address\r\n")) {
		t.Errorf("size when reported: %d", fi.Size())
	}
}

func TestASingleExportFileIgnoresItsNeighboursAndSurvivesReplacement(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	write(t, export, "a")
	w, _ := New(export, fast(Options{}))
	defer w.Close()
	next(t, w, "start")
	write(t, filepath.Join(dir, "unrelated.txt"), "x")
	// Outlook replaces the export: it writes beside it and renames over it.
	write(t, filepath.Join(dir, "contacts.tmp"), "b")
	if err := os.Rename(filepath.Join(dir, "contacts.tmp"), export); err != nil {
		t.Fatal(err)
	}
	paths := until(t, w, "the replaced export", func(c Change) bool { return c.Reason == Changed })
	if len(paths) != 1 || paths[0] != export {
		t.Errorf("reported %v, want only the export", paths)
	}
	// And the next replacement is seen too: the watch is on the folder, not the old file.
	write(t, filepath.Join(dir, "contacts.tmp"), "c")
	os.Rename(filepath.Join(dir, "contacts.tmp"), export)
	until(t, w, "the second replacement", func(c Change) bool { return c.Reason == Changed })
}

func TestPollingSeesChangesWhereEventsCannot(t *testing.T) {
	dir := t.TempDir()
	w, _ := New(dir, fast(Options{ForcePoll: true, Poll: 50 * time.Millisecond}))
	defer w.Close()
	if !w.Polling() {
		t.Fatal("ForcePoll did not poll")
	}
	next(t, w, "start")
	p := filepath.Join(dir, "new.vcf")
	write(t, p, "BEGIN:VCARD")
	if paths := until(t, w, "a new file", func(c Change) bool { return c.Reason == Changed }); !slices.Contains(paths, p) {
		t.Errorf("polling reported %v", paths)
	}
}

func TestANetworkShareIsPolled(t *testing.T) {
	w, _ := New(`\\fileserver\share\contacts.csv`, fast(Options{Poll: time.Hour}))
	defer w.Close()
	if !w.Polling() {
		t.Fatalf("a UNC path must be polled: %s", w.Mode())
	}
	if c := next(t, w, "start"); c.Reason != Start {
		t.Errorf("first report: %+v", c)
	}
}

func TestPeriodicRescanAndClose(t *testing.T) {
	w, _ := New(t.TempDir(), fast(Options{Rescan: 50 * time.Millisecond}))
	next(t, w, "start")
	until(t, w, "rescan", func(c Change) bool { return c.Reason == Rescan })
	w.Close()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case _, ok := <-w.Changes():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("Close did not stop the watcher")
		}
	}
}
