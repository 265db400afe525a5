package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// TestRestoreClearsWhatAKilledRestoreLeft: a CSV restore killed part-way leaves a hidden
// ".NAME.tmp…" file beside the target (the file WriteAtomic writes before its rename); the
// next restore to the same file removes it.
func TestRestoreClearsWhatAKilledRestoreLeft(t *testing.T) {
	sb := newSandbox(t)
	dir, data := sb.dir, sb.data
	sb.snapshot(t, gen.Book(3, 30), ExitOK)
	restored := filepath.Join(dir, "restore.csv")
	leftover := filepath.Join(dir, ".restore.csv.tmp123456")
	os.WriteFile(leftover, []byte("First Name,Last Name\r\nHalf,"), 0o600)
	if out, stderr, code := runIn(t, data, "restore", "--snapshot", "1", "--format", "csv", "--out", restored); code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, stderr)
	}
	if _, err := os.Stat(leftover); err == nil {
		t.Error("the killed restore's partial file is still there")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("hidden file left beside the restore: %s", e.Name())
		}
	}
}
