//go:build unix

package settings

import (
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/testkit"
)

// A FIFO in the place of settings.json blocked every command that reads it, forever.
func TestSettingsFIFOIsAnErrorNotAHang(t *testing.T) {
	dir := t.TempDir()
	testkit.Mkfifo(t, Path(dir))
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
