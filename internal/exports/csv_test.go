package exports

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit"
)

// germanHeader is German Outlook's full header, in Outlook's column order, as Exchange's
// importer lists the names. Delimited with ";" below, as German Excel re-saves it.
var germanHeader = []string{"Anrede", "Vorname", "Weitere Vornamen", "Nachname", "Suffix", "Firma", "Abteilung",
	"Position", "Straße geschäftlich", "Straße geschäftlich 2", "Straße geschäftlich 3", "Ort geschäftlich",
	"Region geschäftlich", "Postleitzahl geschäftlich", "Land/Region geschäftlich", "Straße privat", "Straße privat 2",
	"Straße privat 3", "Ort privat", "Bundesland/Kanton privat", "Postleitzahl privat", "Land/Region privat",
	"Weitere Straße", "Weitere Straße 2", "Weitere Straße 3", "Weiterer Ort", "Weiteres/r Bundesland/Kanton",
	"Weitere Postleitzahl", "Weiteres/e Land/Region", "Telefon Assistent", "Fax geschäftlich", "Telefon geschäftlich",
	"Telefon geschäftlich 2", "Rückmeldung", "Autotelefon", "Telefon Firma", "Fax privat", "Telefon privat",
	"Telefon privat 2", "ISDN", "Mobiltelefon", "Weiteres Fax", "Weiteres Telefon", "Pager", "Haupttelefon",
	"Mobiltelefon 2", "Telefon für Hörbehinderte", "Telex", "Konto", "Jahrestag", "Name Assistent",
	"Abrechnungsinformation", "Geburtstag", "Postfach geschäftlich", "Kategorien", "Kinder", "E-Mail-Adresse",
	"E-Mail-Typ", "E-Mail: Angezeigter Name", "E-Mail 2: Adresse", "E-Mail 2: Typ", "E-Mail 2: Angezeigter Name",
	"E-Mail 3: Adresse", "E-Mail 3: Typ", "E-Mail 3: Angezeigter Name", "Geschlecht", "Regierungsnr.", "Hobby",
	"Postfach privat", "Initialen", "Internet-Frei/Gebucht", "Ort", "Name des/der Vorgesetzten", "Reisekilometer",
	"Notizen", "Büro", "Weiteres Postfach", "Priorität", "Privat", "Beruf", "Vertraulichkeit", "Partner",
	"Benutzer 1", "Benutzer 2", "Benutzer 3", "Benutzer 4", "Webseite"}

