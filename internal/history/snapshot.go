package history

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
)

// Snapshot is one recorded state of the export.
type Snapshot struct {
	ID        uint64    `json:"id"`
	Time      time.Time `json:"time"`
	Location  string    `json:"location"`
	Kind      string    `json:"kind"`
	Contacts  int       `json:"contacts"`
	Added     int       `json:"added"`
	Removed   int       `json:"removed"`
	Changed   int       `json:"changed"`
	Signature string    `json:"signature,omitempty"`
}

// Result is what recording a state did.
type Result struct {
	// Snapshot is the new snapshot, or the current one when none was taken.
	Snapshot *Snapshot
	Change   diff.Change
	// Findings are those the judge raised on this change (or the export-missing one).
	Findings []findings.Finding
	// Unchanged: the export had not changed since the last snapshot; none was taken.
	Unchanged bool
	// Missing: the export was missing, unreadable, still being written or suddenly empty;
	// no snapshot was taken and the last good one stays current. Problem says why.
	Missing bool
	Problem string
	// Undid is the snapshot whose change this one undid (the export holds again exactly
	// the contacts it held before that change, a half-written export being the usual
	// cause); that change's findings are resolved. 0 when not.
	Undid uint64
}

// Judge is what the history asks of the rules. The history runs it inside the
// transaction that records a change, so that what it asks of the past (Past) and the
// findings it raises belong to the same state; it knows nothing of the rules themselves.
type Judge interface {
	// Change returns the findings one change raises.
	Change(in JudgeInput) []findings.Finding
	// First returns a judge of a first snapshot that is handed the contacts one at a time
	// as they are stored, so that a large first snapshot (Stream) need not hold them all.
	First() FirstJudge
	// Missing is the finding for an export location that could not be used.
	Missing(location, reason string, lastContacts int, lastSnapshot uint64) findings.Finding
}

// FirstJudge judges a first snapshot from its contacts, given one at a time in the order
// of the book with the keys the history gave them.
type FirstJudge interface {
	Add(key, fingerprint string, c *contacts.Contact)
	// Findings are the snapshot's; contact reads back a contact it recorded, by key
	// (nil when it cannot), so that the judge need not keep them.
	Findings(snapshotID uint64, contact func(key string) *contacts.Contact) []findings.Finding
}

// JudgeInput is one change to judge.
type JudgeInput struct {
	Change     diff.Change
	SnapshotID uint64
	Past       Past
	// Book is the whole address book after the change when Change covers only part of it
	// (Record.Affected), nil when Change is over the whole book.
	Book []diff.Entry
}

// Past answers the judge's questions about earlier versions.
type Past interface {
	// PreviousFingerprints lists the fingerprints a contact had, newest first; "" marks
	// a snapshot in which it was absent.
	PreviousFingerprints(key string, n int) []string
}

// FileStamp is what the caller saw of one export file (its size and time): the history
// keeps it with the contact keys read from the file, so that the caller can tell at the
// next read which files changed and read only those (Record.Affected).
type FileStamp struct {
	Path string
	Size int64
	Mod  int64
}

// fileRec is what the history remembers of one export file between snapshots.
type fileRec struct {
	Size int64    `json:"size"`
	Mod  int64    `json:"mod"`
	Keys []uint64 `json:"keys"`
}

// Record is a state of the address book to record.
type Record struct {
	Time      time.Time
	Location  string
	Kind      string
	Signature string
	// Contacts are the contacts read: the whole book, or those of the Affected files.
	Contacts []*contacts.Contact
	// Files are the export's files as read, remembered with the contact keys read from
	// each (see FileStamp); nil when the book was not read from files (Outlook).
	Files []FileStamp
	// Affected, when set, limits the change to the contacts of these files (changed, new
	// or gone); the others keep their versions.
	Affected []string
	Judge    Judge // nil: no findings
	// CountryCode is the policy's country_code, under which phone numbers are normalized
	// for fingerprints and matching ("" = "1"); the caller passes it, the history keeps no
	// policy.
	CountryCode string
	// Hold, when it returns true for the findings of the change, records nothing: Record
	// returns ErrHeld (the caller reads the export again before believing a large deletion).
	Hold func([]findings.Finding) bool
}

// ErrHeld is Record's error for a change that Hold kept back.
var ErrHeld = errors.New("the change was held back to be read again")

// EmptyError is Record's error for a book without contacts after one that had some
// (Before): nothing is recorded.
type EmptyError struct{ Before int }

