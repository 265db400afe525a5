package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// A folder read as one kind (one-contact vCards) that comes to hold mostly the other kind
// (full CSV exports) keeps the kind its history chose: the change is a finding, and no
// contact is recorded as deleted, until the user reads the export anew on purpose
// ("Check the export now", a forced snapshot).
func TestAChangeOfFolderKindIsAFindingNotADeletion(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	book := gen.Book(7, 40)
	books.WriteOldVCards(t, export, book)
	s := openHistory(t, filepath.Join(dir, "data"))
	r, err := SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Kind != string(exports.KindContactDir) || r.Snapshot.Contacts != 40 {
		t.Fatalf("first snapshot: %+v %v", r, err)
	}
	// Fifty CSV files of one contact each arrive: most of the folder is now CSV exports,
	// the newest of which holds one contact.
	for i := 0; i < 50; i++ {
		var b bytes.Buffer
		if err := exports.WriteOutlookCSV(&b, book[i%40:i%40+1]); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(export, fmt.Sprintf("list-%02d.csv", i)), b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	books.AgeFiles(t, export, time.Minute)
	r, err = SnapshotExport(s, export, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Missing || r.Snapshot == nil || r.Snapshot.ID != 1 || !strings.Contains(r.Problem, "one-contact vCards") {
		t.Fatalf("kind changed: missing %v, problem %q, snapshot %+v; want no new snapshot and a problem naming the change", r.Missing, r.Problem, r.Snapshot)
	}
	if len(r.Findings) != 1 || r.Findings[0].Kind != findings.ExportMissing {
		t.Errorf("findings %+v; want one export-missing finding", r.Findings)
	}
	if list, _ := s.Snapshots(); len(list) != 1 {
		t.Errorf("%d snapshots; want the first one only", len(list))
	}
	// Read anew on purpose: the new kind is taken.
	r, err = SnapshotExport(s, export, SnapshotOptions{Force: true})
	if err != nil || r.Missing || r.Snapshot.Kind != string(exports.KindDatedExport) {
		t.Errorf("forced: %+v %v; want a snapshot of the folder as dated exports", r, err)
	}
}
