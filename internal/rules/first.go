package rules

import (
	"sort"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// First judges a first snapshot from its contacts given one at a time: a large export
// streamed into the history, which never holds every contact at once. A first snapshot
// adds every contact and changes or removes none, so of the rules only duplicates can find
// anything. First keeps of each contact that has a name and an e-mail or phone only its
// key and hashes of its identity name and of its e-mails and phones (about 60 bytes); the
// few contacts the hashes pair up are read back (Findings' contact) and compared in full,
// so a hash that collides cannot make a finding. Its findings are Judge's for the same
// book taken whole (a test in app compares them).
type First struct {
	policy *policy.Policy
	keys   []string // the entries' keys, in the order of the book
	names  []uint64 // the hash of each entry's identity name
	start  []int32  // each entry's first point in pts (the next entry's start ends it)
	pts    []uint64 // hashes of the entries' e-mails and phones (contactPoints), entry by entry
}

// NewFirst starts judging a first snapshot under a policy (nil: the defaults).
func NewFirst(p *policy.Policy) *First {
	if p == nil {
		p = policy.Default()
	}
	return &First{policy: p}
}

// Add takes the next contact of the book, with its key and fingerprint.
func (f *First) Add(key, fingerprint string, c *contacts.Contact) {
	pts := contactPoints(c, f.policy.Export.CountryCode)
	if len(pts) == 0 {
		return // no e-mail or phone: neither a copy nor copied, by this rule
	}
	name := contacts.IdentityName(c)
	if name == "" {
		return // the rule compares names; a contact without one matches none
	}
	f.keys = append(f.keys, key)
	f.names = append(f.names, hashString(name))
	f.start = append(f.start, int32(len(f.pts)))
	for _, p := range pts {
		f.pts = append(f.pts, hashString(p))
	}
}

// Findings are the findings of the whole first snapshot, recorded as snapshotID. contact
// reads back a contact the snapshot recorded, by key (nil when it cannot).
func (f *First) Findings(snapshotID uint64, contact func(key string) *contacts.Contact) []findings.Finding {
	n := len(f.keys)
	if n < 2 {
		return nil
	}
	owner := make([]int32, len(f.pts))
	for i := 0; i < n; i++ {
		for o := f.start[i]; o < f.end(i); o++ {
			owner[o] = int32(i)
		}
	}
	// The points, grouped by hash, each group in the order of the book.
	occ := make([]int32, len(f.pts))
	for o := range occ {
		occ[o] = int32(o)
	}
	sort.Slice(occ, func(a, b int) bool {
		ha, hb := f.pts[occ[a]], f.pts[occ[b]]
		if ha != hb {
			return ha < hb
		}
		return owner[occ[a]] < owner[occ[b]]
	})
	// The rule (duplicates): a contact copies the first one before it in the book that
	// shares an e-mail or phone and has the same name. By hash, that is for each contact
	// the first earlier one in any of its points' groups with the same name hash.
	cand := make([]int32, n)
	for i := range cand {
		cand[i] = -1
	}
	for g := 0; g < len(occ); {
		h := f.pts[occ[g]]
		e := g + 1
		for e < len(occ) && f.pts[occ[e]] == h {
			e++
		}
		if e-g > 1 {
			first := map[uint64]int32{} // name hash -> the first owner in this group
			for _, o := range occ[g:e] {
				i := owner[o]
				j, seen := first[f.names[i]]
				switch {
				case !seen:
					first[f.names[i]] = i
				case j != i && (cand[i] < 0 || j < cand[i]):
					cand[i] = j
				}
			}
		}
		g = e
	}
	cc := f.policy.Export.CountryCode
	var refs []findings.ContactRef
	for i := 0; i < n; i++ {
		if cand[i] < 0 {
			continue
		}
		a := contact(f.keys[i])
		if a == nil {
			continue
		}
		js := []int32{cand[i]}
		for k := 0; k < len(js); k++ {
			e := contact(f.keys[js[k]])
			if via := copyVia(a, e, cc); via != "" {
				refs = append(refs, copyRef(a, f.keys[i], e, via, cc))
				break
			}
			if k == 0 {
				// A hash collided: look at every earlier contact the hashes pair it with.
				js = append(js, f.earlier(i, occ, owner)...)
			}
		}
	}
	return finish(duplicatesFinding(refs, f.policy), snapshotID)
}

func (f *First) end(i int) int32 {
	if i+1 < len(f.start) {
		return f.start[i+1]
	}
	return int32(len(f.pts))
}

// earlier lists, in the order of the book, the contacts before entry i that share a point
// hash and the name hash with it.
func (f *First) earlier(i int, occ, owner []int32) []int32 {
	seen := map[int32]bool{}
	var out []int32
	for o := f.start[i]; o < f.end(i); o++ {
		h := f.pts[o]
		at := sort.Search(len(occ), func(k int) bool { return f.pts[occ[k]] >= h })
		for ; at < len(occ) && f.pts[occ[at]] == h; at++ {
			j := owner[occ[at]]
			if int(j) < i && f.names[j] == f.names[i] && !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// copyVia is the e-mail or phone through which a copies e (the first of e's that a has
// too), when they are one person by the duplicates rule; "" when they are not.
func copyVia(a, e *contacts.Contact, cc string) string {
	if a == nil || e == nil {
		return ""
	}
	if n := contacts.IdentityName(a); n == "" || n != contacts.IdentityName(e) {
		return ""
	}
	has := map[string]bool{}
	for _, p := range contactPoints(a, cc) {
		has[p] = true
	}
	for _, p := range contactPoints(e, cc) {
		if has[p] {
			return p
		}
	}
	return ""
}

// hashString is FNV-1a, 64 bits.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