// germanRow builds a row for germanHeader from column name to value.
func germanRow(vals map[string]string) string {
	cells := make([]string, len(germanHeader))
	for i, h := range germanHeader {
		v, ok := vals[h]
		if !ok {
			continue
		}
		delete(vals, h)
		cells[i] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	if len(vals) > 0 {
		panic(fmt.Sprint("not in the German header: ", vals))
	}
	return strings.Join(cells, ";") + "\r\n"
}

func quotedRow(cells []string, delim string) string {
	q := make([]string, len(cells))
	for i, c := range cells {
		q[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return strings.Join(q, delim) + "\r\n"
}

func TestCSVGermanOutlook(t *testing.T) {
	t.Parallel()
	text := quotedRow(germanHeader, ";") +
		germanRow(map[string]string{"Anrede": "Dr.", "Vorname": "Jürgen", "Nachname": "Müller", "Firma": "Müller & Partner GmbH",
			"Position": "Geschäftsführer", "Straße geschäftlich": "Maximilianstraße 1", "Ort geschäftlich": "München",
			"Postleitzahl geschäftlich": "80331", "Land/Region geschäftlich": "Deutschland",
			"Telefon geschäftlich": "+49 89 1234567", "Mobiltelefon": "0171 1234567", "Mobiltelefon 2": "0172 7654321",
			"Fax privat": "089 555", "E-Mail-Adresse": "j.mueller@example.de", "E-Mail-Typ": "SMTP",
			"E-Mail 2: Adresse": "juergen@example.org", "Kategorien": "Mandanten,VIP", "Reisekilometer": "IA00FF12",
			"Notizen": "Erste Zeile\r\nZweite Zeile; mit \"Zitat\"", "Geburtstag": "17.05.1970", "Jahrestag": "0.0.00",
			"Name Assistent": "Frau Weiß", "Geschlecht": "Nicht angegeben", "Priorität": "Normal", "Vertraulichkeit": "Normal",
			"Privat": "Aus", "Webseite": "https://mueller.example.de"}) +
		germanRow(map[string]string{"Vorname": "Zoë", "Nachname": "Øvergaard", "Kategorien": "Gegner"})
	raw, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	cs, errs, sum := ReadBytes("kontakte.csv", raw)
	if len(errs) > 0 || len(cs) != 2 {
		t.Fatalf("%d contacts, %v", len(cs), errs)
	}
	if sum.Format != FormatOutlookCSV || sum.Encoding != "windows-1252" {
		t.Errorf("format %s encoding %s", sum.Format, sum.Encoding)
	}
	c := cs[0]
	checks := []struct{ what, got, want string }{
		{"name", c.Name, "Dr. Jürgen Müller"},
		{"structured", fmt.Sprint(c.StructuredName), fmt.Sprint(contacts.Name{Prefix: "Dr.", Given: "Jürgen", Family: "Müller"})},
		{"org", c.Organization, "Müller & Partner GmbH"},
		{"title", c.Title, "Geschäftsführer"},
		{"categories", strings.Join(c.Categories, "|"), "Mandanten|VIP"},
		{"mileage", c.Mileage, "IA00FF12"},
		{"note", c.Note, "Erste Zeile\nZweite Zeile; mit \"Zitat\""},
		{"birthday", c.Birthday, "1970-05-17"},
		{"anniversary", c.Anniversary, ""},
		{"emails", strings.Join(emailsOf(c), " "), "j.mueller@example.de juergen@example.org"},
		{"phones", fmt.Sprint(phonesOf(c)), "[{+49 89 1234567 work,voice} {089 555 home,fax} {0171 1234567 cell,voice} {0172 7654321 radio}]"},
		{"address", fmt.Sprint(c.Addresses), fmt.Sprint([]contacts.Address{{Types: []string{"work"}, Street: "Maximilianstraße 1", City: "München", PostalCode: "80331", Country: "Deutschland"}})},
		{"url", fmt.Sprint(c.URLs), "[{https://mueller.example.de [work]}]"},
		{"other", fmt.Sprint(c.Other), "[{Name Assistent  Frau Weiß}]"},
		{"source", fmt.Sprint(c.Source), "{kontakte.csv 2 outlook-csv}"},
		{"second", fmt.Sprintf("%s %v %d", cs[1].Name, cs[1].Categories, cs[1].Source.Line), "Zoë Øvergaard [Gegner] 4"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.what, ck.got, ck.want)
		}
	}
}

// TestCSVHeaderSynonyms: every German Outlook column that has an English counterpart in
// the table maps to the same field.
func TestCSVHeaderSynonyms(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{{"Anrede", "Title"}, {"Vorname", "First Name"}, {"Weitere Vornamen", "Middle Name"},
		{"Nachname", "Last Name"}, {"Firma", "Company"}, {"Abteilung", "Department"}, {"Position", "Job Title"},
		{"Straße geschäftlich 2", "Business Street 2"}, {"Region geschäftlich", "Business State"},
		{"Land/Region geschäftlich", "Business Country/Region"}, {"Bundesland/Kanton privat", "Home State"},
		{"Weiteres/e Land/Region", "Other Country/Region"}, {"Weiteres/r Bundesland/Kanton", "Other State"},
		{"Telefon Assistent", "Assistant's Phone"}, {"Fax geschäftlich", "Business Fax"}, {"Telefon privat 2", "Home Phone 2"},
		{"Mobiltelefon 2", "Radio Phone"}, {"Haupttelefon", "Primary Phone"}, {"Telefon für Hörbehinderte", "TTY/TDD Phone"},
		{"E-Mail-Adresse", "E-mail Address"}, {"E-Mail 2: Adresse", "E-mail 2 Address"}, {"E-Mail 3: Adresse", "E-mail 3 Address"},
		{"Kategorien", "Categories"}, {"Reisekilometer", "Mileage"}, {"Notizen", "Notes"}, {"Geburtstag", "Birthday"},
		{"Jahrestag", "Anniversary"}, {"Webseite", "Web Page"}, {"Postfach privat", "Home Address PO Box"},
		{"  e-mail 2 address ", "E-mail 2 Address"}, {"CATEGORIES", "Categories"}}
	for _, p := range pairs {
		de, okDE := csvColumns[headerKey(p[0])]
		en, okEN := csvColumns[headerKey(p[1])]
		if !okDE || !okEN || de.kind != en.kind || fmt.Sprint(de.types) != fmt.Sprint(en.types) || de.part != en.part || de.slot != en.slot {
			t.Errorf("%q (%v %+v) and %q (%v %+v) should map alike", p[0], okDE, de, p[1], okEN, en)
		}
	}
	// Every German column is mapped or translated for the restore, so none is lost.
	for _, h := range germanHeader {
		_, mapped := csvColumns[headerKey(h)]
		_, kept := outlookColumnEnglish[h]
		if !mapped && !kept && h != "Suffix" && h != "Pager" && h != "ISDN" && h != "Telex" {
			t.Errorf("German column %q is neither mapped nor translated for the restore", h)
		}
	}
}

// TestCSVFrenchOutlook: French Outlook's header, where "Titre" names both the prefix (the
// first column) and the job title.
func TestCSVFrenchOutlook(t *testing.T) {
	t.Parallel()
	header := []string{"Titre", "Prénom", "Deuxième prénom", "Nom", "Suffixe", "Société", "Service", "Titre",
		"Rue (bureau)", "Ville (bureau)", "Code postal (bureau)", "Pays/Région (bureau)", "Téléphone (bureau)",
		"Tél. mobile", "Télécopie (bureau)", "Adresse de messagerie", "Type de messagerie", "Catégories",
		"Kilométrage", "Notes", "Anniversaire", "Anniversaire de mariage ou fête", "Priorité", "Nom de l'assistant(e)"}
	row := []string{"Me", "Renée", "", "Lévesque", "", "Cabinet Lévesque", "Litige", "Associée",
		"1000 rue Sherbrooke O.", "Montréal", "H3A 3G4", "Canada", "514 555-0100", "514 555-0199", "514 555-0101",
		"renee@levesque.example", "SMTP", "Clients;VIP", "IA0042", "Première ligne\r\nDeuxième ligne", "31/12/1975",
		"0/0/00", "Normale", "Sylvie"}
	raw, err := charmap.Windows1252.NewEncoder().Bytes([]byte(quotedRow(header, ";") + quotedRow(row, ";")))
	if err != nil {
		t.Fatal(err)
	}
	cs, errs, sum := ReadBytes("contacts.csv", raw)
	if len(errs) > 0 || len(cs) != 1 || sum.Format != FormatOutlookCSV || sum.Encoding != "windows-1252" {
		t.Fatalf("%d contacts, %v, %s %s", len(cs), errs, sum.Format, sum.Encoding)
	}
	c := cs[0]
	got := fmt.Sprintf("%s|%+v|%s|%s|%s|%v|%v|%s|%s|%s|%s|%v|%v", c.Name, c.StructuredName, c.Organization, c.Department,
		c.Title, emailsOf(c), phonesOf(c), c.Categories, c.Mileage, c.Note, c.Birthday, c.Addresses, c.Other)
	want := "Me Renée Lévesque|{Family:Lévesque Given:Renée Additional: Prefix:Me Suffix:}|Cabinet Lévesque|Litige|Associée|" +
		"[renee@levesque.example]|[{514 555-0100 work,voice} {514 555-0199 cell,voice} {514 555-0101 work,fax}]|" +
		"[Clients VIP]|IA0042|Première ligne\nDeuxième ligne|1975-12-31|" +
		"[{[work]   1000 rue Sherbrooke O. Montréal  H3A 3G4 Canada }]|[{Nom de l'assistant(e)  Sylvie}]"
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	// One "Titre" alone is the job title, as Exchange's importer reads it.
	cs, _, _ = ReadBytes("c.csv", []byte("Prénom,Nom,Titre\nRenée,Lévesque,Associée\n"))
	if len(cs) != 1 || cs[0].Title != "Associée" || cs[0].StructuredName.Prefix != "" {
		t.Errorf("%+v", cs)
	}
}

// TestCSVTablesAreConsistent catches typos in the tables: every default names a real
// Outlook column, every translation targets one.
func TestCSVTablesAreConsistent(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, h := range outlookHeader {
		known[headerKey(h)] = true
	}
	for de, en := range outlookColumnEnglish {
		known[headerKey(de)] = true
		if _, ok := outlookCol[en]; !ok {
			t.Errorf("%q translates to %q, which is not in the English header", de, en)
		}
		if _, mapped := csvColumns[headerKey(de)]; mapped {
			t.Errorf("%q is both mapped and kept in Other", de)
		}
	}
	for k := range outlookDefaults {
		if !known[k] {
			t.Errorf("outlookDefaults key %q is no Outlook column", k)
		}
	}
}

func TestCSVEncodings(t *testing.T) {
	t.Parallel()
	text := "First Name,Last Name,E-mail Address,Categories,Notes\r\nZoë,Øvergaard,zoe@example.com,Clients;VIP,\"a\r\nb\"\r\nJürgen,Müller,,,\r\n"
	utf16 := func(e unicode.Endianness, bom unicode.BOMPolicy) []byte {
		b, err := unicode.UTF16(e, bom).NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp1252, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	cases := []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf-8", []byte(text), "utf-8"},
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), "utf-8-bom"},
		{"utf-16le BOM", utf16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"},
		{"utf-16le", utf16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"},
		{"utf-16be BOM", utf16(unicode.BigEndian, unicode.UseBOM), "utf-16be"},
		{"utf-16be", utf16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"},
		{"windows-1252", cp1252, "windows-1252"},
	}
	for _, tc := range cases {
		cs, errs, sum := ReadBytes("export.csv", tc.data)
		if len(errs) > 0 || len(cs) != 2 || sum.Encoding != tc.enc {
			t.Errorf("%s: %d contacts, %v, encoding %q", tc.name, len(cs), errs, sum.Encoding)
			continue
		}
		got := fmt.Sprint(cs[0].Name, "|", cs[0].Categories, "|", cs[0].Note, "|", cs[0].Source.Line, "|", cs[1].Name, "|", cs[1].Source.Line)
		if want := "Zoë Øvergaard|[Clients VIP]|a\nb|2|Jürgen Müller|4"; got != want {
			t.Errorf("%s: %q, want %q", tc.name, got, want)
		}
	}

	// Shift_JIS against Windows-1252: "é" followed by a letter is also a valid kanji.
	for _, tc := range []struct{ text, enc, name string }{
		{"First Name,Last Name,Notes\r\n権兵衛,名無し,メモ\r\n", "shift_jis", "権兵衛 名無し"},
		{"First Name,Last Name,Notes\r\n山田,太郎,\r\n", "shift_jis", "山田 太郎"},
		{"First Name,Last Name,Notes\r\nRenée,Dubois,\r\n", "windows-1252", "Renée Dubois"},
		{"First Name,Last Name,Notes\r\nRenée,Dubois,Café – “quoted”\r\n", "windows-1252", "Renée Dubois"},
	} {
		var raw []byte
		var err error
		if tc.enc == "shift_jis" {
			raw, err = japanese.ShiftJIS.NewEncoder().Bytes([]byte(tc.text))
		} else {
			raw, err = charmap.Windows1252.NewEncoder().Bytes([]byte(tc.text))
		}
		if err != nil {
			t.Fatal(err)
		}
		cs, _, sum := ReadBytes("legacy.csv", raw)
		if len(cs) != 1 || cs[0].Name != tc.name || sum.Encoding != tc.enc {
			t.Errorf("%s: read %+v as %s", tc.name, cs, sum.Encoding)
		}
	}
}

func TestCSVCategorySeparator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		cells []string
		delim byte
		want  string
	}{
		{"Outlook default", []string{"Clients;VIP", "Experts"}, ',', ";"},
		{"comma list separator", []string{"Clients,VIP", "Experts,Court Staff"}, ',', ","},
		{"German re-save", []string{"Mandanten,VIP"}, ';', ","},
		{"semicolons inside a semicolon file", []string{"A;B", "C;D"}, ';', ";"},
		{"one odd name does not flip the file", []string{"Smith, Jones", "A;B", "C;D"}, ',', ";"},
		{"tie with a comma delimiter", []string{"Smith, Jones;VIP"}, ',', ";"},
		{"tie with a semicolon delimiter", []string{"Alpha"}, ';', ","},
		{"nothing to go by", nil, '\t', ";"},
	}
	for _, tc := range cases {
		if got := categorySeparator(tc.cells, tc.delim); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}

	// Through the reader: names kept as written, trimmed, empties dropped.
	cs, errs, _ := ReadBytes("c.csv", []byte("First Name,Categories,Mileage\nA,\" Clients ; VIP;;Holiday Card List \",\" 12 km \"\nB,Experts,\n"))
	if len(errs) > 0 || len(cs) != 2 || strings.Join(cs[0].Categories, "|") != "Clients|VIP|Holiday Card List" {
		t.Errorf("%v %+v", errs, cs)
	}
	if cs[0].Mileage != " 12 km " || cs[1].Mileage != "" {
		t.Errorf("Mileage is kept as written: %q %q", cs[0].Mileage, cs[1].Mileage)
	}
}

func TestCSVDates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in       string
		dayFirst bool
		want     string
	}{
		{"5/17/1970", false, "1970-05-17"},
		{"5/17/1970 12:00:00 AM", false, "1970-05-17"},
		{"17/5/1970", false, "1970-05-17"}, // can only be day first
		{"5/6/1970", true, "1970-06-05"},
		{"5/6/1970", false, "1970-05-06"},
		{"17.05.1970", false, "1970-05-17"},
		{"17.5.70", false, "1970-05-17"},
		{"1.1.05", false, "2005-01-01"},
		{"1970-05-17", false, "1970-05-17"},
		{"0/0/00", false, ""},
		{"0.0.00", false, ""},
		{"", false, ""},
		{"2/30/1970", false, "2/30/1970"},       // not a date: kept as written
		{"--12-12", false, "--12-12"},           // Google's birthday without a year: kept
		{"next Tuesday", false, "next Tuesday"}, // kept, never lost
	}
	for _, tc := range cases {
		if got := parseCSVDate(tc.in, tc.dayFirst); got != tc.want {
			t.Errorf("parseCSVDate(%q, %v) = %q, want %q", tc.in, tc.dayFirst, got, tc.want)
		}
	}

	// A UK export: one date that can only be day first decides for the whole file.
	cs, _, _ := ReadBytes("uk.csv", []byte("First Name,Birthday,Anniversary\nA,5/6/1970,0/0/00\nB,25/12/1980,\n"))
	if len(cs) != 2 || cs[0].Birthday != "1970-06-05" || cs[1].Birthday != "1980-12-25" || cs[0].Anniversary != "" {
		t.Errorf("UK dates: %+v", cs)
	}
	// A US export: month first.
	cs, _, _ = ReadBytes("us.csv", []byte("First Name,Birthday\nA,5/6/1970\nB,12/25/1980\n"))
	if len(cs) != 2 || cs[0].Birthday != "1970-05-06" || cs[1].Birthday != "1980-12-25" {
		t.Errorf("US dates: %+v", cs)
	}
}

