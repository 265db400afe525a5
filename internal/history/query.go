package history

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
)

// Snapshots lists every snapshot, oldest first.
func (s *Store) Snapshots() ([]Snapshot, error) {
	var out []Snapshot
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bSnaps).ForEach(func(_, v []byte) error {
			var sn Snapshot
			if err := json.Unmarshal(v, &sn); err != nil {
				return fmt.Errorf("%s: a snapshot record is damaged: %v: %w", s.path, err, ErrDamaged)
			}
			out = append(out, sn)
			return nil
		})
	})
	return out, err
}

// Latest is the newest snapshot, or nil before the first.
func (s *Store) Latest() (*Snapshot, error) {
	var sn *Snapshot
	err := s.view(func(tx *bolt.Tx) error { sn = latestSnapshot(tx); return nil })
	return sn, err
}

// Get returns one snapshot.
func (s *Store) Get(id uint64) (*Snapshot, error) {
	var sn Snapshot
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bSnaps).Get(u64(id))
		if v == nil {
			return fmt.Errorf("snapshot %d does not exist; run 'syncguard history' for the list", id)
		}
		return json.Unmarshal(v, &sn)
	})
	return &sn, err
}

// At finds the snapshot that was current at t: the newest taken at or before t.
func (s *Store) At(t time.Time) (*Snapshot, error) {
	list, err := s.Snapshots()
	if err != nil {
		return nil, err
	}
	var found *Snapshot
	for i := range list {
		if !list[i].Time.After(t) {
			found = &list[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("there is no snapshot at or before %s; the first is from %s", t.Format(time.RFC3339), firstTime(list))
	}
	return found, nil
}

func firstTime(list []Snapshot) string {
	if len(list) == 0 {
		return "(none yet)"
	}
	return list[0].Time.Format(time.RFC3339)
}

// Contacts rebuilds the address book as it was at snapshot id, in key order.
func (s *Store) Contacts(id uint64) ([]diff.Entry, error) {
	var out []diff.Entry
	err := s.view(func(tx *bolt.Tx) error {
		st, err := materializeAny(tx, id)
		if err != nil {
			return err
		}
		out, err = entries(tx, st.members, nil)
		return err
	})
	return out, err
}

// entries decodes the versions of a membership (only the keys in only, when set).
func entries(tx *bolt.Tx, m map[uint64]vid, only map[uint64]bool) ([]diff.Entry, error) {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		if only == nil || only[k] {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]diff.Entry, 0, len(keys))
	for _, k := range keys {
		c, err := getVersion(tx, m[k])
		if err != nil {
			return nil, err
		}
		out = append(out, diff.Entry{Key: keyString(k), Contact: c})
	}
	return out, nil
}

// Diff says what changed from snapshot a to snapshot b, by contact key. cc is the policy's
// country_code, by which a phone reformatted is not a change.
func (s *Store) Diff(a, b uint64, cc string) (diff.Change, error) {
	var ch diff.Change
	err := s.view(func(tx *bolt.Tx) error {
		sa, err := materializeAny(tx, a)
		if err != nil {
			return err
		}
		sb, err := materializeAny(tx, b)
		if err != nil {
			return err
		}
		ch.Before, ch.After = len(sa.members), len(sb.members)
		keys := map[uint64]bool{}
		for k := range sa.members {
			keys[k] = true
		}
		for k := range sb.members {
			keys[k] = true
		}
		sorted := make([]uint64, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		for _, k := range sorted {
			va, inA := sa.members[k]
			vb, inB := sb.members[k]
			switch {
			case inA && !inB:
				c, err := getVersion(tx, va)
				if err != nil {
					return err
				}
				ch.Removed = append(ch.Removed, diff.Entry{Key: keyString(k), Contact: c})
			case inB && !inA:
				c, err := getVersion(tx, vb)
				if err != nil {
					return err
				}
				ch.Added = append(ch.Added, diff.Entry{Key: keyString(k), Contact: c})
			case va != vb:
				ca, err := getVersion(tx, va)
				if err != nil {
					return err
				}
				cb, err := getVersion(tx, vb)
				if err != nil {
					return err
				}
				if fs := diff.Fields(ca, cb, cc); len(fs) > 0 {
					ch.Changed = append(ch.Changed, diff.Changed{Key: keyString(k), Old: ca, New: cb, Fields: fs})
				}
			}
		}
		return nil
	})
	return ch, err
}

// Version is one version of a contact over time.
type Version struct {
	Snapshot uint64            `json:"snapshot"`
	Time     time.Time         `json:"time"`
	Removed  bool              `json:"removed,omitempty"`
	Contact  *contacts.Contact `json:"contact,omitempty"`
}

// Match is a contact found by Find.
type Match struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Find looks contacts up by key, or by a part of their name or e-mail, in every snapshot's
// contacts that are still stored.
func (s *Store) Find(query string) ([]Match, error) {
	q := strings.ToLower(strings.TrimSpace(query))
	var out []Match
	err := s.view(func(tx *bolt.Tx) error {
		kh := tx.Bucket(bKeyhist)
		if k, ok := parseKey(q); ok && kh.Get(u64(k)) != nil {
			out = append(out, Match{Key: keyString(k), Name: lastName(tx, kh.Get(u64(k)))})
			return nil
		}
		return kh.ForEach(func(k, rec []byte) error {
			name := lastName(tx, rec)
			c := lastContact(tx, rec)
			hay := strings.ToLower(name)
			if c != nil {
				for _, e := range c.Emails {
					hay += " " + strings.ToLower(e.Value)
				}
			}
			if strings.Contains(hay, q) || strings.Contains(contacts.NormalizeName(hay), contacts.NormalizeName(q)) {
				out = append(out, Match{Key: keyString(binary.BigEndian.Uint64(k)), Name: name})
			}
			return nil
		})
	})
	return out, err
}

func lastContact(tx *bolt.Tx, rec []byte) *contacts.Contact {
	for i := len(rec) - 40; i >= 0; i -= 40 {
		var v vid
		copy(v[:], rec[i+8:i+24])
		if v == (vid{}) {
			continue
		}
		if c, err := getVersion(tx, v); err == nil {
			return c
		}
	}
	return nil
}

func lastName(tx *bolt.Tx, rec []byte) string {
	if c := lastContact(tx, rec); c != nil {
		return c.DisplayName()
	}
	return "(unknown)"
}

// Versions lists a contact's versions over time, oldest first.
func (s *Store) Versions(key string) ([]Version, error) {
	k, ok := parseKey(key)
	if !ok {
		return nil, fmt.Errorf("%q is not a contact key; use 'syncguard show NAME' to find one", key)
	}
	var out []Version
	err := s.view(func(tx *bolt.Tx) error {
		rec := tx.Bucket(bKeyhist).Get(u64(k))
		if rec == nil {
			return fmt.Errorf("no contact with key %s", key)
		}
		for i := 0; i+40 <= len(rec); i += 40 {
			id := binary.BigEndian.Uint64(rec[i : i+8])
			var v vid
			copy(v[:], rec[i+8:i+24])
			ver := Version{Snapshot: id}
			if sv := tx.Bucket(bSnaps).Get(u64(id)); sv != nil {
				var sn Snapshot
				if json.Unmarshal(sv, &sn) == nil {
					ver.Time = sn.Time
				}
			}
			if v == (vid{}) {
				ver.Removed = true
			} else if c, err := getVersion(tx, v); err == nil {
				ver.Contact = c
			} else {
				continue // pruned with its snapshots
			}
			out = append(out, ver)
		}
		return nil
	})
	return out, err
}

// Selection says which contacts of a point in time a restore takes.
type Selection string

// Restore selections.
const (
	SelectAll     Selection = "all"     // the whole address book as it was
	SelectRemoved Selection = "removed" // contacts the latest snapshot no longer has
	SelectChanged Selection = "changed" // the earlier versions of contacts changed since
)

// ForRestore returns the contacts of snapshot id that a restore of the given selection
// writes, compared with the latest snapshot. A contact whose stored version cannot be read
// fails it; RestoreSet writes the others and lists it.
func (s *Store) ForRestore(id uint64, sel Selection, keys []string) ([]*contacts.Contact, error) {
	set, err := s.RestoreSet(id, sel, keys)
	if err != nil {
		return nil, err
	}
	if len(set.Unreadable) > 0 {
		return nil, fmt.Errorf("%s: %d contacts of snapshot %d cannot be read (%s): %w", s.path, len(set.Unreadable), id, set.Unreadable[0].Problem, ErrDamaged)
	}
	return set.Contacts, nil
}

// Unreadable is a contact a restore could not write: its stored version is damaged.
type Unreadable struct {
	Key string `json:"key"`
	// Name is the contact's name from another version where one can be read, else "".
	Name    string `json:"name,omitempty"`
	Problem string `json:"problem"`
}

// RestoreSet is what a restore writes: every contact of the selection that can be read,
// and those that cannot.
type RestoreSet struct {
	Contacts   []*contacts.Contact
	Unreadable []Unreadable
}

// RestoreSet returns the contacts of snapshot id that a restore of the given selection
// writes, all at once (see RestoreEach, which a restore of a whole book uses instead).
func (s *Store) RestoreSet(id uint64, sel Selection, keys []string) (*RestoreSet, error) {
	out := &RestoreSet{}
	var err error
	out.Unreadable, err = s.RestoreEach(id, sel, keys, 0, func(cs []*contacts.Contact) error {
		out.Contacts = append(out.Contacts, cs...)
		return nil
	})
	return out, err
}

// RestoreChunk is how many contacts RestoreEach decodes at a time when its caller does not
// say: a restore holds one chunk as contacts (a few MB), never the book.
const RestoreChunk = 1000

// RestoreEach decodes the contacts of snapshot id that a restore of the given selection
// writes, compared with the latest snapshot and narrowed to keys when keys is not empty,
// in key order, chunk at a time (RestoreChunk when chunk <= 0), and hands each chunk to fn,
// which must not keep it: the contacts are dropped after fn returns. fn is called only
// with contacts (never with an empty chunk), all within one read of the history, so the
// chunks are one consistent point in time. A damaged history loses as little as it can: a
// contact whose version cannot be read is returned in the list of unreadable ones, not a
// reason to write none; a damaged membership record is rebuilt from the contacts' own
// histories. An error from fn stops it and is returned. fn must not call the store: it
// runs inside the store's read lock and read transaction, and a second read there waits
// for ever behind a compaction, a Close or a commit that grows the file, which wait for
// the first.
func (s *Store) RestoreEach(id uint64, sel Selection, keys []string, chunk int, fn func([]*contacts.Contact) error) ([]Unreadable, error) {
	switch sel {
	case SelectAll, SelectRemoved, SelectChanged:
	default:
		return nil, fmt.Errorf("unknown selection %q: use removed, changed or all", sel)
	}
	if chunk <= 0 {
		chunk = RestoreChunk
	}
	var unreadable []Unreadable
	err := s.view(func(tx *bolt.Tx) error {
		at, err := materializeAny(tx, id)
		if err != nil {
			return err
		}
		var latest *state
		if sel != SelectAll {
			if latest, err = materializeAny(tx, latestID(tx)); err != nil {
				return err
			}
		}
		var only map[uint64]bool
		if len(keys) > 0 {
			only = map[uint64]bool{}
			for _, k := range keys {
				if n, ok := parseKey(k); ok {
					only[n] = true
				}
			}
		}
		pick := make([]uint64, 0, len(at.members))
		for k, v := range at.members {
			if only != nil && !only[k] {
				continue
			}
			switch sel {
			case SelectAll:
				pick = append(pick, k)
			case SelectRemoved:
				if _, in := latest.members[k]; !in {
					pick = append(pick, k)
				}
			case SelectChanged:
				if lv, in := latest.members[k]; in && lv != v {
					pick = append(pick, k)
				}
			}
		}
		latest = nil
		sort.Slice(pick, func(i, j int) bool { return pick[i] < pick[j] })
		cs := make([]*contacts.Contact, 0, min(chunk, len(pick)))
		hand := func() error {
			if len(cs) == 0 {
				return nil
			}
			err := fn(cs)
			clear(cs) // the contacts are garbage from here on
			cs = cs[:0]
			return err
		}
		for _, k := range pick {
			c, err := readVersion(tx, at.members[k])
			if err != nil {
				unreadable = append(unreadable, Unreadable{Key: keyString(k), Name: nameElsewhere(tx, k), Problem: err.Error()})
				continue
			}
			if cs = append(cs, c); len(cs) >= chunk {
				if err := hand(); err != nil {
					return err
				}
			}
		}
		return hand()
	})
	return unreadable, err
}

// readVersion is getVersion that also survives a damaged page under the one record (the
// panic is recovered here, so that the other contacts are still read).
func readVersion(tx *bolt.Tx, v vid) (c *contacts.Contact, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("version %x: %w (%v)", v[:4], ErrDamaged, r)
		}
	}()
	return getVersion(tx, v)
}

