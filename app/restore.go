package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
)

// ImportSteps tells the user how to bring a restore file back into Outlook.
const ImportSteps = "To import it into Outlook: File > Open & Export > Import/Export > Import from another program or file > " +
	"Comma Separated Values > choose the file > \"Do not import duplicate items\" > Contacts > Finish."

// Format is what a restore writes.
type Format string

// Restore formats. Outlook imports a CSV in one go, with categories and Mileage; vCards
// are for phones and other programs.
const (
	OutlookCSV  Format = "csv"
	VCardFile   Format = "vcf"    // one file holding every contact
	VCardFolder Format = "folder" // one .vcf per contact
)

// FormatFor picks the format a path asks for: a .vcf file, a folder, else Outlook CSV.
func FormatFor(path string) Format {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return VCardFolder
	}
	if strings.EqualFold(filepath.Ext(path), ".vcf") {
		return VCardFile
	}
	return OutlookCSV
}

// RestoreRequest says what a restore writes and where: the contacts of a point in time
// (Snapshot, or when it is 0 the snapshot current At), the selection of them, narrowed to
// Keys when Keys is not empty, to Path (absolute) in Format.
type RestoreRequest struct {
	Snapshot  uint64            `json:"snapshot,omitempty"`
	At        time.Time         `json:"at,omitempty"`
	Selection history.Selection `json:"selection"`
	Keys      []string          `json:"keys,omitempty"`
	Path      string            `json:"path"`
	Format    Format            `json:"format"`
	// Force replaces an existing file (a file dialog has asked the user already); the
	// export location SyncGuard watches is never written to.
	Force bool `json:"force,omitempty"`
}

// RestoreResult says what a restore wrote: how many contacts of which snapshot, and the
// contacts a damaged history could not give back (named, not written).
type RestoreResult struct {
	Snapshot   uint64               `json:"snapshot"`
	Written    int                  `json:"written"`
	Unreadable []history.Unreadable `json:"unreadable,omitempty"`
}

// ErrNothingToRestore is a restore whose selection holds no contact: nothing is written.
var ErrNothingToRestore = errors.New("nothing to restore: the chosen contacts are the same now as they were then")

// FolderMissingError is a restore file whose folder does not exist.
type FolderMissingError struct{ Dir string }

func (e *FolderMissingError) Error() string {
	return e.Dir + ": the folder does not exist; create it or choose another place"
}

// RestoreTo is the one restore workflow, for the windows and the command line alike. The
// contacts are decoded from the history and written a chunk at a time
// (history.RestoreEach), so a restore of a whole book never holds it as contacts: the
// output is opened at the first chunk (a selection with nothing to write, or nothing
// readable, creates no file) and completed after the last, through a temporary file or a
// staging folder renamed into place, so that a failure leaves nothing half-written under
// the name the user chose. A restore that wrote anything is recorded in the timeline. An
// error leaves no output; a result with Unreadable has written every other contact.
func (s *Service) RestoreTo(req RestoreRequest) (RestoreResult, error) {
	res := RestoreResult{Snapshot: req.Snapshot}
	if _, err := s.history(); err != nil { // a command's service opens it on first use
		return res, err
	}
	if res.Snapshot == 0 {
		sn, err := s.store.At(req.At)
		if err != nil {
			return res, err
		}
		res.Snapshot = sn.ID
	}
	if req.Selection == "" {
		req.Selection = history.SelectAll
	}
	// Never into the export location SyncGuard watches: the one in force, nor the one the
	// latest snapshot read. Asked here, before RestoreEach: its callback runs inside the
	// history's read lock and transaction, where a second read of the store would wait
	// for ever behind a compaction or a growing file that waits for the first one.
	watched := []string{s.Export()}
	if last, err := s.store.Latest(); err == nil && last != nil {
		watched = append(watched, last.Location)
	}
	var out exports.ContactWriter
	var abort func()
	open := func() error {
		if err := exports.CheckRestoreTarget(req.Path, req.Force, watched...); err != nil {
			return err
		}
		if req.Format == VCardFolder {
			f, err := exports.CreateVCardFolder(req.Path)
			if err != nil {
				return err
			}
			out, abort = f, f.Abort
			return nil
		}
		if dir := filepath.Dir(req.Path); !isDir(dir) {
			return &FolderMissingError{Dir: dir}
		}
		// Private to the user like the history: a restore file holds the address book.
		datadir.RemoveLeftoverTemps(req.Path) // what a killed restore to the same file left
		f, err := datadir.CreateAtomic(req.Path, 0o600)
		if err != nil {
			return fmt.Errorf("%s: cannot write: %v", req.Path, err)
		}
		w := exports.ContactWriter(exports.NewOutlookCSVWriter(f))
		if req.Format == VCardFile {
			w = exports.NewVCardWriter(f)
		}
		out, abort = atomicWriter{w, f}, f.Abort
		return nil
	}
	unreadable, err := s.store.RestoreEach(res.Snapshot, req.Selection, req.Keys, 0, func(cs []*contacts.Contact) error {
		if out == nil {
			if err := open(); err != nil {
				return err
			}
		}
		res.Written += len(cs)
		return out.Write(cs)
	})
	res.Unreadable = unreadable
	if err == nil && out != nil {
		err = out.Close()
	}
	if err != nil {
		if abort != nil {
			abort()
		}
		res.Written = 0
		return res, err
	}
	if res.Written == 0 && len(unreadable) == 0 {
		return res, ErrNothingToRestore
	}
	if res.Written > 0 {
		s.store.AddEvent(history.Event{Time: s.now(), Kind: history.EventRestore, Snapshot: res.Snapshot,
			Message: fmt.Sprintf("%s (%s) of snapshot %d restored to %s", findings.Plural(res.Written, "contact", "contacts"), req.Selection, res.Snapshot, req.Path)})
	}
	return res, nil
}

