package outlook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
)

// Reader reads the contacts of Outlook's contact folders, incrementally.
type Reader struct {
	Connect Connector
	// Folders names subfolders of the default Contacts folder to read as well.
	Folders []string
	// CacheFile keeps what the last read saw (EntryID, modification time, contact), so a
	// later read opens only the items changed since. "" = no cache: every item is read.
	CacheFile string
	// Batch is how many items are opened in one go (default 50), Pause how long the reader
	// waits between batches (default 20 ms) so that Outlook keeps answering its user.
	Batch int
	Pause time.Duration
	// Progress, when set, is told how many of the items to open have been opened.
	Progress func(done, total int)
}

// FolderCount is what a read found in one folder.
type FolderCount struct {
	Path     string `json:"path"`
	Items    int    `json:"items"`
	Opened   int    `json:"opened"`   // items whose properties were read this time
	Contacts int    `json:"contacts"` // contacts they made (an empty item makes none)
}

// Result is one whole read.
type Result struct {
	Contacts []*contacts.Contact
	Errors   []exports.FileError
	Folders  []FolderCount
	Opened   int // items opened in all folders
	Reused   int // items taken from the cache, unchanged
	// Unchanged: no item was opened and none disappeared since the cached read.
	Unchanged bool
	Took      time.Duration // for the probe and the logs, never for a decision

	next cache // what Keep saves
}

// Location is how history names the Outlook source (the snapshot's location).
const Location = "Outlook"

// cache is the file kept between reads.
type cache struct {
	Version int                   `json:"version"`
	Items   map[string]cachedItem `json:"items"` // by EntryID
}

type cachedItem struct {
	Folder   string              `json:"folder"`
	Modified time.Time           `json:"modified"`
	Contact  *contacts.Contact   `json:"contact,omitempty"` // nil: the item makes no contact
	Errors   []exports.FileError `json:"errors,omitempty"`
}

const cacheVersion = 1

// Read attaches to Outlook and reads every contact of the folders. It is all or nothing:
// on any error no contacts are returned. The cache is saved only by Keep.
func (r *Reader) Read(ctx context.Context) (*Result, error) { return r.read(ctx, r.loadCache()) }

// ReadAfter reads as if prev had been kept (the probe's second, incremental read, which
// records nothing).
func (r *Reader) ReadAfter(ctx context.Context, prev *Result) (*Result, error) {
	return r.read(ctx, prev.next)
}

