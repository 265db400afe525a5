package datadir

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWriteAtomicKeepsTheOldFileOnFailure: a restore that fails half-way leaves the file the
// user had, and no temporary file beside it; one that succeeds is private to the user.
func TestWriteAtomicKeepsTheOldFileOnFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "restore.csv")
	if err := WriteFileAtomic(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := WriteAtomic(path, 0o600, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("half a book\n", 50000))
		return errors.New("the history could not be read")
	})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "could not be read") {
		t.Errorf("error %v, want it to name the file and the cause", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Errorf("the old file was touched: %.20q", data)
	}
	if err := WriteAtomic(path, 0o600, func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Repeat("a whole book\n", 50000))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != int64(len("a whole book\n")*50000) {
		t.Errorf("written file %v %v", fi, err)
	}
	ExpectPrivate(t, path)
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}

// TestEnsureMakesTheFolderPrivate: the data folder, and what is written into it later, is
// readable by the user alone, even when the folder above it is open to others (mode 0755,
// or on Windows a Temp folder with its own entries).
func TestEnsureMakesTheFolderPrivate(t *testing.T) {
	if runtime.GOOS != "windows" {
		// The check itself must see an open file, or every privacy test could not fail.
		open := filepath.Join(t.TempDir(), "open")
		if err := os.WriteFile(open, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(open, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := CheckPrivate(open); err == nil || !strings.Contains(err.Error(), "lets others open it") {
			t.Errorf("CheckPrivate(a 0644 file) = %v", err)
		}
	}
	parent := t.TempDir()
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "SyncGuard")
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	ExpectPrivate(t, dir)
	// A file the database library creates on its own, with no help from this package.
	db := filepath.Join(dir, "history.db")
	if err := os.WriteFile(db, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	ExpectPrivate(t, db)
	// Ensure on a folder that already exists makes it private again.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	ExpectPrivate(t, dir)
}

// TestWriteAtomicReplacesAFileAReaderHoldsOpen: Windows refuses to rename over a file that
// another handle holds open. A reader that lets go soon is waited for (the write stays
// atomic); one that holds on gets the new content written in place. Either way the write
// succeeds and the next reader sees the new content whole.
func TestWriteAtomicReplacesAFileAReaderHoldsOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ws-1.json")
	if err := WriteFileAtomic(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("reader lets go", func(t *testing.T) {
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		retries, inPlace := replaceRetries.Load(), replaceInPlace.Load()
		go func() { time.Sleep(3 * replacePause); r.Close() }()
		if err := WriteFileAtomic(path, []byte("new one"), 0o644); err != nil {
			t.Fatalf("write while a reader holds the file: %v", err)
		}
		if data, _ := os.ReadFile(path); string(data) != "new one" {
			t.Errorf("content = %q", data)
		}
		if runtime.GOOS == "windows" && (replaceRetries.Load() == retries || replaceInPlace.Load() != inPlace) {
			t.Errorf("on Windows the rename must have waited for the reader (retries %d -> %d, in place %d -> %d)",
				retries, replaceRetries.Load(), inPlace, replaceInPlace.Load())
		}
	})

	t.Run("reader holds on", func(t *testing.T) {
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		tries := replaceTries
		replaceTries = 2
		defer func() { replaceTries = tries }()
		inPlace := replaceInPlace.Load()
		if err := WriteFileAtomic(path, []byte("newest"), 0o644); err != nil {
			t.Fatalf("write while a reader holds the file: %v", err)
		}
		if data, _ := os.ReadFile(path); string(data) != "newest" {
			t.Errorf("content = %q", data)
		}
		if runtime.GOOS == "windows" && replaceInPlace.Load() != inPlace+1 {
			t.Errorf("on Windows the content must have been written in place")
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("temporary files left behind: %v", ents)
		}
	})
}
