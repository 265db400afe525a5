package rules

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// person is a fully filled contact: two categories, Mileage, a long note.
func person(i int) *contacts.Contact {
	return &contacts.Contact{
		Name:           fmt.Sprintf("Person %d", i),
		StructuredName: contacts.Name{Given: "Person", Family: fmt.Sprint(i)},
		Organization:   "Acme Holdings Inc.",
		Title:          "General Counsel",
		Emails:         []contacts.Value{{Value: fmt.Sprintf("p%d@firm.example", i)}, {Value: fmt.Sprintf("p%d@home.example", i)}},
		Phones:         []contacts.Value{{Value: fmt.Sprintf("(212) 555-%04d", i), Types: []string{"work"}}},
		Addresses:      []contacts.Address{{Street: fmt.Sprintf("%d Park Avenue", i+1), City: "New York"}},
		Categories:     []string{"Clients", "VIP"},
		Note:           strings.Repeat(fmt.Sprintf("note of %d. ", i), 40),
		Mileage:        fmt.Sprintf("IA%04d", i),
	}
}

// book is a change over a book of size contacts in which nothing happened yet.
func book(size int) diff.Change {
	ch := diff.Change{Before: size, After: size}
	for i := 0; i < size; i++ {
		ch.Unchanged = append(ch.Unchanged, diff.Entry{Key: fmt.Sprint(i), Contact: person(i)})
	}
	return ch
}

// edit changes the contacts at idx (keys = indexes) of a book of size with f.
func edit(size int, idx []int, f func(i int, c *contacts.Contact)) diff.Change {
	ch := diff.Change{Before: size, After: size}
	at := map[int]bool{}
	for _, i := range idx {
		at[i] = true
	}
	for i := 0; i < size; i++ {
		old := person(i)
		if !at[i] {
			ch.Unchanged = append(ch.Unchanged, diff.Entry{Key: fmt.Sprint(i), Contact: old})
			continue
		}
		nw := old.Clone()
		f(i, nw)
		ch.Changed = append(ch.Changed, diff.Changed{Key: fmt.Sprint(i), Old: old, New: nw, Fields: diff.Fields(old, nw, "")})
	}
	return ch
}

