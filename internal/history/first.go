package history

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"syscall"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
)

// The first snapshot of a large export is taken in a stream: holding 100,000 contacts as
// objects, their encoded versions and bbolt's dirty pages all at once costs 700 MB, and a
// first snapshot needs no diff (everything is new) and no rules (there is nothing to judge
// against). So the files are read a chunk at a time, each contact's version is written in
// its own small transaction and the contact dropped; only its key, version id and
// fingerprint are kept. The snapshot itself (memberships, key histories, the file cache,
// the snapshot record) is still written in one transaction after the whole export was
// read, so a kill at any moment leaves the old state or the new one. Versions written by a
// stream that was killed or refused the export are referenced by no snapshot (there is
// none yet): they are dropped when the stream stops or the next one starts.
var (
	// streamMinBytes is the export size (about 6,000 Outlook vCards) from which a first
	// snapshot is streamed; it is also faster there (10,000 vCards: 0.54 s against 0.72 s,
	// no diff and no rules). Below it the ordinary path, which also lists the added
	// contacts in Result.Change, costs little memory.
	streamMinBytes int64 = 4 << 20
	// streamChunkFiles is how many files are read at a time.
	streamChunkFiles = 2000
	// streamChunkContacts is how many contacts of a one-file export are read at a time.
	streamChunkContacts = 2000
	// streamBatch is how many versions one transaction writes.
	streamBatch = 4096
	// streamGCPercent is the garbage collector's target while streaming a file of
	// streamBigFile bytes or more (Go's default: 100).
	streamGCPercent       = 35
	streamBigFile   int64 = 16 << 20
)

// streamable reports whether this snapshot should be streamed.
func streamable(last *Snapshot, stats []fileStat, opt SnapshotOptions) bool {
	if last != nil || opt.Details {
		return false
	}
	var total int64
	for _, st := range stats {
		total += st.size
	}
	return total >= streamMinBytes
}

type streamed struct {
	v    vid
	fp   [16]byte
	file int32 // index into stats
}

type encodedVersion struct {
	v   vid
	rec []byte
}