// TestCSVMalformed: bad rows give errors at their lines and the rest of the file reads.
func TestCSVMalformed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		text     string
		contacts string // Given:line ...
		errLines []int
	}{
		{"multi-line notes count their lines",
			"First Name,Notes\nA,\"one\r\ntwo\r\nthree\"\nB,x\n",
			"A:2 B:5", nil},
		{"fewer values than columns",
			"First Name,Last Name,Notes\nA,B,c\nShort\nC,D,\n",
			"A:2 Short:3 C:4", []int{3}},
		{"more values than columns: kept, and said",
			"First Name,Last Name\nA,B,extra\nC,D,,\n",
			"A:2 C:3", []int{2}},
		{"text after a closing quote",
			"First Name,Last Name\n\"A\"x,B\nC,D\n",
			"Ax:2 C:3", []int{2}},
		{"a quote inside an unquoted value is a character",
			"First Name,Notes\nA,5\" floppy\nB,\n",
			"A:2 B:3", nil},
		{"a stray opening quote spoils one line only",
			"First Name,Last Name,Notes\nA,B,\"never closed\nC,D,e\nE,F,\"a\nb\"\n",
			"A:2 C:3 E:4", []int{2}},
		{"a file cut off inside a note",
			"First Name,Last Name,Company,Notes\nA,B,C,\"first line\nsecond line\nthird",
			"A:2", []int{2}},
		{"unterminated quote at the very end",
			"First Name,Last Name\nA,B\nC,\"",
			"A:2 C:3", []int{3}},
		{"blank lines and rows of delimiters are no contacts",
			"First Name,Last Name\n\n,\nA,B\n\n",
			"A:4", nil},
		{"CR line endings (Excel for Mac)",
			"First Name,Last Name\rA,B\rC,D\r",
			"A:2 C:3", nil},
		{"Excel's sep= line",
			"sep=;\nFirst Name;Last Name\nA;B\n",
			"A:3", nil},
		{"tab delimited",
			"First Name\tLast Name\tE-mail Address\nA\tB\ta@example.com\n",
			"A:2", nil},
		{"a stray quote pairing with a later field's quote",
			"First Name,Last Name,Notes\nA,B,\"oops\nC,D,\"fine\"\nE,F,x\n",
			"A:2 C:3 E:4", []int{2}},
		{"header only: an empty address book, not an error",
			"First Name,Last Name,E-mail Address\r\n",
			"", nil},
	}
	for _, tc := range cases {
		cs, errs, sum := ReadBytes("t.csv", []byte(tc.text))
		var got []string
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%s:%d", c.StructuredName.Given, c.Source.Line))
		}
		var lines []int
		for _, e := range errs {
			lines = append(lines, e.Line)
			if e.File != "t.csv" || e.Message == "" {
				t.Errorf("%s: error without file or message: %+v", tc.name, e)
			}
		}
		if strings.Join(got, " ") != tc.contacts || fmt.Sprint(lines) != fmt.Sprint(tc.errLines) {
			t.Errorf("%s:\n contacts %q errors %v\n want     %q errors %v\n %v", tc.name, strings.Join(got, " "), lines, tc.contacts, tc.errLines, errs)
		}
		if sum.Unreadable != (len(cs) == 0 && len(errs) > 0) {
			t.Errorf("%s: unreadable = %v", tc.name, sum.Unreadable)
		}
	}
}

