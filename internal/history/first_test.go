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
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// smallStream makes a streamed first snapshot read small chunks and write small batches,
// for a test.
func smallStream(t *testing.T) {
	files, batch := streamChunkFiles, streamBatch
	streamChunkFiles, streamBatch = 37, 50
	t.Cleanup(func() { streamChunkFiles, streamBatch = files, batch })
}

// TestStreamedFirstSnapshotEqualsTheOrdinaryOne: a first snapshot taken in a stream records
// exactly what the ordinary path records (keys, versions, contacts, the file cache), so the
// next snapshot, the diff and a restore cannot tell them apart.
func TestStreamedFirstSnapshotEqualsTheOrdinaryOne(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export")
	book := gen.Book(21, 400)
	book = append(book, book[7].Clone()) // an exact duplicate: one version, two keys
	books.WriteOldVCards(t, export, book)

	smallStream(t)
	take := func(stream bool) (*Store, *Result) {
		s := open(t, filepath.Join(t.TempDir(), "data"))
		r, err := recordExport(s, export, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), stream)
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
		r, err := recordExport(s, export, time.Time{}, false)
		if err != nil || r.Snapshot.ID != 2 || r.Snapshot.Removed != 1 || r.Snapshot.Added != 0 || r.Snapshot.Contacts != 400 {
			t.Errorf("second snapshot: %+v %v", r.Snapshot, err)
		}
	}
}

// TestARefusedStreamLeavesNoVersions: a file cut off in the middle of the stream stops it
// with no snapshot, and the versions written before are dropped; a good export is then
// recorded whole. (That the workflow records the cut export as missing is app's test.)
func TestARefusedStreamLeavesNoVersions(t *testing.T) {
	smallStream(t)
	export := filepath.Join(t.TempDir(), "export")
	book := gen.Book(22, 200)
	books.WriteOldVCards(t, export, book)
	files, _ := filepath.Glob(filepath.Join(export, "*.vcf"))
	last := files[len(files)-1] // in the last chunk: the versions of the others are written
	whole, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(last, whole[:len(whole)/2], 0o600)
	books.AgeFiles(t, export, time.Minute)
	s := open(t, filepath.Join(t.TempDir(), "data"))
	if r, err := recordExport(s, export, time.Time{}, true); err == nil || !strings.Contains(err.Error(), last) {
		t.Fatalf("%+v, %v; want the stream stopped at %s", r, err, last)
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
	books.AgeFiles(t, export, time.Minute)
	r, err := recordExport(s, export, time.Time{}, true)
	if err != nil || r.Snapshot.Contacts != 200 {
		t.Fatalf("after exporting again: %+v %v", r, err)
	}
	if n := versions(); n != 200 {
		t.Errorf("%d versions stored, want the 200 contacts'", n)
	}
}
