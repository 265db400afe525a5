package history

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The doctor checks a history and, when it is damaged, salvages every snapshot and
// contact version that can still be read into a new history, filling what the damaged
// file lost from the rolling backups (see Backup) where they have it. The damaged file is
// kept aside, never deleted.

// DoctorReport is what the doctor found and did.
type DoctorReport struct {
	Path string `json:"path"`
	// Damage says what is damaged, one line each; empty when the history is whole.
	Damage []string `json:"damage"`
	// Salvaged: a new history was written; DamagedKept is where the damaged file went.
	Salvaged    bool   `json:"salvaged"`
	DamagedKept string `json:"damaged_kept,omitempty"`
	// Snapshots is how many the damaged file listed (as far as it can be read);
	// SnapshotsSaved how many the new history has, FromBackup how many of those came
	// from a backup only.
	Snapshots      int `json:"snapshots"`
	SnapshotsSaved int `json:"snapshots_saved"`
	FromBackup     int `json:"snapshots_from_backup"`
	// VersionsSaved is how many contact versions the new history holds; ContactsLost
	// how many contacts of saved snapshots had a version no source could give (they
	// are left out of those snapshots).
	VersionsSaved int      `json:"versions_saved"`
	ContactsLost  int      `json:"contacts_lost"`
	BackupsUsed   []string `json:"backups_used,omitempty"`
}

// Diagnose checks the history in dir without changing it. A whole history has no Damage.
func Diagnose(dir string) (*DoctorReport, error) {
	lock, err := acquireLock(dir, time.Second)
	if err != nil {
		return nil, lockError(dir, err)
	}
	defer lock.release()
	rep := &DoctorReport{Path: filepath.Join(dir, FileName)}
	sv := newSalvage()
	sv.read(rep.Path, true)
	rep.Damage = sv.damage
	rep.Snapshots = len(sv.snaps)
	return rep, nil
}

// Salvage rebuilds a damaged history in dir: every readable snapshot and version of the
// damaged file, completed from the backups, goes into a new history file; the damaged one
// is renamed to history.damaged-TIME.db beside it. A whole history is left as it is.
func Salvage(dir string, now time.Time) (*DoctorReport, error) {
	lock, err := acquireLock(dir, time.Second)
	if err != nil {
		return nil, lockError(dir, err)
	}
	defer lock.release()
	path := filepath.Join(dir, FileName)
	rep := &DoctorReport{Path: path}
	sv := newSalvage()
	sv.read(path, true)
	rep.Damage = sv.damage
	rep.Snapshots = len(sv.snaps)
	if len(sv.damage) == 0 {
		return rep, nil
	}
	main := map[uint64]bool{}
	for id := range sv.snaps {
		main[id] = true
	}
	for _, b := range listBackups(dir) {
		if sv.fill(b) {
			rep.BackupsUsed = append(rep.BackupsUsed, b)
		}
	}
	tmp := path + ".salvage"
	os.Remove(tmp)
	saved, versions, lost, err := sv.write(tmp)
	if err != nil {
		os.Remove(tmp)
		return rep, fmt.Errorf("%s: writing the salvaged history: %v", tmp, err)
	}
	for _, id := range saved {
		if !main[id] {
			rep.FromBackup++
		}
	}
	rep.SnapshotsSaved, rep.VersionsSaved, rep.ContactsLost = len(saved), versions, lost
	kept := filepath.Join(dir, "history.damaged-"+now.Format("20060102-150405")+".db")
	if _, err := os.Stat(path); err == nil {
		if err := os.Rename(path, kept); err != nil {
			os.Remove(tmp)
			return rep, fmt.Errorf("%s: cannot move the damaged history aside: %v", path, err)
		}
		rep.DamagedKept = kept
	}
	if err := os.Rename(tmp, path); err != nil {
		return rep, fmt.Errorf("%s: cannot put the salvaged history in place: %v (it is %s)", path, err, tmp)
	}
	rep.Salvaged = true
	return rep, nil
}

