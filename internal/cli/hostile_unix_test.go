//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/settings"
)

var noHang = testkit.NoHang

// Every command that reads an export, given a FIFO, fails and says what it is, instead of
// blocking forever (a blocked snapshot also held the history lock against every other
// command).
func TestCommandsOnAFIFOFailInsteadOfHanging(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "contacts.csv")
	testkit.Mkfifo(t, fifo)
	pol := policyFile(t, "")
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := settings.Save(data, settings.Settings{Export: fifo}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"scan", fifo},
		{"scan", "--json", fifo},
		{"snapshot", "--export", fifo},
		{"snapshot"}, // the FIFO as the export location chosen in settings.json
		{"duplicates", fifo},
	} {
		noHang(t, strings.Join(args, " "), func() {
			// snapshot records an export-missing warning (exit 1) rather than failing: the
			// export is unreadable, never "every contact deleted".
			stdout, stderr, code := runIn(t, data, append(append([]string{}, pol...), args...)...)
			if code == ExitOK || !strings.Contains(stdout+stderr, "named pipe") {
				t.Errorf("%s: exit %d, output %q %q; want a failure saying the export is a named pipe", strings.Join(args, " "), code, stdout, stderr)
			}
		})
	}
	// And the history lock was not left held: a second snapshot of a real export works.
	real := filepath.Join(dir, "real.csv")
	writeCSVExport(t, real, gen.Book(1, 20))
	noHang(t, "snapshot after the FIFO", func() {
		if _, stderr, code := runIn(t, data, append(append([]string{}, pol...), "snapshot", "--export", real)...); code != ExitOK {
			t.Errorf("snapshot of a real export after the FIFO: %d %s", code, stderr)
		}
	})
}
