package history

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
)

// The first snapshot of a large export is taken in a stream (RecordFirst): holding
// 100,000 contacts as objects, their encoded versions and bbolt's dirty pages all at once
// costs 700 MB, and a first snapshot needs no diff (everything is new). So the files are
// read a chunk at a time, each contact's version is written in its own small transaction
// and the contact dropped; only its key, version id and fingerprint are kept, and what the
// judge of a first snapshot keeps of it (FirstJudge). The snapshot itself (memberships,
// key histories, the file cache, the snapshot record, the findings) is still written in
// one transaction after the whole export was read, so a kill at any moment leaves the old
// state or the new one. Versions written by a stream that was killed or refused the export
// are referenced by no snapshot (there is none yet): they are dropped when the stream
// stops or the next one starts.
var (
	// streamChunkFiles is how many files are read at a time.
	streamChunkFiles = 2000
	// streamBatch is how many versions one transaction writes.
	streamBatch = 4096
	// streamGCPercent is the garbage collector's target while streaming a file of
	// streamBigFile bytes or more (Go's default: 100).
	streamGCPercent       = 35
	streamBigFile   int64 = 16 << 20
)

// Stream is a first snapshot to take in a stream.
type Stream struct {
	Time      time.Time
	Location  string
	Kind      string
	Signature string
	Files     []FileStamp
	// Read reads the given files (a chunk of Files at a time) and hands each contact to
	// yield, in the order of the book. An error stops the stream and records nothing: the
	// caller records the export as missing if that is what the error means.
	Read  func(paths []string, yield func(*contacts.Contact) error) error
	Judge Judge // nil: no findings
	// CountryCode is the policy's country_code (Record.CountryCode).
	CountryCode string
}

// ErrNotFirst: the history already has a snapshot, so it cannot take a first one.
var ErrNotFirst = errors.New("another snapshot was recorded while the first one was read; take the snapshot again")

type streamed struct {
	v    vid
	fp   [16]byte
	file int32 // index into stats
}

type encodedVersion struct {
	v   vid
	rec []byte
}

// RecordFirst takes the first snapshot of an export in a stream (see Stream).
func (s *Store) RecordFirst(in Stream) (*Result, error) {
	stats := in.Files
	s.mu.Lock() // as commit: no retention pass may drop the versions before they are used
	defer s.mu.Unlock()
	// A large one-file export (an Outlook CSV) is read whole, so its contacts are live at
	// once: collecting garbage sooner keeps 100,000 of them near 300 MB for about 10 %
	// more time, once. (A folder's chunks are small; there it would only cost time.)
	for _, st := range stats {
		if st.Size >= streamBigFile {
			defer debug.SetGCPercent(debug.SetGCPercent(streamGCPercent))
			break
		}
	}
	if err := s.dropOrphanVersions(); err != nil {
		return nil, s.diskError(err)
	}

	var entries []streamed
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
	// The keys the contacts will have: the history's next ones, in the order of the book,
	// as the ordinary path gives them; the judge of a first snapshot needs them as it goes.
	var base uint64
	s.view(func(tx *bolt.Tx) error { base = counter(tx, "contactKey"); return nil })
	var first FirstJudge
	if in.Judge != nil {
		first = in.Judge.First()
	}
	for start := 0; start < len(stats); start += streamChunkFiles {
		end := min(start+streamChunkFiles, len(stats))
		paths := make([]string, 0, end-start)
		index := make(map[string]int32, end-start)
		for i, st := range stats[start:end] {
			paths = append(paths, st.Path)
			index[st.Path] = int32(start + i)
		}
		err := in.Read(paths, func(c *contacts.Contact) error {
			v, fp := versionID(c, "", in.CountryCode)
			rec, err := versionRecord(c, fp)
			if err != nil {
				return err
			}
			if first != nil {
				first.Add(keyString(base+uint64(len(entries))+1), hex.EncodeToString(fp[:]), c)
			}
			batch = append(batch, encodedVersion{v, rec})
			entries = append(entries, streamed{v, fp, index[c.Source.File]})
			if len(batch) >= streamBatch {
				if err := flush(); err != nil {
					return s.diskError(err)
				}
			}
			return nil
		})
		if err != nil {
			// Versions already written are referenced by nothing: drop them now.
			s.dropOrphanVersions()
			return nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, s.diskError(err)
	}

	r := &Result{}
	err := s.update(func(tx *bolt.Tx) error {
		if latestID(tx) != 0 || counter(tx, "contactKey") != base {
			return ErrNotFirst
		}
		members := make(map[uint64]vid, len(entries))
		keysByFile := make(map[string][]uint64, len(stats))
		kh := tx.Bucket(bKeyhist)
		id := nextSeq(tx, "snapshot")
		for _, e := range entries {
			k := nextSeq(tx, "contactKey")
			members[k] = e.v
			p := stats[e.file].Path
			keysByFile[p] = append(keysByFile[p], k)
			if err := appendKeyhist(kh, k, id, e.v, e.fp); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bMembers).Put(u64(id), encodeFull(members)); err != nil {
			return err
		}
		snap := &Snapshot{ID: id, Time: in.Time, Location: in.Location, Kind: in.Kind, Contacts: len(entries),
			Added: len(entries), Signature: in.Signature}
		if err := putJSON(tx.Bucket(bSnaps), u64(id), snap); err != nil {
			return err
		}
		if err := writeFileCache(tx, in.Location, stats, nil, keysByFile); err != nil {
			return err
		}
		if err := resolveKind(tx, findings.ExportMissing, in.Time); err != nil {
			return err
		}
		if first != nil {
			contact := func(key string) *contacts.Contact {
				k, ok := parseKey(key)
				if !ok {
					return nil
				}
				c, err := readVersion(tx, members[k])
				if err != nil {
					return nil
				}
				return c
			}
			fs, err := upsertFindings(tx, first.Findings(id, contact), in.Time)
			if err != nil {
				return err
			}
			r.Findings = fs
		}
		if err := addEvent(tx, Event{Time: in.Time, Kind: EventSnapshot, Message: snapshotMessage(snap), Snapshot: id}); err != nil {
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

// counter is the value of one of the history's counters (see nextSeq).
func counter(tx *bolt.Tx, name string) uint64 {
	if v := tx.Bucket(bMeta).Get([]byte(name)); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
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

// diskError words a full disk for the user; the last snapshot is intact either way.
func (s *Store) diskError(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("the disk that holds the history (%s) is full: %v; free some space or move the history with --data DIR. The last snapshot is intact", s.path, err)
	}
	return err
}