func (e *EmptyError) Error() string {
	return fmt.Sprintf("the book read has no contacts while the last snapshot had %d", e.Before)
}

// Files is what the history remembers of the files of the export at location (see
// FileStamp): none when its last record was of another location or not of files.
func (s *Store) Files(location string) map[string]FileStamp {
	out := map[string]FileStamp{}
	s.view(func(tx *bolt.Tx) error {
		if string(tx.Bucket(bMeta).Get([]byte("filesLocation"))) != location {
			return nil
		}
		return tx.Bucket(bFiles).ForEach(func(k, v []byte) error {
			var r fileRec
			if json.Unmarshal(v, &r) == nil {
				out[string(k)] = FileStamp{Path: string(k), Size: r.Size, Mod: r.Mod}
			}
			return nil
		})
	})
	return out
}

// ResolveOpen resolves every open finding of a kind (an export readable again ends an
// export-missing episode).
func (s *Store) ResolveOpen(kind findings.Kind, now time.Time) error { return s.resolveOpen(kind, now) }

func latestSnapshot(tx *bolt.Tx) *Snapshot {
	k, v := tx.Bucket(bSnaps).Cursor().Last()
	if k == nil {
		return nil
	}
	var s Snapshot
	if json.Unmarshal(v, &s) != nil {
		return nil
	}
	return &s
}

// RecordMissing records that the export at location could not be used (reason says why),
// without touching the contacts: an export-missing event, and the judge's finding.
func (s *Store) RecordMissing(location, reason string, now time.Time, j Judge) (*Result, error) {
	r := &Result{Missing: true, Problem: reason}
	err := s.update(func(tx *bolt.Tx) error {
		last := latestSnapshot(tx)
		r.Snapshot = last
		lastCount, lastID := 0, uint64(0)
		if last != nil {
			lastCount, lastID = last.Contacts, last.ID
		}
		if j != nil {
			fs, err := upsertFindings(tx, []findings.Finding{j.Missing(location, reason, lastCount, lastID)}, now)
			if err != nil {
				return err
			}
			r.Findings = fs
		}
		return addEvent(tx, Event{Time: now, Kind: EventExportMissing, Message: reason, Snapshot: lastID})
	})
	return r, err
}

// Commit records a state of the address book directly, under the default country code
// (tests, benchmarks); Record says more.
func (s *Store) Commit(location string, now time.Time, book []*contacts.Contact, j Judge) (*Result, error) {
	return s.Record(Record{Time: now, Location: location, Kind: "import", Contacts: book, Judge: j})
}

// Record records a state of the address book when it differs from the last one, with the
// findings the judge raises on the change. A book without contacts after one with some is
// refused (*EmptyError), never recorded as every contact deleted.
func (s *Store) Record(in Record) (*Result, error) { return s.commit(in) }