// firstSnapshot takes the first snapshot of loc in a stream (see streamMinBytes).
func (s *Store) firstSnapshot(path string, loc exports.Location, stats []fileStat, sig string, opt SnapshotOptions) (*Result, error) {
	s.mu.Lock() // as commit: no retention pass may drop the versions before they are used
	defer s.mu.Unlock()
	// A large one-file vCard export is read whole, so its contacts are live at once (an
	// Outlook CSV is read in chunks): collecting garbage sooner keeps 100,000 of them near 300 MB for about 10 %
	// more time, once. (A folder's chunks are small; there it would only cost time.)
	for _, st := range stats {
		if st.size >= streamBigFile {
			defer debug.SetGCPercent(debug.SetGCPercent(streamGCPercent))
			break
		}
	}
	if err := s.dropOrphanVersions(); err != nil {
		return nil, s.diskError(err)
	}

	var entries []streamed
	var fileErrs []exports.FileError
	var batch []encodedVersion
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		// Sorted, so that bbolt appends to its leaves instead of moving them.
		sort.Slice(batch, func(i, j int) bool { return bytes.Compare(batch[i].v[:], batch[j].v[:]) < 0 })
		err := s.update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bVersions)
			for _, e := range batch {
				if b.Get(e.v[:]) != nil {
					continue // stored once by content
				}
				if err := b.Put(e.v[:], e.rec); err != nil {
					return err
				}
			}
			return nil
		})
		batch = batch[:0]
		return err
	}
	for start := 0; start < len(stats); start += streamChunkFiles {
		end := min(start+streamChunkFiles, len(stats))
		paths := make([]string, 0, end-start)
		for _, st := range stats[start:end] {
			paths = append(paths, st.path)
		}
		index := make(map[string]int32, len(paths))
		for i, p := range paths {
			index[p] = int32(start + i)
		}
		take := func(cs []*contacts.Contact) error {
			for i, c := range cs {
				v, fp := versionID(c, "")
				rec, err := versionRecord(c, fp)
				if err != nil {
					return err
				}
				batch = append(batch, encodedVersion{v, rec})
				entries = append(entries, streamed{v, fp, index[c.Source.File]})
				cs[i] = nil // the contact is not needed any more
				if len(batch) >= streamBatch {
					if err := flush(); err != nil {
						return s.diskError(err)
					}
				}
			}
			return nil
		}
		var res exports.Result
		if len(paths) == 1 {
			// One file (an Outlook CSV of 100,000 rows) is read in chunks of contacts, never
			// held whole; a file found cut off or unreadable after its contacts were taken
			// is refused below, and the versions taken are dropped as orphans.
			errs, sum, err := exports.ReadFileChunks(paths[0], streamChunkContacts, take)
			if err != nil {
				return nil, err
			}
			res = exports.Result{Errors: errs, Files: []exports.FileSummary{sum}}
		} else {
			res = exports.ReadFiles(paths)
		}
		fileErrs = append(fileErrs, res.Errors...)
		if problem, bad := unusable(res); bad {
			s.dropOrphanVersions()
			r, err := s.recordMissing(path, problem, opt, &loc)
			if r != nil {
				r.FileErrors = fileErrs
			}
			return r, err
		}
		if err := take(res.Contacts); err != nil {
			return nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, s.diskError(err)
	}

	r := &Result{FileErrors: fileErrs, Location: loc}
	err := s.update(func(tx *bolt.Tx) error {
		if latestID(tx) != 0 {
			return errors.New("another snapshot was recorded while the first one was read; take the snapshot again")
		}
		members := make(map[uint64]vid, len(entries))
		keysByFile := make(map[string][]uint64, len(stats))
		kh := tx.Bucket(bKeyhist)
		id := nextSeq(tx, "snapshot")
		for _, e := range entries {
			k := nextSeq(tx, "contactKey")
			members[k] = e.v
			p := stats[e.file].path
			keysByFile[p] = append(keysByFile[p], k)
			if err := appendKeyhist(kh, k, id, e.v, e.fp); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bMembers).Put(u64(id), encodeFull(members)); err != nil {
			return err
		}
		snap := &Snapshot{ID: id, Time: opt.Now, Location: loc.Path, Kind: string(loc.Kind), Contacts: len(entries),
			Added: len(entries), Signature: sig}
		if err := putJSON(tx.Bucket(bSnaps), u64(id), snap); err != nil {
			return err
		}
		if err := writeFileCache(tx, loc.Path, stats, nil, keysByFile); err != nil {
			return err
		}
		if err := resolveKind(tx, findings.ExportMissing, opt.Now); err != nil {
			return err
		}
		if err := addEvent(tx, Event{Time: opt.Now, Kind: EventSnapshot, Message: snapshotMessage(snap), Snapshot: id}); err != nil {
			return err
		}
		s.cache = &state{id: id, members: members}
		r.Snapshot = snap
		r.Change = diff.Change{Before: 0, After: len(entries)}
		return nil
	})
	if err != nil {
		s.cache = nil
		return nil, s.diskError(err)
	}
	return r, nil
}

// dropOrphanVersions removes every stored version while the history has no snapshot: none
// of them is needed, they are what an interrupted first snapshot left.
func (s *Store) dropOrphanVersions() error {
	return s.update(func(tx *bolt.Tx) error {
		if latestID(tx) != 0 {
			return nil
		}
		if k, _ := tx.Bucket(bVersions).Cursor().First(); k == nil {
			return nil
		}
		if err := tx.DeleteBucket(bVersions); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bVersions)
		return err
	})
}

// unusable says why a read cannot be snapshotted: a file cut off while it was written, or
// one that could not be read at all (its contacts are unknown, not deleted).
func unusable(res exports.Result) (string, bool) {
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

// diskError words a full disk for the user; the last snapshot is intact either way.
func (s *Store) diskError(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("the disk that holds the history (%s) is full: %v; free some space or move the history with --data DIR. The last snapshot is intact", s.path, err)
	}
	return err
}