func (r *Reader) read(ctx context.Context, old cache) (*Result, error) {
	start := time.Now()
	if r.Connect == nil {
		return nil, ErrUnsupported
	}
	sess, err := r.Connect()
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	folders, err := sess.Folders(r.Folders)
	if err != nil {
		return nil, err
	}
	next := cache{Version: cacheVersion, Items: map[string]cachedItem{}}
	res := &Result{}
	batch, pause := r.Batch, r.Pause
	if batch <= 0 {
		batch = 50
	}
	if pause <= 0 {
		pause = 20 * time.Millisecond
	}

	type job struct {
		f     Folder
		fc    int
		order []string // EntryIDs as Outlook listed them
		fetch []string // those to open
	}
	var jobs []job
	total := 0
	for _, f := range folders {
		stamps, err := f.Stamps(ctx)
		if err != nil {
			return nil, folderError(f.Path(), err)
		}
		j := job{f: f, fc: len(res.Folders)}
		res.Folders = append(res.Folders, FolderCount{Path: f.Path(), Items: len(stamps)})
		for _, s := range stamps {
			if _, dup := next.Items[s.EntryID]; dup {
				continue // the same item listed twice (a folder changing while listed)
			}
			j.order = append(j.order, s.EntryID)
			if c, ok := old.Items[s.EntryID]; ok && c.Modified.Equal(s.Modified) && c.Folder == f.Path() {
				next.Items[s.EntryID] = c
				res.Reused++
				continue
			}
			next.Items[s.EntryID] = cachedItem{Folder: f.Path(), Modified: s.Modified}
			j.fetch = append(j.fetch, s.EntryID)
		}
		total += len(j.fetch)
		jobs = append(jobs, j)
	}

	done := 0
	for _, j := range jobs {
		path := j.f.Path()
		for lo := 0; lo < len(j.fetch); lo += batch {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if lo > 0 {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(pause):
				}
			}
			ids := j.fetch[lo:min(lo+batch, len(j.fetch))]
			items, err := j.f.Items(ctx, ids)
			if err != nil {
				return nil, folderError(path, err)
			}
			got := map[string]bool{}
			for _, it := range items {
				got[it.EntryID] = true
			}
			// An item deleted between the listing and its opening is gone: it is not in
			// this read, as it is not in Outlook.
			for _, id := range ids {
				if !got[id] {
					delete(next.Items, id)
				}
			}
			cs, errs, err := toContacts(path, items)
			if err != nil {
				return nil, err
			}
			byID := map[string]*contacts.Contact{}
			for _, c := range cs {
				byID[contacts.OutlookEntryID(c)] = c
			}
			for _, it := range items {
				ci := next.Items[it.EntryID]
				ci.Contact = byID[it.EntryID]
				if !it.Modified.IsZero() {
					ci.Modified = it.Modified
				}
				for _, e := range errs {
					if e.Line > 0 && e.Line <= len(items) && items[e.Line-1].EntryID == it.EntryID {
						ci.Errors = append(ci.Errors, e)
					}
				}
				next.Items[it.EntryID] = ci
			}
			res.Opened += len(items)
			res.Folders[j.fc].Opened += len(items)
			done += len(ids)
			if r.Progress != nil {
				r.Progress(done, total)
			}
		}
	}

	// Contacts in folder order, then in the order Outlook listed them.
	// An item has no line; its position in the folder stands in for one.
	for _, j := range jobs {
		pos := 0
		for _, id := range j.order {
			ci, ok := next.Items[id]
			if !ok {
				continue
			}
			pos++
			for _, e := range ci.Errors {
				e.Line = pos
				res.Errors = append(res.Errors, e)
			}
			if ci.Contact == nil {
				continue
			}
			c := ci.Contact.Clone()
			c.Source.Line = pos
			res.Contacts = append(res.Contacts, c)
			res.Folders[j.fc].Contacts++
		}
	}
	res.Unchanged = res.Opened == 0 && len(next.Items) == len(old.Items)
	res.next = next
	res.Took = time.Since(start)
	return res, nil
}

// Keep saves what this read saw, so the next read opens only what changes after it. The
// caller keeps a read once it has recorded it: a read that was not recorded (the history
// refused it) must be read again, not skipped as unchanged.
func (r *Reader) Keep(res *Result) error { return r.saveCache(res.next) }

// loadCache reads the last read's cache; a missing or damaged cache is an empty one (the
// next read then opens every item: slower, never wrong).
func (r *Reader) loadCache() cache {
	empty := cache{Version: cacheVersion, Items: map[string]cachedItem{}}
	if r.CacheFile == "" {
		return empty
	}
	data, err := os.ReadFile(r.CacheFile)
	if err != nil {
		return empty
	}
	var c cache
	if json.Unmarshal(data, &c) != nil || c.Version != cacheVersion || c.Items == nil {
		return empty
	}
	return c
}

// saveCache writes the cache for the user alone: it holds contact data.
func (r *Reader) saveCache(c cache) error {
	if r.CacheFile == "" {
		return nil
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := datadir.WriteFileAtomic(r.CacheFile, data, 0o600); err != nil {
		return fmt.Errorf("cannot save the Outlook read cache %s: %w", r.CacheFile, err)
	}
	return nil
}

// ForgetCache removes the cache, so the next read opens every item again.
func (r *Reader) ForgetCache() error {
	if r.CacheFile == "" {
		return nil
	}
	if err := os.Remove(r.CacheFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
