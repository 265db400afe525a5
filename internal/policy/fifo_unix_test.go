//go:build unix

package policy

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// --policy naming a FIFO blocked every command forever.
func TestPolicyFIFOIsAnErrorNotAHang(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "policy.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	noHang(t, "loading a FIFO policy", func() {
		if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("%v; want an error saying the policy is a named pipe", err)
		}
	})
}
