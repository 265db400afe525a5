// Package dupes finds the people an address book holds more than once: clusters of
// contacts that are one person, each with the rule that matched them and a suggested
// survivor. It never merges: the user decides, because a wrong merge in Outlook flows on
// into InterAction and is far harder to undo than a duplicate.
package dupes

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/syncguard/syncguard/internal/contacts"
)

// The rules that put contacts in one cluster, strongest first. A cluster names the
// strongest rule that joined any two of its contacts.
const (
	SameNameEmail    = "same name and e-mail"
	SameNamePhone    = "same name and phone"
	SimilarNameEmail = "similar name and same e-mail" // "J. Doe" or "John Q. Doe" beside "John Doe"
	SimilarNamePhone = "similar name and same phone"
	UnnamedEmail     = "a record without a name has the same e-mail"
	UnnamedPhone     = "a record without a name has the same phone"
	SameNameCompany  = "same name and company, nothing contradicting"
	SameNameNoDetail = "same name, one record without e-mail, phone or company"
)

var strength = map[string]int{
	SameNameEmail: 8, SameNamePhone: 7, SimilarNameEmail: 6, SimilarNamePhone: 5,
	UnnamedEmail: 4, UnnamedPhone: 3, SameNameCompany: 2, SameNameNoDetail: 1,
}

// maxNamesPerBlock bounds the name-by-name comparison inside one e-mail or phone. An
// address or number shared by more different names than this is a switchboard or a
// shared mailbox ("info@", a secretariat), not one person: only identical names are
// joined through it. It also keeps the work linear on hostile input.
const maxNamesPerBlock = 8

// Cluster is one person found several times.
type Cluster struct {
	Rule     string              `json:"rule"`     // the strongest rule that joined them
	Survivor int                 `json:"survivor"` // index into Contacts of the one to keep
	Contacts []*contacts.Contact `json:"contacts"`
	// Index holds each contact's position in the book given to Find.
	Index []int `json:"-"`
}

// keys are one contact's normalized blocking keys, computed once.
type keys struct {
	name   string
	emails []string
	phones []string
	org    string
	bare   bool // no e-mail, phone or company: nothing to tell it apart by
}

// Find clusters the book. Contacts are joined through blocking keys (an e-mail, a phone,
// a name with its company, a name), never compared all against all, so the work grows
// with the book and not with its square; the normalization, the costly part, runs on
// every core. Clusters come sorted by the survivor's name. cc is the policy's
// country_code, by which two phone numbers are one ("" is the default, "1").
func Find(book []*contacts.Contact, cc string) []Cluster {
	cls, _ := find(book, cc)
	return cls
}

// find is Find that also returns the steps it took (keys indexed, contacts visited in a
// block, pairs compared), so that a test can show the work linear in the book without
// timing it.
func find(book []*contacts.Contact, cc string) ([]Cluster, int64) {
	ks := computeKeys(book, cc)
	f := &finder{book: book, ks: ks, uf: newUnionFind(len(book)), best: map[int32]string{}}

	n := len(book)
	byEmail, byPhone, byNameOrg, byName := newIndex(2*n), newIndex(2*n), newIndex(n), newIndex(n)
	for i := range ks {
		k := &ks[i]
		f.steps += int64(1 + len(k.emails) + len(k.phones))
		for _, e := range k.emails {
			byEmail.add(e, int32(i))
		}
		for _, p := range k.phones {
			byPhone.add(p, int32(i))
		}
		if k.name == "" {
			continue
		}
		if k.org != "" {
			byNameOrg.add(k.name+"\x00"+k.org, int32(i))
		}
		byName.add(k.name, int32(i))
	}
	for _, idx := range byEmail.multi {
		f.contactPoint(idx, SameNameEmail, SimilarNameEmail, UnnamedEmail)
	}
	for _, idx := range byPhone.multi {
		f.contactPoint(idx, SameNamePhone, SimilarNamePhone, UnnamedPhone)
	}
	for _, idx := range byNameOrg.multi {
		f.sameCompany(idx)
	}
	// A bare name beside records of that name is one of them typed in twice (a phone's
	// quick-add), but only when those records are one person: with two different
	// Richard Roes there is no telling which one the bare record means.
	for _, idx := range byName.multi {
		f.bareName(idx)
	}
	return f.clusters(), f.steps
}

