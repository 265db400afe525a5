//go:build unix

package conduit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

var noHang = testkit.NoHang

// catalog_file = "/dev/zero" ran out of memory; --reg naming a FIFO hung the check; a FIFO
// among Apple's pairing records hung detection. Each is an error that says what the file is.
func TestDevicesAndFIFOsAreNeverRead(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "partners.reg")
	testkit.Mkfifo(t, fifo)
	if _, err := os.Stat("/dev/zero"); err == nil {
		noHang(t, "a catalog on /dev/zero", func() {
			if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "device") {
				t.Errorf("catalog /dev/zero: %v; want an error saying it is a device", err)
			}
		})
	}
	noHang(t, "a catalog on a FIFO", func() {
		if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("catalog FIFO: %v; want an error saying it is a named pipe", err)
		}
	})
	noHang(t, "a .reg export on a FIFO", func() {
		if _, err := ReadRegFile(fifo, nil); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("--reg FIFO: %v; want an error saying it is a named pipe", err)
		}
	})
	noHang(t, "a plist on a FIFO", func() {
		var v map[string]any
		if err := readPlist(fifo, &v); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("plist FIFO: %v; want an error saying it is a named pipe", err)
		}
	})
}
