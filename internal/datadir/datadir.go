// Package datadir finds and prepares the per-user folder that holds SyncGuard's database,
// settings and logs. History holds a person's whole address book, so the folder is made
// readable by that person alone whatever the umask or the parent folder says: mode 0700 on
// Linux and macOS, a user-only access list (DACL) on Windows, where modes mean nothing.
package datadir

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
)

// Default is the platform's per-user data folder for SyncGuard:
// %LOCALAPPDATA%\SyncGuard on Windows, ~/Library/Application Support/SyncGuard on macOS,
// $XDG_DATA_HOME/syncguard (default ~/.local/share/syncguard) elsewhere.
func Default() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "SyncGuard"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find your home folder: %v; pass --data DIR", err)
		}
		return filepath.Join(home, "Library", "Application Support", "SyncGuard"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "syncguard"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your home folder: %v; pass --data DIR", err)
	}
	return filepath.Join(home, ".local", "share", "syncguard"), nil
}

// Ensure creates dir (and its parents) and makes it private to the user: 0700, or on
// Windows an access list granting only the user (and SYSTEM) that the files in it inherit.
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%s: cannot create the data folder: %v; pass --data DIR to use another", dir, err)
	}
	return MakePrivate(dir)
}

// MakePrivate makes an existing file or folder readable by the user alone (see Ensure).
func MakePrivate(path string) error {
	fi, err := os.Stat(path)
	if err == nil {
		err = makePrivate(path, fi.IsDir())
	}
	if err != nil {
		return fmt.Errorf("%s: cannot make it private: %v", path, err)
	}
	return nil
}

// CheckPrivate returns nil when path is readable by the user alone, else an error naming
// what lets others in (a mode bit, or an account on the Windows access list). Where the
// system cannot tell (Wine), the error wraps ErrUnverifiable.
func CheckPrivate(path string) error { return checkPrivate(path) }

// ErrUnverifiable says that this system cannot show who may open a file.
var ErrUnverifiable = errors.New("this system cannot show who may open the file")

// TB is the part of testing.TB that ExpectPrivate uses (this package does not import testing).
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// ExpectPrivate is for tests: it fails t unless path is readable by the user alone, and
// only logs where the system cannot tell (Wine keeps no access lists; real Windows does,
// and datadir's own tests check the list that is set).
func ExpectPrivate(t TB, path string) {
	t.Helper()
	err := CheckPrivate(path)
	switch {
	case errors.Is(err, ErrUnverifiable):
		t.Logf("privacy not checked here: %v", err)
	case err != nil:
		t.Errorf("must be readable by the user alone: %v", err)
	}
}

// WriteFileAtomic writes data to path through a temporary file in the same folder and a
// rename, so that a reader (or a crash) sees the old file or the new one, never half of it.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return WriteAtomic(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomic is WriteFileAtomic for content written as it is produced (a restore of a
// whole address book), so that it need not be held in memory first. A perm with no group
// or other bits (0600) makes the file private on every system (on Windows through its
// access list, which Chmod does not touch).
func WriteAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	f, err := CreateAtomic(path, perm)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return fmt.Errorf("%s: cannot write: %v", path, err)
	}
	return f.Commit()
}

// AtomicFile is a file being written for WriteAtomic: under a hidden temporary name until
// Commit renames it into place. It lets a caller that produces the content from a callback
// of its own (a restore decoded from the history a chunk at a time) open the file only
// once there is something to write, and still never leave half a file under its name.
type AtomicFile struct {
	path, name string
	perm       os.FileMode
	tmp        *os.File
	bw         *bufio.Writer
	done       bool
}

// CreateAtomic starts writing path (see WriteAtomic).
func CreateAtomic(path string, perm os.FileMode) (*AtomicFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &AtomicFile{path: path, name: tmp.Name(), perm: perm, tmp: tmp, bw: bufio.NewWriterSize(tmp, 256<<10)}, nil
}

// Name is the path the file is written for.
func (f *AtomicFile) Name() string { return f.path }

// Write writes to the temporary file.
func (f *AtomicFile) Write(p []byte) (int, error) { return f.bw.Write(p) }

// Commit makes the written content the file at path, private when perm says so; on an
// error the temporary file is removed and path is left as it was.
func (f *AtomicFile) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	werr := f.bw.Flush()
	if werr == nil {
		werr = f.tmp.Sync()
	}
	if cerr := f.tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(f.name, f.perm)
	}
	if werr == nil && f.perm&0o077 == 0 {
		werr = makePrivate(f.name, false)
	}
	if werr == nil {
		werr = replace(f.name, f.path)
	}
	if werr != nil {
		os.Remove(f.name)
		return fmt.Errorf("%s: cannot write: %v", f.path, werr)
	}
	return nil
}

// Abort removes the temporary file; path is left as it was.
func (f *AtomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.name)
}

// RemoveLeftoverTemps removes the temporary files that WriteAtomic calls for path left
// when their process was killed part-way (hidden ".NAME.tmp…" files beside path). Only
// for files that one process writes at a time, such as a restore the user asked for: a
// second writer's temporary file would be removed under it.
func RemoveLeftoverTemps(path string) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".tmp"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// How long replace waits for a reader to let go of the file before it writes in place:
// readers of these files (the fleet report, the tray app's own windows, a virus scanner)
// hold them for milliseconds, so a second covers them without keeping a snapshot waiting.
var (
	replaceTries = 10
	replacePause = 100 * time.Millisecond
)

// Counters for tests: how often a rename was retried and how often the in-place fallback ran.
var replaceRetries, replaceInPlace atomic.Int64

// replace moves tmp over path. On Windows the rename fails while another program holds
// path open without sharing deletion (most do); it is retried for a while, and if the other
// program still holds it, tmp's content is copied into path in place, which Windows allows
// when the holder shares writing (as Go's os.Open and most readers do). In-place is not
// atomic, but it beats losing the write; when even that is refused, the error says so.
func replace(tmp, path string) error {
	var err error
	for i := 0; i < replaceTries; i++ {
		if err = os.Rename(tmp, path); err == nil || !retryable(err) {
			return err
		}
		replaceRetries.Add(1)
		time.Sleep(replacePause)
	}
	if cerr := copyInPlace(tmp, path); cerr != nil {
		return fmt.Errorf("another program keeps the file open (%v), and writing into it failed too (%v); close that program and try again", err, cerr)
	}
	replaceInPlace.Add(1)
	return os.Remove(tmp)
}

func copyInPlace(tmp, path string) error {
	src, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
