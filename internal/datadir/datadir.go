// Package datadir finds and prepares the per-user folder that holds SyncGuard's database,
// settings and logs. History holds a person's whole address book, so the folder is made
// readable by that person alone (0700) whatever the umask says.
package datadir

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// Ensure creates dir (and its parents) and makes it private to the user (0700).
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%s: cannot create the data folder: %v; pass --data DIR to use another", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("%s: cannot make the data folder private: %v", dir, err)
	}
	return nil
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
// whole address book), so that it need not be held in memory first.
func WriteAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(name, perm)
	}
	if werr == nil {
		werr = os.Rename(name, path)
	}
	if werr != nil {
		os.Remove(name)
		return fmt.Errorf("%s: cannot write: %v", path, werr)
	}
	return nil
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