func TestCSVMalformedDetails(t *testing.T) {
	t.Parallel()
	// The cut-off note: the lines of the note are not taken as contacts, and the error says so.
	cs, errs, _ := ReadBytes("t.csv", []byte("First Name,Last Name,Company,Notes\nA,B,C,\"first line\nsecond line\nthird"))
	if len(cs) != 1 || cs[0].Note != `"first line` || len(errs) != 1 || !strings.Contains(errs[0].Message, "2 rows") {
		t.Errorf("%+v %v", cs, errs)
	}
	// An unknown header names what was expected, at its line.
	_, errs, sum := ReadBytes("t.csv", []byte("foo,bar,baz\n1,2,3\n"))
	if len(errs) != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Message, "First Name") || !strings.Contains(errs[0].Message, "Vorname") || !sum.Unreadable {
		t.Errorf("%v %v", errs, sum)
	}
	// Extra values are kept, not dropped.
	cs, _, _ = ReadBytes("t.csv", []byte("First Name,Last Name\nA,B,extra\n"))
	if len(cs) != 1 || fmt.Sprint(cs[0].Other) != "[{Column 3  extra}]" {
		t.Errorf("%+v", cs)
	}
	// Many bad rows: errors are capped, every row is still read.
	var b strings.Builder
	b.WriteString("First Name,Last Name\n")
	for i := range 500 {
		fmt.Fprintf(&b, "N%d,\"L\"x,extra\n", i)
	}
	cs, errs, _ = ReadBytes("t.csv", []byte(b.String()))
	if len(cs) != 500 || len(errs) != maxRowErrors+1 || !strings.Contains(errs[maxRowErrors].Message, "450 more rows") {
		t.Errorf("%d contacts, %d errors, last %v", len(cs), len(errs), errs[len(errs)-1])
	}
}