// nameElsewhere is a contact's name from any version of it that can be read.
func nameElsewhere(tx *bolt.Tx, k uint64) (name string) {
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	rec := tx.Bucket(bKeyhist).Get(u64(k))
	for i := len(rec) - 40; i >= 0; i -= 40 {
		var v vid
		copy(v[:], rec[i+8:i+24])
		if v == (vid{}) {
			continue
		}
		if c, err := getVersion(tx, v); err == nil {
			return c.DisplayName()
		}
	}
	return ""
}

// materializeAny is materialize, falling back on the contacts' own histories (keyhist)
// when a membership record on the way is damaged or missing: each key's last entry at or
// before the snapshot says which version it had, or that it was absent.
func materializeAny(tx *bolt.Tx, id uint64) (*state, error) {
	st, err := func() (st *state, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("snapshot %d: %w (%v)", id, ErrDamaged, r)
			}
		}()
		return materialize(tx, id)
	}()
	if err == nil {
		return st, nil
	}
	if tx.Bucket(bSnaps).Get(u64(id)) == nil {
		return nil, err
	}
	m := map[uint64]vid{}
	if kerr := tx.Bucket(bKeyhist).ForEach(func(k, rec []byte) error {
		if last, found := versionAt(rec, id); found && last != (vid{}) {
			m[binary.BigEndian.Uint64(k)] = last
		}
		return nil
	}); kerr != nil {
		return nil, err
	}
	return &state{id: id, members: m}, nil
}

// versionAt reads a contact's key-history record (40-byte entries: the snapshot id, the
// version, its fingerprint) and gives the version it had at snapshot id; found is false
// when the record starts after id. The doctor and the membership rebuild read it alike.
func versionAt(rec []byte, id uint64) (last vid, found bool) {
	for i := 0; i+40 <= len(rec); i += 40 {
		if binary.BigEndian.Uint64(rec[i:i+8]) > id {
			break
		}
		copy(last[:], rec[i+8:i+24])
		found = true
	}
	return last, found
}
