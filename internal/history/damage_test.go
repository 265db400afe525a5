package history

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// damagedHistory builds a history of three snapshots of a book of n contacts in dir and
// returns the database path, closed.
func damagedHistory(t *testing.T, dir string, n int) string {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	book := gen.Book(51, n)
	now := time.Now().Add(-time.Hour)
	for i, part := range [][]int{{0, n}, {0, n - 5}, {5, n}} {
		if _, err := s.Commit("export", now.Add(time.Duration(i)*time.Minute), book[part[0]:part[1]], nil); err != nil {
			t.Fatal(err)
		}
	}
	path := s.Path()
	s.Close()
	return path
}

// everyCommand runs what the commands do on a damaged history; none may panic (the test
// binary would die), each either works or says the history is damaged.
func everyCommand(t *testing.T, dir, export string) (failed int) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("open: %v; want an error that says the history is damaged", err)
		}
		return 1
	}
	defer s.Close()
	check := func(what string, err error) {
		if err != nil {
			failed++
			if !errors.Is(err, ErrDamaged) && !isDamageWording(err) {
				t.Errorf("%s: %v; want an error that says the history is damaged", what, err)
			}
		}
	}
	list, err := s.Snapshots()
	check("history", err)
	for _, sn := range list {
		_, err := s.Contacts(sn.ID)
		check("show", err)
		_, err = s.ForRestore(sn.ID, SelectAll, nil)
		check("restore", err)
	}
	_, err = s.Findings(true)
	check("findings", err)
	_, err = s.Events(0)
	check("events", err)
	_, err = s.Find("a")
	check("find", err)
	_, err = recordExport(s, export, time.Time{}, false)
	check("snapshot", err)
	check("check", s.Check())
	return failed
}

func isDamageWording(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "damaged") || strings.Contains(msg, "missing from the history")
}

// TestADamagedPageIsAnErrorNotACrash zeroes one page of the history at a time (and cuts
// the file short): no operation panics or faults.
func TestADamagedPageIsAnErrorNotACrash(t *testing.T) {
	base := t.TempDir()
	if runtime.GOOS == "windows" {
		// When bbolt panics while opening a damaged file, the handle it had opened is never
		// closed (bbolt has no cleanup on that path), and Windows refuses to delete an open
		// file. The command that met the file ends right after, and its handle with it; this
		// test process does not, so it works in a folder it removes as far as it can.
		dir, err := os.MkdirTemp("", "damaged-page")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		base = dir
	}
	orig := damagedHistory(t, filepath.Join(base, "orig"), 1000)
	good, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(base, "export")
	books.WriteOldVCards(t, export, gen.Book(51, 1000)[:40])
	pages := len(good) / 4096
	r := rand.New(rand.NewPCG(7, 8))
	tries := 0
	for _, pg := range append([]int{0, 1, 2, 3}, r.Perm(pages)[:8]...) {
		// A folder of its own for each damaged file: a handle bbolt leaked on one (see
		// above) keeps that file, and its lock, for the rest of this process.
		dir := filepath.Join(base, fmt.Sprint("data", tries))
		os.MkdirAll(dir, 0o700)
		bad := append([]byte(nil), good...)
		clear(bad[pg*4096 : min(len(bad), (pg+1)*4096)])
		os.WriteFile(filepath.Join(dir, FileName), bad, 0o600)
		everyCommand(t, dir, export)
		tries++
	}
	for _, keep := range []int{4096 * 2, len(good) / 2, len(good) - 4096} {
		dir := filepath.Join(base, fmt.Sprint("data", tries))
		os.MkdirAll(dir, 0o700)
		os.WriteFile(filepath.Join(dir, FileName), good[:keep], 0o600)
		everyCommand(t, dir, export)
		tries++
	}
	t.Logf("%d damaged files, no crash", tries)
}