// TestCSVBrokenQuotesStayLinear: however the quotes are broken, reading does not slow to a
// scan of the rest of the file per row (which on a 50 MB file would never end). Each shape
// is read at two sizes, four times apart: the bytes the scanner examines, the allocations
// and the bytes allocated grow about four times, where a rescan per row grows sixteen.
func TestCSVBrokenQuotesStayLinear(t *testing.T) {
	for name, row := range brokenQuoteRows {
		const n, factor = 20_000, 4
		small, _ := readCost(t, "big.csv", []byte("First Name,Last Name\n"+strings.Repeat(row, n)))
		data := []byte("First Name,Last Name\n" + strings.Repeat(row, n*factor))
		large, _ := readCost(t, "big.csv", data)
		testkit.Linear(t, name, factor, small, large)
		if large.Steps < int64(len(data)) {
			t.Errorf("%s: %d steps for %d bytes: the scanner's work counter misses some of its work", name, large.Steps, len(data))
		}
		if cs, _, _ := ReadBytes("big.csv", data); len(cs) == 0 {
			t.Errorf("%s: no contacts", name)
		}
	}
}

// brokenQuoteRows are rows whose quotes are broken in the ways that could make a CSV
// reader rescan the rest of the file per row.
var brokenQuoteRows = map[string]string{
	"stray opening quotes":    "a,\"b\n",
	"doubled quotes":          "\"\"\"a,\"\"\n",
	"quote after the closing": "\"a\"\"b\"x,\"\n",
}