func (s *Store) commit(in Record) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Result{}
	err := s.update(func(tx *bolt.Tx) error {
		lastID := latestID(tx)
		var cur *state
		if s.cache != nil && s.cache.id == lastID {
			cur = s.cache.clone()
		} else if lastID > 0 {
			st, err := materializeAny(tx, lastID)
			if err != nil {
				return err
			}
			cur = st
		} else {
			cur = &state{members: map[uint64]vid{}}
		}
		prevMembers := cur.clone().members

		// The part of the book this change concerns.
		affected := map[uint64]bool{}
		if in.Affected == nil {
			for k := range cur.members {
				affected[k] = true
			}
		} else {
			for _, k := range cachedKeys(tx, in.Location, in.Affected) {
				if _, ok := cur.members[k]; ok {
					affected[k] = true
				}
			}
		}
		before := make([]diff.Entry, 0, len(affected))
		keys := make([]uint64, 0, len(affected))
		for k := range affected {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		damaged := map[vid]bool{}
		for _, k := range keys {
			c, err := readVersion(tx, cur.members[k])
			if err != nil {
				// One damaged version must not stop every later snapshot: the contact is
				// matched by the fingerprint its history recorded, and the export's copy
				// of it is stored again in place of the damaged one.
				fp := lastFingerprint(tx, k)
				if fp == "" {
					return err
				}
				damaged[cur.members[k]] = true
				before = append(before, diff.Entry{Key: keyString(k), Contact: &contacts.Contact{}, FP: fp})
				continue
			}
			before = append(before, diff.Entry{Key: keyString(k), Contact: c})
		}
		cc := in.CountryCode
		ch := diff.Compute(before, in.Contacts, func() string { return keyString(nextSeq(tx, "contactKey")) }, cc)
		prev, err := reclaimKeys(tx, lastID, cur.members, ch.Added, cc)
		if err != nil {
			return err
		}
		total := len(cur.members) - len(affected) + len(in.Contacts)
		ch.Before, ch.After = len(cur.members), total
		if total == 0 && len(cur.members) > 0 {
			// A store that held contacts is never emptied in one change: the caller
			// decides what an empty book means (a failed export, for SnapshotExport).
			return &EmptyError{Before: len(cur.members)}
		}

		id := nextSeq(tx, "snapshot")
		snap := &Snapshot{ID: id, Time: in.Time, Location: in.Location, Kind: in.Kind, Contacts: total,
			Added: len(ch.Added), Removed: len(ch.Removed), Changed: len(ch.Changed), Signature: in.Signature}
		judge := JudgeInput{Change: ch, SnapshotID: id, Past: txPast{tx}}
		if in.Affected != nil && len(ch.Added) > 0 {
			// Only the changed files were read: the duplicates rule needs the rest of the
			// book too, to see a new contact that copies one in an untouched file.
			rest := map[uint64]bool{}
			for k := range cur.members {
				if !affected[k] {
					rest[k] = true
				}
			}
			book, err := entries(tx, cur.members, rest)
			if err != nil {
				return err
			}
			book = append(book, ch.Unchanged...)
			for _, c := range ch.Changed {
				book = append(book, diff.Entry{Key: c.Key, Contact: c.New})
			}
			judge.Book = append(book, ch.Added...)
		}
		var found []findings.Finding
		if in.Judge != nil {
			found = in.Judge.Change(judge)
		}
		if in.Hold != nil && in.Hold(found) {
			return ErrHeld
		}

		// The new membership and the versions it needs.
		kh := tx.Bucket(bKeyhist)
		record := func(k uint64, v vid, fp [16]byte) error { return appendKeyhist(kh, k, id, v, fp) }
		for _, e := range ch.Removed {
			k, _ := parseKey(e.Key)
			delete(cur.members, k)
			if err := record(k, vid{}, [16]byte{}); err != nil {
				return err
			}
		}
		// New versions are written after the loop, in key order: bbolt holds a bucket's
		// leaf as one sorted slice until commit, so random-order inserts of 100,000
		// version ids would each move half of it.
		type pending struct {
			v  vid
			fp [16]byte
			c  *contacts.Contact
		}
		var newVersions []pending
		put := func(key string, c *contacts.Contact, fingerprint string) error {
			k, _ := parseKey(key)
			v, fp := versionID(c, fingerprint, cc)
			if old, ok := cur.members[k]; ok && old == v && !damaged[v] {
				return nil
			}
			newVersions = append(newVersions, pending{v, fp, c})
			cur.members[k] = v
			return record(k, v, fp)
		}
		for _, e := range ch.Added {
			if err := put(e.Key, e.Contact, e.FP); err != nil {
				return err
			}
		}
		for _, c := range ch.Changed {
			if err := put(c.Key, c.New, c.NewFP); err != nil {
				return err
			}
		}
		// Unchanged contacts may differ in the properties the fingerprint leaves out.
		for _, e := range ch.Unchanged {
			if err := put(e.Key, e.Contact, e.FP); err != nil {
				return err
			}
		}
		sort.Slice(newVersions, func(i, j int) bool { return bytes.Compare(newVersions[i].v[:], newVersions[j].v[:]) < 0 })
		for _, p := range newVersions {
			if damaged[p.v] {
				tx.Bucket(bVersions).Delete(p.v[:]) // written again whole below
			}
			if err := putVersion(tx, p.v, p.fp, p.c); err != nil {
				return err
			}
		}
		if last := latestSnapshot(tx); prev != nil && last != nil && last.Removed > 0 && sameMembers(prev.members, cur.members) {
			// The book is again exactly what it was before the last change, which removed
			// contacts: that change was undone (a half-written export read mid-write, a
			// deletion put back). The state was judged when it was first recorded, and the
			// change's findings no longer hold. Edits put back are not an undo: that is
			// the revert rule's case (a handheld overwriting the desk's edits), judged as any change.
			r.Undid = lastID
			found = nil
			if err := resolveUndone(tx, lastID, id, in.Time); err != nil {
				return err
			}
		}
		var rec []byte
		if lastID == 0 || chainLength(tx, lastID) >= checkpointEvery-1 {
			rec = encodeFull(cur.members)
		} else {
			rec = encodeDelta(prevMembers, cur.members)
		}
		if err := tx.Bucket(bMembers).Put(u64(id), rec); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bSnaps), u64(id), snap); err != nil {
			return err
		}
		if err := s.updateFiles(tx, in, ch); err != nil {
			return err
		}
		// A good snapshot ends an export-missing episode.
		if err := resolveKind(tx, findings.ExportMissing, in.Time); err != nil {
			return err
		}
		fs, err := upsertFindings(tx, found, in.Time)
		if err != nil {
			return err
		}
		msg := snapshotMessage(snap)
		if r.Undid != 0 {
			msg += fmt.Sprintf("; it undid snapshot #%d (the same contacts are back), whose findings are resolved", r.Undid)
		}
		if err := addEvent(tx, Event{Time: in.Time, Kind: EventSnapshot, Message: msg, Snapshot: id}); err != nil {
			return err
		}
		cur.id = id
		s.cache = cur
		r.Snapshot, r.Change, r.Findings = snap, ch, fs
		return nil
	})
	var empty *EmptyError
	if errors.Is(err, ErrHeld) || errors.As(err, &empty) {
		return nil, err // nothing was written; the cache still holds the latest state
	}
	if err != nil {
		s.cache = nil
		return nil, s.diskError(err)
	}
	return r, nil
}

