package history

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
)

// streamCSVInChunks makes a one-file first snapshot stream in chunks of 9 contacts.
func streamCSVInChunks(t *testing.T) {
	streamAlways(t)
	chunk := streamChunkContacts
	streamChunkContacts = 9
	t.Cleanup(func() { streamChunkContacts = chunk })
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
	os.WriteFile(export, []byte(text), 0o600)
	ageFiles(t, filepath.Dir(export), time.Minute)

	take := func(stream bool) *Store {
		if stream {
			streamCSVInChunks(t)
		}
		s := open(t, filepath.Join(t.TempDir(), "data"))
		r, err := s.SnapshotExport(export, SnapshotOptions{Now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)})
		if stream {
			streamMinBytes = 1 << 62
		}
		if err != nil || r.Missing || r.Snapshot.Contacts != 301 {
			t.Fatalf("stream=%v: %+v %v", stream, r, err)
		}
		return s
	}
	plain, streamed := take(false), take(true)
	dump := func(s *Store) string {
		var b strings.Builder
		s.db.View(func(tx *bolt.Tx) error {
			for _, name := range [][]byte{bVersions, bKeyhist, bMembers} {
				tx.Bucket(name).ForEach(func(k, v []byte) error {
					fmt.Fprintf(&b, "%s %x %x\n", name, k, v)
					return nil
				})
			}
			return nil
		})
		return b.String()
	}
	if a, b := dump(plain), dump(streamed); a != b {
		t.Errorf("the stored history differs (%d vs %d bytes of dump)", len(a), len(b))
	}
	pc, _ := plain.Contacts(1)
	sc, _ := streamed.Contacts(1)
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
// as export-missing and none of those versions is left.
func TestStreamedFirstSnapshotRefusesACutCSV(t *testing.T) {
	streamCSVInChunks(t)
	var b bytes.Buffer
	if err := exports.WriteOutlookCSV(&b, gen.Book(24, 100)); err != nil {
		t.Fatal(err)
	}
	whole := b.Bytes()
	export := filepath.Join(t.TempDir(), "contacts.csv")
	os.WriteFile(export, whole[:len(whole)-40], 0o600) // inside the last row
	ageFiles(t, filepath.Dir(export), time.Minute)
	s := open(t, filepath.Join(t.TempDir(), "data"))
	r, err := s.SnapshotExport(export, SnapshotOptions{})
	if err != nil || !r.Missing || r.Snapshot != nil {
		t.Fatalf("missing=%v problem %q, %v; want export-missing", r.Missing, r.Problem, err)
	}
	var n int
	s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bVersions).Stats().KeyN; return nil })
	if n != 0 {
		t.Errorf("%d versions of the refused stream are left behind", n)
	}
}
