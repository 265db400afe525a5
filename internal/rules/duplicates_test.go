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

// adding is a 50-contact book plus the added contacts, keyed a0, a1, ...
func adding(cs ...*contacts.Contact) diff.Change {
	ch := book(50)
	for i, c := range cs {
		ch.Added = append(ch.Added, diff.Entry{Key: fmt.Sprintf("a%d", i), Contact: c})
	}
	ch.After += len(cs)
	return ch
}

func variant(i int, f func(c *contacts.Contact)) *contacts.Contact {
	c := person(i)
	f(c)
	return c
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	sameEmailOnly := variant(3, func(c *contacts.Contact) { c.Phones, c.Note = nil, "added by the conduit" })
	samePhoneOnly := variant(4, func(c *contacts.Contact) {
		c.Emails = nil
		c.Phones = []contacts.Value{{Value: "+1 212 555 0004"}} // another way to write (212) 555-0004
	})
	fileAs := variant(5, func(c *contacts.Contact) {
		c.StructuredName = contacts.Name{}
		c.Name = "5, Person" // Outlook's "File As" order
		c.Emails = []contacts.Value{{Value: "P5@FIRM.EXAMPLE"}}
	})
	sameNameOnly := variant(6, func(c *contacts.Contact) { c.Emails, c.Phones = []contacts.Value{{Value: "other@x.example"}}, nil })
	otherName := variant(7, func(c *contacts.Contact) { c.StructuredName.Given, c.Name = "Partner", "Partner 7" }) // a colleague sharing the line
	extension := variant(8, func(c *contacts.Contact) { c.Emails, c.Phones = nil, []contacts.Value{{Value: "2231"}} })
	stranger := person(99)
	tenCopies := make([]*contacts.Contact, 10)
	for i := range tenCopies {
		tenCopies[i] = variant(i+10, func(c *contacts.Contact) { c.Note = "device copy" })
	}
	runRule(t, duplicates, []ruleCase{
		{"nothing added", book(50), ""},
		{"a new client", adding(stranger), ""},
		{"same name and e-mail", adding(sameEmailOnly), "duplicates/warning[a0]"},
		{"same name and phone, written differently", adding(samePhoneOnly), "duplicates/warning[a0]"},
		{"\"Doe, John\" order and e-mail case", adding(fileAs), "duplicates/warning[a0]"},
		{"same name, nothing shared: maybe a namesake", adding(sameNameOnly), ""},
		{"a shared line, another name", adding(otherName), ""},
		{"a shared internal extension is not an identity", adding(extension), ""},
		{"a new person added twice in one change: the second is the copy", adding(stranger, stranger.Clone()), "duplicates/warning[a1]"},
		{"ten copies: InterAction's limit", adding(tenCopies...), "duplicates/danger[a0 a1 a2 a3 a4 a5 a6 a7 a8 a9]"},
	})
}

func TestDuplicatesSeesTheWholeBook(t *testing.T) {
	t.Parallel()
	// The change concerns one file only; the original is in another, untouched one.
	ch := diff.Change{Before: 50, After: 51, Added: []diff.Entry{{Key: "a0", Contact: variant(30, func(c *contacts.Contact) { c.Note = "" })}}}
	whole := book(50).Unchanged
	if got := describe(duplicates(&Input{Change: ch, Policy: policy.Default()})); got != "" {
		t.Errorf("without the book: %q", got)
	}
	fs := duplicates(&Input{Change: ch, Book: append(whole, ch.Added...), Policy: policy.Default()})
	if got := describe(fs); got != "duplicates/warning[a0]" {
		t.Fatalf("with the book: %q", got)
	}
	if d := fs[0].Contacts[0].Detail; !strings.Contains(d, "a second copy of Person 30 (same name and e-mail p30@firm.example)") {
		t.Errorf("detail %q", d)
	}
	if fs[0].Severity != findings.Warning {
		t.Error(fs[0].Severity)
	}
}
