//go:build unix

package testkit

import (
	"syscall"
	"testing"
)

// Mkfifo makes a named pipe at path, or skips the test where the file system cannot hold
// one: the hostile-input tests put one wherever a regular file is expected.
func Mkfifo(t testing.TB, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}
