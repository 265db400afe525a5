package history

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"

	"github.com/syncguard/syncguard/internal/gen"
)

// wasteful makes a history that CompactIfWasteful compacts: a large book, then a small
// one, then retention that keeps only the newest snapshot, which frees most of the file.
func wasteful(t testing.TB, s *Store) {
	t.Helper()
	old := compactMinSize
	compactMinSize = 0
	t.Cleanup(func() { compactMinSize = old })
	now := time.Now()
	if _, err := s.Commit("big", now.Add(-48*time.Hour), gen.Book(21, 1000), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit("small", now.Add(-47*time.Hour), gen.Book(21, 1000)[:20], nil); err != nil {
		t.Fatal(err)
	}
	if n, _, err := s.Prune(Retention{}, now); err != nil || n != 1 {
		t.Fatalf("prune: %d snapshots, %v", n, err)
	}
}

// compactChild is the second process of TestCompactionDoesNotLoseAWaitingSnapshot: it
// opens the history (waiting for the first process to let go of it), records a snapshot
// and prints its id.
func compactChild() bool {
	dir := os.Getenv("SYNCGUARD_COMPACT_CHILD")
	if dir == "" {
		return false
	}
	fmt.Println("opening")
	s, err := Open(dir, Options{LockTimeout: time.Minute})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	r, err := s.Commit("waiting", time.Now(), gen.Book(22, 40), nil)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	s.Close()
	fmt.Printf("Snapshot #%d\n", r.Snapshot.ID)
	os.Exit(0)
	return true
}

// holdsOpen reports whether process pid has a file of dir open (Linux: /proc).
func holdsOpen(pid int, dir string) bool {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(target, dir+string(os.PathSeparator)) {
			return true
		}
	}
	return false
}

// TestCompactionDoesNotLoseAWaitingSnapshot: a second process that is waiting for the
// history while the first one compacts it records its snapshot in the history, not in
// the file compaction replaced (which nobody reads afterwards).
func TestCompactionDoesNotLoseAWaitingSnapshot(t *testing.T) {
	if compactChild() {
		return
	}
	if _, err := os.Stat("/proc/self/fd"); err != nil || runtime.GOOS != "linux" {
		// (Under Wine a Windows program finds /proc too, through the Z: drive, but its
		// pids are not Linux's.)
		t.Skip("needs Linux's /proc to see that the second process is waiting")
	}
	dir := filepath.Join(t.TempDir(), "data")
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wasteful(t, s)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCompactionDoesNotLoseAWaitingSnapshot$")
	cmd.Env = append(os.Environ(), "SYNCGUARD_COMPACT_CHILD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	lines.Scan() // "opening"
	for deadline := time.Now().Add(time.Minute); !holdsOpen(cmd.Process.Pid, dir); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) { // a guard against a hang, not a measure of speed
			cmd.Process.Kill()
			t.Fatal("the second process never opened the history")
		}
	}
	time.Sleep(100 * time.Millisecond) // let it reach the lock it waits on
	compacted, err := s.CompactIfWasteful()
	if err != nil || !compacted {
		t.Fatalf("compaction: %v %v", compacted, err)
	}
	s.Close()
	var said string
	for lines.Scan() {
		said += lines.Text() + "\n"
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the waiting process: %v\n%s", err, said)
	}
	var id uint64
	if _, err := fmt.Sscanf(said, "Snapshot #%d", &id); err != nil {
		t.Fatalf("the waiting process said %q", said)
	}
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	last, _ := s2.Latest()
	if last == nil || last.ID != id || last.Contacts != 40 {
		t.Fatalf("the waiting process said \"Snapshot #%d\", the history ends at %+v: the snapshot was written to the replaced file", id, last)
	}
}

