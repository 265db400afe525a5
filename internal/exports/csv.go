package exports

// The CSV reader: Outlook (English and German headers), Google and Thunderbird exports.
// Outlook translates its header with its language, so columns are found through a table of
// synonyms; columns SyncGuard has no slot for are kept in Contact.Other under their header.

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/syncguard/syncguard/internal/contacts"
)

// readCSV reads a CSV contact export. text is UTF-8 when enc is set (the file had a BOM or
// was UTF-16), else raw bytes to decode. It returns the format it recognised and the
// encoding it used.
func readCSV(name string, text []byte, enc string) ([]*contacts.Contact, []FileError, Format, string) {
	s, encName := decodeCSVBytes(text, enc)
	delim := sniffDelimiter(s)
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = delim
	r.FieldsPerRecord = -1
	// Strict quoting: with lazy quotes an unterminated quote silently swallows every row
	// after it into one field, and those contacts would look deleted.
	r.LazyQuotes = false
	var errs []FileError
	header, err := r.Read()
	if err != nil {
		return nil, []FileError{{File: name, Line: 1, Message: fmt.Sprintf("cannot read the header row: %v; export the contacts again", csvErrText(err))}}, FormatCSV, encName
	}
	cols, format := mapHeader(header)
	if !cols.hasIdentity() {
		return nil, []FileError{{File: name, Line: 1, Message: "the first row is not a contact export header SyncGuard knows (it expects columns such as \"First Name\", \"Last Name\", \"E-mail Address\" or their German names \"Vorname\", \"Nachname\", \"E-Mail-Adresse\"); export from Outlook with File > Open & Export > Import/Export > Export to a file > Comma Separated Values"}}, FormatCSV, encName
	}
	catSep := ";"
	if delim == ';' {
		// Where the list separator is ";" (German Windows), Outlook joins categories with ",".
		catSep = ","
	}
	var out []*contacts.Contact
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs = append(errs, FileError{File: name, Line: max(line, 1), Message: fmt.Sprintf("this row cannot be read (%s); it was skipped, check the quotes in the file around this line", csvErrText(err))})
			if len(errs) > 100 {
				break
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec) > len(header) {
			extra := false
			for _, v := range rec[len(header):] {
				extra = extra || strings.TrimSpace(v) != ""
			}
			if extra {
				errs = append(errs, FileError{File: name, Line: line, Message: fmt.Sprintf("this row has %d values but the header has %d columns; the extra values were kept but may be in the wrong place: check the row", len(rec), len(header))})
			}
		}
		c := cols.contact(rec, header, catSep, format)
		if c.IsEmpty() {
			continue
		}
		c.Source = contacts.Source{File: name, Line: line, Format: string(format)}
		out = append(out, c)
	}
	return out, errs, format, encName
}

