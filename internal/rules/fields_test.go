package rules

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

func TestMileageChanged(t *testing.T) {
	t.Parallel()
	runRule(t, mileageChanged, []ruleCase{
		{"cleared on one: perhaps a person's edit", every(100, 1, func(c *contacts.Contact) { c.Mileage = "" }), "mileage-changed/warning" + keysFirst(1)},
		{"rewritten on two", every(100, 2, func(c *contacts.Contact) { c.Mileage = "0" }), "mileage-changed/warning" + keysFirst(2)},
		{"cleared on ten: a device", every(100, 10, func(c *contacts.Contact) { c.Mileage = "" }), "mileage-changed/danger" + keysFirst(10)},
		{"only white space around it changed", every(100, 2, func(c *contacts.Contact) { c.Mileage = " " + c.Mileage + " " }), ""},
		{"set where it was empty: InterAction marking a contact", every(100, 3, func(c *contacts.Contact) { c.Title = "x" }), ""},
	})
	ch := every(100, 3, func(c *contacts.Contact) { c.Mileage = "IA-new" })
	for i := range ch.Changed {
		ch.Changed[i].Old.Mileage = ""
	}
	if got := describe(mileageChanged(&Input{Change: ch, Policy: defaultPolicy()})); got != "" {
		t.Errorf("Mileage set where it was empty: %q", got)
	}
}

func TestFieldLoss(t *testing.T) {
	t.Parallel()
	runRule(t, fieldLoss, []ruleCase{
		{"phones lost on 9: below 10", every(100, 9, func(c *contacts.Contact) { c.Phones = nil }), ""},
		{"phones lost on 10", every(100, 10, func(c *contacts.Contact) { c.Phones = nil }), "field-loss/warning" + keysFirst(10)},
		{"second e-mails lost on 30", every(400, 30, func(c *contacts.Contact) { c.Emails = c.Emails[:1] }), "field-loss/danger" + keysFirst(30)},
		{"addresses lost on 10", every(100, 10, func(c *contacts.Contact) { c.Addresses = nil }), "field-loss/warning" + keysFirst(10)},
		{"notes emptied on 10", every(100, 10, func(c *contacts.Contact) { c.Note = " \r\n" }), "field-loss/warning" + keysFirst(10)},
		{"a phone replaced on 20 is an edit, not a loss", every(100, 20, func(c *contacts.Contact) { c.Phones[0].Value = "(917) 555-0000" }), ""},
		{"an empty address dropped is no loss", func() diffChange {
			ch := every(100, 10, func(c *contacts.Contact) { c.Addresses = nil })
			for i := range ch.Changed {
				ch.Changed[i].Old.Addresses = []contacts.Address{{Types: []string{"work"}}}
			}
			return ch
		}(), ""},
	})
}

func TestTruncation(t *testing.T) {
	t.Parallel()
	cutNote := func(n int) func(c *contacts.Contact) {
		return func(c *contacts.Contact) { c.Note = string([]rune(c.Note)[:n]) }
	}
	runRule(t, truncation, []ruleCase{
		{"notes cut at 255 on 5", every(100, 5, cutNote(255)), "truncation/danger" + keysFirst(5)},
		{"notes cut at 255 on 4", every(100, 4, cutNote(255)), ""},
		{"a cut that lands on a space still counts it", every(100, 5, cutNote(len("note of 0. "))), "truncation/danger" + keysFirst(5)},
		{"cut at different lengths: edits", func() diffChange {
			n := 0
			return every(100, 6, func(c *contacts.Contact) { n++; c.Note = c.Note[:100+7*n] })
		}(), ""},
		{"shortened, not cut (new text)", every(100, 6, func(c *contacts.Contact) { c.Note = strings.Repeat("x", 255) }), ""},
		{"notes grown", every(100, 6, func(c *contacts.Contact) { c.Note += " more" }), ""},
		{"streets cut at 10", every(100, 5, func(c *contacts.Contact) { c.Addresses[0].Street = c.Addresses[0].Street[:10] }),
			"truncation/danger" + keysFirst(5)},
		{"job titles cut at 8", every(100, 5, func(c *contacts.Contact) { c.Title = c.Title[:8] }), "truncation/danger" + keysFirst(5)},
		// Outlook writes line breaks as CRLF; one device counts them as one character,
		// another as two. Either way the cut is found, whatever the line breaks before it.
		{"multi-line notes cut at 255, line breaks counted once", crlfNotes(5, func(s string) string { return string([]rune(s)[:255]) }),
			"truncation/danger" + keysFirst(5)},
		{"multi-line notes cut at 255, line breaks counted twice", crlfNotes(5, func(s string) string {
			return strings.ReplaceAll(strings.ReplaceAll(s, "\n", "\r\n")[:255], "\r\n", "\n")
		}), "truncation/danger" + keysFirst(5)},
	})
}

// crlfNotes gives the first n contacts multi-line notes, line breaks at different places
// in each, and cuts them with cut (which sees the text with "\n" line breaks).
func crlfNotes(n int, cut func(string) string) diffChange {
	ch := every(100, n, func(*contacts.Contact) {})
	for i := range ch.Changed {
		var b strings.Builder
		for k := 0; b.Len() < 600; k++ {
			b.WriteString(strings.Repeat("Matter notes. ", 1+(i+k)%4))
			b.WriteString("\n")
		}
		ch.Changed[i].Old.Note = strings.ReplaceAll(b.String(), "\n", "\r\n")
		ch.Changed[i].New.Note = cut(b.String())
	}
	return ch
}
