package rules

import (
	"fmt"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

type diffChange = diff.Change

type findingsT = findings.Finding

func keyOf(i int) string { return fmt.Sprint(i) }

func defaultPolicy() *policy.Policy { return policy.Default() }

func TestMassEdit(t *testing.T) {
	t.Parallel()
	retitle := func(c *contacts.Contact) { c.Title = "Partner" }
	runRule(t, func(in *Input) []findingsT { return massEdit(in, nil) }, []ruleCase{
		{"24 of 100: below 25", every(100, 24, retitle), ""},
		{"25 of 100", every(100, 25, retitle), "mass-edit/warning" + keysFirst(25)},
		{"99 of 1000: below 10 %", every(1000, 99, retitle), ""},
		{"100 of 1000", every(1000, 100, retitle), "mass-edit/warning" + keysFirst(100)},
	})
	// Contacts another finding explains are not counted again.
	explained := map[string]bool{}
	for _, k := range first(10) {
		explained[keyOf(k)] = true
	}
	if got := describe(massEdit(&Input{Change: every(100, 30, retitle), Policy: defaultPolicy()}, explained)); got != "" {
		t.Errorf("20 unexplained of 100: %q", got)
	}
}

// fakePast is the history as the revert rule sees it: each key's fingerprints, newest
// first, one per version.
type fakePast map[string][]string

func (p fakePast) PreviousFingerprints(key string, n int) []string {
	fps := p[key]
	return fps[:min(n, len(fps))]
}

func TestRevert(t *testing.T) {
	t.Parallel()
	// Each contact is now back at "Old title"; the past says which versions it had.
	ch := every(100, 6, func(c *contacts.Contact) { c.Title = "Old title" })
	past := fakePast{}
	for i, c := range ch.Changed {
		edited, back := c.Old.Fingerprint(""), c.New.Fingerprint("")
		other := person(500 + i).Fingerprint("")
		switch i {
		case 0, 1, 2:
			past[c.Key] = []string{edited, back} // undid the last edit
		case 3:
			past[c.Key] = []string{edited, other, other, back} // an old backup: three edits undone
		case 4:
			past[c.Key] = []string{edited} // a first edit: nothing to go back to
		case 5:
			past[c.Key] = []string{edited, other, "", back} // absent for a while, then back as it was
		}
	}
	got := describe(revert(&Input{Change: ch, Past: past, Policy: defaultPolicy()}))
	if want := "revert/danger" + keys(0, 1, 2, 3, 5); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Two reverts are a person undoing edits; no Past, no opinion.
	two := every(100, 2, func(c *contacts.Contact) { c.Title = "Old title" })
	p2 := fakePast{}
	for _, c := range two.Changed {
		p2[c.Key] = []string{c.Old.Fingerprint(""), c.New.Fingerprint("")}
	}
	for name, in := range map[string]*Input{
		"two reverts": {Change: two, Past: p2, Policy: defaultPolicy()},
		"no past":     {Change: ch, Policy: defaultPolicy()},
	} {
		if got := describe(revert(in)); got != "" {
			t.Errorf("%s: %q", name, got)
		}
	}
}
