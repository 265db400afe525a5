package history

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// csvHistory takes a first snapshot of an Outlook CSV of n generated contacts into a new
// history and returns it with the book.
func csvHistory(t testing.TB, n int) (*Store, []*contacts.Contact) {
	t.Helper()
	base := t.TempDir()
	book := gen.Book(uint64(n), n)
	export := filepath.Join(base, "contacts.csv")
	f, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	if err := exports.WriteOutlookCSV(f, book); err != nil {
		t.Fatal(err)
	}
	f.Close()
	books.AgeFiles(t, base, 60e9)
	s := open(t, filepath.Join(base, "data"))
	if r, err := recordExport(s, export, time.Time{}, false); err != nil || r.Snapshot.Contacts != n {
		t.Fatalf("snapshot: %+v %v", r, err)
	}
	return s, book
}

// liveHeapDuringRestore restores the whole of snapshot 1 and returns the most heap that was
// live (after a collection) while a chunk was in hand, and how many contacts came. keep
// makes the caller hold every chunk, as a restore that collected the book first did.
func liveHeapDuringRestore(t *testing.T, s *Store, keep bool) (peak uint64, n int) {
	t.Helper()
	var kept []*contacts.Contact
	runtime.GC()
	runtime.GC() // the second drops what sync.Pools kept through the first
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	unreadable, err := s.RestoreEach(1, SelectAll, nil, 500, func(cs []*contacts.Contact) error {
		n += len(cs)
		if keep {
			kept = append(kept, cs...)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > base {
			peak = max(peak, ms.HeapAlloc-base)
		}
		return nil
	})
	if err != nil || len(unreadable) > 0 {
		t.Fatalf("restore: %v %+v", err, unreadable)
	}
	runtime.KeepAlive(kept)
	return peak, n
}

// TestARestoreHoldsAChunkNotTheBook: restoring 100,000 contacts held them all as contacts
// before writing the first (issue 14: 635 MB). The memory live while a restore writes
// must not grow with the book by more than its plan (a key and a version id per contact):
// between a 2,000- and a 16,000-contact restore, under 150 bytes a contact more, where a
// restore holding the contacts grows by 500 bytes or more a contact (measured alongside, so that
// the measurement is shown to see it).
func TestARestoreHoldsAChunkNotTheBook(t *testing.T) {
	if testing.Short() {
		t.Skip("two histories of 2,000 and 16,000 contacts")
	}
	const small, large = 2000, 16000
	perContact := func(keep bool) float64 {
		s1, _ := csvHistory(t, small)
		p1, n1 := liveHeapDuringRestore(t, s1, keep)
		s1.Close()
		s2, _ := csvHistory(t, large)
		p2, n2 := liveHeapDuringRestore(t, s2, keep)
		s2.Close()
		if n1 != small || n2 != large {
			t.Fatalf("restored %d and %d contacts; want %d and %d", n1, n2, small, large)
		}
		t.Logf("keep=%v: %d contacts %.1f MB live, %d contacts %.1f MB live", keep, n1, float64(p1)/1e6, n2, float64(p2)/1e6)
		return (float64(p2) - float64(p1)) / (large - small)
	}
	streamed, held := perContact(false), perContact(true)
	t.Logf("live memory per contact: %.0f bytes streamed, %.0f bytes when the book is held", streamed, held)
	if held < 500 {
		t.Fatalf("holding the book grew the live heap by only %.0f bytes a contact: the measurement does not see contacts", held)
	}
	if streamed > 150 {
		t.Errorf("a restore's live memory grows by %.0f bytes a contact; want under 150 (a chunk at a time)", streamed)
	}
}
