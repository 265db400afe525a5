package exports

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

// TestRealExportsCSV checks every CSV export of the real-exports folder against what the
// program that wrote it shows: the expected values were read off the bytes (xxd, cat -A),
// not off this reader's output.
func TestRealExportsCSV(t *testing.T) {
	t.Parallel()
	type want struct {
		format     Format
		encoding   string
		n          int // contacts
		line       int // the first contact's line
		name       string
		sname      contacts.Name
		org        string
		title      string
		emails     []string
		phones     []phone
		note       string
		categories []string
		birthday   string
		street     string // the first address's street
		other      []string
		errLine    int // when set: no contacts, one error at this line
	}
	cases := map[string]want{
		// Outlook 2003-era English export: all 92 columns, 0/0/00 dates, a multi-line
		// quoted note, "Unspecified"/"Normal"/"False" defaults that are not data.
		"horde__outlook_bug6311.csv": {format: FormatOutlookCSV, encoding: "utf-8", n: 1, line: 2,
			name: "John Smith", sname: contacts.Name{Given: "John", Family: "Smith"}, org: "International Inc",
			emails: []string{"john@example.com"},
			phones: []phone{{"(123) 555-1111", "work,fax"}, {"(123) 555-2222", "work,voice"}, {"(123) 555-3333", "cell,voice"}},
			note:   "PHP\nPerl\nPython", categories: []string{"Programming"},
			other: []string{"E-mail Display Name=John Smith (john@example.com)", "Initials=J.S."}},
		// Doubled quotes and a line break inside Business Street; nothing else set.
		"horde__outlook_bug6370.csv": {format: FormatOutlookCSV, encoding: "utf-8", n: 1, line: 2,
			street: "Big Tower'\", 1\" Floor\n123 Main Street"},
		// Commas and a line break in the street, and a Notes cell holding only a line break.
		"horde__outlook_bug6372.csv": {format: FormatOutlookCSV, encoding: "utf-8", n: 1, line: 2,
			street: "123, 12th Floor,\nMain Street"},
		// Google: " ::: " multi-values, "* My Contacts" is a system group, not a category.
		"roundcube__gmail.csv": {format: FormatGoogleCSV, encoding: "utf-8", n: 1, line: 2,
			name:  "Prefix Firstname Middle Lastname Suffix",
			sname: contacts.Name{Prefix: "Prefix", Given: "Firstname", Additional: "Middle", Family: "Lastname", Suffix: "Suffix"},
			org:   "company", title: "jobtitle",
			emails: []string{"home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"},
			phones: []phone{{"pager", "pager"}, {"mainphone", "main"}, {"homephone", "home"}, {"homefax", "home,fax"},
				{"mobile", "mobile"}, {"workphone", "work"}, {"workfax", "work,fax"}},
			note: `note"note`, categories: []string{"Test"}, birthday: "1975-12-12", street: "home_street",
			other: []string{"Group Membership=* My Contacts", "Relation 1 - Type=Spouse", "Relation 1 - Value=spouse"}},
		"roundcube__thunderbird_plain.csv": {format: FormatThunderbirdCSV, encoding: "utf-8", n: 1, line: 2,
			name: "Displayname", sname: contacts.Name{Given: "Firstname", Family: "Lastname"}, org: "Organization", title: "title",
			emails:   []string{"test@domain.tld", "next@domain.tld"},
			phones:   []phone{{"phone work", "work,voice"}, {"phone home", "home,voice"}, {"fax", "fax"}, {"pager", "pager"}, {"mobile", "cell,voice"}},
			birthday: "1970-11-15", street: "Priv address"},
		// The header ends with a comma: one more (empty) column than the rows have values.
		"thunderbird__basic_addressbook.csv": {format: FormatThunderbirdCSV, encoding: "utf-8", n: 1, line: 2,
			name: "John Doe", sname: contacts.Name{Given: "John", Family: "Doe"}, emails: []string{"johndoe@host.invalid"}},
		// Quoted fields holding a comma, a TAB, a lone CR and an LF; tripled quotes.
		"thunderbird__export.csv": {format: FormatThunderbirdCSV, encoding: "utf-8", n: 2, line: 2,
			name: "contact number one", sname: contacts.Name{Given: "contact", Family: "one"}, emails: []string{"contact1@invalid"}},
		"thunderbird__quote.csv": {format: FormatThunderbirdCSV, encoding: "utf-8", n: 1, line: 2,
			name: "Acer America", org: "Acer America", phones: []phone{{"(800) 000-0000", "work,voice"}}},
		"thunderbird__shiftjis_addressbook.csv": {format: FormatThunderbirdCSV, encoding: "shift_jis", n: 1, line: 2,
			name: "名無しの権兵衛", sname: contacts.Name{Given: "権兵衛", Family: "名無し"}, emails: []string{"名無しの権兵衛@host.invalid"}},
		"thunderbird__utf16_addressbook.csv": {format: FormatThunderbirdCSV, encoding: "utf-16le", n: 1, line: 2,
			name: "John Doe", sname: contacts.Name{Given: "John", Family: "Doe"}, emails: []string{"johndoe@host.invalid"}},
		// No header at all (Thunderbird's import test of a malformed file).
		"thunderbird__tab_comma_mixed.csv": {errLine: 1},
	}

	seen := 0
	for _, p := range realExports(t, ".csv") {
		file := filepath.Base(p)
		w, ok := cases[file]
		if !ok {
			t.Errorf("%s: a CSV export without expectations; add it to this table", file)
			continue
		}
		seen++
		cs, errs, sum := ReadFile(p)
		if w.errLine > 0 {
			if len(cs) != 0 || len(errs) != 1 || errs[0].Line != w.errLine || errs[0].File != p || !sum.Unreadable ||
				!strings.Contains(errs[0].Message, "First Name") {
				t.Errorf("%s: want one error at line %d naming the expected columns, got %d contacts, %+v", file, w.errLine, len(cs), errs)
			}
			continue
		}
		if len(errs) != 0 || len(cs) != w.n {
			t.Errorf("%s: %d contacts (want %d), errors %v", file, len(cs), w.n, errs)
			continue
		}
		if sum.Format != w.format || sum.Encoding != w.encoding {
			t.Errorf("%s: read as %s in %s, want %s in %s", file, sum.Format, sum.Encoding, w.format, w.encoding)
		}
		c := cs[0]
		if c.Source.Line != w.line || c.Source.Format != string(w.format) {
			t.Errorf("%s: source %+v, want line %d", file, c.Source, w.line)
		}
		if c.Name != w.name || c.StructuredName != w.sname || c.Organization != w.org || c.Title != w.title {
			t.Errorf("%s: name %q %+v org %q title %q, want %q %+v %q %q", file, c.Name, c.StructuredName, c.Organization, c.Title,
				w.name, w.sname, w.org, w.title)
		}
		if !eq(emailsOf(c), w.emails) || !eq(phonesOf(c), w.phones) {
			t.Errorf("%s: emails %q phones %v, want %q %v", file, emailsOf(c), phonesOf(c), w.emails, w.phones)
		}
		if c.Note != w.note || !eq(c.Categories, w.categories) || c.Birthday != w.birthday || c.Anniversary != "" {
			t.Errorf("%s: note %q categories %q birthday %q anniversary %q, want %q %q %q", file, c.Note, c.Categories,
				c.Birthday, c.Anniversary, w.note, w.categories, w.birthday)
		}
		street := ""
		if len(c.Addresses) > 0 {
			street = c.Addresses[0].Street
		}
		if street != w.street {
			t.Errorf("%s: street %q, want %q", file, street, w.street)
		}
		var other []string
		for _, f := range c.Other {
			other = append(other, f.Name+"="+f.Value)
		}
		if !eq(other, w.other) {
			t.Errorf("%s: other %q, want %q (Outlook's per-row defaults are not data; everything else is kept)", file, other, w.other)
		}
	}
	if seen != len(cases) {
		t.Errorf("found %d of the %d CSV exports this test expects", seen, len(cases))
	}
}

