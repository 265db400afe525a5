package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/rules"
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

// Result is what taking a snapshot did.
type Result struct {
	// Snapshot is the new snapshot, or the current one when none was taken.
	Snapshot *Snapshot
	Change   diff.Change
	// Findings are those the rules raised on this change (or the export-missing one).
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
	// FileErrors are the readers' problems with individual files.
	FileErrors []exports.FileError
	Location   exports.Location
}

// SnapshotOptions tune SnapshotExport.
type SnapshotOptions struct {
	Policy *policy.Policy
	Now    time.Time
	// Settle is how long a file must hold still before it is read (default 300 ms), and
	// MaxWait how long to wait for an export that is still being written (default 10 s).
	Settle, MaxWait time.Duration
	// Force reads the export even when its files look unchanged.
	Force bool
	// ConfirmSettle is how long a large deletion (one that the mass-deletion rule would
	// raise) must hold still before it is recorded; the export is read again after it
	// (default DefaultConfirmSettle). An export rewritten in place can pause at a row boundary, and then
	// reads as a whole file with half the contacts.
	ConfirmSettle time.Duration
	// Sleep waits for ConfirmSettle (default time.Sleep; tests replace it).
	Sleep func(time.Duration)
	// Details: Result.Change must list the contacts even of a large first snapshot, which
	// is otherwise taken in a stream that keeps only their counts (see streamMinBytes).
	Details bool
}

type fileStat struct {
	path string
	size int64
	mod  int64
}

// fileRec is what the history remembers of one export file between snapshots, so that a
// rescan reads only the files that changed.
type fileRec struct {
	Size int64    `json:"size"`
	Mod  int64    `json:"mod"`
	Keys []uint64 `json:"keys"`
}

// SnapshotExport reads the export at path and records its state when it changed. A missing,
// unreadable, half-written or suddenly empty export is never recorded as deleted contacts:
// it is recorded as an export-missing event and finding, and the last snapshot stays.
func (s *Store) SnapshotExport(path string, opt SnapshotOptions) (*Result, error) {
	if opt.Policy == nil {
		opt.Policy = policy.Default()
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Settle == 0 {
		opt.Settle = 300 * time.Millisecond
	}
	if opt.MaxWait == 0 {
		opt.MaxWait = 10 * time.Second
	}
	if opt.ConfirmSettle == 0 {
		opt.ConfirmSettle = DefaultConfirmSettle()
	}
	if opt.Sleep == nil {
		opt.Sleep = time.Sleep
	}
	// A large deletion is recorded only when a second read after ConfirmSettle finds the
	// export as it was (the same files, sizes and times). An export that keeps changing
	// through confirmRounds waits is recorded as it then reads: the danger is raised, and
	// should it have been a pause, the snapshot after it undoes the change (Result.Undid).
	confirmed := ""
	for round := 1; ; round++ {
		r, sig, err := s.snapshotOnce(path, opt, confirmed, round < confirmRounds)
		if !errors.Is(err, errConfirm) {
			return r, err
		}
		opt.Sleep(opt.ConfirmSettle)
		confirmed = sig
	}
}

// DefaultConfirmSettle is ConfirmSettle when none is given: 5 s, or the duration in the
// environment variable SYNCGUARD_CONFIRM_SETTLE, so that test suites that run the whole
// program (and delete many contacts on purpose) need not wait.
func DefaultConfirmSettle() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("SYNCGUARD_CONFIRM_SETTLE")); err == nil && d > 0 {
		return d
	}
	return 5 * time.Second
}

// confirmRounds bounds how often a large deletion is read again.
const confirmRounds = 3

// errConfirm: the change is a large deletion that must be read again before it is recorded.
var errConfirm = errors.New("a large deletion to confirm")

