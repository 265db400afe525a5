package datadir

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLeftoverOfAKilledWriteIsRemoved: a process that dies while WriteAtomic writes leaves
// a hidden temporary file beside the target; RemoveLeftoverTemps, which a restore calls
// before it writes, removes it and nothing else.
func TestLeftoverOfAKilledWriteIsRemoved(t *testing.T) {
	if p := os.Getenv("SYNCGUARD_ATOMIC_CHILD"); p != "" {
		WriteAtomic(p, 0o600, func(w io.Writer) error {
			w.Write([]byte(strings.Repeat("First Name,Last Name\r\n", 100000)))
			os.Exit(9) // the process ends in the middle of the write
			return nil
		})
		return
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "restore.csv")
	other := filepath.Join(dir, ".restore.csv.bak")
	os.WriteFile(other, []byte("not ours"), 0o600)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeftoverOfAKilledWriteIsRemoved$")
	cmd.Env = append(os.Environ(), "SYNCGUARD_ATOMIC_CHILD="+out)
	if err := cmd.Run(); err == nil {
		t.Fatal("the child was meant to die part-way")
	}
	hidden := func() []string {
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".restore.csv.tmp") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	if len(hidden()) != 1 {
		t.Fatalf("the killed write left %v; want one temporary file", hidden())
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("the killed write left a file under the final name")
	}
	RemoveLeftoverTemps(out)
	if h := hidden(); len(h) != 0 {
		t.Errorf("left over after the cleanup: %v", h)
	}
	if data, _ := os.ReadFile(other); string(data) != "not ours" {
		t.Errorf("a file that is not a leftover was touched")
	}
}
