package fleet

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAFileDatedInTheFutureIsStale: a file dated 2099 would stay fresh for ever; it is
// taken as stale and the reason given. A clock a few hours ahead is not.
func TestAFileDatedInTheFutureIsStale(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ws-victim.json", ws("ws-victim", true, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), Device{ID: "palm-1", Name: "Treo"}))
	writeFile(t, dir, "ws-ahead.json", ws("ws-ahead", true, now.Add(3*time.Hour), Device{ID: "palm-1", Name: "Treo"}))
	v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now})
	if len(v.Stale) != 1 || v.Stale[0].Workstation != "ws-victim" || !strings.Contains(v.Stale[0].Reason, "future") {
		t.Errorf("stale = %+v", v.Stale)
	}
	if len(v.Workstations) != 1 || v.Workstations[0].Workstation.ID != "ws-ahead" {
		t.Errorf("fresh = %+v", v.Workstations)
	}
}
