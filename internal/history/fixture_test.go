package history

import (
	"errors"
	"os"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/rules"
)

// rulesJudge is the rules as the history's judge (app.Judge, which the history's tests
// cannot import: app imports the history), so that the store's tests write findings in
// the transactions they kill or damage, as the app does.
type rulesJudge struct{}

func (rulesJudge) Change(in JudgeInput) []findings.Finding {
	return rules.Judge(rules.Input{Change: in.Change, SnapshotID: in.SnapshotID, Past: in.Past, Book: in.Book})
}

func (rulesJudge) First() FirstJudge { return rules.NewFirst(nil) }

func (rulesJudge) Missing(location, reason string, lastContacts int, lastSnapshot uint64) findings.Finding {
	return rules.ExportMissing(location, reason, lastContacts, lastSnapshot)
}

// recordExport records the export at path whole, as it reads now, through the store's
// own API (Record, or RecordFirst when stream) and judged by the rules: the fixture of the
// store's tests. The snapshot workflow (settling, confirming a large deletion, reading
// only the files that changed, an export missing or cut off) is app.SnapshotExport's,
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
		return s.RecordFirst(Stream{Time: now, Location: loc.Path, Kind: string(loc.Kind), Files: stamps, Judge: rulesJudge{},
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
	return s.Record(Record{Time: now, Location: loc.Path, Kind: string(loc.Kind), Contacts: cs, Files: stamps, Judge: rulesJudge{}})
}