// TestCompactionFailureLeavesAWorkingHistory: when the rename of the compacted file or
// the opening of it fails, the history stays open, whole and writable.
func TestCompactionFailureLeavesAWorkingHistory(t *testing.T) {
	for _, step := range []string{"rename", "reopen"} {
		t.Run(step, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			s := open(t, dir)
			wasteful(t, s)
			before, _ := s.Latest()
			failed := errors.New("injected failure")
			switch step {
			case "rename":
				renameFile = func(string, string) error { return failed }
				defer func() { renameFile = os.Rename }()
			case "reopen":
				real := openBolt
				calls := 0
				openBolt = func(path string, opt Options) (*bolt.DB, error) {
					if calls++; calls == 1 {
						return nil, failed
					}
					return real(path, opt)
				}
				defer func() { openBolt = real }()
			}
			if _, err := s.CompactIfWasteful(); err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("compaction error = %v; want the failure reported", err)
			}
			if err := s.Check(); err != nil {
				t.Fatalf("after the failed compaction: %v", err)
			}
			es, err := s.Contacts(before.ID)
			if err != nil || len(es) != 20 {
				t.Fatalf("after the failed compaction, snapshot #%d has %d contacts (%v)", before.ID, len(es), err)
			}
			r, err := s.Commit("after", time.Now(), gen.Book(21, 1000)[:25], nil)
			if err != nil {
				t.Fatalf("the history is not writable after the failed compaction: %v", err)
			}
			s.Close()
			s2, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if last, _ := s2.Latest(); last == nil || last.ID != r.Snapshot.ID {
				t.Fatalf("reopened, the history ends at %+v; want #%d", last, r.Snapshot.ID)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != FileName && e.Name() != LockName {
					t.Errorf("left in the data folder: %s", e.Name())
				}
			}
		})
	}
}

// TestCompactionWhileReading runs compaction while other goroutines read the history, as
// the tray's status and a history window do; `go test -race` checks the swap of the
// database under them, and every read must succeed.
func TestCompactionWhileReading(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := open(t, dir)
	wasteful(t, s)
	last, _ := s.Latest()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 100)
	progress := make(chan struct{}, 100) // a read done: the next compaction waits for some
	reads := 0
	var mu sync.Mutex
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				// What the tray's status, the history window and a restore read.
				if _, err := s.Findings(true); err != nil {
					errs <- err
					return
				}
				if l, err := s.Latest(); err != nil || l == nil || l.ID != last.ID {
					errs <- fmt.Errorf("latest: %+v, %v", l, err)
					return
				}
				if list, err := s.Snapshots(); err != nil || len(list) != 1 {
					errs <- fmt.Errorf("snapshots: %d, %v", len(list), err)
					return
				}
				es, err := s.Contacts(last.ID)
				if err != nil || len(es) != 20 {
					errs <- fmt.Errorf("contacts: %d, %v", len(es), err)
					return
				}
				if vs, err := s.Versions(es[g].Key); err != nil || len(vs) == 0 {
					errs <- fmt.Errorf("versions of %s: %d, %v", es[g].Key, len(vs), err)
					return
				}
				if _, err := s.Events(10); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				reads++
				mu.Unlock()
				select {
				case progress <- struct{}{}:
				default:
				}
			}
		}()
	}
	// A writer too, as the tray records a warning it showed while a window reads.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.AddEvent(Event{Time: time.Now(), Kind: EventWarning, Message: fmt.Sprint("warning ", i)}); err != nil {
				errs <- fmt.Errorf("add event: %v", err)
				return
			}
		}
	}()
	compactions := 0
	for i := 0; i < 10; i++ {
		for r := 0; r < 4; r++ { // reads between compactions, not only before the first
			select {
			case <-progress:
			case err := <-errs:
				t.Fatal(err)
			}
		}
		if err := s.compact(); err != nil {
			t.Fatal(err)
		}
		compactions++
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d compactions under %d reads", compactions, reads)
}

// TestCloseWhileReading: closing the history while other goroutines read and write it
// (the app shutting down under a window's query) ends each of them with an error, never a
// crash or a read of a closed file (go test -race).
func TestCloseWhileReading(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit("book", time.Now(), gen.Book(23, 50), nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{}, 4)
	ended := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				var err error
				switch g {
				case 0:
					_, err = s.Findings(true)
				case 1:
					_, err = s.Contacts(1)
				case 2:
					_, err = s.Snapshots()
				case 3:
					err = s.AddEvent(Event{Time: time.Now(), Kind: EventWarning, Message: "w"})
				}
				if i == 0 {
					started <- struct{}{}
				}
				if err != nil {
					ended <- err
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-started
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(ended)
	n := 0
	for err := range ended {
		if !errors.Is(err, bolterr.ErrDatabaseNotOpen) {
			t.Errorf("after Close: %v; want the database not open", err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("%d of 4 goroutines ended with an error", n)
	}
}