// TestADamagedContactIsListedNotFatal: one contact's stored version is damaged (its bytes
// in the file overwritten). A restore writes every other contact and names the one it
// could not read; the next snapshot is not stopped by it, and stores the export's copy of
// that contact again, so that the restore after it is whole.
func TestADamagedContactIsListedNotFatal(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	book := gen.Book(52, 300)
	export := filepath.Join(base, "export")
	books.WriteOldVCards(t, export, book)
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := recordExport(s, export, time.Time{}, false); err != nil {
		t.Fatal(err)
	}
	victim, _ := s.Contacts(1)
	name := victim[100].Contact.DisplayName()
	s.Close()
	data, _ := os.ReadFile(filepath.Join(dir, FileName))
	marker := []byte(`"fn":` + strconv.Quote(name))
	at := bytes.Index(data, marker)
	if at < 0 || bytes.Count(data, marker) != 1 {
		t.Fatalf("the stored version of %q is not found once in the file", name)
	}
	copy(data[at:], "\x00\xff\x00\xff")
	os.WriteFile(filepath.Join(dir, FileName), data, 0o600)

	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	set, err := s.RestoreSet(1, SelectAll, nil)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if len(set.Contacts) != 299 || len(set.Unreadable) != 1 || set.Unreadable[0].Key != victim[100].Key {
		t.Fatalf("restore: %d contacts, unreadable %+v; want 299 and %s", len(set.Contacts), set.Unreadable, victim[100].Key)
	}
	r, err := recordExport(s, export, time.Time{}, false)
	if err != nil {
		t.Fatalf("the snapshot after the damage: %v", err)
	}
	if r.Snapshot.Contacts != 300 || r.Snapshot.Added+r.Snapshot.Removed != 0 {
		t.Errorf("the snapshot after the damage: %+v", r.Snapshot)
	}
	set, err = s.RestoreSet(r.Snapshot.ID, SelectAll, nil)
	if err != nil || len(set.Contacts) != 300 || len(set.Unreadable) != 0 {
		t.Fatalf("restore of the snapshot after: %d contacts, %+v, %v", len(set.Contacts), set.Unreadable, err)
	}
}

// TestRandomCorruptionsNeverStopTheHistory overwrites 16 bytes at a random place of the
// history's used pages, 30 times over. No operation crashes; a restore of the latest
// snapshot writes every contact it can read; and after the doctor (when a command found
// damage) snapshots and restores work again.
func TestRandomCorruptionsNeverStopTheHistory(t *testing.T) {
	base := t.TempDir()
	orig := filepath.Join(base, "orig")
	damagedHistory(t, orig, 400)
	good, _ := os.ReadFile(filepath.Join(orig, FileName))
	var used int64
	s, _ := Open(orig, Options{})
	s.view(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	s.Close()
	export := filepath.Join(base, "export")
	books.WriteOldVCards(t, export, gen.Book(51, 400)[:390])
	r := rand.New(rand.NewPCG(9, 10))
	stopped, salvaged, partial, snapFailed := 0, 0, 0, 0
	for i := 0; i < 30; i++ {
		dir := filepath.Join(base, "data"+strconv.Itoa(i))
		os.MkdirAll(dir, 0o700)
		bad := append([]byte(nil), good...)
		at := 2*4096 + r.IntN(int(used)-2*4096-16)
		for j := 0; j < 16; j++ {
			bad[at+j] = byte(r.IntN(256))
		}
		os.WriteFile(filepath.Join(dir, FileName), bad, 0o600)
		damaged := false
		if s, err := Open(dir, Options{}); err == nil {
			if last, err := s.Latest(); err == nil && last != nil {
				set, err := s.RestoreSet(last.ID, SelectAll, nil)
				if err == nil && len(set.Unreadable) > 0 {
					partial++
					if len(set.Contacts)+len(set.Unreadable) != last.Contacts {
						t.Errorf("corruption %d: the restore wrote %d and listed %d of %d contacts", i, len(set.Contacts), len(set.Unreadable), last.Contacts)
					}
				}
				damaged = damaged || err != nil || len(set.Unreadable) > 0
			}
			if _, err = recordExport(s, export, time.Time{}, false); err != nil {
				snapFailed++
				damaged = true
			}
			s.Close()
		} else {
			damaged = true
		}
		if !damaged {
			continue
		}
		stopped++
		if _, err := Salvage(dir, time.Now()); err != nil {
			t.Errorf("corruption %d: doctor: %v", i, err)
			continue
		}
		salvaged++
		s, err := Open(dir, Options{})
		if err != nil {
			t.Errorf("corruption %d: after the doctor the history does not open: %v", i, err)
			continue
		}
		if _, err := recordExport(s, export, time.Time{}, false); err != nil {
			t.Errorf("corruption %d: after the doctor a snapshot fails: %v", i, err)
		}
		if last, _ := s.Latest(); last != nil {
			if set, err := s.RestoreSet(last.ID, SelectAll, nil); err != nil || len(set.Unreadable) > 0 {
				t.Errorf("corruption %d: after the doctor the restore: %v, %d unreadable", i, err, len(set.Unreadable))
			}
		}
		s.Close()
	}
	t.Logf("30 random corruptions: %d met by a command (%d restores wrote all but a few, %d snapshots failed before the doctor), %d salvaged", stopped, partial, snapFailed, salvaged)
}
