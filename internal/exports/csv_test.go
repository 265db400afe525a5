package exports

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
)

func readCSVText(t *testing.T, data []byte) ([]*contacts.Contact, []FileError, FileSummary) {
	t.Helper()
	return ReadBytes("export.csv", data)
}

const germanOutlook = "\"Anrede\";\"Vorname\";\"Weitere Vornamen\";\"Nachname\";\"Firma\";\"Telefon geschäftlich\";\"Mobiltelefon\";\"E-Mail-Adresse\";\"E-Mail 2: Adresse\";\"Kategorien\";\"Reisekilometer\";\"Notizen\";\"Geburtstag\";\"Straße geschäftlich\";\"Ort geschäftlich\";\"Postleitzahl geschäftlich\"\r\n" +
	"\"Dr.\";\"Jürgen\";\"\";\"Müller\";\"Müller & Partner GmbH\";\"+49 89 1234567\";\"0171 1234567\";\"j.mueller@example.de\";\"\";\"Mandanten,VIP\";\"IA00FF12\";\"Erste Zeile\r\nZweite Zeile\";\"17.05.1970\";\"Maximilianstraße 1\";\"München\";\"80331\"\r\n"

func TestCSVGermanOutlookInWindows1252(t *testing.T) {
	raw, err := charmap.Windows1252.NewEncoder().Bytes([]byte(germanOutlook))
	if err != nil {
		t.Fatal(err)
	}
	cs, errs, sum := readCSVText(t, raw)
	if len(errs) > 0 || len(cs) != 1 {
		t.Fatalf("%d contacts, %v", len(cs), errs)
	}
	if sum.Format != FormatOutlookCSV || sum.Encoding != "windows-1252" {
		t.Errorf("format %s encoding %s", sum.Format, sum.Encoding)
	}
	c := cs[0]
	if c.StructuredName != (contacts.Name{Prefix: "Dr.", Given: "Jürgen", Family: "Müller"}) || c.Organization != "Müller & Partner GmbH" {
		t.Errorf("name %+v org %q", c.StructuredName, c.Organization)
	}
	if strings.Join(c.Categories, "|") != "Mandanten|VIP" {
		t.Errorf("categories %q: with ';' as delimiter Outlook joins categories with ','", c.Categories)
	}
	if c.Mileage != "IA00FF12" || c.Note != "Erste Zeile\nZweite Zeile" || c.Birthday != "1970-05-17" {
		t.Errorf("mileage %q note %q birthday %q", c.Mileage, c.Note, c.Birthday)
	}
	if len(c.Phones) != 2 || c.Phones[0].Value != "+49 89 1234567" || contacts.PhoneKind(c.Phones[1].Types) != "cell" {
		t.Errorf("phones %+v", c.Phones)
	}
	if len(c.Addresses) != 1 || c.Addresses[0].Street != "Maximilianstraße 1" || c.Addresses[0].City != "München" {
		t.Errorf("address %+v", c.Addresses)
	}
	if c.Source.Line != 2 {
		t.Errorf("line %d", c.Source.Line)
	}
}

func TestCSVEncodings(t *testing.T) {
	text := "First Name,Last Name,E-mail Address,Categories\r\nZoë,Øvergaard,zoe@example.com,Clients;VIP\r\n"
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	cases := map[string][]byte{
		"utf-8":        []byte(text),
		"utf-8 BOM":    append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"utf-16le BOM": append([]byte{0xFF, 0xFE}, le...),
		"utf-16le":     le,
		"utf-16be BOM": append([]byte{0xFE, 0xFF}, be...),
		"utf-16be":     be,
	}
	for name, data := range cases {
		cs, errs, _ := readCSVText(t, data)
		if len(errs) > 0 || len(cs) != 1 || cs[0].StructuredName.Given != "Zoë" || cs[0].StructuredName.Family != "Øvergaard" ||
			strings.Join(cs[0].Categories, "|") != "Clients|VIP" {
			t.Errorf("%s: %d contacts %v %+v", name, len(cs), errs, cs)
		}
	}
}

func TestCSVDelimitersAndDates(t *testing.T) {
	for name, data := range map[string]string{
		"comma":     "First Name,Last Name,Birthday,Anniversary\nAda,Lovelace,12/10/1815,0/0/00\n",
		"semicolon": "First Name;Last Name;Birthday;Anniversary\nAda;Lovelace;10.12.1815;\n",
		"tab":       "First Name\tLast Name\tBirthday\tAnniversary\nAda\tLovelace\t1815-12-10\t\n",
	} {
		cs, errs, _ := readCSVText(t, []byte(data))
		if len(errs) > 0 || len(cs) != 1 || cs[0].StructuredName.Family != "Lovelace" || cs[0].Birthday != "1815-12-10" || cs[0].Anniversary != "" {
			t.Errorf("%s: %v %+v", name, errs, cs)
		}
	}
}