// snapshotOnce is one read of the export and its record, unless the change is a large
// deletion read for the first time (confirm, and a signature other than confirmed): then
// errConfirm and the signature of what was read.
func (s *Store) snapshotOnce(path string, opt SnapshotOptions, confirmed string, confirm bool) (*Result, string, error) {
	loc, err := exports.Discover(path)
	if err != nil {
		r, err := s.recordMissing(path, err.Error(), opt, nil)
		return r, "", err
	}
	stats, err := statStable(loc, opt.Settle, opt.MaxWait)
	if err != nil {
		r, err := s.recordMissing(path, err.Error(), opt, &loc)
		return r, "", err
	}
	sig := signature(loc, stats)

	// What the history knows of these files decides what must be read.
	var last *Snapshot
	s.view(func(tx *bolt.Tx) error {
		last = latestSnapshot(tx)
		return nil
	})
	// A folder keeps the kind its history chose: a change of kind is a finding, not a
	// reason to read it anew (and take most contacts for deleted), unless forced.
	if last != nil && last.Location == loc.Path && !opt.Force {
		if problem := exports.KindChange(exports.LocationKind(last.Kind), loc); problem != "" {
			r, err := s.recordMissing(path, problem, opt, &loc)
			return r, "", err
		}
	}
	if last != nil && last.Signature == sig && last.Location == loc.Path && !opt.Force {
		// The export is readable again and as it was: an export-missing episode is over.
		if err := s.resolveOpen(findings.ExportMissing, opt.Now); err != nil {
			return nil, sig, err
		}
		return &Result{Snapshot: last, Unchanged: true, Location: loc}, sig, nil
	}
	if streamable(last, stats, opt) {
		r, err := s.firstSnapshot(path, loc, stats, sig, opt)
		return r, sig, err
	}
	cached := map[string]fileRec{}
	full := true
	s.view(func(tx *bolt.Tx) error {
		if string(tx.Bucket(bMeta).Get([]byte("filesLocation"))) == loc.Path {
			full = false
			tx.Bucket(bFiles).ForEach(func(k, v []byte) error {
				var r fileRec
				if json.Unmarshal(v, &r) == nil {
					cached[string(k)] = r
				}
				return nil
			})
		}
		return nil
	})
	if opt.Force || last == nil {
		full = true
	}
	var toRead []string
	current := map[string]bool{}
	for _, st := range stats {
		current[st.path] = true
		r, ok := cached[st.path]
		if full || !ok || r.Size != st.size || r.Mod != st.mod {
			toRead = append(toRead, st.path)
		}
	}
	var gone []string
	for p := range cached {
		if !current[p] {
			gone = append(gone, p)
		}
	}
	res := exports.ReadFiles(toRead)
	if problem, bad := unusable(res); bad {
		// The contacts of a file cut short or unreadable are unknown, not deleted.
		r, err := s.recordMissing(path, problem, opt, &loc)
		if r != nil {
			r.FileErrors = res.Errors
		}
		return r, sig, err
	}
	in := commitInput{
		time: opt.Now, location: loc.Path, kind: string(loc.Kind), signature: sig,
		after: res.Contacts, policy: opt.Policy, stats: stats,
		confirm: confirm && sig != confirmed,
	}
	if !full {
		in.affectedFiles = append(append([]string{}, toRead...), gone...)
		in.cached = cached
	}
	r, err := s.commit(in)
	if r != nil {
		r.FileErrors = res.Errors
		r.Location = loc
	}
	return r, sig, err
}

