//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

// A FIFO with no writer blocks whoever opens it for reading; ReadFile must say what it is
// instead. A link to the FIFO is refused the same way.
func TestFIFOIsRefusedNotOpened(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "contacts.csv")
	testkit.Mkfifo(t, fifo)
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, link} {
		noHang(t, "reading a FIFO", func() {
			_, err := ReadFile(p, 1<<20)
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
				t.Errorf("%s: %v; want ErrNotRegular saying it is a named pipe", p, err)
			}
		})
	}
}