// cachedKeys are the contact keys last read from these files of the export at location.
func cachedKeys(tx *bolt.Tx, location string, files []string) []uint64 {
	if string(tx.Bucket(bMeta).Get([]byte("filesLocation"))) != location {
		return nil
	}
	var keys []uint64
	fb := tx.Bucket(bFiles)
	for _, p := range files {
		var r fileRec
		if v := fb.Get([]byte(p)); v != nil && json.Unmarshal(v, &r) == nil {
			keys = append(keys, r.Keys...)
		}
	}
	return keys
}

// reclaimKeys gives contacts that come back exactly as the last change removed them
// (same fingerprint) their old keys, so that their history goes on and a restore does
// not see them as new. It returns the state before the last change (nil when there is
// none), for telling whether this change undoes it.
func reclaimKeys(tx *bolt.Tx, lastID uint64, last map[uint64]vid, added []diff.Entry, cc string) (*state, error) {
	if lastID == 0 {
		return nil, nil
	}
	c := tx.Bucket(bSnaps).Cursor()
	c.Seek(u64(lastID))
	k, _ := c.Prev()
	if k == nil {
		return nil, nil
	}
	prev, err := materialize(tx, binary.BigEndian.Uint64(k))
	if err != nil {
		return nil, nil // pruned or unreadable: nothing to reclaim
	}
	if len(added) == 0 {
		return prev, nil
	}
	pool := map[string][]uint64{} // fingerprint -> keys the last change removed
	vb := tx.Bucket(bVersions)
	for key, v := range prev.members {
		if _, still := last[key]; still {
			continue
		}
		if rec := vb.Get(v[:]); len(rec) >= 16 {
			fp := hex.EncodeToString(rec[:16])
			pool[fp] = append(pool[fp], key)
		}
	}
	if len(pool) == 0 {
		return prev, nil
	}
	for i := range added {
		fp := added[i].FP
		if fp == "" {
			fp = added[i].Contact.Fingerprint(cc)
		}
		if keys := pool[fp]; len(keys) > 0 {
			added[i].Key = keyString(keys[0])
			pool[fp] = keys[1:]
		}
	}
	return prev, nil
}

func sameMembers(a, b map[uint64]vid) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// resolveUndone resolves the open findings that snapshot undone raised, saying why.
func resolveUndone(tx *bolt.Tx, undone, by uint64, now time.Time) error {
	b := tx.Bucket(bFindings)
	var updates [][2][]byte
	err := b.ForEach(func(k, v []byte) error {
		var f findings.Finding
		if json.Unmarshal(v, &f) != nil || f.SnapshotID != undone || f.State == findings.Resolved {
			return nil
		}
		f.State = findings.Resolved
		f.LastSeen = now
		f.Explanation = strings.TrimSpace(f.Explanation + fmt.Sprintf(" This change was undone by the next snapshot (#%d): the same contacts came back, so nothing needs restoring.", by))
		data, err := json.Marshal(f)
		if err != nil {
			return err
		}
		updates = append(updates, [2][]byte{append([]byte(nil), k...), data})
		return nil
	})
	if err != nil {
		return err
	}
	for _, u := range updates {
		if err := b.Put(u[0], u[1]); err != nil {
			return err
		}
	}
	return nil
}

