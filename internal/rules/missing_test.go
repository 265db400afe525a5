package rules

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/findings"
)

func TestExportMissing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		lastCount int
		want      findings.Severity
		says      string
	}{
		{"history had contacts: changes go unwatched", 2000, findings.Danger, "last good snapshot of 2000 contacts. Until"},
		{"before the first snapshot", 0, findings.Warning, "last good snapshot."},
	}
	for _, tc := range cases {
		f := ExportMissing(`C:\Export\contacts.csv`, "the file is gone.", tc.lastCount, 41)
		if f.Kind != findings.ExportMissing || f.Severity != tc.want || f.SnapshotID != 41 {
			t.Errorf("%s: %s/%s snapshot %d", tc.name, f.Kind, f.Severity, f.SnapshotID)
		}
		if !strings.Contains(f.Explanation, tc.says) || !strings.Contains(f.Explanation, "the file is gone. Nothing was recorded as deleted") {
			t.Errorf("%s: %q", tc.name, f.Explanation)
		}
		if f.ID == "" || f.ID != ExportMissing(`C:\Export\contacts.csv`, "another reason", 5, 42).ID {
			t.Errorf("%s: one location must keep one finding id", tc.name)
		}
	}
}
