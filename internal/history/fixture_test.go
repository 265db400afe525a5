package history

import (
	"errors"
	"os"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
)

// recordExport records the export at path whole, as it reads now, through the store's
// own API (Record, or RecordFirst when stream): the fixture of the store's tests, with no
// judge. The snapshot workflow (settling, confirming a large deletion, reading only the
// files that changed, an export missing or cut off, the rules) is app.SnapshotExport's,
// and tested in app.
func recordExport(s *Store, path string, now time.Time, stream bool) (*Result, error) {
	if now.IsZero() {
		now = time.Now()
	}
	loc, err := exports.Discover(path)
	if err != nil {
		return nil, err
	}
	stamps := make([]FileStamp, len(loc.Files))
	for i, p := range loc.Files {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		stamps[i] = FileStamp{Path: p, Size: fi.Size(), Mod: fi.ModTime().UnixNano()}
	}
	read := func(paths []string) ([]*contacts.Contact, error) {
		res := exports.ReadFiles(paths)
		if cut, ok := res.CutShort(); ok {
			return nil, cut
		}
		if res.Unreadable() {
			return nil, errors.New("an export file is unreadable")
		}
		return res.Contacts, nil
	}
	if stream {
		return s.RecordFirst(Stream{Time: now, Location: loc.Path, Kind: string(loc.Kind), Files: stamps,
			Read: func(paths []string, yield func(*contacts.Contact) error) error {
				cs, err := read(paths)
				for _, c := range cs {
					if err := yield(c); err != nil {
						return err
					}
				}
				return err
			}})
	}
	cs, err := read(loc.Files)
	if err != nil {
		return nil, err
	}
	return s.Record(Record{Time: now, Location: loc.Path, Kind: string(loc.Kind), Contacts: cs, Files: stamps})
}
