package history

import (
	"fmt"
	"os"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention says which snapshots to keep (the policy's [retention], converted by the
// caller: history.Retention(p.Retention)).
type Retention struct {
	KeepAllDays int  // every snapshot this many days
	DailyDays   int  // then one a day until this many days
	Weekly      bool // then one a week (false: drop older ones)
}

// keep decides which snapshots retention keeps: every one younger than KeepAllDays, then
// the last of each day until DailyDays, then the last of each ISO week (when Weekly). The
// newest snapshot is always kept.
func keep(list []Snapshot, r Retention, now time.Time) map[uint64]bool {
	kept := map[uint64]bool{}
	if len(list) == 0 {
		return kept
	}
	kept[list[len(list)-1].ID] = true
	lastOfDay := map[string]uint64{}
	lastOfWeek := map[string]uint64{}
	for _, s := range list {
		age := now.Sub(s.Time)
		switch {
		case age < time.Duration(r.KeepAllDays)*24*time.Hour:
			kept[s.ID] = true
		case r.DailyDays > 0 && age < time.Duration(r.DailyDays)*24*time.Hour:
			lastOfDay[s.Time.Format("2006-01-02")] = s.ID // list is oldest first: the last wins
		case r.Weekly:
			y, w := s.Time.ISOWeek()
			lastOfWeek[fmt.Sprintf("%d-%02d", y, w)] = s.ID
		}
	}
	for _, id := range lastOfDay {
		kept[id] = true
	}
	for _, id := range lastOfWeek {
		kept[id] = true
	}
	return kept
}

// Prune applies the retention policy. Dropped snapshots' memberships are folded into the
// next kept one, and a version is deleted only when no kept snapshot needs it. It returns
// how many snapshots and versions went.
func (s *Store) Prune(r Retention, now time.Time) (snaps, versions int, err error) {
	list, err := s.Snapshots()
	if err != nil {
		return 0, 0, err
	}
	kept := keep(list, r, now)
	if len(kept) == len(list) {
		return 0, 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err = s.update(func(tx *bolt.Tx) error {
		mb := tx.Bucket(bMembers)
		sb := tx.Bucket(bSnaps)
		var cur map[uint64]vid      // the state replayed so far, in the old encoding
		var lastKept map[uint64]vid // the last kept state, for the new encoding
		sinceFull := 0
		needed := map[vid]bool{}
		type rewrite struct {
			id  uint64
			rec []byte
		}
		var rewrites []rewrite
		for _, sn := range list {
			rec := mb.Get(u64(sn.ID))
			var err error
			if cur, err = apply(cloneMembers(cur), rec); err != nil {
				return fmt.Errorf("snapshot %d: %w", sn.ID, err)
			}
			if !kept[sn.ID] {
				rewrites = append(rewrites, rewrite{id: sn.ID})
				snaps++
				continue
			}
			for _, v := range cur {
				needed[v] = true
			}
			var nrec []byte
			if lastKept == nil || sinceFull >= checkpointEvery-1 {
				nrec, sinceFull = encodeFull(cur), 0
			} else {
				nrec = encodeDelta(lastKept, cur)
				sinceFull++
			}
			rewrites = append(rewrites, rewrite{id: sn.ID, rec: nrec})
			lastKept = cloneMembers(cur)
		}
		for _, rw := range rewrites {
			if rw.rec == nil {
				if err := mb.Delete(u64(rw.id)); err != nil {
					return err
				}
				if err := sb.Delete(u64(rw.id)); err != nil {
					return err
				}
				continue
			}
			if err := mb.Put(u64(rw.id), rw.rec); err != nil {
				return err
			}
		}
		vb := tx.Bucket(bVersions)
		var drop [][]byte
		vb.ForEach(func(k, _ []byte) error {
			var v vid
			copy(v[:], k)
			if !needed[v] {
				drop = append(drop, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range drop {
			if err := vb.Delete(k); err != nil {
				return err
			}
		}
		versions = len(drop)
		return addEvent(tx, Event{Time: now, Kind: EventPruned, Message: fmt.Sprintf("retention removed %d snapshots and %d contact versions no kept snapshot needs", snaps, versions)})
	})
	s.cache = nil
	return snaps, versions, err
}

func cloneMembers(m map[uint64]vid) map[uint64]vid {
	if m == nil {
		return nil
	}
	out := make(map[uint64]vid, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// compactMinSize is the smallest file worth compacting: below it the waste is too small
// to matter.
var compactMinSize int64 = 8 << 20

// CompactIfWasteful rewrites the database into a fresh, densely packed file when less
// than 60 % of it holds data: free pages after pruning, and pages that random inserts left
// half full (bbolt splits pages at half; its Compact packs them full). It then reopens
// the database. It never runs during a snapshot.
func (s *Store) CompactIfWasteful() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var used, total int64
	err := s.view(func(tx *bolt.Tx) error {
		total = tx.Size()
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			st := b.Stats()
			used += int64(st.BranchInuse + st.LeafInuse + st.InlineBucketInuse)
			return nil
		})
	})
	if err != nil {
		return false, err
	}
	if total < compactMinSize || used*10 >= total*6 {
		return false, nil
	}
	if err := s.compact(); err != nil {
		return false, err
	}
	return true, nil
}

// renameFile is os.Rename; a variable so that tests can make it fail.
var renameFile = os.Rename

// compact replaces the database file by a compacted copy. Other processes wait on the
// lock file (LockName), which this one holds throughout, so none of them can open the old
// file once it is replaced. Readers in this process wait on dbmu. Whatever fails, the
// history stays open and whole: the original file is kept under a second name (a hard
// link) until the compacted one has opened, and put back if it does not.
func (s *Store) compact() error {
	s.dbmu.Lock()
	defer s.dbmu.Unlock()
	tmp := s.path + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, NoSync: s.opt.NoSync})
	if err != nil {
		return fmt.Errorf("compacting the history: %v", err)
	}
	cerr := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = damagedError(s.path, r)
			}
		}()
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		return bolt.Compact(dst, s.db, 64<<20)
	}()
	if err := dst.Close(); cerr == nil {
		cerr = err
	}
	if cerr != nil {
		os.Remove(tmp)
		return fmt.Errorf("compacting the history: %w; it was left as it was", cerr)
	}
	orig := s.path + ".precompact"
	os.Remove(orig)
	kept := os.Link(s.path, orig) == nil
	if err := s.db.Close(); err != nil {
		os.Remove(tmp)
		os.Remove(orig)
		return s.reopen(err)
	}
	if err := renameFile(tmp, s.path); err != nil {
		os.Remove(tmp)
		os.Remove(orig)
		return s.reopen(err)
	}
	db, err := openBolt(s.path, s.opt)
	if err != nil {
		if kept {
			if rerr := renameFile(orig, s.path); rerr != nil {
				return fmt.Errorf("compacting the history: the compacted file does not open (%v) and the original could not be put back (%v); it is %s", err, rerr, orig)
			}
		}
		return s.reopen(err)
	}
	os.Remove(orig)
	s.db = db
	s.cache = nil
	return nil
}

// reopen opens the history file again after a compaction failed part-way (the caller
// holds dbmu), so that the store keeps working.
func (s *Store) reopen(cause error) error {
	os.Remove(s.path + ".compact")
	db, err := openBolt(s.path, s.opt)
	if err != nil {
		return fmt.Errorf("compacting the history failed (%v), and the history does not open again: %v", cause, err)
	}
	s.db = db
	s.cache = nil
	return fmt.Errorf("compacting the history failed, so it was left as it was: %v", cause)
}

// Maintain runs after a snapshot: the day's backup (BackupIfDue), retention, then compaction when the file is wasteful,
// checked after pruning and on every 30th snapshot (the check walks every bucket). The
// snapshot is recorded either way; an error says what maintenance could not do.
func (s *Store) Maintain(r Retention, now time.Time) error {
	last, err := s.Latest()
	if err != nil {
		return err
	}
	// Not after the very first snapshot: the export itself is its copy, and the first
	// snapshot of a large book is the one whose time matters most.
	if last != nil && last.ID > 1 {
		if _, err := s.BackupIfDue(now); err != nil {
			return err
		}
	}
	n, _, err := s.Prune(r, now)
	if err != nil {
		return fmt.Errorf("applying the retention policy: %w", err)
	}
	// Retention always keeps the newest snapshot: last is still the latest.
	if n > 0 || (last != nil && last.ID%checkpointEvery == 0) {
		if _, err := s.CompactIfWasteful(); err != nil {
			return err
		}
	}
	return nil
}