// first is 0..n-1.
func first(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// every edits the first n contacts with f.
func every(size, n int, f func(c *contacts.Contact)) diff.Change {
	return edit(size, first(n), func(_ int, c *contacts.Contact) { f(c) })
}

func remove(size int, idx []int) diff.Change {
	ch := book(size)
	gone := map[string]bool{}
	for _, i := range idx {
		gone[fmt.Sprint(i)] = true
	}
	var kept []diff.Entry
	for _, e := range ch.Unchanged {
		if gone[e.Key] {
			ch.Removed = append(ch.Removed, e)
		} else {
			kept = append(kept, e)
		}
	}
	ch.Unchanged, ch.After = kept, len(kept)
	return ch
}

// describe renders findings as "kind/severity[key key ...]" with sorted keys, so a test
// states the kind, the severity and the exact set of affected contacts in one string.
func describe(fs []findings.Finding) string {
	var out []string
	for _, f := range fs {
		keys := make([]string, len(f.Contacts))
		for i, c := range f.Contacts {
			keys[i] = c.Key
		}
		sort.Slice(keys, func(i, j int) bool {
			if len(keys[i]) != len(keys[j]) {
				return len(keys[i]) < len(keys[j])
			}
			return keys[i] < keys[j]
		})
		out = append(out, fmt.Sprintf("%s/%s%v", f.Kind, f.Severity, keys))
	}
	return strings.Join(out, " ")
}

// keys is "[0 1 ... n-1]" as describe writes it.
func keys(idx ...int) string {
	s := make([]string, len(idx))
	for i, k := range idx {
		s[i] = fmt.Sprint(k)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func keysFirst(n int) string { return keys(first(n)...) }

type ruleCase struct {
	name string
	ch   diff.Change
	want string
}

// runRule runs one rule over each case with the default policy (or p).
func runRule(t *testing.T, r rule, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := describe(r(&Input{Change: tc.ch, Policy: policy.Default()}))
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	cases := []ruleCase{
		{"nothing happened", book(100), ""},
		{"a normal day: three edits, one new client, one deletion", func() diff.Change {
			ch := edit(500, []int{4, 9, 17}, func(i int, c *contacts.Contact) {
				switch i {
				case 4:
					c.Phones = append(c.Phones, contacts.Value{Value: "(646) 555-0101", Types: []string{"cell"}})
				case 9:
					c.Title = "Managing Partner"
				case 17:
					c.Categories = append(c.Categories, "Holiday Card List")
				}
			})
			ch.Added = []diff.Entry{{Key: "new", Contact: &contacts.Contact{Name: "Newly Retained", Emails: []contacts.Value{{Value: "nr@client.example"}}}}}
			ch.Removed = []diff.Entry{ch.Unchanged[0]}
			ch.Unchanged = ch.Unchanged[1:]
			return ch
		}(), ""},
		// One device failure is one finding: the collapsed contacts are not counted again
		// as a mass edit, though they are more than a tenth of the book.
		{"a collapse of 30 in 100 is not also a mass edit", every(100, 30, func(c *contacts.Contact) { c.Categories = c.Categories[:1] }),
			"category-collapse/danger" + keysFirst(30)},
		{"an overwrite that also clears Mileage on some", edit(100, first(40), func(i int, c *contacts.Contact) {
			c.Department = "Restored"
			if i < 5 {
				c.Mileage = ""
			}
		}), "mileage-changed/warning" + keysFirst(5) + " mass-edit/warning" + keys(first(40)[5:]...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := Judge(Input{Change: tc.ch, SnapshotID: 7, Policy: policy.Default()})
			if got := describe(fs); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			for _, f := range fs {
				if f.SnapshotID != 7 || f.ID != findings.MakeID(f.Kind, f.Subject) {
					t.Errorf("%s: snapshot %d, id %q", f.Kind, f.SnapshotID, f.ID)
				}
				if f.Title == "" || f.Explanation == "" || f.Advice == "" || len(f.Actions) == 0 {
					t.Errorf("%s must say what happened and what to do: %+v", f.Kind, f)
				}
				for _, c := range f.Contacts {
					if c.Name == "" || c.Key == "" || c.Fingerprint == "" || c.Detail == "" {
						t.Errorf("%s: contact %+v must be named, keyed, versioned and explained", f.Kind, c)
					}
				}
			}
		})
	}
}

func TestJudgeWithoutPolicyUsesDefaults(t *testing.T) {
	t.Parallel()
	if got := describe(Judge(Input{Change: remove(100, first(10))})); got != "mass-deletion/danger"+keysFirst(10) {
		t.Errorf("got %q", got)
	}
}

func TestFindingsReadWell(t *testing.T) {
	t.Parallel()
	ch := every(100, 41, func(c *contacts.Contact) { c.Categories = c.Categories[:1] })
	fs := Judge(Input{Change: ch, Policy: policy.Default()})
	if len(fs) != 1 {
		t.Fatalf("findings %s", describe(fs))
	}
	f := fs[0]
	if f.Title != "41 contacts lost their second category" {
		t.Errorf("title %q", f.Title)
	}
	if !strings.Contains(f.Advice, "Manage Categories") || f.Contacts[0].Detail != "Clients; VIP → Clients" {
		t.Errorf("advice %q, detail %q", f.Advice, f.Contacts[0].Detail)
	}
	// The same damage seen again, in a later snapshot, is the same finding.
	again := Judge(Input{Change: ch, SnapshotID: 9, Policy: policy.Default()})
	if again[0].ID != f.ID {
		t.Error("the same affected contacts must give the same finding id")
	}
	// Other contacts damaged the same way are another finding.
	other := Judge(Input{Change: edit(100, []int{50, 51, 52}, func(_ int, c *contacts.Contact) { c.Categories = c.Categories[:1] }), Policy: policy.Default()})
	if other[0].ID == f.ID {
		t.Error("different contacts must give a different finding id")
	}
}

func TestThresholdsComeFromPolicy(t *testing.T) {
	t.Parallel()
	p, err := policy.Parse("p.toml", []byte("[thresholds]\nmass_deletion_min = 20\ncategory_collapse_min = 50\nduplicates_danger_min = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []ruleCase{
		{"15 deletions under a threshold of 20", remove(100, first(15)), ""},
		// The collapse rule stays silent, but 41 of 100 rewritten is still an overwrite.
		{"41 collapsed under a threshold of 50", every(100, 41, func(c *contacts.Contact) { c.Categories = c.Categories[:1] }),
			"mass-edit/warning" + keysFirst(41)},
	} {
		if got := describe(Judge(Input{Change: tc.ch, Policy: p})); got != tc.want {
			t.Errorf("%s: %q", tc.name, got)
		}
	}
}
