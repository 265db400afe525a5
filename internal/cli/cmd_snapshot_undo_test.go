package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/gen"
)

// TestSnapshotSaysAChangeWasUndone: an export caught half-written (the writer paused
// longer than SyncGuard waits to confirm a large deletion) is recorded with its danger;
// the next snapshot, with every contact back, says it undid that change and exits 0 with
// no finding left advising a restore.
func TestSnapshotSaysAChangeWasUndone(t *testing.T) {
	sb := newSandbox(t)
	data, export := sb.data, sb.export
	book := gen.Book(41, 400)
	sb.snapshot(t, book, ExitOK)
	writeCSVExport(t, export, book[:200])
	if out, _, code := runIn(t, data, "snapshot", "--export", export); code != 2 || !strings.Contains(out, "200 removed") {
		t.Fatalf("half-written export: rc %d\n%s", code, out)
	}
	writeCSVExport(t, export, book)
	old := time.Now().Add(-30 * time.Second)
	os.Chtimes(export, old, old)
	out, stderr, code := runIn(t, data, "snapshot", "--export", export)
	if code != 0 || !strings.Contains(out, "This undoes snapshot #2") || !strings.Contains(out, "No findings.") {
		t.Fatalf("the snapshot that brings them back: rc %d\n%s%s", code, out, stderr)
	}
	if out, _, code := runIn(t, data, "findings"); code != 0 || strings.Contains(out, "Restore") {
		t.Errorf("findings after the undo (rc %d):\n%s", code, out)
	}
}