// atomicWriter completes a restore file: the format's last bytes, then the rename.
type atomicWriter struct {
	exports.ContactWriter
	f *datadir.AtomicFile
}

func (a atomicWriter) Close() error {
	if err := a.ContactWriter.Close(); err != nil {
		return fmt.Errorf("%s: cannot write: %v", a.f.Name(), err)
	}
	return a.f.Commit()
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// Restore writes contacts of snapshot snap to path: the selection (all, removed since,
// changed since) narrowed to keys when keys is not empty. It returns how many it wrote and
// records the restore in the timeline.
func (s *Service) Restore(snap uint64, sel history.Selection, keys []string, path string, f Format) (int, error) {
	// The file dialog has already asked before replacing an existing file, hence Force.
	res, err := s.RestoreTo(RestoreRequest{Snapshot: snap, Selection: sel, Keys: keys, Path: path, Format: f, Force: true})
	if err != nil {
		return 0, err
	}
	if len(res.Unreadable) > 0 {
		// Every contact that could be read is written; the others are named.
		return res.Written, fmt.Errorf("%s written; %s could not be read because the history is damaged: %s",
			findings.Plural(res.Written, "contact was", "contacts were"), findings.Plural(len(res.Unreadable), "contact", "contacts"), unreadableNames(res.Unreadable))
	}
	return res.Written, nil
}

// unreadableNames lists contacts a restore could not read, by name where one is known.
func unreadableNames(us []history.Unreadable) string {
	var names []string
	for i, u := range us {
		if i == 20 {
			names = append(names, fmt.Sprintf("and %d more", len(us)-20))
			break
		}
		if u.Name != "" {
			names = append(names, u.Name)
		} else {
			names = append(names, "contact "+u.Key)
		}
	}
	return strings.Join(names, ", ")
}

// RestoreRemovedIn writes the contacts that the change into snapshot snap removed, as they
// were just before it.
func (s *Service) RestoreRemovedIn(snap uint64, path string, f Format) (int, error) {
	if _, err := s.history(); err != nil {
		return 0, err
	}
	before, err := s.snapshotBefore(snap)
	if err != nil {
		return 0, err
	}
	ch, err := s.store.Diff(before, snap, s.policy.Export.CountryCode)
	if err != nil {
		return 0, err
	}
	var keys []string
	for _, e := range ch.Removed {
		keys = append(keys, e.Key)
	}
	if len(keys) == 0 {
		return 0, fmt.Errorf("that change removed no contacts")
	}
	return s.Restore(before, history.SelectAll, keys, path, f)
}

// RestoreFinding writes the contacts a finding concerns, as they were before the change
// that raised it.
func (s *Service) RestoreFinding(id, path string, f Format) (int, error) {
	if _, err := s.history(); err != nil {
		return 0, err
	}
	all, err := s.store.Findings(true)
	if err != nil {
		return 0, err
	}
	var fd *findings.Finding
	for i := range all {
		if all[i].ID == id {
			fd = &all[i]
		}
	}
	if fd == nil {
		return 0, fmt.Errorf("no finding %s", id)
	}
	before, err := s.snapshotBefore(fd.SnapshotID)
	if err != nil {
		return 0, err
	}
	var keys []string
	for _, c := range fd.Contacts {
		keys = append(keys, c.Key)
	}
	return s.Restore(before, history.SelectAll, keys, path, f)
}

func (s *Service) snapshotBefore(id uint64) (uint64, error) {
	list, err := s.store.Snapshots()
	if err != nil {
		return 0, err
	}
	var before uint64
	for _, sn := range list {
		if sn.ID < id {
			before = sn.ID
		}
	}
	if before == 0 {
		return 0, fmt.Errorf("the snapshot before this change is no longer kept; restore a point in time from the history instead")
	}
	return before, nil
}