// TestRealExportsCSVDetails: what the table above cannot say in one row.
func TestRealExportsCSVDetails(t *testing.T) {
	t.Parallel()
	// The second Thunderbird contact: values with a comma, TAB, lone CR and LF are kept as
	// written, under their column names; `"""worker"""` is the job title "worker" in quotes.
	cs, _ := readReal(t, "thunderbird__export.csv")
	if len(cs) != 2 {
		t.Fatalf("thunderbird export: %d contacts", len(cs))
	}
	c := cs[1]
	if c.Source.Line != 3 || c.Title != `"worker"` || c.Note != "here's some unicode text…" {
		t.Errorf("line %d title %q note %q", c.Source.Line, c.Title, c.Note)
	}
	var other []string
	for _, f := range c.Other {
		other = append(other, f.Name+"="+f.Value)
	}
	if want := []string{"Custom 1=custom, 1", "Custom 2=custom\t2", "Custom 3=custom\r3", "Custom 4=custom\n4"}; !eq(other, want) {
		t.Errorf("custom fields %q, want %q", other, want)
	}

	// Google: both addresses with their types and the formatted label; websites.
	cs, _ = readReal(t, "roundcube__gmail.csv")
	c = cs[0]
	if len(c.Addresses) != 2 || c.Addresses[0].City != "home_city" || c.Addresses[0].POBox != "home_pobox" ||
		c.Addresses[0].Label != "home_street\nhome_pobox\nhome_city, home_state home_zip\nhome_country" ||
		!eq(c.Addresses[1].Types, []string{"work"}) || c.Addresses[1].Country != "work_country" {
		t.Errorf("gmail addresses %+v", c.Addresses)
	}
	if len(c.URLs) != 2 || c.URLs[1].Value != "home.page.com" || !eq(c.URLs[1].Types, []string{"home page"}) {
		t.Errorf("gmail websites %+v", c.URLs)
	}
	if !eq(c.Emails[0].Types, []string{"home", "pref"}) {
		t.Errorf("the '* ' of Google's primary e-mail is pref: %v", c.Emails[0].Types)
	}

	// Thunderbird: both addresses, the two web pages, the three birthday columns.
	cs, _ = readReal(t, "roundcube__thunderbird_plain.csv")
	c = cs[0]
	if len(c.Addresses) != 2 || c.Addresses[0].City != "City" || c.Addresses[0].PostalCode != "xx-xxx" ||
		c.Addresses[1].Street != "Addr work" || c.Addresses[1].Country != "Poland" || c.Department != "department" {
		t.Errorf("thunderbird addresses %+v dept %q", c.Addresses, c.Department)
	}
	if len(c.URLs) != 2 || c.URLs[0].Value != "http://page.com" || c.URLs[1].Value != "http://webpage.tld" {
		t.Errorf("thunderbird web pages %+v", c.URLs)
	}
}
