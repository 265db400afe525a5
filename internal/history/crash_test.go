package history

import (
	"fmt"
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
	if dir := os.Getenv("SYNCGUARD_HOLD_CHILD"); dir != "" {
		holdChild(dir)
		return
	}
	os.Exit(m.Run())
}

func crashChild(dir string) {
	if os.Getenv("SYNCGUARD_CRASH_STREAM") != "" {
		// A first snapshot in a stream of small chunks and batches, killed part-way.
		streamMinBytes, streamChunkFiles, streamBatch = 0, 100, 150
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

// TestCrashNeverCorrupts kills a snapshotting process at random moments, many times over,
// and checks after each kill that the database is consistent and its latest snapshot whole:
// one of the two exports' books, complete. SYNCGUARD_KILLS sets the count (make reliability
// runs hundreds).
func TestCrashNeverCorrupts(t *testing.T) {
	kills := 12
	if n, err := strconv.Atoi(os.Getenv("SYNCGUARD_KILLS")); err == nil && n > 0 {
		kills = n
	} else if testing.Short() {
		kills = 3
	}
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
	survived := 0
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SYNCGUARD_CRASH_CHILD="+dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(30+r.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

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
	t.Logf("survived %d kills of %d", survived, kills)
	fmt.Printf("crash test: survived %d kills\n", survived)
}

// TestCrashDuringAStreamedFirstSnapshot kills the first snapshot of a large export, which
// is written in many small transactions before the one that records it: after each kill
// the database is consistent and holds no snapshot or the whole one, and the next first
// snapshot drops what the killed one left and records the whole book.
func TestCrashDuringAStreamedFirstSnapshot(t *testing.T) {
	kills := 6
	if n, err := strconv.Atoi(os.Getenv("SYNCGUARD_KILLS")); err == nil && n > 0 {
		kills = max(n/3, 6)
	} else if testing.Short() {
		kills = 2
	}
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	if err := gen.WriteVCardFolder(folder, gen.Book(9, 6000), gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	ageFiles(t, folder, time.Hour)
	r := rand.New(rand.NewPCG(3, 4))
	survived, whole := 0, 0
	for i := 0; i < kills; i++ {
		data := filepath.Join(dir, "data")
		os.RemoveAll(data) // every round is a first snapshot
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SYNCGUARD_CRASH_CHILD="+dir, "SYNCGUARD_CRASH_STREAM=1")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(10+r.IntN(500)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		s, err := Open(data, Options{})
		if err != nil {
			t.Fatalf("kill %d: the database does not open: %v", i, err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("kill %d: consistency check: %v", i, err)
		}
		if sn, _ := s.Latest(); sn != nil {
			whole++
			if es, err := s.Contacts(sn.ID); err != nil || len(es) != 6000 || sn.Contacts != 6000 {
				t.Fatalf("kill %d: latest snapshot #%d has %d contacts (%v); want the whole book", i, sn.ID, len(es), err)
			}
		} else {
			streamMinBytes, streamChunkFiles, streamBatch = 0, 100, 150
			res, err := s.SnapshotExport(folder, SnapshotOptions{})
			streamMinBytes, streamChunkFiles, streamBatch = 4<<20, 2000, 4096
			if err != nil || res.Missing || res.Snapshot.Contacts != 6000 {
				t.Fatalf("kill %d: the first snapshot after the kill: %+v %v", i, res, err)
			}
			var n int
			s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bVersions).Stats().KeyN; return nil })
			if n != 6000 {
				t.Fatalf("kill %d: %d versions stored for 6000 contacts: the killed stream's were not dropped", i, n)
			}
		}
		s.Close()
		survived++
	}
	t.Logf("survived %d kills of a streamed first snapshot (%d after it was recorded)", survived, whole)
	fmt.Printf("crash test (streamed first snapshot): survived %d kills\n", survived)
}
