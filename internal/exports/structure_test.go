package exports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

// bookOf makes n plain contacts, the first of which carries note.
func bookOf(n int, note string) []*contacts.Contact {
	cs := make([]*contacts.Contact, n)
	for i := range cs {
		cs[i] = &contacts.Contact{
			Name:           fmt.Sprintf("Person %d", i),
			StructuredName: contacts.Name{Given: "Person", Family: fmt.Sprint(i)},
			Emails:         []contacts.Value{{Value: fmt.Sprintf("p%d@example.com", i), Types: []string{"internet"}}},
		}
	}
	cs[0].Note = note
	return cs
}

// A card pasted into a contact's Notes is text inside a quoted CSV value: the file is still
// the Outlook CSV its header row says it is, with every one of its rows read.
func TestFormatIsDecidedByStructureNotByQuotedText(t *testing.T) {
	pasted := "From his e-mail signature:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:Pasted;Card\r\nFN:Card Pasted\r\nEND:VCARD\r\n"
	for _, tc := range []struct {
		name string
		file func() []byte
	}{
		{"outlook csv with bom", func() []byte {
			var b bytes.Buffer
			if err := WriteOutlookCSV(&b, bookOf(200, pasted)); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}},
		{"outlook csv without bom", func() []byte {
			var b bytes.Buffer
			if err := WriteOutlookCSV(&b, bookOf(200, pasted)); err != nil {
				t.Fatal(err)
			}
			return bytes.TrimPrefix(b.Bytes(), []byte("\ufeff"))
		}},
		{"google csv", func() []byte {
			var b strings.Builder
			b.WriteString("Name,Given Name,Family Name,Notes,E-mail 1 - Type,E-mail 1 - Value\n")
			fmt.Fprintf(&b, "Person 0,Person,0,\"%s\",* Work,p0@example.com\n", strings.ReplaceAll(pasted, "\r\n", "\n"))
			for i := 1; i < 200; i++ {
				fmt.Fprintf(&b, "Person %d,Person,%d,,* Work,p%d@example.com\n", i, i, i)
			}
			return []byte(b.String())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, errs, sum := ReadBytes("contacts.csv", tc.file())
			if sum.Format == FormatVCard {
				t.Fatalf("read as a vCard file (%d contacts): the card inside a quoted Notes value decided the format", len(cs))
			}
			if len(cs) != 200 || len(errs) != 0 {
				t.Fatalf("%d contacts and errors %v; want the 200 rows and no errors", len(cs), errs)
			}
			if !strings.Contains(cs[0].Note, "BEGIN:VCARD") {
				t.Errorf("the pasted card was not kept in the note: %q", cs[0].Note)
			}
		})
	}

	// And the other way round: a vCard whose note holds a CSV header is still a vCard.
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Roe\r\nNOTE:First Name,Last Name,E-mail Address\r\nEND:VCARD\r\n"
	if cs, _, sum := ReadBytes("jane.vcf", []byte(card)); sum.Format != FormatVCard || len(cs) != 1 {
		t.Errorf("a card with a CSV header in its note: format %s, %d contacts; want vcard, 1", sum.Format, len(cs))
	}
}
