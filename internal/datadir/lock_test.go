package datadir

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// increment is one read-modify-write of a counter file, the shape of every change of
// devices.json or settings.json.
func increment(path string) error {
	return Update(path, func() error {
		n := 0
		if data, err := os.ReadFile(path); err == nil {
			if n, err = strconv.Atoi(strings.TrimSpace(string(data))); err != nil {
				return err
			}
		}
		return WriteFileAtomic(path, []byte(strconv.Itoa(n+1)+"\n"), 0o600)
	})
}

// TestHelperIncrement is not a test: it is the body of the processes that
// TestUpdateLosesNothingAcrossProcesses starts.
func TestHelperIncrement(t *testing.T) {
	path := os.Getenv("SYNCGUARD_LOCK_HELPER")
	if path == "" {
		t.Skip("run by TestUpdateLosesNothingAcrossProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("SYNCGUARD_LOCK_TIMES"))
	for range n {
		if err := increment(path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUpdateLosesNothingAcrossProcesses: six processes and six goroutines each count to
// 25 in one file at the same time; every count must land.
func TestUpdateLosesNothingAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "counter.json") // the folder is created
	const procs, goroutines, times = 6, 6, 25
	var cmds []*exec.Cmd
	for range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperIncrement$")
		cmd.Env = append(os.Environ(), "SYNCGUARD_LOCK_HELPER="+path, "SYNCGUARD_LOCK_TIMES="+strconv.Itoa(times))
		cmds = append(cmds, cmd)
	}
	var wg sync.WaitGroup
	errs := make(chan error, procs+goroutines)
	for _, cmd := range cmds {
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("helper process: %v\n%s", err, out)
			}
		})
	}
	for range goroutines {
		wg.Go(func() {
			for range times {
				if err := increment(path); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(data)), strconv.Itoa((procs+goroutines)*times); got != want {
		t.Errorf("counter = %s, want %s: changes were lost", got, want)
	}
	// Windows has no mode bits (the folder's ACL keeps it private).
	if fi, err := os.Stat(filepath.Dir(path)); runtime.GOOS != "windows" && (err != nil || fi.Mode().Perm() != 0o700) {
		t.Errorf("the folder Update created: %v %v, want private (0700)", fi, err)
	}
}

// TestLockHeldTooLongIsAnErrorNamingTheFile: a process that hangs while it holds the lock
// costs the next one an error it can act on, not a command that never returns.
func TestLockHeldTooLongIsAnErrorNamingTheFile(t *testing.T) {
	defer func(w time.Duration) { LockWait = w }(LockWait)
	LockWait = 20 * time.Millisecond
	path := filepath.Join(t.TempDir(), "devices.json")
	release, entered := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- Update(path, func() error { close(entered); <-release; return nil })
	}()
	<-entered
	err := Update(path, func() error { t.Error("ran while another change held the lock"); return nil })
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "another SyncGuard process") {
		t.Errorf("error = %v, want one naming %s and saying another process holds it", err, path)
	}
	if _, err := ReadLocked(path); err == nil || !strings.Contains(err.Error(), "another SyncGuard process") {
		t.Errorf("a read under a held lock: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := increment(path); err != nil {
		t.Errorf("after the holder let go: %v", err)
	}
}

// TestReadLockedCreatesNothing: reading the settings of a data folder that does not exist
// yet is "no file", and leaves no folder behind.
func TestReadLockedCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	if _, err := ReadLocked(filepath.Join(dir, "settings.json")); !os.IsNotExist(err) {
		t.Errorf("err = %v, want not-exist", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("reading created the folder: %v", err)
	}
}

// TestReadLockedReadsAFolderItCannotLockIn: a data folder this user may not write in (a
// read-only copy) is still readable: a read does not fail for want of a lock file. (Run
// as root, the test is skipped: root may write anywhere.)
func TestReadLockedReadsAFolderItCannotLockIn(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a folder the user cannot write in: not as root, and Windows has no mode bits")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	if data, err := ReadLocked(path); err != nil || string(data) != "{}" {
		t.Errorf("read %q, %v", data, err)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("a lock file appeared in a folder the user cannot write in: %v", err)
	}
}
