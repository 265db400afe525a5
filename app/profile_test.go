package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/history"
)

// TestProfileSnapshot takes one first snapshot of the export named by
// SYNCGUARD_PROFILE_EXPORT, for `go test -cpuprofile`/`-memprofile` on large books; it is
// skipped otherwise.
func TestProfileSnapshot(t *testing.T) {
	export := os.Getenv("SYNCGUARD_PROFILE_EXPORT")
	if export == "" {
		t.Skip("set SYNCGUARD_PROFILE_EXPORT to a large export to profile a first snapshot")
	}
	if v := os.Getenv("SYNCGUARD_MEMLIMIT_MB"); v != "" {
		var mb int64
		fmt.Sscan(v, &mb)
		debug.SetMemoryLimit(mb << 20)
	}
	start := time.Now()
	s, err := history.Open(filepath.Join(t.TempDir(), "data"), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := SnapshotExport(s, export, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d contacts in %s; peak %.0f MB", r.Snapshot.Contacts, time.Since(start), peakMB())
}