func lockError(dir string, err error) error {
	if errors.Is(err, errLockTimeout) {
		return fmt.Errorf("%w (it holds %s); close the other SyncGuard first", ErrAlreadyRunning, filepath.Join(dir, FileName))
	}
	return err
}

// salvage collects what can be read from a damaged history and its backups.
type salvage struct {
	damage   []string
	snaps    map[uint64][]byte
	members  map[uint64]map[uint64]vid // snapshot -> membership
	versions map[vid][]byte
	findings map[string][]byte
	events   map[uint64][]byte
	seqs     map[string]uint64 // meta counters
	schema   []byte
	// needed versions not found yet, with a way to ask a later source for them.
}

func newSalvage() *salvage {
	return &salvage{snaps: map[uint64][]byte{}, members: map[uint64]map[uint64]vid{}, versions: map[vid][]byte{},
		findings: map[string][]byte{}, events: map[uint64][]byte{}, seqs: map[string]uint64{}}
}

func (sv *salvage) note(format string, a ...any) {
	sv.damage = append(sv.damage, fmt.Sprintf(format, a...))
}

// openReadOnly opens a history file for reading only; damage met on opening is an error.
func openReadOnly(path string) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
}

// read takes everything readable from the history file at path. primary: it is the
// history itself, whose damage is reported.
func (sv *salvage) read(path string, primary bool) {
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		if primary {
			sv.note("the history file is missing or empty")
		}
		return
	}
	db, err := openReadOnly(path)
	if err != nil {
		if primary {
			sv.note("the history file does not open: %v", err)
		}
		return
	}
	defer db.Close()
	note := func(format string, a ...any) {
		if primary {
			sv.note(format, a...)
		}
	}
	err = func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		return db.View(func(tx *bolt.Tx) error {
			raw := map[string]map[string][]byte{}
			damaged := map[string]bool{}
			for _, name := range allBuckets {
				kv, problem := readBucket(tx, name)
				raw[string(name)] = kv
				if problem != "" {
					damaged[string(name)] = true
					note("the %s records are damaged: %s", bucketWords[string(name)], problem)
				}
			}
			sv.take(raw, damaged, note)
			return nil
		})
	}()
	if err != nil {
		note("the history cannot be read: %v", err)
	}
}

var bucketWords = map[string]string{"meta": "counter", "snaps": "snapshot", "members": "membership",
	"versions": "contact version", "keyhist": "contact history", "files": "export file", "findings": "finding", "events": "timeline"}

// readBucket copies every key and value of a bucket that can be read: forwards until a
// damaged page stops the walk, then backwards from the end to the same place.
func readBucket(tx *bolt.Tx, name []byte) (map[string][]byte, string) {
	kv := map[string][]byte{}
	problem := ""
	walk := func(forward bool) (done bool) {
		defer func() {
			if r := recover(); r != nil {
				problem = fmt.Sprint(r)
				done = false
			}
		}()
		b := tx.Bucket(name)
		if b == nil {
			problem = "the bucket is missing"
			return true
		}
		c := b.Cursor()
		k, v := c.First()
		if !forward {
			k, v = c.Last()
		}
		for ; k != nil; k, v = stepCursor(c, forward) {
			if _, seen := kv[string(k)]; seen && !forward {
				return true
			}
			if v != nil {
				kv[string(k)] = append([]byte(nil), v...)
			}
		}
		return true
	}
	if !walk(true) {
		walk(false)
	}
	return kv, problem
}

func stepCursor(c *bolt.Cursor, forward bool) ([]byte, []byte) {
	if forward {
		return c.Next()
	}
	return c.Prev()
}