func TestCSVBadRowsAreErrorsWithLines(t *testing.T) {
	data := "First Name,Last Name,Notes\n" +
		"Good,One,\"a note\nover two lines\"\n" +
		"Bad,Quote,a\"b\n" +
		"Good,Two,\n" +
		"Ragged,Row,note,EXTRA\n" +
		"Open,Quote,\"never closed\n" +
		"Lost,Row,\n"
	cs, errs, _ := readCSVText(t, []byte(data))
	var names []string
	for _, c := range cs {
		names = append(names, c.StructuredName.Given+":"+itoa(c.Source.Line))
	}
	if strings.Join(names, " ") != "Good:2 Good:5 Ragged:6" {
		t.Errorf("contacts = %v", names)
	}
	lines := map[int]bool{}
	for _, e := range errs {
		lines[e.Line] = true
	}
	if !lines[4] || !lines[6] || !lines[7] {
		t.Errorf("errors = %+v; want lines 4 (bare quote), 6 (extra value), 7 (unterminated quote)", errs)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestCSVUnknownHeaderSaysWhatToDo(t *testing.T) {
	_, errs, sum := readCSVText(t, []byte("foo,bar,baz\n1,2,3\n"))
	if len(errs) != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Message, "First Name") || !sum.Unreadable {
		t.Errorf("errors %+v unreadable %v", errs, sum.Unreadable)
	}
	cs, errs, sum := readCSVText(t, []byte("First Name,Last Name\n"))
	if len(cs) != 0 || len(errs) != 0 || sum.Unreadable {
		t.Errorf("a header with no rows is an empty address book, not an error: %v %v", errs, sum)
	}
}

func TestWriteOutlookCSVRoundTrips(t *testing.T) {
	book := gen.Book(44, 500)
	book[0].Emails = append(book[0].Emails, contacts.Value{Value: "a@x.com"}, contacts.Value{Value: "b@x.com"}, contacts.Value{Value: "c@x.com"})
	var buf bytes.Buffer
	if err := WriteOutlookCSV(&buf, book); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff\"Title\",\"First Name\"")) && !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffTitle,First Name")) {
		t.Errorf("header = %q", buf.String()[:40])
	}
	cs, errs, sum := readCSVText(t, buf.Bytes())
	if len(errs) > 0 || len(cs) != len(book) || sum.Format != FormatOutlookCSV {
		t.Fatalf("%d contacts of %d, %v, %s", len(cs), len(book), errs, sum.Format)
	}
	for i := 1; i < len(book); i++ {
		if cs[i].Fingerprint() != book[i].Fingerprint() {
			t.Fatalf("contact %d changed in the round trip:\n got %+v\nwant %+v", i, cs[i], book[i])
		}
	}
	if !strings.Contains(cs[0].Note, "E-mail: c@x.com") {
		t.Errorf("a fourth e-mail must not vanish: note %q", cs[0].Note)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, p := range realExports(f, ".csv") {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(germanOutlook))
	f.Add([]byte("Name,Group Membership,E-mail 1 - Value\nA,* myContacts ::: X,a@b ::: c@d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, errs, _ := ReadBytes("fuzz.csv", data)
		for _, e := range errs {
			if e.File != "fuzz.csv" || e.Line < 0 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
		for _, c := range cs {
			if c.Source.File != "fuzz.csv" {
				t.Fatalf("contact without source: %+v", c.Source)
			}
		}
	})
}

// TestOneFingerprintAcrossFormats: the same people exported by Outlook as vCard 2.1 and as
// CSV compare equal where the fields are equal (Outlook's vCards carry no Mileage).
func TestOneFingerprintAcrossFormats(t *testing.T) {
	book := gen.Book(12, 200)
	for _, c := range book {
		c.Mileage = ""
	}
	var vcf, csvb bytes.Buffer
	for _, c := range book {
		gen.WriteVCard21(&vcf, c, gen.VCardOptions{Categories: true})
	}
	if err := WriteOutlookCSV(&csvb, book); err != nil {
		t.Fatal(err)
	}
	a, errsA, _ := ReadBytes("outlook.vcf", vcf.Bytes())
	b, errsB, _ := ReadBytes("outlook.csv", csvb.Bytes())
	if len(a) != 200 || len(b) != 200 || len(errsA)+len(errsB) > 0 {
		t.Fatalf("%d and %d contacts, %v %v", len(a), len(b), errsA, errsB)
	}
	for i := range a {
		if a[i].Fingerprint() != b[i].Fingerprint() {
			t.Fatalf("contact %d differs between vCard and CSV:\n%+v\n%+v", i, a[i], b[i])
		}
	}
}