// BenchmarkCSVBrokenQuotes measures the reader on 200,000 rows of each broken shape (make
// bench): the speed TestCSVBrokenQuotesStayLinear does not assert.
func BenchmarkCSVBrokenQuotes(b *testing.B) {
	for name, row := range brokenQuoteRows {
		data := []byte("First Name,Last Name\n" + strings.Repeat(row, 200_000))
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				ReadBytes("big.csv", data)
			}
		})
	}
}

func TestCSVGoogleAndGenericHeaders(t *testing.T) {
	t.Parallel()
	// The newer Google Contacts export: "Labels" and "- Label" columns.
	text := "First Name,Last Name,Organization Name,Organization Title,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n" +
		"Ada,Lovelace,Analytical Engines,Countess,* myContacts ::: Clients ::: VIP,* Work,ada@example.com ::: ada@home.example,Mobile,+44 20 7946 0000\n"
	cs, errs, sum := ReadBytes("google.csv", []byte(text))
	if len(errs) > 0 || len(cs) != 1 || sum.Format != FormatGoogleCSV {
		t.Fatalf("%v %d %s", errs, len(cs), sum.Format)
	}
	c := cs[0]
	got := fmt.Sprint(c.Name, "|", c.Organization, "|", c.Title, "|", c.Categories, "|", c.Emails, "|", c.Phones, "|", c.Other)
	want := "Ada Lovelace|Analytical Engines|Countess|[Clients VIP]|[{ada@example.com [work pref]} {ada@home.example [work pref]}]|[{+44 20 7946 0000 [mobile]}]|[{Labels  * myContacts}]"
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	// A row holding nothing but Google's system group is no contact.
	cs, _, _ = ReadBytes("google.csv", []byte("Name,Group Membership,E-mail 1 - Value\nA,* myContacts,\n,* myContacts,\n"))
	if len(cs) != 1 || cs[0].Name != "A" {
		t.Errorf("system group only: %+v", cs)
	}
	// A hand-made CSV of no known program still maps what it can.
	cs, _, sum = ReadBytes("list.csv", []byte("Name;Email;Phone\nJane Roe;jane@example.com;555-0100\n"))
	if len(cs) != 1 || sum.Format != FormatCSV || cs[0].Name != "Jane Roe" || emailsOf(cs[0])[0] != "jane@example.com" || cs[0].Phones[0].Value != "555-0100" {
		t.Errorf("generic: %s %+v", sum.Format, cs)
	}
}

