package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the watcher stopped", what)
		}
	case <-time.After(20 * time.Second): // a generous bound against a hang, not a timing target
		t.Fatalf("%s: no change reported", what)
	}
}

func TestFolderChangeIsReportedOnceAfterABurst(t *testing.T) {
	dir := t.TempDir()
	w, err := New(dir, Options{Debounce: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := 0; i < 20; i++ { // an export written as many files
		os.WriteFile(filepath.Join(dir, "c"+string(rune('a'+i))+".vcf"), []byte("x"), 0o600)
	}
	wait(t, w.Changes(), "burst of writes")
	select {
	case <-w.Changes():
		t.Error("a burst of writes must be one change")
	case <-time.After(500 * time.Millisecond):
	}
	os.Remove(filepath.Join(dir, "ca.vcf"))
	wait(t, w.Changes(), "a deletion")
}

func TestSingleFileIsWatchedThroughItsFolder(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	os.WriteFile(export, []byte("a"), 0o600)
	w, err := New(export, Options{Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	os.WriteFile(filepath.Join(dir, "unrelated.txt"), []byte("x"), 0o600)
	select {
	case <-w.Changes():
		t.Error("another file in the folder is not a change of the export")
	case <-time.After(400 * time.Millisecond):
	}
	// Outlook replaces the export: write beside it and rename over it.
	tmp := filepath.Join(dir, "contacts.tmp")
	os.WriteFile(tmp, []byte("b"), 0o600)
	os.Rename(tmp, export)
	wait(t, w.Changes(), "the export replaced")
}

func TestPollingFallbackAndClose(t *testing.T) {
	w, err := New(`\\fileserver\share\export`, Options{Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !w.Polling {
		t.Fatal("a network path must be polled")
	}
	wait(t, w.Changes(), "poll")
	w.Close()
	deadline := time.After(5 * time.Second)
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
