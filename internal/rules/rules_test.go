package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

func person(i int) *contacts.Contact {
	return &contacts.Contact{
		Name:           fmt.Sprintf("Person %d", i),
		StructuredName: contacts.Name{Given: "Person", Family: fmt.Sprint(i)},
		Emails:         []contacts.Value{{Value: fmt.Sprintf("p%d@firm.example", i)}},
		Phones:         []contacts.Value{{Value: fmt.Sprintf("(212) 555-%04d", i), Types: []string{"work"}}},
		Categories:     []string{"Clients", "VIP"},
		Note:           strings.Repeat(fmt.Sprintf("note of %d. ", i), 40),
		Mileage:        fmt.Sprintf("IA%04d", i),
	}
}

// change builds a change of n edited contacts out of a book of size, editing each with f.
func change(size, n int, f func(c *contacts.Contact)) diff.Change {
	ch := diff.Change{Before: size, After: size}
	for i := 0; i < n; i++ {
		old := person(i)
		nw := old.Clone()
		f(nw)
		ch.Changed = append(ch.Changed, diff.Changed{Key: fmt.Sprint(i), Old: old, New: nw, Fields: diff.Fields(old, nw)})
	}
	for i := n; i < size; i++ {
		ch.Unchanged = append(ch.Unchanged, diff.Entry{Key: fmt.Sprint(i), Contact: person(i)})
	}
	return ch
}

func kinds(fs []findings.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s/%s/%d", f.Kind, f.Severity, len(f.Contacts)))
	}
	return strings.Join(out, " ")
}