// statStable stats the files and, where one changed in the last moments, waits until all
// hold still: an export still being written must not be read half-way.
func statStable(loc exports.Location, settle, maxWait time.Duration) ([]fileStat, error) {
	deadline := time.Now().Add(maxWait)
	paths := loc.Files
	listed := len(loc.Infos) == len(paths) // the first look may use what the listing saw
	stat := func() ([]fileStat, bool, error) {
		out := make([]fileStat, 0, len(paths))
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
			out = append(out, fileStat{p, fi.Size(), mod.UnixNano()})
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

func signature(loc exports.Location, stats []fileStat) string {
	h := sha256.New()
	h.Write([]byte(loc.Path))
	var b [16]byte
	for _, st := range stats {
		h.Write([]byte(st.path))
		binary.BigEndian.PutUint64(b[:8], uint64(st.size))
		binary.BigEndian.PutUint64(b[8:], uint64(st.mod))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

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

// recordMissing records that the export could not be used, without touching the contacts.
func (s *Store) recordMissing(path, reason string, opt SnapshotOptions, loc *exports.Location) (*Result, error) {
	r := &Result{Missing: true, Problem: reason}
	if loc != nil {
		r.Location = *loc
	}
	err := s.update(func(tx *bolt.Tx) error {
		last := latestSnapshot(tx)
		r.Snapshot = last
		lastCount, lastID := 0, uint64(0)
		if last != nil {
			lastCount, lastID = last.Contacts, last.ID
		}
		f := rules.ExportMissing(path, reason, lastCount, lastID)
		fs, err := upsertFindings(tx, []findings.Finding{f}, opt.Now)
		if err != nil {
			return err
		}
		r.Findings = fs
		return addEvent(tx, Event{Time: opt.Now, Kind: EventExportMissing, Message: reason, Snapshot: lastID})
	})
	return r, err
}

type commitInput struct {
	time      time.Time
	location  string
	kind      string
	signature string
	after     []*contacts.Contact // the contacts read: all of them, or those of affectedFiles
	policy    *policy.Policy
	stats     []fileStat
	// affectedFiles, when set, limits the change to the contacts of these files (changed,
	// new or gone); the others keep their versions. cached is what was known of them.
	affectedFiles []string
	cached        map[string]fileRec
	// confirm: a large deletion is not recorded but returned as errConfirm.
	confirm bool
}

// Commit records a state of the address book directly (tests, benchmarks, imports).
func (s *Store) Commit(location string, now time.Time, book []*contacts.Contact, p *policy.Policy) (*Result, error) {
	if p == nil {
		p = policy.Default()
	}
	return s.commit(commitInput{time: now, location: location, kind: "import", after: book, policy: p})
}

func (s *Store) commit(in commitInput) (*Result, error) {
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
		if in.affectedFiles == nil {
			for k := range cur.members {
				affected[k] = true
			}
		} else {
			for _, p := range in.affectedFiles {
				for _, k := range in.cached[p].Keys {
					if _, ok := cur.members[k]; ok {
						affected[k] = true
					}
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
		cc := in.policy.Export.CountryCode
		ch := diff.Compute(before, in.after, func() string { return keyString(nextSeq(tx, "contactKey")) }, cc)
		prev, err := reclaimKeys(tx, lastID, cur.members, ch.Added, cc)
		if err != nil {
			return err
		}
		total := len(cur.members) - len(affected) + len(in.after)
		ch.Before, ch.After = len(cur.members), total
		if total == 0 && len(cur.members) > 0 {
			// A sudden empty export is a failed export, not an empty address book.
			r.Missing = true
			r.Problem = fmt.Sprintf("the export has no contacts while the last snapshot had %d; it was not recorded as deleting them", len(cur.members))
			last := latestSnapshot(tx)
			r.Snapshot = last
			f := rules.ExportMissing(in.location, r.Problem, len(cur.members), lastID)
			fs, err := upsertFindings(tx, []findings.Finding{f}, in.time)
			if err != nil {
				return err
			}
			r.Findings = fs
			return addEvent(tx, Event{Time: in.time, Kind: EventExportMissing, Message: r.Problem, Snapshot: lastID})
		}

		id := nextSeq(tx, "snapshot")
		snap := &Snapshot{ID: id, Time: in.time, Location: in.location, Kind: in.kind, Contacts: total,
			Added: len(ch.Added), Removed: len(ch.Removed), Changed: len(ch.Changed), Signature: in.signature}
		judge := rules.Input{Change: ch, SnapshotID: id, Past: txPast{tx}, Policy: in.policy}
		if in.affectedFiles != nil && len(ch.Added) > 0 {
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
		found := rules.Judge(judge)
		if in.confirm {
			for _, f := range found {
				if f.Kind == findings.MassDeletion {
					return errConfirm
				}
			}
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
			if err := resolveUndone(tx, lastID, id, in.time); err != nil {
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
		if err := resolveKind(tx, findings.ExportMissing, in.time); err != nil {
			return err
		}
		fs, err := upsertFindings(tx, found, in.time)
		if err != nil {
			return err
		}
		msg := snapshotMessage(snap)
		if r.Undid != 0 {
			msg += fmt.Sprintf("; it undid snapshot #%d (the same contacts are back), whose findings are resolved", r.Undid)
		}
		if err := addEvent(tx, Event{Time: in.time, Kind: EventSnapshot, Message: msg, Snapshot: id}); err != nil {
			return err
		}
		cur.id = id
		s.cache = cur
		r.Snapshot, r.Change, r.Findings = snap, ch, fs
		return nil
	})
	if errors.Is(err, errConfirm) {
		return nil, err // nothing was written; the cache still holds the latest state
	}
	if err != nil {
		s.cache = nil
		return nil, s.diskError(err)
	}
	return r, nil
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
func (s *Store) updateFiles(tx *bolt.Tx, in commitInput, ch diff.Change) error {
	if in.stats == nil {
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
	return writeFileCache(tx, in.location, in.stats, in.affectedFiles, keysByFile)
}

// writeFileCache records the files of an export location with their contact keys: all of
// them afresh after a full read (affected nil) or a new location, else only the affected
// ones (a file no longer in stats is forgotten).
func writeFileCache(tx *bolt.Tx, location string, stats []fileStat, affected []string, keysByFile map[string][]uint64) error {
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
	statOf := map[string]fileStat{}
	for _, st := range stats {
		statOf[st.path] = st
	}
	write := func(p string) error {
		st, ok := statOf[p]
		if !ok {
			return fb.Delete([]byte(p))
		}
		return putJSON(fb, []byte(p), fileRec{Size: st.size, Mod: st.mod, Keys: keysByFile[p]})
	}
	if affected == nil {
		for _, st := range stats {
			if err := write(st.path); err != nil {
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