// testBook is the generated book with the cases a restore file must carry through.
func testBook() []*contacts.Contact {
	book := gen.Book(44, 500)
	book = append(book,
		&contacts.Contact{StructuredName: contacts.Name{Given: "Quote", Family: "Marks"}, Note: "He said \"hi\"\nthen, \"bye\"; twice\n\nend",
			Categories: []string{"Smith, Jones", "VIP"}, Mileage: "IA 00,12;x"},
		&contacts.Contact{Name: "Doe, John", Emails: []contacts.Value{{Value: "john@example.com"}}},
		&contacts.Contact{Organization: "Only An Org", Phones: []contacts.Value{{Value: "555-0100", Types: []string{"home", "fax"}}}},
	)
	return book
}

func TestWriteOutlookCSVRoundTrips(t *testing.T) {
	t.Parallel()
	book := testBook()
	var buf bytes.Buffer
	if err := WriteOutlookCSV(&buf, book); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff\"Title\",\"First Name\",\"Middle Name\",\"Last Name\"") {
		t.Errorf("header = %q", out[:60])
	}
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Error("every line break must be CRLF")
	}
	if !strings.Contains(out, `"He said ""hi""`+"\r\n"+`then, ""bye""; twice`+"\r\n\r\nend\"") {
		t.Error("the multi-line note is not quoted as Outlook quotes it")
	}
	cs, errs, sum := ReadBytes("restore.csv", buf.Bytes())
	if len(errs) > 0 || len(cs) != len(book) || sum.Format != FormatOutlookCSV || sum.Encoding != "utf-8-bom" {
		t.Fatalf("%d contacts of %d, %v, %s %s", len(cs), len(book), errs, sum.Format, sum.Encoding)
	}
	for i := range book {
		if cs[i].Fingerprint("") != book[i].Fingerprint("") {
			t.Errorf("contact %d changed in the round trip:\n got %+v\nwant %+v", i, cs[i], book[i])
		}
	}
	q := cs[500]
	if strings.Join(q.Categories, "|") != "Smith, Jones|VIP" || q.Mileage != "IA 00,12;x" {
		t.Errorf("categories %q mileage %q", q.Categories, q.Mileage)
	}
}

func TestWriteOutlookCSVKeepsWhatHasNoColumn(t *testing.T) {
	t.Parallel()
	c := &contacts.Contact{StructuredName: contacts.Name{Given: "Many"},
		Emails: []contacts.Value{{Value: "a@x.com"}, {Value: "b@x.com"}, {Value: "c@x.com"}, {Value: "d@x.com"}},
		Other:  []contacts.Field{{Name: "Name Assistent", Value: "Frau Weiß"}, {Name: "Spouse", Value: "Alex"}}}
	var buf bytes.Buffer
	if err := WriteOutlookCSV(&buf, []*contacts.Contact{c}); err != nil {
		t.Fatal(err)
	}
	cs, _, _ := ReadBytes("r.csv", buf.Bytes())
	if len(cs) != 1 || !strings.Contains(cs[0].Note, "E-mail: d@x.com") {
		t.Fatalf("a fourth e-mail must not vanish: %+v", cs)
	}
	if fmt.Sprint(cs[0].Other) != "[{Assistant's Name  Frau Weiß} {Spouse  Alex}]" {
		t.Errorf("kept columns, German names translated: %v", cs[0].Other)
	}
}

// outlookAsExported writes the book as Outlook itself exports it: every row carries
// Outlook's defaults (0/0/00 dates, "Normal", "Unspecified", "SMTP", a display name for
// each e-mail), which is what the reader meets in practice.
func outlookAsExported(book []*contacts.Contact) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	bw := bufio.NewWriter(&buf)
	w := func(fields []string) { writeQuotedRow(bw, fields) }
	w(outlookHeader)
	row := make([]string, len(outlookHeader))
	for _, c := range book {
		outlookRow(c, row)
		for col, def := range map[string]string{"Birthday": "0/0/00", "Anniversary": "0/0/00", "Gender": "Unspecified",
			"Priority": "Normal", "Sensitivity": "Normal", "Private": "False"} {
			if i := outlookCol[col]; row[i] == "" {
				row[i] = def
			}
		}
		if len(c.Emails) > 0 {
			row[outlookCol["E-mail Type"]] = "SMTP"
			row[outlookCol["E-mail Display Name"]] = c.DisplayName() + " (" + c.Emails[0].Value + ")"
		}
		w(row)
	}
	bw.Flush()
	return buf.Bytes()
}

