package history

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// TestMain lets the crash test run this test binary as the process it kills: with
// SYNCGUARD_CRASH_CHILD set, it takes snapshots of two alternating exports until killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("SYNCGUARD_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	if dir := os.Getenv("SYNCGUARD_HOLD_CHILD"); dir != "" {
		holdChild(dir)
		return
	}
	os.Exit(m.Run())
}

// Markers the child appends to a file its parent names (SYNCGUARD_CRASH_MARKERS) as it
// enters and leaves each write transaction, unbuffered, so that the last one in the file
// after the kill says whether the kill landed inside a write. A file rather than a pipe:
// it works the same on Windows, where a child inherits no extra descriptors.
const (
	markBegin = 'B'
	markEnd   = 'E'
)

func crashChild(dir string) {
	if os.Getenv("SYNCGUARD_CRASH_STREAM") != "" {
		// A first snapshot in a stream of small chunks and batches, killed part-way.
		streamChunkFiles, streamBatch = 100, 150
	}
	markers, err := os.OpenFile(os.Getenv("SYNCGUARD_CRASH_MARKERS"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	writeTxHook = func(begin bool) {
		m := []byte{markEnd}
		if begin {
			m[0] = markBegin
		}
		markers.Write(m)
	}
	s, err := Open(filepath.Join(dir, "data"), Options{LockTimeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		export := filepath.Join(dir, []string{"a.vcf", "b.vcf"}[i%2])
		if os.Getenv("SYNCGUARD_CRASH_STREAM") != "" {
			export = filepath.Join(dir, "folder")
		}
		last, _ := s.Latest()
		stream := os.Getenv("SYNCGUARD_CRASH_STREAM") != "" && last == nil
		if _, err := recordExport(s, export, time.Time{}, stream); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

// killChild starts the child with env, kills it and reports whether the kill landed
// inside a write transaction. Kill i comes at a random moment when i is even; when it is
// odd, right after the child enters its nth write transaction (n, and a delay under half a
// millisecond, at random), so that a good share land mid-write however the time of a
// snapshot divides between reading the export and writing the database on this machine.
func killChild(t *testing.T, r *rand.Rand, i int, env ...string) (midWrite bool) {
	t.Helper()
	markers := filepath.Join(t.TempDir(), "markers")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, "SYNCGUARD_CRASH_MARKERS="+markers)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if i%2 == 0 {
		time.Sleep(time.Duration(30+r.IntN(400)) * time.Millisecond)
	} else {
		// The child does not wait for the parent, so a parent slowed by a busy machine
		// only kills later, never not at all.
		n := 1 + r.IntN(4)
		for give := time.Now().Add(30 * time.Second); time.Now().Before(give); time.Sleep(100 * time.Microsecond) {
			if b, _ := os.ReadFile(markers); bytes.Count(b, []byte{markBegin}) >= n {
				break
			}
		}
		time.Sleep(time.Duration(r.IntN(500)) * time.Microsecond)
	}
	cmd.Process.Kill() // SIGKILL; TerminateProcess on Windows
	cmd.Wait()
	b, err := os.ReadFile(markers)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return len(b) > 0 && b[len(b)-1] == markBegin
}

// killCount is the number of kills: SYNCGUARD_KILLS when set (make reliability runs
// hundreds), else def, or short with -short (the Windows run under Wine, which is about
// Windows semantics; the Linux run of make test has the longer loops).
func killCount(def, short int) int {
	if n, err := strconv.Atoi(os.Getenv("SYNCGUARD_KILLS")); err == nil && n > 0 {
		return n
	}
	if testing.Short() {
		return short
	}
	return def
}

// TestCrashNeverCorrupts kills a snapshotting process at random moments, many times over,
// and checks after each kill that the database is consistent and its latest snapshot whole:
// one of the two exports' books, complete. It counts the kills that landed inside a write
// transaction and fails when none did: a kill between writes proves nothing about a crash.
func TestCrashNeverCorrupts(t *testing.T) {
	t.Parallel()
	kills := killCount(12, 4)
	dir := t.TempDir()
	sizes := map[int]bool{1500: true, 1800: true}
	old := time.Now().Add(-time.Hour)
	for name, n := range map[string]int{"a.vcf": 1500, "b.vcf": 1800} {
		p := filepath.Join(dir, name)
		if err := gen.WriteVCardFile(p, gen.Book(uint64(n), n), gen.VCardOptions{Categories: true}); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	r := rand.New(rand.NewPCG(1, 2))
	survived, midWrite := 0, 0
	// The kills land at random moments; on a busy machine (or under Wine) a few may all
	// miss the write transactions. Rather than fail for the machine's load, kill again,
	// up to four times as often, until one has landed inside a write.
	for i := 0; i < kills || (midWrite == 0 && i < 4*kills); i++ {
		if killChild(t, r, i, "SYNCGUARD_CRASH_CHILD="+dir) {
			midWrite++
		}
		s, err := Open(filepath.Join(dir, "data"), Options{})
		if err != nil {
			t.Fatalf("kill %d: the database does not open: %v", i, err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("kill %d: consistency check: %v", i, err)
		}
		if sn, _ := s.Latest(); sn != nil {
			es, err := s.Contacts(sn.ID)
			if err != nil || len(es) != sn.Contacts || !sizes[len(es)] {
				t.Fatalf("kill %d: latest snapshot #%d has %d contacts (%v), recorded %d; want a whole book", i, sn.ID, len(es), err, sn.Contacts)
			}
		}
		s.Close()
		survived++
	}
	t.Logf("survived %d kills of %d, %d of them inside a write transaction", survived, kills, midWrite)
	fmt.Printf("crash test: survived %d kills, %d inside a write\n", survived, midWrite)
	if midWrite == 0 {
		t.Errorf("none of the %d kills landed inside a write transaction: the test proved nothing about crashes", survived)
	}
}

// crashStreamBook is the size of the export the streamed first snapshot reads: with chunks
// of 100 files and batches of 150 versions, some twenty write transactions to kill in.
const crashStreamBook = 2500

// TestCrashDuringAStreamedFirstSnapshot kills the first snapshot of a large export, which
// is written in many small transactions before the one that records it: after each kill
// the database is consistent and holds no snapshot or the whole one, and the next first
// snapshot drops what the killed one left and records the whole book. It fails when no
// kill landed inside a write transaction.
func TestCrashDuringAStreamedFirstSnapshot(t *testing.T) {
	kills := killCount(18, 12) / 3 // a third of the other loop's, as make reliability counts them
	if os.Getenv("SYNCGUARD_KILLS") != "" {
		kills = max(kills, 6)
	}
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	if err := gen.WriteVCardFolder(folder, gen.Book(9, crashStreamBook), gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	books.AgeFiles(t, folder, time.Hour)
	r := rand.New(rand.NewPCG(3, 4))
	survived, whole, midWrite := 0, 0, 0
	// The kills land at random moments; on a busy machine (or under Wine) a few may all
	// miss the write transactions. Rather than fail for the machine's load, kill again,
	// up to four times as often, until one has landed inside a write.
	for i := 0; i < kills || (midWrite == 0 && i < 4*kills); i++ {
		data := filepath.Join(dir, "data")
		os.RemoveAll(data) // every round is a first snapshot
		if killChild(t, r, i, "SYNCGUARD_CRASH_CHILD="+dir, "SYNCGUARD_CRASH_STREAM=1") {
			midWrite++
		}
		s, err := Open(data, Options{})
		if err != nil {
			t.Fatalf("kill %d: the database does not open: %v", i, err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("kill %d: consistency check: %v", i, err)
		}
		if sn, _ := s.Latest(); sn != nil {
			whole++
			if es, err := s.Contacts(sn.ID); err != nil || len(es) != crashStreamBook || sn.Contacts != crashStreamBook {
				t.Fatalf("kill %d: latest snapshot #%d has %d contacts (%v); want the whole book", i, sn.ID, len(es), err)
			}
		} else {
			// The next first snapshot, streamed as the child's was (the package's settings
			// are put back as they were, whatever they were).
			files, batch := streamChunkFiles, streamBatch
			streamChunkFiles, streamBatch = 100, 150
			res, err := recordExport(s, folder, time.Time{}, true)
			streamChunkFiles, streamBatch = files, batch
			if err != nil || res.Snapshot.Contacts != crashStreamBook {
				t.Fatalf("kill %d: the first snapshot after the kill: %+v %v", i, res, err)
			}
			var n int
			s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bVersions).Stats().KeyN; return nil })
			if n != crashStreamBook {
				t.Fatalf("kill %d: %d versions stored for %d contacts: the killed stream's were not dropped", i, n, crashStreamBook)
			}
		}
		s.Close()
		survived++
	}
	t.Logf("survived %d kills of a streamed first snapshot (%d after it was recorded), %d of them inside a write transaction", survived, whole, midWrite)
	fmt.Printf("crash test (streamed first snapshot): survived %d kills, %d inside a write\n", survived, midWrite)
	if midWrite == 0 {
		t.Errorf("none of the %d kills landed inside a write transaction: the test proved nothing about crashes", survived)
	}
}
