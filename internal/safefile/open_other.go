//go:build !unix

package safefile

import "os"

// openNonBlocking opens the file. Windows has no FIFOs in the file system (its named
// pipes live under \\.\pipe\, which Stat does not call regular files).
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