func csvErrText(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// decodeCSVBytes decodes a CSV file that had no BOM: UTF-8 where valid, Shift_JIS where the
// bytes read as Japanese (Thunderbird and Outlook on Japanese Windows), else Windows-1252.
func decodeCSVBytes(text []byte, enc string) (string, string) {
	if enc != "" {
		return string(text), enc
	}
	if utf8.Valid(text) {
		return string(text), "utf-8"
	}
	if sj, err := japanese.ShiftJIS.NewDecoder().Bytes(text); err == nil && looksJapanese(string(sj)) {
		return string(sj), "shift_jis"
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(text)
	return string(s), "windows-1252"
}

// looksJapanese reports whether most non-ASCII letters are kana or kanji, with no
// replacement characters: Windows-1252 text read as Shift_JIS gives a scatter of half-width
// katakana and symbols instead.
func looksJapanese(s string) bool {
	var jp, other int
	for _, r := range s {
		switch {
		case r < 0x80:
		case r == utf8.RuneError:
			return false
		case unicode.In(r, unicode.Hiragana, unicode.Han) || (r >= 0x30A0 && r <= 0x30FF):
			jp++
		default:
			other++
		}
	}
	return jp > 0 && jp >= 4*other
}

// sniffDelimiter picks ",", ";" or TAB by counting them, outside quotes, in the header.
func sniffDelimiter(s string) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range s {
		if r == '"' {
			inQuote = !inQuote
			continue
		}
		if !inQuote && (r == '\n' || r == '\r') {
			break
		}
		if !inQuote && (r == ',' || r == ';' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// field says what a column holds.
type field struct {
	kind  string // "given", "email", "phone", "addr", ...
	types []string
	part  string // for addresses: "street", "city", ...; for Google multi-values: "value", "type"
	slot  string // groups the columns of one address, or one Google entry ("Address 1")
}

// csvCols maps column index to field.
type csvCols struct {
	byIndex []*field
}

func (c csvCols) hasIdentity() bool {
	for _, f := range c.byIndex {
		if f == nil {
			continue
		}
		switch f.kind {
		case "given", "family", "fullname", "email", "company", "display":
			return true
		}
	}
	return false
}

// headerKey folds a header cell: lower case, letters and digits only ("E-mail 2 Address"
// and "E-Mail 2: Adresse" become "email2address" and "email2adresse").
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	work  = []string{"work"}
	home  = []string{"home"}
	other = []string{"other"}
)

// csvFields is the table of header synonyms: Outlook English, Outlook German, Thunderbird.
// German names are those Outlook 2010–2021 writes; where a translation is less certain it
// says so.
var csvFields = map[string]field{}

func def(f field, names ...string) {
	for _, n := range names {
		csvFields[headerKey(n)] = f
	}
}

func init() {
	def(field{kind: "prefix"}, "Title", "Anrede", "Name Prefix")
	def(field{kind: "given"}, "First Name", "Vorname", "Given Name")
	def(field{kind: "additional"}, "Middle Name", "Weitere Vornamen", "Additional Name")
	def(field{kind: "family"}, "Last Name", "Nachname", "Family Name")
	def(field{kind: "suffix"}, "Suffix", "Name Suffix")
	def(field{kind: "display"}, "Display Name", "Name")
	def(field{kind: "nickname"}, "Nickname", "Spitzname")
	def(field{kind: "company"}, "Company", "Firma", "Organization")
	def(field{kind: "department"}, "Department", "Abteilung")
	def(field{kind: "jobtitle"}, "Job Title", "Position")
	def(field{kind: "notes"}, "Notes", "Notizen")
	// "Reisekilometer" is German Outlook's name for Mileage (Outlook's "Kilometerstand" in
	// some older builds); both are accepted.
	def(field{kind: "mileage"}, "Mileage", "Reisekilometer", "Kilometerstand")
	def(field{kind: "categories"}, "Categories", "Kategorien")
	def(field{kind: "birthday"}, "Birthday", "Geburtstag")
	def(field{kind: "anniversary"}, "Anniversary", "Jahrestag")
	def(field{kind: "url", types: work}, "Web Page", "Webseite", "Web Page 1")
	def(field{kind: "url", types: home}, "Web Page 2")

	def(field{kind: "email", types: []string{"internet", "pref"}}, "E-mail Address", "E-Mail-Adresse", "Primary Email")
	def(field{kind: "email", types: []string{"internet"}}, "E-mail 2 Address", "E-Mail 2: Adresse", "Secondary Email")
	def(field{kind: "email", types: []string{"internet"}}, "E-mail 3 Address", "E-Mail 3: Adresse")

	phones := []struct {
		types []string
		names []string
	}{
		{[]string{"work", "voice"}, []string{"Business Phone", "Telefon geschäftlich", "Work Phone"}},
		{[]string{"work", "voice"}, []string{"Business Phone 2", "Telefon geschäftlich 2"}},
		{[]string{"work", "fax"}, []string{"Business Fax", "Fax geschäftlich", "Fax Number"}},
		{[]string{"home", "voice"}, []string{"Home Phone", "Telefon privat"}},
		{[]string{"home", "voice"}, []string{"Home Phone 2", "Telefon privat 2"}},
		{[]string{"home", "fax"}, []string{"Home Fax", "Fax privat"}},
		{[]string{"cell", "voice"}, []string{"Mobile Phone", "Mobiltelefon", "Mobile Number"}},
		{[]string{"cell", "voice"}, []string{"Mobile Phone 2", "Mobiltelefon 2"}},
		{[]string{"pager"}, []string{"Pager", "Pager Number"}},
		{[]string{"car"}, []string{"Car Phone", "Autotelefon"}},
		{[]string{"work", "main"}, []string{"Company Main Phone", "Telefon Firma"}},
		{[]string{"pref"}, []string{"Primary Phone", "Haupttelefon"}},
		{[]string{"other", "voice"}, []string{"Other Phone", "Weiteres Telefon"}},
		{[]string{"other", "fax"}, []string{"Other Fax", "Weiteres Fax"}},
		{[]string{"assistant"}, []string{"Assistant's Phone", "Telefon Assistent"}},
		{[]string{"callback"}, []string{"Callback", "Rückmeldung"}},
		{[]string{"radio"}, []string{"Radio Phone", "Funkruf"}},
		{[]string{"isdn"}, []string{"ISDN"}},
		{[]string{"telex"}, []string{"Telex"}},
		{[]string{"tty"}, []string{"TTY/TDD Phone", "Telefon für Hörbehinderte"}},
	}
	for _, p := range phones {
		def(field{kind: "phone", types: p.types}, p.names...)
	}

	addr := func(slot string, types []string, part string, names ...string) {
		def(field{kind: "addr", types: types, part: part, slot: slot}, names...)
	}
	addr("business", work, "street", "Business Street", "Straße geschäftlich", "Work Address")
	addr("business", work, "street2", "Business Street 2", "Straße geschäftlich 2", "Work Address 2")
	addr("business", work, "street3", "Business Street 3", "Straße geschäftlich 3")
	addr("business", work, "city", "Business City", "Ort geschäftlich", "Work City")
	addr("business", work, "region", "Business State", "Region geschäftlich", "Bundesland/Kanton geschäftlich", "Work State")
	addr("business", work, "postal", "Business Postal Code", "Postleitzahl geschäftlich", "Work ZipCode")
	addr("business", work, "country", "Business Country/Region", "Business Country", "Land/Region geschäftlich", "Work Country")
	addr("business", work, "pobox", "Business Address PO Box", "Postfach geschäftlich")
	addr("home", home, "street", "Home Street", "Straße privat", "Home Address")
	addr("home", home, "street2", "Home Street 2", "Straße privat 2", "Home Address 2")
	addr("home", home, "street3", "Home Street 3", "Straße privat 3")
	addr("home", home, "city", "Home City", "Ort privat")
	addr("home", home, "region", "Home State", "Bundesland/Kanton privat")
	addr("home", home, "postal", "Home Postal Code", "Postleitzahl privat", "Home ZipCode")
	addr("home", home, "country", "Home Country/Region", "Home Country", "Land/Region privat")
	addr("home", home, "pobox", "Home Address PO Box", "Postfach privat")
	addr("other", other, "street", "Other Street", "Weitere Straße")
	addr("other", other, "street2", "Other Street 2", "Weitere Straße 2")
	addr("other", other, "street3", "Other Street 3", "Weitere Straße 3")
	addr("other", other, "city", "Other City", "Weiterer Ort")
	addr("other", other, "region", "Other State", "Weiteres/r Bundesland/Kanton")
	addr("other", other, "postal", "Other Postal Code", "Weitere Postleitzahl")
	addr("other", other, "country", "Other Country/Region", "Other Country", "Weiteres/e Land/Region")
	addr("other", other, "pobox", "Other Address PO Box", "Weiteres Postfach")

	// Google
	def(field{kind: "groups"}, "Group Membership", "Labels")
}

// googleMulti matches Google's numbered columns: "E-mail 1 - Value", "Phone 2 - Type",
// "Address 1 - City", "Organization 1 - Name", "Website 1 - Value".
var googleMulti = regexp.MustCompile(`^(e-mail|email|phone|address|organization|website) (\d+) - (.+)$`)

// csvDefaults are values Outlook writes into every row; they say nothing about the contact
// and are not kept.
var csvDefaults = map[string]bool{"0/0/00": true, "normal": true, "false": true, "unspecified": true, "smtp": true}

func mapHeader(header []string) (csvCols, Format) {
	cols := csvCols{byIndex: make([]*field, len(header))}
	google, thunderbird, outlook := false, false, false
	for i, h := range header {
		lh := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if m := googleMulti.FindStringSubmatch(lh); m != nil {
			google = true
			kind := map[string]string{"e-mail": "gemail", "email": "gemail", "phone": "gphone", "address": "gaddr", "organization": "gorg", "website": "gurl"}[m[1]]
			cols.byIndex[i] = &field{kind: kind, part: m[3], slot: m[1] + m[2]}
			continue
		}
		// Thunderbird splits the birthday in three columns; "Birth Day" folds to the same key
		// as Outlook's "Birthday", so these are matched as written.
		if kind, ok := map[string]string{"birth year": "byear", "birth month": "bmonth", "birth day": "bday"}[lh]; ok {
			cols.byIndex[i] = &field{kind: kind}
			thunderbird = true
			continue
		}
		k := headerKey(h)
		if f, ok := csvFields[k]; ok {
			f := f
			cols.byIndex[i] = &f
		}
		switch k {
		case "groupmembership", "labels", "givenname", "familyname":
			google = true
		case "primaryemail", "mobilenumber", "workzipcode":
			thunderbird = true
		case "emailaddress", "businessphone", "emailadresse", "kategorien", "telefongeschäftlich", "categories":
			outlook = true
		}
	}
	switch {
	case google:
		return cols, FormatGoogleCSV
	case thunderbird:
		return cols, FormatThunderbirdCSV
	case outlook:
		return cols, FormatOutlookCSV
	}
	return cols, FormatCSV
}

// contact maps one row.
func (cols csvCols) contact(rec, header []string, catSep string, format Format) *contacts.Contact {
	c := &contacts.Contact{}
	addrs := map[string]*contacts.Address{}
	var addrOrder []string
	gentries := map[string]map[string]string{} // Google "phone1" -> {"type": ..., "value": ...}
	var gorder []string
	var by, bm, bd string
	for i, raw := range rec {
		v := strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n"))
		if v == "" {
			continue
		}
		var f *field
		if i < len(cols.byIndex) {
			f = cols.byIndex[i]
		}
		if f == nil {
			if csvDefaults[strings.ToLower(v)] {
				continue
			}
			col := fmt.Sprintf("Column %d", i+1)
			if i < len(header) && strings.TrimSpace(header[i]) != "" {
				col = strings.TrimSpace(header[i])
			}
			c.Other = append(c.Other, contacts.Field{Name: col, Value: v})
			continue
		}
		switch f.kind {
		case "prefix":
			c.StructuredName.Prefix = v
		case "given":
			c.StructuredName.Given = v
		case "additional":
			c.StructuredName.Additional = v
		case "family":
			c.StructuredName.Family = v
		case "suffix":
			c.StructuredName.Suffix = v
		case "display":
			c.Name = v
		case "nickname":
			c.Nickname = v
		case "company":
			c.Organization = v
		case "department":
			c.Department = v
		case "jobtitle":
			c.Title = v
		case "notes":
			c.Note = strings.ReplaceAll(raw, "\r\n", "\n")
			c.Note = strings.TrimRight(strings.ReplaceAll(c.Note, "\r", "\n"), "\n ")
		case "mileage":
			c.Mileage = v
		case "categories":
			c.Categories = append(c.Categories, splitCategories(v, catSep)...)
		case "groups":
			for _, g := range strings.Split(v, ":::") {
				g = strings.TrimSpace(g)
				if strings.HasPrefix(g, "* ") || g == "" {
					// Google's system groups ("* myContacts", "* Starred") are not categories.
					if g != "" {
						c.Other = append(c.Other, contacts.Field{Name: "Group Membership", Value: g})
					}
					continue
				}
				c.Categories = append(c.Categories, g)
			}
		case "birthday":
			c.Birthday = parseCSVDate(v)
		case "anniversary":
			c.Anniversary = parseCSVDate(v)
		case "byear":
			by = v
		case "bmonth":
			bm = v
		case "bday":
			bd = v
		case "url":
			c.URLs = append(c.URLs, contacts.Value{Value: v, Types: f.types})
		case "email":
			c.Emails = append(c.Emails, contacts.Value{Value: v, Types: f.types})
		case "phone":
			c.Phones = append(c.Phones, contacts.Value{Value: v, Types: f.types})
		case "addr":
			a, ok := addrs[f.slot]
			if !ok {
				a = &contacts.Address{Types: f.types}
				addrs[f.slot] = a
				addrOrder = append(addrOrder, f.slot)
			}
			setAddrPart(a, f.part, v)
		default: // Google's numbered columns
			e, ok := gentries[f.slot]
			if !ok {
				e = map[string]string{"kind": f.kind}
				gentries[f.slot] = e
				gorder = append(gorder, f.slot)
			}
			e[strings.ToLower(f.part)] = v
		}
	}
	for _, slot := range addrOrder {
		if a := addrs[slot]; !a.IsZero() {
			c.Addresses = append(c.Addresses, *a)
		}
	}
	for _, slot := range gorder {
		addGoogleEntry(c, gentries[slot])
	}
	if by != "" && bm != "" && bd != "" {
		y, e1 := strconv.Atoi(by)
		m, e2 := strconv.Atoi(bm)
		d, e3 := strconv.Atoi(bd)
		if e1 == nil && e2 == nil && e3 == nil && m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			c.Birthday = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		}
	}
	if c.Name == "" && !c.StructuredName.IsZero() {
		c.Name = c.StructuredName.Formatted()
	}
	return c
}

func setAddrPart(a *contacts.Address, part, v string) {
	switch part {
	case "street", "street2", "street3":
		a.Street = joinLines(a.Street, v)
	case "city":
		a.City = v
	case "region":
		a.Region = v
	case "postal":
		a.PostalCode = v
	case "country":
		a.Country = v
	case "pobox":
		a.POBox = v
	}
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// addGoogleEntry turns one of Google's numbered groups of columns into a value. A value
// cell may hold several values joined with " ::: ".
func addGoogleEntry(c *contacts.Contact, e map[string]string) {
	typ := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(firstNonEmpty(e["type"], e["label"])), "* "))
	var types []string
	if typ != "" {
		types = []string{typ}
	}
	values := func() []string {
		var out []string
		for _, v := range strings.Split(e["value"], ":::") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	switch e["kind"] {
	case "gemail":
		for _, v := range values() {
			c.Emails = append(c.Emails, contacts.Value{Value: v, Types: types})
		}
	case "gphone":
		for _, v := range values() {
			c.Phones = append(c.Phones, contacts.Value{Value: v, Types: types})
		}
	case "gurl":
		for _, v := range values() {
			c.URLs = append(c.URLs, contacts.Value{Value: v, Types: types})
		}
	case "gorg":
		if c.Organization == "" {
			c.Organization = e["name"]
		}
		if c.Title == "" {
			c.Title = e["title"]
		}
		if c.Department == "" {
			c.Department = e["department"]
		}
	case "gaddr":
		a := contacts.Address{Types: types, Street: e["street"], City: e["city"], Region: e["region"],
			PostalCode: e["postal code"], Country: e["country"], POBox: e["po box"], Extended: e["extended address"], Label: e["formatted"]}
		if !a.IsZero() {
			c.Addresses = append(c.Addresses, a)
		}
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// splitCategories splits Outlook's Categories cell on the list separator.
func splitCategories(v, sep string) []string {
	var out []string
	for _, c := range strings.Split(v, sep) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// parseCSVDate reads Outlook's dates: "5/17/1970" (US), "17.05.1970" (German), ISO, with
// "0/0/00" meaning no date. A date it cannot read is kept as written.
func parseCSVDate(v string) string {
	v = strings.TrimSpace(v)
	if v == "" || v == "0/0/00" || v == "0.0.00" || v == "00.00.0000" {
		return ""
	}
	if i := strings.IndexByte(v, ' '); i > 0 {
		v = v[:i] // "5/17/1970 12:00:00 AM"
	}
	var a, b, y int
	switch {
	case strings.Count(v, "/") == 2:
		if _, err := fmt.Sscanf(v, "%d/%d/%d", &a, &b, &y); err != nil {
			return v
		}
		// Outlook writes the US order month/day; a first part above 12 can only be a day.
		if a > 12 {
			a, b = b, a
		}
	case strings.Count(v, ".") >= 2:
		if _, err := fmt.Sscanf(strings.TrimSuffix(v, "."), "%d.%d.%d", &b, &a, &y); err != nil {
			return v
		}
	case len(v) == 10 && v[4] == '-' && v[7] == '-':
		return v
	default:
		return v
	}
	if y < 100 {
		// Two-digit years: Outlook's own window puts 30-99 in the 1900s.
		if y >= 30 {
			y += 1900
		} else {
			y += 2000
		}
	}
	if a < 1 || a > 12 || b < 1 || b > 31 || y < 1 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, a, b)
}
