//go:build !windows

package datadir

import (
	"fmt"
	"os"
)

// makePrivate gives path the owner-only mode: 0700 for a folder, 0600 for a file.
func makePrivate(path string, dir bool) error {
	if dir {
		return os.Chmod(path, 0o700)
	}
	return os.Chmod(path, 0o600)
}

// checkPrivate names what lets others in: any group or other permission bit.
func checkPrivate(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if m := fi.Mode().Perm(); m&0o077 != 0 {
		return fmt.Errorf("%s: mode %v lets others open it", path, m)
	}
	return nil
}

// retryable: a rename over a file that another process holds open succeeds on Unix.
func retryable(error) bool { return false }
