package exports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

// A restored CSV is opened in Excel as often as it is imported into Outlook: a cell that
// starts with =, +, -, @, TAB or CR is a formula there (=HYPERLINK to a phishing page,
// =cmd|' /C calc'!A0 to run a program). Such cells are written with a leading single quote,
// as OWASP recommends; a phone number such as "+44 20 7946 0958" is no formula and is
// written as it is, so Outlook imports it dialable. SyncGuard's own reader takes the quote
// off again, so a restore file read back gives the contacts that were restored.
func TestRestoredCSVNeutralizesFormulasAndKeepsPhones(t *testing.T) {
	formulas := []string{`=HYPERLINK("http://evil.example/","Click")`, `=cmd|' /C calc'!A0`, `+SUM(1+1)`, `@SUM(1)`, `-2+3+cmd|' /C calc'!A0`, "\t=1+1", "\r=1+1"}
	var book []*contacts.Contact
	for i, f := range formulas {
		book = append(book, &contacts.Contact{
			Name:           "Formula " + string(rune('A'+i)),
			StructuredName: contacts.Name{Given: "Formula", Family: string(rune('A' + i))},
			Organization:   f,
			Title:          f,
			Note:           f,
			Phones: []contacts.Value{
				{Value: "+44 20 7946 0958", Types: []string{"work"}},
				{Value: "+1 (212) 555-0100 x12", Types: []string{"cell"}},
				{Value: "+HYPERLINK(1)", Types: []string{"home"}},
			},
			Emails: []contacts.Value{{Value: "f" + string(rune('a'+i)) + "@example.com"}},
		})
	}
	var buf bytes.Buffer
	if err := WriteOutlookCSV(&buf, book); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff"))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, row := range rows[1:] {
		for _, h := range []string{"Company", "Job Title", "Notes", "Home Phone"} {
			if v := row[col[h]]; !strings.HasPrefix(v, "'") {
				t.Errorf("row %d %s = %q: a formula must be written after a single quote", i+1, h, v)
			}
		}
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && cell != "+44 20 7946 0958" && cell != "+1 (212) 555-0100 x12" {
				t.Errorf("row %d: cell %q starts a formula", i+1, cell)
			}
		}
		if row[col["Business Phone"]] != "+44 20 7946 0958" || row[col["Mobile Phone"]] != "+1 (212) 555-0100 x12" {
			t.Errorf("row %d: phones %q, %q; want them as they were", i+1, row[col["Business Phone"]], row[col["Mobile Phone"]])
		}
	}
	// Read back with SyncGuard's own reader: the same contacts.
	cs, errs, _ := ReadBytes("restore.csv", buf.Bytes())
	if len(errs) > 0 || len(cs) != len(book) {
		t.Fatalf("%d contacts of %d, %v", len(cs), len(book), errs)
	}
	for i := range book {
		phones := map[string]bool{}
		for _, p := range cs[i].Phones {
			phones[p.Value] = true
		}
		if cs[i].Organization != strings.TrimSpace(book[i].Organization) || cs[i].Title != cs[i].Organization ||
			strings.TrimSpace(cs[i].Note) != strings.TrimSpace(book[i].Note) || len(phones) != 3 || !phones["+HYPERLINK(1)"] || !phones["+44 20 7946 0958"] {
			t.Errorf("contact %d read back as company %q, title %q, note %q, phones %v; want %q and the three phones", i, cs[i].Organization, cs[i].Title, cs[i].Note, phones, book[i].Organization)
		}
	}
}
