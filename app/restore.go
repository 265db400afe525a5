package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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

// Restore writes contacts of snapshot snap to path: the selection (all, removed since,
// changed since) narrowed to keys when keys is not empty. It returns how many it wrote and
// records the restore in the timeline.
func (s *Service) Restore(snap uint64, sel history.Selection, keys []string, path string, f Format) (int, error) {
	set, err := s.store.RestoreSet(snap, sel, keys)
	if err != nil {
		return 0, err
	}
	cs := set.Contacts
	if len(cs) == 0 && len(set.Unreadable) == 0 {
		return 0, fmt.Errorf("nothing to restore: the chosen contacts are the same now as they were then")
	}
	// Never into the export location; the file dialog has already asked before replacing
	// an existing file, hence force.
	if err := exports.CheckRestoreTarget(path, true, s.Export()); err != nil {
		return 0, err
	}
	if len(cs) > 0 {
		if err := write(cs, path, f); err != nil {
			return 0, err
		}
		s.store.AddEvent(history.Event{Time: s.now(), Kind: history.EventRestore, Snapshot: snap,
			Message: fmt.Sprintf("%s of snapshot %d restored to %s", findings.Plural(len(cs), "contact", "contacts"), snap, path)})
	}
	if len(set.Unreadable) > 0 {
		// Every contact that could be read is written; the others are named.
		return len(cs), fmt.Errorf("%s written; %s could not be read because the history is damaged: %s",
			findings.Plural(len(cs), "contact was", "contacts were"), findings.Plural(len(set.Unreadable), "contact", "contacts"), unreadableNames(set.Unreadable))
	}
	return len(cs), nil
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
	before, err := s.snapshotBefore(snap)
	if err != nil {
		return 0, err
	}
	ch, err := s.store.Diff(before, snap)
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

func write(cs []*contacts.Contact, path string, f Format) error {
	if f == VCardFolder {
		return exports.WriteVCardFolder(path, cs)
	}
	// Private to the user like the history: a restore file holds the whole address book.
	datadir.RemoveLeftoverTemps(path) // what a killed restore to the same file left
	return datadir.WriteAtomic(path, 0o600, func(w io.Writer) error {
		if f == VCardFile {
			return exports.WriteVCards(w, cs)
		}
		return exports.WriteOutlookCSV(w, cs)
	})
}