func TestRules(t *testing.T) {
	removed := func(size, n int) diff.Change {
		ch := diff.Change{Before: size, After: size - n}
		for i := 0; i < n; i++ {
			ch.Removed = append(ch.Removed, diff.Entry{Key: fmt.Sprint(i), Contact: person(i)})
		}
		return ch
	}
	cases := []struct {
		name string
		ch   diff.Change
		want string
	}{
		{"nothing happened", diff.Change{Before: 100, After: 100}, ""},
		{"the first snapshot is a baseline", func() diff.Change {
			ch := diff.Change{Before: 0, After: 2}
			ch.Added = []diff.Entry{{Key: "1", Contact: person(1)}, {Key: "2", Contact: person(1).Clone()}}
			return ch
		}(), ""},
		{"9 deleted of 100: below InterAction's 10", removed(100, 9), ""},
		{"10 deleted of 100", removed(100, 10), "mass-deletion/danger/10"},
		{"40 deleted of 1000: below 5 %", removed(1000, 40), ""},
		{"50 deleted of 1000", removed(1000, 50), "mass-deletion/danger/50"},
		{"2 collapsed: below 3", change(100, 2, func(c *contacts.Contact) { c.Categories = c.Categories[:1] }), ""},
		{"3 collapsed", change(100, 3, func(c *contacts.Contact) { c.Categories = c.Categories[:1] }), "category-collapse/danger/3"},
		{"one fused category", change(100, 1, func(c *contacts.Contact) { c.Categories = []string{"Clients; VIP"} }), "category-loss/danger/1"},
		{"fused with a comma", change(100, 2, func(c *contacts.Contact) { c.Categories = []string{"Clients,VIP"} }), "category-loss/danger/2"},
		{"categories removed from 5", change(100, 5, func(c *contacts.Contact) { c.Categories = nil }), "category-loss/warning/5"},
		{"categories removed from 4", change(100, 4, func(c *contacts.Contact) { c.Categories = nil }), ""},
		{"Mileage cleared on one", change(100, 1, func(c *contacts.Contact) { c.Mileage = "" }), "mileage-changed/danger/1"},
		{"Mileage rewritten", change(100, 2, func(c *contacts.Contact) { c.Mileage = "X" }), "mileage-changed/danger/2"},
		{"phones lost on 10", change(100, 10, func(c *contacts.Contact) { c.Phones = nil }), "field-loss/warning/10"},
		{"phones lost on 30", change(400, 30, func(c *contacts.Contact) { c.Phones = nil }), "field-loss/danger/30"},
		{"notes cut at 255 on 5", change(100, 5, func(c *contacts.Contact) { c.Note = c.Note[:255] }), "truncation/danger/5"},
		{"cut on a space still counts it", change(100, 5, func(c *contacts.Contact) { c.Note = c.Note[:len("note of 0. ")] }), "truncation/danger/5"},
		{"notes cut at 255 on 4", change(100, 4, func(c *contacts.Contact) { c.Note = c.Note[:255] }), ""},
		{"notes cut at different lengths", change(100, 6, func() func(c *contacts.Contact) {
			n := 0
			return func(c *contacts.Contact) { n++; c.Note = c.Note[:100+7*n] }
		}()), ""},
		{"24 edited of 100", change(100, 24, func(c *contacts.Contact) { c.Title = "Partner" }), ""},
		{"25 edited of 100", change(100, 25, func(c *contacts.Contact) { c.Title = "Partner" }), "mass-edit/warning/25"},
		{"a note grows on 30 of 1000", change(1000, 30, func(c *contacts.Contact) { c.Note += " more" }), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := kinds(Judge(Input{Change: tc.ch, SnapshotID: 7, Policy: policy.Default()}))
			if got != tc.want {
				t.Errorf("findings %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDuplicatesRule(t *testing.T) {
	ch := diff.Change{Before: 50, After: 53}
	for i := 0; i < 50; i++ {
		ch.Unchanged = append(ch.Unchanged, diff.Entry{Key: fmt.Sprint(i), Contact: person(i)})
	}
	dupe := person(3).Clone()
	dupe.Note = "added by the conduit"
	dupe.Phones = nil // same name and e-mail: the same person
	sameNameOnly := person(4).Clone()
	sameNameOnly.Emails, sameNameOnly.Phones = []contacts.Value{{Value: "other@x.example"}}, nil
	stranger := person(99)
	ch.Added = []diff.Entry{{Key: "a1", Contact: dupe}, {Key: "a2", Contact: sameNameOnly}, {Key: "a3", Contact: stranger}}
	fs := Judge(Input{Change: ch, Policy: policy.Default()})
	if got := kinds(fs); got != "duplicates/warning/1" || fs[0].Contacts[0].Key != "a1" {
		t.Errorf("findings %q %+v", got, fs)
	}
}

type fakePast map[string][]string

func (p fakePast) PreviousFingerprints(key string, n int) []string { return p[key] }

func TestRevertRule(t *testing.T) {
	ch := change(100, 4, func(c *contacts.Contact) { c.Title = "Old title" })
	past := fakePast{}
	for i, c := range ch.Changed {
		edited := c.Old.Fingerprint()
		original := c.New.Fingerprint()
		if i < 3 {
			past[c.Key] = []string{edited, original} // went back to the version before the edit
		} else {
			past[c.Key] = []string{edited}
		}
	}
	fs := Judge(Input{Change: ch, Past: past, Policy: policy.Default()})
	if got := kinds(fs); got != "revert/danger/3" {
		t.Errorf("findings %q", got)
	}
}

func TestFindingsReadWell(t *testing.T) {
	ch := change(100, 41, func(c *contacts.Contact) { c.Categories = c.Categories[:1] })
	fs := Judge(Input{Change: ch, Policy: policy.Default()})
	var f *findings.Finding
	for i := range fs {
		if fs[i].Kind == findings.CategoryCollapse {
			f = &fs[i]
		}
	}
	if f == nil {
		t.Fatalf("no collapse finding: %s", kinds(fs))
	}
	if f.Title != "41 contacts lost their other categories: your device keeps one category per contact" {
		t.Errorf("title %q", f.Title)
	}
	if !strings.Contains(f.Advice, "Manage Categories") || f.Contacts[0].Detail != "Clients; VIP → Clients" || f.ID == "" && f.Subject == "" {
		t.Errorf("advice %q detail %q", f.Advice, f.Contacts[0].Detail)
	}
	// The same damage seen again has the same identity.
	again := Judge(Input{Change: ch, SnapshotID: 9, Policy: policy.Default()})
	for _, g := range again {
		if g.Kind == f.Kind && g.Subject != f.Subject {
			t.Error("the same affected contacts must give the same subject")
		}
	}
}

func TestThresholdsComeFromPolicy(t *testing.T) {
	p, err := policy.Parse("p.toml", []byte("[thresholds]\nmass_deletion_min = 20\ncategory_collapse_min = 50\n"))
	if err != nil {
		t.Fatal(err)
	}
	ch := diff.Change{Before: 100, After: 85}
	for i := 0; i < 15; i++ {
		ch.Removed = append(ch.Removed, diff.Entry{Key: fmt.Sprint(i), Contact: person(i)})
	}
	if got := kinds(Judge(Input{Change: ch, Policy: p})); got != "" {
		t.Errorf("15 deletions under a threshold of 20: %q", got)
	}
}
