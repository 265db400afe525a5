package history

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
)

// vid identifies a stored version of a contact by its content.
type vid [16]byte

// state is the membership of one snapshot: which version each contact key had.
type state struct {
	id      uint64
	members map[uint64]vid
}

func (st *state) clone() *state {
	m := make(map[uint64]vid, len(st.members))
	for k, v := range st.members {
		m[k] = v
	}
	return &state{id: st.id, members: m}
}

// checkpointEvery bounds the chain of deltas that rebuilding a point in time must replay.
const checkpointEvery = 30

// versionID is the content address of a contact: its fingerprint, plus the properties the
// fingerprint leaves out (photos, X- properties), so that those are kept too. cc is the
// policy's country_code, under which the fingerprint is taken when not given.
func versionID(c *contacts.Contact, fingerprint, cc string) (vid, [16]byte) {
	if fingerprint == "" {
		fingerprint = c.Fingerprint(cc)
	}
	var fp [16]byte
	hex.Decode(fp[:], []byte(fingerprint))
	if len(c.Other) == 0 {
		var v vid
		copy(v[:], fp[:])
		return v, fp
	}
	h := sha256.New()
	h.Write(fp[:])
	for _, f := range c.Other {
		h.Write([]byte(f.Name))
		h.Write([]byte{0})
		h.Write([]byte(f.Value))
		h.Write([]byte{1})
	}
	var v vid
	copy(v[:], h.Sum(nil))
	return v, fp
}

// encodeFull writes a whole membership, keys ascending, as key deltas and version ids.
func encodeFull(m map[uint64]vid) []byte {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	buf := make([]byte, 1, 1+len(keys)*20)
	buf[0] = 'F'
	buf = binary.AppendUvarint(buf, uint64(len(keys)))
	var prev uint64
	for _, k := range keys {
		buf = binary.AppendUvarint(buf, k-prev)
		prev = k
		v := m[k]
		buf = append(buf, v[:]...)
	}
	return buf
}

// encodeDelta writes what changed from prev to cur: set entries and removed keys.
func encodeDelta(prev, cur map[uint64]vid) []byte {
	var set []uint64
	var removed []uint64
	for k, v := range cur {
		if pv, ok := prev[k]; !ok || pv != v {
			set = append(set, k)
		}
	}
	for k := range prev {
		if _, ok := cur[k]; !ok {
			removed = append(removed, k)
		}
	}
	sort.Slice(set, func(i, j int) bool { return set[i] < set[j] })
	sort.Slice(removed, func(i, j int) bool { return removed[i] < removed[j] })
	buf := []byte{'D'}
	buf = binary.AppendUvarint(buf, uint64(len(set)))
	var p uint64
	for _, k := range set {
		buf = binary.AppendUvarint(buf, k-p)
		p = k
		v := cur[k]
		buf = append(buf, v[:]...)
	}
	buf = binary.AppendUvarint(buf, uint64(len(removed)))
	p = 0
	for _, k := range removed {
		buf = binary.AppendUvarint(buf, k-p)
		p = k
	}
	return buf
}

var errCorrupt = errors.New("a snapshot's membership record is damaged")

// apply decodes a membership record onto m (a full record replaces it).
func apply(m map[uint64]vid, rec []byte) (map[uint64]vid, error) {
	if len(rec) == 0 {
		return nil, errCorrupt
	}
	r := rec[1:]
	readU := func() (uint64, bool) {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			return 0, false
		}
		r = r[n:]
		return v, true
	}
	readPairs := func(into map[uint64]vid) bool {
		n, ok := readU()
		if !ok || n > uint64(len(r)) {
			return false
		}
		var k uint64
		for i := uint64(0); i < n; i++ {
			d, ok := readU()
			if !ok || len(r) < 16 {
				return false
			}
			k += d
			var v vid
			copy(v[:], r[:16])
			r = r[16:]
			into[k] = v
		}
		return true
	}
	switch rec[0] {
	case 'F':
		out := map[uint64]vid{}
		if !readPairs(out) {
			return nil, errCorrupt
		}
		return out, nil
	case 'D':
		if m == nil {
			return nil, errCorrupt
		}
		if !readPairs(m) {
			return nil, errCorrupt
		}
		n, ok := readU()
		if !ok {
			return nil, errCorrupt
		}
		var k uint64
		for i := uint64(0); i < n; i++ {
			d, ok := readU()
			if !ok {
				return nil, errCorrupt
			}
			k += d
			delete(m, k)
		}
		return m, nil
	}
	return nil, errCorrupt
}

// materialize rebuilds the membership of snapshot id: back to the nearest full record,
// then forward through the deltas.
func materialize(tx *bolt.Tx, id uint64) (*state, error) {
	mb := tx.Bucket(bMembers)
	c := mb.Cursor()
	k, v := c.Seek(u64(id))
	if k == nil || binary.BigEndian.Uint64(k) != id {
		return nil, fmt.Errorf("snapshot %d does not exist; run 'syncguard history' for the list", id)
	}
	var chain [][]byte
	for ; k != nil; k, v = c.Prev() {
		chain = append(chain, v)
		if len(v) > 0 && v[0] == 'F' {
			break
		}
	}
	var m map[uint64]vid
	var err error
	for i := len(chain) - 1; i >= 0; i-- {
		if m, err = apply(m, chain[i]); err != nil {
			return nil, fmt.Errorf("snapshot %d: %w", id, err)
		}
	}
	return &state{id: id, members: m}, nil
}

// latestID is the newest snapshot's id, or 0.
func latestID(tx *bolt.Tx) uint64 {
	k, _ := tx.Bucket(bSnaps).Cursor().Last()
	if k == nil {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}

// chainLength counts the deltas since the last full record, up to and including id.
func chainLength(tx *bolt.Tx, id uint64) int {
	c := tx.Bucket(bMembers).Cursor()
	n := 0
	for k, v := c.Seek(u64(id)); k != nil; k, v = c.Prev() {
		if len(v) > 0 && v[0] == 'F' {
			return n
		}
		n++
	}
	return n
}

// storedVersion is a version's record: its fingerprint and the contact.
func getVersion(tx *bolt.Tx, v vid) (*contacts.Contact, error) {
	rec := tx.Bucket(bVersions).Get(v[:])
	if len(rec) < 16 {
		return nil, fmt.Errorf("version %x is missing from the history", v[:4])
	}
	c, err := decodeContact(rec[16:])
	if err != nil {
		return nil, fmt.Errorf("version %x is damaged: %v", v[:4], err)
	}
	return c, nil
}

func putVersion(tx *bolt.Tx, v vid, fp [16]byte, c *contacts.Contact) error {
	b := tx.Bucket(bVersions)
	if b.Get(v[:]) != nil {
		return nil // stored once by content
	}
	rec, err := versionRecord(c, fp)
	if err != nil {
		return err
	}
	return b.Put(v[:], rec)
}

// versionRecord is a version as stored: its fingerprint, then the encoded contact.
func versionRecord(c *contacts.Contact, fp [16]byte) ([]byte, error) {
	data, err := encodeContact(c)
	if err != nil {
		return nil, err
	}
	rec := make([]byte, 0, 16+len(data))
	rec = append(rec, fp[:]...)
	return append(rec, data...), nil
}

func keyString(k uint64) string { return fmt.Sprint(k) }

func parseKey(s string) (uint64, bool) {
	var k uint64
	_, err := fmt.Sscan(s, &k)
	return k, err == nil
}