// index maps a blocking key to the contacts that have it. Most keys belong to one contact,
// so those cost one map entry and no slice; only shared keys get a list.
type index struct {
	first map[string]int32
	multi map[string][]int32
}

func newIndex(size int) *index {
	return &index{first: make(map[string]int32, size), multi: map[string][]int32{}}
}

func (x *index) add(key string, i int32) {
	j, ok := x.first[key]
	if !ok {
		x.first[key] = i
		return
	}
	if m, ok := x.multi[key]; ok {
		x.multi[key] = append(m, i)
		return
	}
	x.multi[key] = []int32{j, i}
}

func computeKeys(book []*contacts.Contact, cc string) []keys {
	ks := make([]keys, len(book))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(book)/2000))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(book); i += workers {
				ks[i] = keysOf(book[i], cc)
			}
		}()
	}
	wg.Wait()
	return ks
}

func keysOf(c *contacts.Contact, cc string) keys {
	k := keys{name: contacts.IdentityName(c)}
	for _, e := range c.Emails {
		if n := contacts.NormalizeEmail(e.Value); n != "" && !has(k.emails, n) {
			k.emails = append(k.emails, n)
		}
	}
	for _, p := range c.Phones {
		// Shorter numbers are internal extensions: shared by design, not identities.
		if n := contacts.NormalizePhone(p.Value, cc); len(n) >= 7 && !has(k.phones, n) {
			k.phones = append(k.phones, n)
		}
	}
	k.org = strings.ToLower(strings.Join(strings.Fields(c.Organization), " "))
	k.bare = len(c.Emails) == 0 && len(c.Phones) == 0 && k.org == ""
	return k
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type finder struct {
	book  []*contacts.Contact
	ks    []keys
	uf    *unionFind
	best  map[int32]string // the strongest rule that joined each set, by its root
	steps int64
}

func (f *finder) link(a, b int32, rule string) {
	ra, rb := f.uf.find(a), f.uf.find(b)
	if ra == rb {
		if strength[rule] > strength[f.best[ra]] {
			f.best[ra] = rule
		}
		return
	}
	root := f.uf.union(ra, rb)
	for _, r := range []string{f.best[ra], f.best[rb], rule} {
		if strength[r] > strength[f.best[root]] {
			f.best[root] = r
		}
	}
}

// contactPoint joins the contacts that share one e-mail or phone when their names say
// they are one person: the same name, a variant of it (initials, a middle name), or no
// name at all beside a single named person.
func (f *finder) contactPoint(idx []int32, same, similar, unnamed string) {
	var names []string
	first := map[string]int32{}
	var nameless []int32
	f.steps += int64(len(idx))
	for _, i := range idx {
		n := f.ks[i].name
		if n == "" {
			nameless = append(nameless, i)
			continue
		}
		if j, ok := first[n]; ok {
			f.link(j, i, same)
			continue
		}
		first[n] = i
		names = append(names, n)
	}
	if len(names) > maxNamesPerBlock {
		return
	}
	for a := 0; a < len(names); a++ {
		for b := a + 1; b < len(names); b++ {
			f.steps++
			if similarNames(names[a], names[b]) {
				f.link(first[names[a]], first[names[b]], similar)
			}
		}
	}
	if len(names) == 1 {
		for _, i := range nameless {
			f.link(first[names[0]], i, unnamed)
		}
	}
}

// sameCompany joins records of one name at one company when nothing tells them apart:
// neither holds an e-mail or phone that contradicts the other's. Two John Smiths at a
// big company with different addresses stay two people.
func (f *finder) sameCompany(idx []int32) {
	if len(idx) > maxNamesPerBlock*4 {
		return // a name too common at this company to guess
	}
	for a := 0; a < len(idx); a++ {
		for b := a + 1; b < len(idx); b++ {
			f.steps++
			ka, kb := &f.ks[idx[a]], &f.ks[idx[b]]
			if !contradicts(ka.emails, kb.emails) && !contradicts(ka.phones, kb.phones) {
				f.link(idx[a], idx[b], SameNameCompany)
			}
		}
	}
}

// contradicts reports two non-empty lists with nothing in common.
func contradicts(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, x := range a {
		if has(b, x) {
			return false
		}
	}
	return true
}

func (f *finder) bareName(idx []int32) {
	var bare []int32
	root := int32(-1)
	f.steps += int64(len(idx))
	for _, i := range idx {
		if f.ks[i].bare {
			bare = append(bare, i)
			continue
		}
		r := f.uf.find(i)
		if root >= 0 && r != root {
			return // two different people of this name
		}
		root = r
	}
	if len(bare) == 0 {
		return
	}
	anchor := bare[0]
	if root >= 0 {
		anchor = root
	}
	for _, i := range bare {
		if i != anchor {
			f.link(anchor, i, SameNameNoDetail)
		}
	}
}

func (f *finder) clusters() []Cluster {
	groups := map[int32][]int{}
	for i := range f.book {
		if f.uf.parent[i] == int32(i) && f.uf.rank[i] == 0 {
			continue // a singleton: never joined
		}
		r := f.uf.find(int32(i))
		groups[r] = append(groups[r], i)
	}
	out := make([]Cluster, 0, len(groups))
	for root, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		cl := Cluster{Rule: f.best[root], Index: idx}
		for _, i := range idx {
			cl.Contacts = append(cl.Contacts, f.book[i])
		}
		cl.Survivor = Survivor(cl.Contacts)
		out = append(out, cl)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Contacts[out[i].Survivor].DisplayName(), out[j].Contacts[out[j].Survivor].DisplayName()
		if a != b {
			return a < b
		}
		return out[i].Index[0] < out[j].Index[0]
	})
	return out
}

