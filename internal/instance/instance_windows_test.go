package instance

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A second start for the same data folder reaches the first, however the folder is
// written; a start for another folder (the demo's sandbox) does not.
func TestSignalReachesTheListenerOfTheSameFolder(t *testing.T) {
	dir := t.TempDir()
	shown := make(chan struct{}, 4)
	stop, err := Listen(dir, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})

	if Signal(filepath.Join(t.TempDir(), "other")) {
		t.Error("Signal for another data folder found a listener")
	}
	same := strings.ToUpper(dir) + `\sub\..` // the same folder, written another way
	if !Signal(same) {
		t.Fatal("Signal found no listener for the running instance's folder")
	}
	select {
	case <-shown:
	case <-time.After(10 * time.Second):
		t.Fatal("the running instance was not asked to show itself")
	}

	stop()
	stopped = true
	if Signal(dir) {
		t.Error("Signal still found a listener after it stopped")
	}
}
