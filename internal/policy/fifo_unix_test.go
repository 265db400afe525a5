//go:build unix

package policy

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

// --policy naming a FIFO blocked every command forever.
func TestPolicyFIFOIsAnErrorNotAHang(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "policy.toml")
	testkit.Mkfifo(t, fifo)
	noHang(t, "loading a FIFO policy", func() {
		if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("%v; want an error saying the policy is a named pipe", err)
		}
	})
}
