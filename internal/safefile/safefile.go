// Package safefile opens the files SyncGuard reads from places a user, an admin or another
// program controls (exports, the policy, settings.json, a catalog, .reg exports): only a
// regular file is opened, and never more of it is read than a bound given up front.
//
// Why: opening a named pipe (FIFO) blocks until a writer comes, forever, and a hung
// snapshot holds the history lock so every other command then says "already running";
// a device such as /dev/zero has no size and never ends, so reading it "to the end" eats
// all memory. A path is checked before it is opened, opened so that the open itself cannot
// block (O_NONBLOCK where the system has FIFOs), and checked again through the handle,
// which also catches a file swapped for a pipe or a device between the two looks.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Errors a caller may test for with errors.Is.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// Error says why a file was not read. Problem is written for a person and does not repeat
// the path, so that callers which name the file their own way can use it as it stands.
type Error struct {
	Path    string
	Problem string
	kind    error // ErrNotRegular, ErrTooLarge, or nil for an error of the system
	err     error
}

func (e *Error) Error() string { return e.Path + ": " + e.Problem }

// Is makes errors.Is(err, ErrNotRegular) and errors.Is(err, ErrTooLarge) work.
func (e *Error) Is(target error) bool { return target != nil && target == e.kind }

// Unwrap gives the system's error (fs.ErrNotExist, fs.ErrPermission...), where there is one.
func (e *Error) Unwrap() error { return e.err }

// Describe names what a non-regular file is, for messages: "a named pipe (FIFO)".
func Describe(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a folder"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode&fs.ModeIrregular != 0:
		return "a special file"
	}
	return "a regular file"
}

func notRegular(path string, mode fs.FileMode) *Error {
	return &Error{Path: path, kind: ErrNotRegular,
		Problem: "this is " + Describe(mode) + ", not a regular file; SyncGuard reads only regular files: point it at the file itself"}
}

func tooLarge(path string, size, max int64) *Error {
	return &Error{Path: path, kind: ErrTooLarge,
		Problem: fmt.Sprintf("the file is %s, larger than the %s SyncGuard reads from such a file; check that this is the right file", sizeText(size), sizeText(max))}
}

func sysErr(path, doing string, err error) *Error {
	if pe, ok := err.(*fs.PathError); ok {
		err = pe.Err
	}
	return &Error{Path: path, Problem: doing + ": " + err.Error(), err: err}
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Open opens path for reading when it is a regular file (a symbolic link to one is
// followed) of at most max bytes, and returns it with what fstat said of it. Anything
// else (a folder, a FIFO, a device, a socket, a file larger than max) is an *Error that
// says what it is, and is never opened in a way that could block.
func Open(path string, max int64) (*os.File, fs.FileInfo, error) {
	before, err := os.Stat(path)
	if err != nil {
		return nil, nil, sysErr(path, "cannot open the file", err)
	}
	if !before.Mode().IsRegular() {
		return nil, nil, notRegular(path, before.Mode())
	}
	if before.Size() > max {
		return nil, nil, tooLarge(path, before.Size(), max)
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, sysErr(path, "cannot open the file", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, sysErr(path, "cannot read the file", err)
	}
	// What the handle is, not what the name was a moment ago: the file may have been
	// replaced between the two.
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, notRegular(path, fi.Mode())
	}
	if fi.Size() > max {
		f.Close()
		return nil, nil, tooLarge(path, fi.Size(), max)
	}
	return f, fi, nil
}

// ReadFile reads the whole of a regular file of at most max bytes. A file that grows past
// max while it is read is refused rather than read to the end.
func ReadFile(path string, max int64) ([]byte, error) {
	f, fi, err := Open(path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, fi.Size(), max)
}

// ReadAll reads an opened file whose size was size when it was opened, never more than max
// bytes: the buffer is sized once from size, and grows only if the file grows while it is
// read.
func ReadAll(f io.Reader, path string, size, max int64) ([]byte, error) {
	data := make([]byte, 0, min(size, max)+512)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > max {
			return nil, &Error{Path: path, kind: ErrTooLarge,
				Problem: fmt.Sprintf("the file grew past the %s SyncGuard reads from such a file while it was read; wait until it is written, then try again", sizeText(max))}
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, sysErr(path, "cannot read the file", err)
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew while being read: make room
		}
	}
}