// similarNames reports two different normalized names that can be one person: the same
// family name (the last word), and given names that agree or where one is the other's
// initial ("j doe" and "john doe"); a middle name or initial on one side only is fine
// ("john q doe"), two different ones are not. A lone family name ("doe") is similar to any
// name that ends with it. The same words in another order are similar too ("jones
// charles": a "Jones, Charles" that landed whole in the first-name column, or a family
// name written first). "Jane Doe" and "John Doe" are not similar.
func similarNames(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	if sameWords(wa, wb) {
		return true
	}
	la, lb := wa[len(wa)-1], wb[len(wb)-1]
	if la != lb || len(la) < 2 {
		return false
	}
	if len(wa) == 1 || len(wb) == 1 {
		return true
	}
	if !sameOrInitial(wa[0], wb[0]) {
		return false
	}
	ma, mb := wa[1:len(wa)-1], wb[1:len(wb)-1]
	for i := 0; i < min(len(ma), len(mb)); i++ {
		if !sameOrInitial(ma[i], mb[i]) {
			return false
		}
	}
	return true
}

func sameWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	sa, sb := append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(sa)
	sort.Strings(sb)
	return slices.Equal(sa, sb)
}

func sameOrInitial(x, y string) bool {
	return x == y || len(x) == 1 && strings.HasPrefix(y, x) || len(y) == 1 && strings.HasPrefix(x, y)
}

// Survivor suggests the record to keep and returns its index:
//  1. the one that carries Mileage: InterAction marks the contacts it knows in that
//     field, so that record is the one InterAction's own history (activities,
//     relationships, who may see it) hangs on; deleting it loses that;
//  2. then the most complete one (e-mails, phones, addresses, categories, text), because
//     merging the others into it loses the least;
//  3. then the first in the export.
//
// An export says nothing about when a record last changed, so recency is not a criterion
// here; the history knows it and a caller holding it may choose otherwise.
func Survivor(cs []*contacts.Contact) int {
	best, bestScore := 0, -1
	for i, c := range cs {
		score := 3*len(c.Emails) + 3*len(c.Phones) + 2*len(c.Addresses) + 2*len(c.Categories) + len(c.URLs)
		for _, s := range []string{c.Organization, c.Title, c.Department, c.Note, c.Birthday} {
			if strings.TrimSpace(s) != "" {
				score++
			}
		}
		if strings.TrimSpace(c.Mileage) != "" {
			score += 1 << 20 // outweighs any completeness
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// unionFind is a disjoint-set forest with path halving and union by rank, over int32 to
// halve its memory on large books.
type unionFind struct {
	parent []int32
	rank   []uint8
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), rank: make([]uint8, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins two sets given by their roots and returns the new root.
func (u *unionFind) union(ra, rb int32) int32 {
	if u.rank[ra] < u.rank[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	if u.rank[ra] == u.rank[rb] {
		u.rank[ra]++
	}
	return ra
}
