package fleet

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTheCachedViewIsOnlyEverTheSameFolders: after a good read of folder A, a folder that
// does not exist (a typo, an unmounted share) used to come back as A's view, with A's
// workstations and their dangers. The cache answers only for the folder it was read from,
// however that folder is spelt.
func TestTheCachedViewIsOnlyEverTheSameFolders(t *testing.T) {
	a := buildFleet(t)
	cache := filepath.Join(t.TempDir(), "fleet-view.json")
	good := Read(context.Background(), ReadOptions{Folder: a, Timeout: 10 * time.Second, StaleDays: 30, Now: now, CacheFile: cache})
	if good.FromCache || len(good.Workstations) != 4 {
		t.Fatalf("read of A = %+v", good)
	}
	missing := filepath.Join(t.TempDir(), "nonexistent")
	other := Read(context.Background(), ReadOptions{Folder: missing, Timeout: time.Second, StaleDays: 30, Now: now, CacheFile: cache})
	if other.FromCache || !other.Offline || len(other.Workstations) != 0 || other.Folder != missing {
		t.Errorf("a missing folder after A's read = %+v; want offline with no workstations", other)
	}
	if fs := MultiWorkstation(self(), other, nil); len(fs) != 0 {
		t.Errorf("findings from another folder's view: %+v", fs)
	}
	if r := FirmReport(other, nil); r.Workstations != 0 || len(r.SharedDevices) != 0 {
		t.Errorf("report of a missing folder = %+v", r)
	}

	// A itself offline, spelt with a trailing separator: its own cache still answers.
	if err := os.Rename(a, a+".offline"); err != nil {
		t.Fatal(err)
	}
	same := Read(context.Background(), ReadOptions{Folder: a + string(filepath.Separator), Timeout: time.Second, StaleDays: 30, Now: now.Add(time.Hour), CacheFile: cache})
	if !same.FromCache || len(same.Workstations) != 4 || same.Age != time.Hour {
		t.Errorf("A offline = %+v; want A's cached view, an hour old", same)
	}
}
