package app

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/intake"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// streamCSVInChunks makes a one-file first snapshot stream in chunks of 9 contacts.
func streamCSVInChunks(t *testing.T) {
	streamAlways(t)
	chunk := intake.ChunkContacts
	intake.ChunkContacts = 9
	t.Cleanup(func() { intake.ChunkContacts = chunk })
}

// TestStreamedFirstSnapshotOfACSVEqualsTheOrdinaryOne: an Outlook CSV is read in chunks of
// contacts in a streamed first snapshot (a 100,000-row CSV was held whole); the history it
// records is the ordinary path's, also when the only day-first date is in the last row,
// which decides how the first chunk's dates are read.
func TestStreamedFirstSnapshotOfACSVEqualsTheOrdinaryOne(t *testing.T) {
	book := gen.Book(23, 300)
	var b bytes.Buffer
	if err := exports.WriteOutlookCSV(&b, book); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	// A last row whose birthday can only be day/month: every slash date is read that way.
	text += strings.Repeat("\"\",", 52) + "\"25/12/1980\"" + strings.Repeat(",\"\"", 92-53) + "\r\n"
	export := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(export, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	books.AgeFiles(t, filepath.Dir(export), time.Minute)
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

	take := func(stream bool) (*history.Store, *SnapshotResult) {
		minBytes := streamMinBytes
		if stream {
			streamCSVInChunks(t)
		} else {
			streamMinBytes = 1 << 62
		}
		defer func() { streamMinBytes = minBytes }()
		s := openHistory(t, filepath.Join(t.TempDir(), "data"))
		r, err := SnapshotExport(s, export, SnapshotOptions{Now: now})
		if err != nil || r.Missing || r.Snapshot.Contacts != 301 {
			t.Fatalf("stream=%v: %+v %v", stream, r, err)
		}
		return s, r
	}
	plain, pr := take(false)
	streamed, sr := take(true)
	if len(sr.Change.Added) != 0 || len(pr.Change.Added) != 301 {
		t.Fatalf("the two paths were not both taken (added listed: %d plain, %d streamed)", len(pr.Change.Added), len(sr.Change.Added))
	}
	pc, err := plain.Contacts(1)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := streamed.Contacts(1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pc, sc) {
		t.Errorf("the contacts of snapshot 1 differ")
	}
	dayFirst := 0
	for _, e := range sc {
		if e.Contact.Birthday == "1980-12-25" {
			dayFirst++
		}
	}
	if dayFirst != 1 {
		t.Errorf("the last row's birthday read as day/month %d times; want 1", dayFirst)
	}
}

// TestStreamedFirstSnapshotRefusesACutCSV: a CSV cut off while it was written is found so
// only at its end, after its first chunks' versions were written: the snapshot is refused
// as export-missing, and the whole export, written again, is then taken.
func TestStreamedFirstSnapshotRefusesACutCSV(t *testing.T) {
	streamCSVInChunks(t)
	var b bytes.Buffer
	if err := exports.WriteOutlookCSV(&b, gen.Book(24, 100)); err != nil {
		t.Fatal(err)
	}
	whole := b.Bytes()
	export := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(export, whole[:len(whole)-40], 0o600); err != nil { // inside the last row
		t.Fatal(err)
	}
	books.AgeFiles(t, filepath.Dir(export), time.Minute)
	s := openHistory(t, filepath.Join(t.TempDir(), "data"))
	r, err := SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || !r.Missing || r.Snapshot != nil {
		t.Fatalf("missing=%v problem %q, %v; want export-missing", r.Missing, r.Problem, err)
	}
	if list, _ := s.Snapshots(); len(list) != 0 {
		t.Fatalf("%d snapshots after a cut export", len(list))
	}
	if err := os.WriteFile(export, whole, 0o600); err != nil {
		t.Fatal(err)
	}
	books.AgeFiles(t, filepath.Dir(export), time.Minute)
	r, err = SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Contacts != 100 {
		t.Fatalf("after exporting again: missing=%v %q %v", r.Missing, r.Problem, err)
	}
}
