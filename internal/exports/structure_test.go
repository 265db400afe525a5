package exports

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// A stray CSV, text or TSV file in a folder of one-contact vCards, touched before or after
// the cards, does not turn the folder into "dated full exports" (which read only the
// newest file: one contact, and the other 299 taken for deleted). What most of the folder
// holds decides; the stray file is skipped and listed.
func TestStrayFileDoesNotChangeWhatAFolderIs(t *testing.T) {
	base := time.Now().Add(-time.Hour)
	for _, stray := range []string{"notes.csv", "todo.txt", "list.tsv"} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, stray), "First Name,Last Name\nStray,Row\n", base.Add(-24*time.Hour))
		for i := 0; i < 300; i++ {
			card := strings.Replace(oneCard, "John", fmt.Sprintf("John%03d", i), -1)
			writeFile(t, filepath.Join(dir, fmt.Sprintf("c%03d.vcf", i)), card, base.Add(time.Duration(i)*time.Second))
		}
		loc, res, err := Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		if loc.Kind != KindContactDir || len(res.Contacts) != 300 {
			t.Errorf("%s among 300 cards: %s with %d contacts; want a contact folder of 300", stray, loc.Kind, len(res.Contacts))
		}
		if len(loc.Skipped) != 1 || filepath.Base(loc.Skipped[0].Path) != stray {
			t.Errorf("%s among 300 cards: skipped %+v; want it listed", stray, loc.Skipped)
		}
	}

	// The other way round: a one-card vCard dropped last into a folder of dated CSV exports
	// is not "the newest export".
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("First Name,Last Name\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "P%d,Doe\n", i)
	}
	for d := 0; d < 3; d++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("contacts-2026-11-%02d.csv", d+1)), b.String(), base.Add(time.Duration(d)*time.Minute))
	}
	writeFile(t, filepath.Join(dir, "John Doe.vcf"), oneCard, base.Add(time.Hour))
	loc, res, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loc.Kind != KindDatedExport || len(res.Contacts) != 50 || filepath.Base(loc.Files[0]) != "contacts-2026-11-03.csv" {
		t.Errorf("a card among dated CSV exports: %s reading %v, %d contacts; want the newest CSV's 50", loc.Kind, loc.Files, len(res.Contacts))
	}
	if len(loc.Skipped) != 1 || filepath.Base(loc.Skipped[0].Path) != "John Doe.vcf" {
		t.Errorf("a card among dated CSV exports: skipped %+v; want the card listed", loc.Skipped)
	}

	// A user who exported full vCard files and now follows the advice to export CSV: the
	// first CSV is the newest export and is read at once, however many vCards came before.
	dir = t.TempDir()
	for d := 0; d < 5; d++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("contacts-2026-10-%02d.vcf", d+1)), oneCard+oneCard+oneCard, base.Add(time.Duration(d)*time.Minute))
	}
	writeFile(t, filepath.Join(dir, "contacts-2026-11-01.csv"), b.String(), base.Add(time.Hour))
	loc, res, err = Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loc.Kind != KindDatedExport || len(res.Contacts) != 50 {
		t.Errorf("a CSV export after vCard exports: %s reading %v, %d contacts; want the CSV's 50", loc.Kind, loc.Files, len(res.Contacts))
	}
}
