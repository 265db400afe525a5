package history

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockName is the lock file beside the database. Every process holds it for as long as it
// has the history open, and takes it before it opens the database file. bbolt's own lock
// sits on the database file itself, and compaction replaces that file: a process waiting
// on bbolt's lock would get the old, unlinked file once the compacting process let go of
// it, and write its snapshot where nobody reads it. The lock file is never replaced, so a
// waiting process opens the database only after compaction is over.
const LockName = "history.lock"

type fileLock struct{ f *os.File }

// errLockTimeout: another process held the lock for the whole timeout.
var errLockTimeout = fmt.Errorf("timeout")

// acquireLock takes the history's lock file in dir, waiting up to timeout.
func acquireLock(dir string, timeout time.Duration) (*fileLock, error) {
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			return &fileLock{f: f}, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, errLockTimeout
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *fileLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	unlock(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}