func TestOutlookAsExportedReadsBack(t *testing.T) {
	t.Parallel()
	book := gen.Book(3, 200)
	cs, errs, _ := ReadBytes("outlook.csv", outlookAsExported(book))
	if len(errs) > 0 || len(cs) != len(book) {
		t.Fatalf("%d contacts, %v", len(cs), errs)
	}
	for i := range book {
		if cs[i].Fingerprint("") != book[i].Fingerprint("") {
			t.Fatalf("contact %d:\n got %+v\nwant %+v", i, cs[i], book[i])
		}
		for _, f := range cs[i].Other {
			if f.Name != "E-mail Display Name" {
				t.Fatalf("contact %d: Outlook's default %v kept as data", i, f)
			}
		}
	}
}

// BenchmarkReadOutlookCSVAsExported reads 10,000 contacts as Outlook exports them (all 92
// columns quoted, Outlook's defaults in every row). The target is well under 0.3 s.
func BenchmarkReadOutlookCSVAsExported(b *testing.B) {
	data := outlookAsExported(gen.Book(1, benchSize))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs, errs, _ := ReadBytes("contacts.csv", data)
		if len(cs) != benchSize || len(errs) != 0 {
			b.Fatalf("%d contacts, %d errors", len(cs), len(errs))
		}
	}
}

func BenchmarkWriteOutlookCSV(b *testing.B) {
	book := gen.Book(1, benchSize)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := WriteOutlookCSV(io.Discard, book); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, b := range testkit.RealExportSeeds(f, ".csv") {
		f.Add(b)
	}
	f.Add([]byte(quotedRow(germanHeader[:20], ";") + quotedRow(germanHeader[:20], ";")))
	f.Add([]byte("Name,Group Membership,E-mail 1 - Value\nA,* myContacts ::: X,a@b ::: c@d\n"))
	f.Add([]byte("First Name,Notes\nA,\"x\ny\"\"z\"q\rB,\"open\n"))
	f.Add([]byte("sep=\t\nFirst Name\tBirthday\tBirth Year\tBirth Month\tBirth Day\nA\t31/12/1999\t1999\t12\t31\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The CSV reader itself, whatever the bytes: ReadBytes would send some of them to
		// the vCard reader instead.
		text, enc, err := decodeUnicode(data)
		if err != nil {
			return
		}
		cs, errs, _, _ := readCSV("fuzz.csv", text, enc, false)
		for _, e := range errs {
			if e.File != "fuzz.csv" || e.Line < 1 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
		last := 0
		for _, c := range cs {
			if c.Source.File != "fuzz.csv" || c.Source.Line < 1 || c.Source.Line < last {
				t.Fatalf("contact source %+v after line %d", c.Source, last)
			}
			last = c.Source.Line
		}
	})
}

// TestOneFingerprintAcrossFormats: the same people exported by Outlook as vCard 2.1 and as
// CSV compare equal where the fields are equal (Outlook's vCards carry no Mileage).
func TestOneFingerprintAcrossFormats(t *testing.T) {
	t.Parallel()
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
		if a[i].Fingerprint("") != b[i].Fingerprint("") {
			t.Fatalf("contact %d differs between vCard and CSV:\n%+v\n%+v", i, a[i], b[i])
		}
	}
}

// TestCSVCutShort: a file that ends in the middle of a contact says so, so that a snapshot is
// not taken from it; an ordinary file, or one whose last line merely lacks a line break, does not.
func TestCSVCutShort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		cut        bool
	}{
		{"ends inside a quoted note", "First Name,Last Name,Notes\nA,B,\"first line\nsecond", true},
		{"ends in the middle of a row", "First Name,Last Name,Company,Notes\nA,B,C,x\nD,E", true},
		{"a short row followed by a line break", "First Name,Last Name,Company\nA,B,C\nD,E\n", false},
		{"no line break after a whole last row", "First Name,Last Name\nA,B\nC,D", false},
		{"a stray quote mid-file, then whole rows", "First Name,Last Name,Notes\nA,B,\"never closed\nC,D,e\n", false},
	}
	for _, tc := range cases {
		_, errs, sum := ReadBytes("t.csv", []byte(tc.text))
		if sum.CutShort != tc.cut {
			t.Errorf("%s: cut short = %v, want %v (%v)", tc.name, sum.CutShort, tc.cut, errs)
		}
		r := Result{Errors: errs}
		if e, ok := r.CutShort(); ok != tc.cut || (ok && (e.Line == 0 || !strings.Contains(e.Message, "export the contacts again"))) {
			t.Errorf("%s: CutShort() = %+v, %v", tc.name, e, ok)
		}
	}
}
