package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
)

// writeCSV writes book as an Outlook CSV export at path, dated at t.
func writeCSV(t *testing.T, path string, book []*contacts.Contact, at time.Time) {
	t.Helper()
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, book); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, at, at)
}

func openKinds(t *testing.T, s *history.Store) map[findings.Kind]int {
	t.Helper()
	fs, err := s.Findings(false)
	if err != nil {
		t.Fatal(err)
	}
	out := map[findings.Kind]int{}
	for _, f := range fs {
		out[f.Kind]++
	}
	return out
}

// TestHalfWrittenExportIsNotRecordedAsDeletions: Outlook rewrites a 2,000-row export and
// pauses after half the rows, at a row boundary, so the file reads as a whole CSV of
// 1,000 contacts. A snapshot taken in the pause does not record 1,000 deletions: a
// deletion that large is read a second time after a longer settle, and by then the
// export is whole again.
func TestHalfWrittenExportIsNotRecordedAsDeletions(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(31, 2000)
	writeCSV(t, export, book, time.Now().Add(-time.Hour))
	s := openHistory(t, filepath.Join(dir, "data"))
	if r, err := SnapshotExport(s, export, SnapshotOptions{}); err != nil || r.Snapshot.Contacts != 2000 {
		t.Fatalf("first snapshot: %+v %v", r, err)
	}
	// The rewrite: the first half is on disk when the snapshot reads it; the rest comes
	// while SyncGuard waits before believing the deletion.
	writeCSV(t, export, book[:1000], time.Now().Add(-time.Minute))
	waits := 0
	r, err := SnapshotExport(s, export, SnapshotOptions{Force: true, ConfirmSettle: 3 * time.Second, Sleep: func(d time.Duration) {
		if d == 3*time.Second {
			waits++
			writeCSV(t, export, book, time.Now().Add(-30*time.Second)) // the writer finishes
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if waits != 1 {
		t.Errorf("the large deletion was confirmed after %d waits; want 1", waits)
	}
	if last, _ := s.Latest(); last.Contacts != 2000 || last.Removed != 0 {
		t.Errorf("the history now ends at %d contacts, %d removed: the half-written export was recorded", last.Contacts, last.Removed)
	}
	if r.Snapshot.Removed != 0 {
		t.Errorf("snapshot: %+v", r.Snapshot)
	}
	if k := openKinds(t, s); k[findings.MassDeletion] != 0 {
		t.Errorf("open findings %v: the pause was taken for a mass deletion", k)
	}

	// A deletion that holds still over the longer settle is recorded, after one wait.
	writeCSV(t, export, book[:1500], time.Now().Add(-time.Minute))
	waits = 0
	r, err = SnapshotExport(s, export, SnapshotOptions{Force: true, ConfirmSettle: 3 * time.Second, Sleep: func(d time.Duration) {
		if d == 3*time.Second {
			waits++
		}
	}})
	if err != nil || r.Snapshot.Removed != 500 || waits != 1 {
		t.Fatalf("a real deletion: %+v after %d waits, %v", r.Snapshot, waits, err)
	}
	if k := openKinds(t, s); k[findings.MassDeletion] != 1 {
		t.Errorf("open findings %v; want the mass deletion", k)
	}
}

// TestUndoneChangeResolvesItsFindings: when the export was recorded half-written anyway
// (the writer paused longer than SyncGuard waited), the next snapshot brings the same
// contacts back; it is recorded as undoing the change, the contacts keep their history,
// and the change's findings are resolved instead of advising a restore that would import
// every contact a second time.
func TestUndoneChangeResolvesItsFindings(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(32, 2000)
	writeCSV(t, export, book, time.Now().Add(-time.Hour))
	s := openHistory(t, filepath.Join(dir, "data"))
	noWait := SnapshotOptions{Force: true, ConfirmSettle: time.Millisecond, Sleep: func(time.Duration) {}}
	if _, err := SnapshotExport(s, export, noWait); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Contacts(1)
	writeCSV(t, export, book[:1000], time.Now().Add(-time.Minute))
	half, err := SnapshotExport(s, export, noWait)
	if err != nil || half.Snapshot.Removed != 1000 {
		t.Fatalf("the half-written export: %+v %v", half.Snapshot, err)
	}
	if k := openKinds(t, s); k[findings.MassDeletion] != 1 {
		t.Fatalf("open findings %v; want the mass deletion", k)
	}
	writeCSV(t, export, book, time.Now().Add(-30*time.Second))
	back, err := SnapshotExport(s, export, noWait)
	if err != nil {
		t.Fatal(err)
	}
	if back.Undid != half.Snapshot.ID {
		t.Errorf("the snapshot that brought the contacts back says it undid #%d; want #%d", back.Undid, half.Snapshot.ID)
	}
	if k := openKinds(t, s); len(k) != 0 {
		t.Errorf("open findings after the change was undone: %v", k)
	}
	all, _ := s.Findings(true)
	for _, f := range all {
		if f.Kind == findings.MassDeletion && f.State != findings.Resolved {
			t.Errorf("the mass deletion is %s, want resolved", f.State)
		}
	}
	// The same contacts under the same keys: nothing to restore, no duplicates.
	after, _ := s.Contacts(back.Snapshot.ID)
	if len(after) != len(before) {
		t.Fatalf("%d contacts after, %d before", len(after), len(before))
	}
	for i := range after {
		if after[i].Key != before[i].Key || after[i].Contact.Fingerprint("") != before[i].Contact.Fingerprint("") {
			t.Fatalf("contact %d came back as %s %q, was %s %q", i, after[i].Key, after[i].Contact.DisplayName(), before[i].Key, before[i].Contact.DisplayName())
		}
	}
	if rs, _ := s.ForRestore(1, history.SelectRemoved, nil); len(rs) != 0 {
		t.Errorf("a restore of what was removed since #1 would write %d contacts again", len(rs))
	}
	evs, _ := s.Events(0)
	said := false
	for _, e := range evs {
		if strings.Contains(e.Message, "undid") || strings.Contains(e.Message, "undoes") {
			said = true
		}
	}
	if !said {
		t.Error("the timeline does not say that the change was undone")
	}
}
