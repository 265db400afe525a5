package datadir

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if err != nil || fi.Size() != int64(len("a whole book\n")*50000) || fi.Mode().Perm() != 0o600 {
		t.Errorf("written file %v %v", fi, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}
