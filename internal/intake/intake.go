// Package intake reads the export for a snapshot and says whether it can be used: it
// finds the files, waits until they hold still (an export still being written must not be
// read half-way), reads them and tells a file cut off or unreadable from a good one. It
// decides nothing about the contacts' history: the caller records what it read, or that
// the export is missing, in the history.
package intake

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
)

// File is one export file as it was seen: its path, size and modification time.
type File struct {
	Path string
	Size int64
	Mod  int64 // UnixNano
}

// Export is an export location whose files hold still.
type Export struct {
	Location exports.Location
	Files    []File
	// Signature identifies the files with their sizes and times: the same signature is
	// the same export, not read again.
	Signature string
}

// Look finds the export at path and waits until its files have held still for settle
// (at most maxWait). An error says, in words for the user, why the export cannot be used
// now (missing, unreadable, still being written): it is never a deletion of contacts.
func Look(path string, settle, maxWait time.Duration) (*Export, error) {
	loc, err := exports.Discover(path)
	if err != nil {
		return nil, err
	}
	files, err := stable(loc, settle, maxWait)
	if err != nil {
		return &Export{Location: loc}, err
	}
	return &Export{Location: loc, Files: files, Signature: signature(loc, files)}, nil
}

// KindChange says why an export folder that changed kind since the last snapshot (kind,
// the history's record of it) is not read as it now looks, or "" when it did not.
func (e *Export) KindChange(kind string) string {
	return exports.KindChange(exports.LocationKind(kind), e.Location)
}

// Read reads the given files of the export. problem is set when the read cannot be
// recorded: a file cut off while it was written, or one that could not be read at all
// (its contacts are unknown, not deleted).
func Read(paths []string) (res exports.Result, problem string) {
	res = exports.ReadFiles(paths)
	problem, _ = Unusable(res)
	return res, problem
}

// ChunkContacts is how many contacts of a one-file export ReadEach hands over at a time.
var ChunkContacts = 2000

// ReadEach reads the given files as Read does but hands the contacts to fn as they come,
// so that a caller that keeps little of each (the streamed first snapshot) never holds
// them all: a one-file export (an Outlook CSV of 100,000 rows) is read in chunks of
// ChunkContacts after the pass that settles its date order (exports.ReadFileChunks);
// several files are read whole, as they are small. A file found cut off or unreadable
// is only known at its end, after some of its contacts were handed over: problem then
// says so and the caller must drop what it took. err is fn's.
func ReadEach(paths []string, fn func(*contacts.Contact) error) (res exports.Result, problem string, err error) {
	if len(paths) == 1 {
		errs, sum, err := exports.ReadFileChunks(paths[0], ChunkContacts, func(cs []*contacts.Contact) error {
			for i, c := range cs {
				cs[i] = nil // the caller keeps what it needs; the contact may go
				if err := fn(c); err != nil {
					return err
				}
			}
			return nil
		})
		res = exports.Result{Errors: errs, Files: []exports.FileSummary{sum}}
		if err != nil {
			return res, "", err
		}
		problem, _ = Unusable(res)
		return res, problem, nil
	}
	res, problem = Read(paths)
	if problem != "" {
		return res, problem, nil
	}
	for i, c := range res.Contacts {
		res.Contacts[i] = nil
		if err := fn(c); err != nil {
			return res, "", err
		}
	}
	res.Contacts = nil
	return res, "", nil
}

// Unusable says why a read cannot be snapshotted (see Read).
func Unusable(res exports.Result) (string, bool) {
	if cut, ok := res.CutShort(); ok {
		return cut.Error(), true
	}
	for _, f := range res.Files {
		if f.Unreadable {
			for _, e := range res.Errors {
				if e.File == f.Path {
					return e.Error(), true
				}
			}
			return fmt.Sprintf("%s could not be read", f.Path), true
		}
	}
	return "", false
}

// stable stats the files and, where one changed in the last moments, waits until all
// hold still.
func stable(loc exports.Location, settle, maxWait time.Duration) ([]File, error) {
	deadline := time.Now().Add(maxWait)
	paths := loc.Files
	listed := len(loc.Infos) == len(paths) // the first look may use what the listing saw
	stat := func() ([]File, bool, error) {
		out := make([]File, 0, len(paths))
		fresh := false
		for i, p := range paths {
			var fi os.FileInfo
			var err error
			if listed {
				fi = loc.Infos[i]
			} else {
				fi, err = os.Stat(p)
			}
			if err != nil {
				return nil, false, fmt.Errorf("%s: cannot read the export file: %v", p, unwrap(err))
			}
			mod := fi.ModTime()
			if time.Since(mod) < settle {
				fresh = true
			}
			out = append(out, File{p, fi.Size(), mod.UnixNano()})
		}
		return out, fresh, nil
	}
	prev, fresh, err := stat()
	listed = false // any later look stats the files again
	if err != nil || !fresh {
		return prev, err
	}
	for {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the export is still being written (its files kept changing for %s); SyncGuard will read it when it is finished", maxWait)
		}
		time.Sleep(settle)
		cur, _, err := stat()
		if err != nil {
			return nil, err
		}
		same := len(cur) == len(prev)
		for i := range cur {
			same = same && cur[i] == prev[i]
		}
		if same {
			return cur, nil
		}
		prev = cur
	}
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func signature(loc exports.Location, files []File) string {
	h := sha256.New()
	h.Write([]byte(loc.Path))
	var b [16]byte
	for _, f := range files {
		h.Write([]byte(f.Path))
		binary.BigEndian.PutUint64(b[:8], uint64(f.Size))
		binary.BigEndian.PutUint64(b[8:], uint64(f.Mod))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
