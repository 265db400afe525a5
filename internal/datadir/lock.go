package datadir

import (
	"errors"
	"fmt"
	"github.com/syncguard/syncguard/internal/safefile"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// LockWait is how long Update and ReadLocked wait for another SyncGuard process that is
// changing the same file. Changing one of these small files takes milliseconds, so a
// lock held this long belongs to a process that hangs, and the user gets an error to act
// on rather than a command that never returns.
var LockWait = 10 * time.Second

// Update runs change while it holds an exclusive lock on path, so that the
// read-modify-write of a small JSON file (devices.json, workstation.json, settings.json,
// popups.json) by two processes at once loses neither change: the command line, the tray
// app and the windows it starts all write these files. The lock is a file beside it
// (path + ".lock", flock on Unix, LockFileEx on Windows), never the file itself, because
// the file is replaced by a rename on every write, and Windows refuses to rename over a
// file that a handle holds open. The folder is created private (0700) if it is missing.
func Update(path string, change func() error) error {
	if err := Ensure(filepath.Dir(path)); err != nil {
		return err
	}
	return withLock(path, change)
}

// ReadLocked reads path under the same lock, so that a reader never holds the file open
// while a writer renames over it (which fails on Windows). A missing folder is a missing
// file: reading creates nothing.
func ReadLocked(path string) ([]byte, error) {
	if _, err := os.Stat(filepath.Dir(path)); errors.Is(err, fs.ErrNotExist) {
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	var data []byte
	err := withLock(path, func() error {
		var err error
		data, err = safefile.ReadFile(path, MaxSmallFile)
		return err
	})
	if errors.Is(err, errNoLockFile) {
		// A folder this user may not write in (a read-only copy of a data folder): no
		// SyncGuard of this user can be changing the file there, so read it as it is.
		return safefile.ReadFile(path, MaxSmallFile)
	}
	return data, err
}

// MaxSmallFile bounds the small files read under the lock (settings, devices, the
// workstation, popups): only regular files, never a FIFO or a device in their place.
const MaxSmallFile = 4 << 20

// errNoLockFile is wrapped by withLock's error when the lock file cannot be created.
var errNoLockFile = errors.New("cannot create the lock file")

func withLock(path string, fn func() error) error {
	lockPath := path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("%s: cannot lock the file for a change: %w (%v)", path, errNoLockFile, err)
	}
	defer f.Close() // closing the lock file also releases the lock, should unlock fail
	deadline := time.Now().Add(LockWait)
	// Poll rather than block, so that a lock held by a hung process ends in an error that
	// names the file instead of a command that never returns.
	for delay := time.Millisecond; ; delay = min(2*delay, 25*time.Millisecond) {
		ok, err := tryLock(f)
		if err != nil {
			return fmt.Errorf("%s: cannot lock the file for a change: %v", path, err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: another SyncGuard process has been changing this file for %s; try again, or quit SyncGuard and try again", path, LockWait)
		}
		time.Sleep(delay)
	}
	defer unlock(f)
	return fn()
}
