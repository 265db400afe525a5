package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

var noHang = testkit.NoHang

func TestOnlyRegularFilesWithinTheBoundAreRead(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(regular, []byte("[export]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := ReadFile(regular, 1<<10)
	if err != nil || string(data) != "[export]\n" {
		t.Fatalf("a regular file: %q, %v", data, err)
	}
	if _, err := ReadFile(regular, 4); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), regular) {
		t.Errorf("a file over the bound: %v; want ErrTooLarge naming the file", err)
	}
	if _, err := ReadFile(dir, 1<<10); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a folder") {
		t.Errorf("a folder: %v; want ErrNotRegular saying it is a folder", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 1<<10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v; want an error that is fs.ErrNotExist", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		noHang(t, "reading /dev/zero", func() {
			if _, err := ReadFile("/dev/zero", 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "device") {
				t.Errorf("/dev/zero: %v; want ErrNotRegular saying it is a device", err)
			}
		})
	}
}
