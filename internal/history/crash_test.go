package history

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/gen"
)

// TestMain lets the crash test run this test binary as the process it kills: with
// SYNCGUARD_CRASH_CHILD set, it takes snapshots of two alternating exports until killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("SYNCGUARD_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

// Markers the child writes to its parent (file descriptor 3) as it enters and leaves each
// write transaction, unbuffered, so that the last one the parent reads after the kill says
// whether the kill landed inside a write.
const (
	markBegin = 'B'
	markEnd   = 'E'
)

func crashChild(dir string) {
	if os.Getenv("SYNCGUARD_CRASH_STREAM") != "" {
		// A first snapshot in a stream of small chunks and batches, killed part-way.
		streamMinBytes, streamChunkFiles, streamBatch = 0, 100, 150
	}
	markers := os.NewFile(3, "markers")
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
		if _, err := s.SnapshotExport(export, SnapshotOptions{Force: true}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

// killChild starts the child with env, kills it with SIGKILL and reports whether the kill
// landed inside a write transaction. Half the kills come at a random moment; the other
// half right after the child enters its nth write transaction (n, and a delay under half a
// millisecond, at random), so that a good share land mid-write however the time of a
// snapshot divides between reading the export and writing the database on this machine.
func killChild(t *testing.T, r *rand.Rand, env ...string) (midWrite bool) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	cmd.ExtraFiles = []*os.File{pw} // the child's descriptor 3
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close() // the child holds the only write end: the pipe ends when it dies

	begins := make(chan struct{}, 1024)
	last := make(chan byte, 1)
	go func() {
		var lastMark byte
		br := bufio.NewReader(pr)
		for {
			b, err := br.ReadByte()
			if err == io.EOF || err != nil {
				last <- lastMark
				return
			}
			lastMark = b
			if b == markBegin {
				select {
				case begins <- struct{}{}:
				default:
				}
			}
		}
	}()
	if r.IntN(2) == 0 {
		time.Sleep(time.Duration(30+r.IntN(400)) * time.Millisecond)
	} else {
		// A few begins in; the child does not wait for the parent, so the parent's own
		// delay (a busy machine) only moves the kill later, never stops it.
		n := 1 + r.IntN(4)
		for range n {
			select {
			case <-begins:
			case <-time.After(30 * time.Second): // a child that never writes: kill it anyway
			}
		}
		time.Sleep(time.Duration(r.IntN(500)) * time.Microsecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	return <-last == markBegin
}

// killCount is the number of kills: SYNCGUARD_KILLS when set (make reliability runs
// hundreds), else def.
func killCount(def int) int {
	if n, err := strconv.Atoi(os.Getenv("SYNCGUARD_KILLS")); err == nil && n > 0 {
		return n
	}
	return def
}

// TestCrashNeverCorrupts kills a snapshotting process at random moments, many times over,
// and checks after each kill that the database is consistent and its latest snapshot whole:
// one of the two exports' books, complete. It counts the kills that landed inside a write
// transaction and fails when none did: a kill between writes proves nothing about a crash.
func TestCrashNeverCorrupts(t *testing.T) {
	t.Parallel()
	kills := killCount(12)
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
	for i := 0; i < kills; i++ {
		if killChild(t, r, "SYNCGUARD_CRASH_CHILD="+dir) {
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
		t.Errorf("none of the %d kills landed inside a write transaction: the test proved nothing about crashes", kills)
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
	kills := max(killCount(18)/3, 6)
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	if err := gen.WriteVCardFolder(folder, gen.Book(9, crashStreamBook), gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	ageFiles(t, folder, time.Hour)
	r := rand.New(rand.NewPCG(3, 4))
	survived, whole, midWrite := 0, 0, 0
	for i := 0; i < kills; i++ {
		data := filepath.Join(dir, "data")
		os.RemoveAll(data) // every round is a first snapshot
		if killChild(t, r, "SYNCGUARD_CRASH_CHILD="+dir, "SYNCGUARD_CRASH_STREAM=1") {
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
			minBytes, files, batch := streamMinBytes, streamChunkFiles, streamBatch
			streamMinBytes, streamChunkFiles, streamBatch = 0, 100, 150
			res, err := s.SnapshotExport(folder, SnapshotOptions{})
			streamMinBytes, streamChunkFiles, streamBatch = minBytes, files, batch
			if err != nil || res.Missing || res.Snapshot.Contacts != crashStreamBook {
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
		t.Errorf("none of the %d kills landed inside a write transaction: the test proved nothing about crashes", kills)
	}
}