// take adds the records of one source that the salvage has not got yet.
func (sv *salvage) take(raw map[string]map[string][]byte, damagedBuckets map[string]bool, note func(string, ...any)) {
	for k, v := range raw["meta"] {
		switch {
		case k == "schema":
			if sv.schema == nil {
				sv.schema = v
			}
		case len(v) == 8:
			sv.seqs[k] = max(sv.seqs[k], binary.BigEndian.Uint64(v))
		}
	}
	for k, v := range raw["versions"] {
		var id vid
		if len(k) != len(id) || len(v) < 16 {
			continue
		}
		copy(id[:], k)
		if _, ok := sv.versions[id]; ok {
			continue
		}
		if _, err := decodeContact(v[16:]); err != nil {
			note("contact version %x is damaged: %v", id[:4], err)
			continue
		}
		sv.versions[id] = v
	}
	for k, v := range raw["findings"] {
		if _, ok := sv.findings[k]; !ok && json.Valid(v) {
			sv.findings[k] = v
		}
	}
	for k, v := range raw["events"] {
		if len(k) == 8 && json.Valid(v) {
			if _, ok := sv.events[binary.BigEndian.Uint64([]byte(k))]; !ok {
				sv.events[binary.BigEndian.Uint64([]byte(k))] = v
			}
		}
	}
	// Snapshots: their record, and their membership from the membership records, else
	// from the contacts' own histories.
	recs := map[uint64][]byte{}
	for k, v := range raw["members"] {
		if len(k) == 8 {
			recs[binary.BigEndian.Uint64([]byte(k))] = v
		}
	}
	var ids []uint64
	for k, v := range raw["snaps"] {
		if len(k) != 8 {
			continue
		}
		id := binary.BigEndian.Uint64([]byte(k))
		var sn Snapshot
		if json.Unmarshal(v, &sn) != nil {
			note("snapshot %d's record is damaged", id)
			continue
		}
		if _, ok := sv.snaps[id]; ok {
			continue
		}
		ids = append(ids, id)
		sv.snaps[id] = v
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	_, khDamaged := damagedBuckets["keyhist"]
	for _, id := range ids {
		// Two records say who was in a snapshot: the membership records and the contacts'
		// own histories. A damaged page inside a long membership record (bbolt checks only
		// the first page of a value) can shift its keys; so where the two disagree, the
		// histories win, unless they are damaged themselves.
		m, err := membersFrom(recs, id)
		fromKh := membersFromKeyhist(raw["keyhist"], id)
		switch {
		case err != nil:
			m = fromKh
			note("snapshot %d's membership is damaged (%v); it was rebuilt from the contacts' histories", id, err)
		case !khDamaged && !sameMembers(m, fromKh):
			m = fromKh
			note("snapshot %d's membership record disagrees with the contacts' histories; it was rebuilt from them", id)
		}
		sv.members[id] = m
		missing := 0
		for _, v := range m {
			if _, ok := sv.versions[v]; !ok {
				missing++
			}
		}
		if missing > 0 {
			note("snapshot %d: %d of its %d contacts have no readable version", id, missing, len(m))
		}
	}
}

// membersFrom replays the membership records up to id: back to the nearest full one.
func membersFrom(recs map[uint64][]byte, id uint64) (map[uint64]vid, error) {
	var ids []uint64
	for k := range recs {
		if k <= id {
			ids = append(ids, k)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] > ids[j] })
	if len(ids) == 0 || ids[0] != id {
		return nil, errors.New("its membership record is missing")
	}
	var chain [][]byte
	for _, k := range ids {
		chain = append(chain, recs[k])
		if r := recs[k]; len(r) > 0 && r[0] == 'F' {
			break
		}
	}
	var m map[uint64]vid
	var err error
	for i := len(chain) - 1; i >= 0; i-- {
		if m, err = apply(m, chain[i]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func membersFromKeyhist(kh map[string][]byte, id uint64) map[uint64]vid {
	m := map[uint64]vid{}
	for k, rec := range kh {
		if len(k) != 8 {
			continue
		}
		if last, found := versionAt(rec, id); found && last != (vid{}) {
			m[binary.BigEndian.Uint64([]byte(k))] = last
		}
	}
	return m
}

// fill takes from a backup what the salvage lacks: snapshots it does not have, and
// versions its snapshots need. It reports whether the backup gave anything.
func (sv *salvage) fill(backup string) bool {
	before := len(sv.snaps) + len(sv.versions)
	sv.read(backup, false)
	return len(sv.snaps)+len(sv.versions) > before
}

// write writes the salvaged history to path: snapshots in order with full and delta
// memberships, the versions they need, key histories rebuilt from the memberships,
// findings, the timeline and the counters. It returns the snapshots written, the versions
// and the contacts left out for want of a readable version.
func (sv *salvage) write(path string) (saved []uint64, versions, lost int, err error) {
	for id := range sv.snaps {
		saved = append(saved, id)
	}
	sort.Slice(saved, func(i, j int) bool { return saved[i] < saved[j] })
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return nil, 0, 0, err
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		schema := sv.schema
		if schema == nil {
			schema = []byte(strconv.Itoa(SchemaVersion))
		}
		if err := meta.Put([]byte("schema"), schema); err != nil {
			return err
		}
		var maxKey, maxSnap, maxEvent uint64
		needed := map[vid]bool{}
		kh := map[uint64][]byte{}
		lastOf := map[uint64]vid{}
		var prev map[uint64]vid
		sinceFull := 0
		for _, id := range saved {
			m := map[uint64]vid{}
			for k, v := range sv.members[id] {
				if _, ok := sv.versions[v]; !ok {
					lost++
					continue
				}
				m[k] = v
				needed[v] = true
				maxKey = max(maxKey, k)
			}
			maxSnap = max(maxSnap, id)
			var rec []byte
			if prev == nil || sinceFull >= checkpointEvery-1 {
				rec, sinceFull = encodeFull(m), 0
			} else {
				rec = encodeDelta(prev, m)
				sinceFull++
			}
			if err := tx.Bucket(bMembers).Put(u64(id), rec); err != nil {
				return err
			}
			if err := tx.Bucket(bSnaps).Put(u64(id), sv.snaps[id]); err != nil {
				return err
			}
			// Key histories: an entry where a contact's version changed, or it went.
			for k, v := range m {
				if old, ok := lastOf[k]; !ok || old != v {
					kh[k] = appendEntry(kh[k], id, v, sv.versions[v][:16])
					lastOf[k] = v
				}
			}
			for k, old := range lastOf {
				if _, ok := m[k]; !ok && old != (vid{}) {
					kh[k] = appendEntry(kh[k], id, vid{}, make([]byte, 16))
					lastOf[k] = vid{}
				}
			}
			prev = m
		}
		var vids []vid
		for v := range needed {
			vids = append(vids, v)
		}
		sort.Slice(vids, func(i, j int) bool { return string(vids[i][:]) < string(vids[j][:]) })
		for _, v := range vids {
			if err := tx.Bucket(bVersions).Put(v[:], sv.versions[v]); err != nil {
				return err
			}
		}
		versions = len(vids)
		var keys []uint64
		for k := range kh {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		for _, k := range keys {
			if err := tx.Bucket(bKeyhist).Put(u64(k), kh[k]); err != nil {
				return err
			}
		}
		for k, v := range sv.findings {
			if err := tx.Bucket(bFindings).Put([]byte(k), v); err != nil {
				return err
			}
		}
		for seq, v := range sv.events {
			maxEvent = max(maxEvent, seq)
			if err := tx.Bucket(bEvents).Put(u64(seq), v); err != nil {
				return err
			}
		}
		for name, floor := range map[string]uint64{"snapshot": maxSnap, "contactKey": maxKey, "event": maxEvent} {
			if err := meta.Put([]byte(name), u64(max(sv.seqs[name], floor))); err != nil {
				return err
			}
		}
		return addEvent(tx, Event{Time: time.Now(), Kind: EventSalvaged, Message: fmt.Sprintf(
			"the history was damaged and salvaged: %d snapshots and %d contact versions kept, %d contacts of them unreadable (%s)",
			len(saved), versions, lost, strings.Join(sv.damage, "; "))})
	})
	return saved, versions, lost, err
}

func appendEntry(rec []byte, id uint64, v vid, fp []byte) []byte {
	rec = append(rec, u64(id)...)
	rec = append(rec, v[:]...)
	return append(rec, fp[:16]...)
}
