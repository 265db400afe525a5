//go:build unix

package settings

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO in the place of settings.json blocked every command that reads it, forever.
func TestSettingsFIFOIsAnErrorNotAHang(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(Path(dir), 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), "settings.json") {
			t.Errorf("%v; want an error naming settings.json as a named pipe", err)
		}
	case <-time.After(time.Minute): // a guard against a hang, not a measure of speed
		t.Fatal("loading a FIFO settings.json did not return")
	}
}