// lastFingerprint is the fingerprint a contact key's history last recorded for it.
func lastFingerprint(tx *bolt.Tx, k uint64) (fp string) {
	defer func() {
		if recover() != nil {
			fp = ""
		}
	}()
	rec := tx.Bucket(bKeyhist).Get(u64(k))
	for i := len(rec) - 40; i >= 0; i -= 40 {
		if f := rec[i+24 : i+40]; !isZero(f) {
			return hex.EncodeToString(f)
		}
	}
	return ""
}

// updateFiles remembers, per export file, its size, time and contact keys.
func (s *Store) updateFiles(tx *bolt.Tx, in Record, ch diff.Change) error {
	if in.Files == nil {
		return tx.Bucket(bMeta).Delete([]byte("filesLocation"))
	}
	keysByFile := map[string][]uint64{}
	add := func(key string, c *contacts.Contact) {
		k, _ := parseKey(key)
		keysByFile[c.Source.File] = append(keysByFile[c.Source.File], k)
	}
	for _, e := range ch.Added {
		add(e.Key, e.Contact)
	}
	for _, c := range ch.Changed {
		add(c.Key, c.New)
	}
	for _, e := range ch.Unchanged {
		add(e.Key, e.Contact)
	}
	return writeFileCache(tx, in.Location, in.Files, in.Affected, keysByFile)
}

// writeFileCache records the files of an export location with their contact keys: all of
// them afresh after a full read (affected nil) or a new location, else only the affected
// ones (a file no longer in stats is forgotten).
func writeFileCache(tx *bolt.Tx, location string, stats []FileStamp, affected []string, keysByFile map[string][]uint64) error {
	fb := tx.Bucket(bFiles)
	meta := tx.Bucket(bMeta)
	if string(meta.Get([]byte("filesLocation"))) != location || affected == nil {
		if err := tx.DeleteBucket(bFiles); err != nil {
			return err
		}
		var err error
		if fb, err = tx.CreateBucket(bFiles); err != nil {
			return err
		}
		if err := meta.Put([]byte("filesLocation"), []byte(location)); err != nil {
			return err
		}
	}
	statOf := map[string]FileStamp{}
	for _, st := range stats {
		statOf[st.Path] = st
	}
	write := func(p string) error {
		st, ok := statOf[p]
		if !ok {
			return fb.Delete([]byte(p))
		}
		return putJSON(fb, []byte(p), fileRec{Size: st.Size, Mod: st.Mod, Keys: keysByFile[p]})
	}
	if affected == nil {
		for _, st := range stats {
			if err := write(st.Path); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range affected {
		if err := write(p); err != nil {
			return err
		}
	}
	return nil
}

// appendKeyhist adds one snapshot's entry (snapshot id, version id, fingerprint; a zero
// version for "absent") to a contact key's history.
func appendKeyhist(kh *bolt.Bucket, k, id uint64, v vid, fp [16]byte) error {
	old := kh.Get(u64(k)) // bbolt's memory: copy before appending
	rec := make([]byte, len(old), len(old)+40)
	copy(rec, old)
	rec = append(rec, u64(id)...)
	rec = append(rec, v[:]...)
	rec = append(rec, fp[:]...)
	return kh.Put(u64(k), rec)
}

// snapshotMessage is the timeline's line for a snapshot.
func snapshotMessage(sn *Snapshot) string {
	return fmt.Sprintf("%d contacts: %d added, %d removed, %d changed", sn.Contacts, sn.Added, sn.Removed, sn.Changed)
}

// txPast answers the rules' questions about earlier versions from within the snapshot's
// transaction.
type txPast struct{ tx *bolt.Tx }

// PreviousFingerprints lists the fingerprints a contact had, newest first; "" marks a
// snapshot in which it was absent.
func (p txPast) PreviousFingerprints(key string, n int) []string {
	k, ok := parseKey(key)
	if !ok {
		return nil
	}
	rec := p.tx.Bucket(bKeyhist).Get(u64(k))
	var out []string
	for i := len(rec) - 40; i >= 0 && len(out) < n; i -= 40 {
		fp := rec[i+24 : i+40]
		if isZero(fp) {
			out = append(out, "")
			continue
		}
		out = append(out, hex.EncodeToString(fp))
	}
	return out
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
