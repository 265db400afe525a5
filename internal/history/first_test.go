package history

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/gen"
)

// streamAlways makes every first snapshot stream, in small chunks and batches, for a test.
func streamAlways(t *testing.T) {
	minBytes, files, batch := streamMinBytes, streamChunkFiles, streamBatch
	streamMinBytes, streamChunkFiles, streamBatch = 0, 37, 50
	t.Cleanup(func() { streamMinBytes, streamChunkFiles, streamBatch = minBytes, files, batch })
}

// TestStreamedFirstSnapshotEqualsTheOrdinaryOne: a first snapshot taken in a stream records
// exactly what the ordinary path records (keys, versions, contacts, the file cache), so the
// next snapshot, the diff and a restore cannot tell them apart.
func TestStreamedFirstSnapshotEqualsTheOrdinaryOne(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export")
	book := gen.Book(21, 400)
	book = append(book, book[7].Clone()) // an exact duplicate: one version, two keys
	writeOld(t, export, book)

	take := func(stream bool) (*Store, *Result) {
		if stream {
			streamAlways(t)
		}
		s := open(t, filepath.Join(t.TempDir(), "data"))
		r, err := s.SnapshotExport(export, SnapshotOptions{Now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)})
		if stream {
			streamMinBytes = 1 << 62 // what follows takes the ordinary path again
		}
		if err != nil || r.Missing {
			t.Fatalf("stream=%v: %+v %v", stream, r, err)
		}
		return s, r
	}
	plain, pr := take(false)
	streamed, sr := take(true)
	if len(pr.Change.Added) != 401 || len(sr.Change.Added) != 0 || sr.Change.After != 401 {
		t.Errorf("the ordinary path lists the added contacts (%d), the stream counts them (%d of %d)",
			len(pr.Change.Added), len(sr.Change.Added), sr.Change.After)
	}
	if *pr.Snapshot != *sr.Snapshot {
		t.Errorf("snapshot records differ:\n plain    %+v\n streamed %+v", *pr.Snapshot, *sr.Snapshot)
	}
	dump := func(s *Store) string {
		var b strings.Builder
		s.db.View(func(tx *bolt.Tx) error {
			for _, name := range [][]byte{bVersions, bKeyhist, bMembers, bFiles} {
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
	if !reflect.DeepEqual(pc, sc) || len(sc) != 401 {
		t.Errorf("the contacts of snapshot 1 differ: %d vs %d", len(pc), len(sc))
	}

	// The next change is judged the same way on both.
	files, _ := filepath.Glob(filepath.Join(export, "*.vcf"))
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Store{plain, streamed} {
		r, err := s.SnapshotExport(export, SnapshotOptions{})
		if err != nil || r.Snapshot.ID != 2 || r.Snapshot.Removed != 1 || r.Snapshot.Added != 0 || r.Snapshot.Contacts != 400 {
			t.Errorf("second snapshot: %+v %v", r.Snapshot, err)
		}
	}
}

// TestStreamedFirstSnapshotRefusesACutExport: a file cut off in the middle of the stream
// stops it with export-missing and no snapshot; the versions written before are dropped
// by the next retention pass, and a good export is then snapshotted whole.
func TestStreamedFirstSnapshotRefusesACutExport(t *testing.T) {
	streamAlways(t)
	export := filepath.Join(t.TempDir(), "export")
	book := gen.Book(22, 200)
	writeOld(t, export, book)
	files, _ := filepath.Glob(filepath.Join(export, "*.vcf"))
	last := files[len(files)-1] // in the last chunk: the versions of the others are written
	whole, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(last, whole[:len(whole)/2], 0o600)
	ageFiles(t, export, time.Minute)
	s := open(t, filepath.Join(t.TempDir(), "data"))
	r, err := s.SnapshotExport(export, SnapshotOptions{})
	if err != nil || !r.Missing || r.Snapshot != nil || !strings.Contains(r.Problem, last) {
		t.Fatalf("missing=%v problem %q, %v; want export-missing naming %s", r.Missing, r.Problem, err, last)
	}
	if list, _ := s.Snapshots(); len(list) != 0 {
		t.Fatalf("%d snapshots after a cut export", len(list))
	}
	versions := func() (n int) {
		s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bVersions).Stats().KeyN; return nil })
		return n
	}
	if n := versions(); n != 0 {
		t.Errorf("%d versions of the refused stream are left behind", n)
	}
	os.WriteFile(last, whole, 0o600)
	ageFiles(t, export, time.Minute)
	r, err = s.SnapshotExport(export, SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Contacts != 200 {
		t.Fatalf("after exporting again: missing=%v %q %v", r.Missing, r.Problem, err)
	}
	if n := versions(); n != 200 {
		t.Errorf("%d versions stored, want the 200 contacts'", n)
	}
	if open, _ := s.Findings(false); len(open) != 0 {
		t.Errorf("the export-missing finding is still open: %+v", open)
	}
}
