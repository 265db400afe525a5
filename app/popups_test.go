package app

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
)

// TestTwoGatesOnOnePopupsFileForgetNothing: popups.json is changed by whoever shows a
// popup; two that loaded it before either wrote must not undo each other, or a warning
// already shown pops up again at the next start.
func TestTwoGatesOnOnePopupsFileForgetNothing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "popups.json")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a, b := loadGate(file), loadGate(file)
	open := func(id string) []findings.Finding {
		return []findings.Finding{{ID: id, Kind: findings.MassDeletion, Severity: findings.Danger, State: findings.Open, Title: id}}
	}
	if a.fresh(open("f-a"), true, now) == nil || b.fresh(open("f-b"), true, now) == nil {
		t.Fatal("each finding should pop up once")
	}
	again := loadGate(file)
	for _, id := range []string{"f-a", "f-b"} {
		if p := again.fresh(open(id), true, now.Add(time.Minute)); p != nil {
			t.Errorf("%s pops up a second time after a restart: the other gate's write lost it", id)
		}
	}
}
