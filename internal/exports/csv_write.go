package exports

import (
	"bufio"
	"io"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
)

// outlookHeader is the header Outlook writes (English), in its order. Outlook imports a CSV
// by header name, so a restore file with this header maps every column without asking.
var outlookHeader = []string{"Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
	"Job Title", "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
	"Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3", "Home City",
	"Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2", "Other Street 3",
	"Other City", "Other State", "Other Postal Code", "Other Country/Region", "Assistant's Phone", "Business Fax",
	"Business Phone", "Business Phone 2", "Callback", "Car Phone", "Company Main Phone", "Home Fax", "Home Phone",
	"Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone",
	"TTY/TDD Phone", "Telex", "Account", "Anniversary", "Assistant's Name", "Billing Information", "Birthday",
	"Business Address PO Box", "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type",
	"E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address",
	"E-mail 3 Type", "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box",
	"Initials", "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
	"Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private", "Profession",
	"Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4", "Web Page"}

var outlookCol = func() map[string]int {
	m := make(map[string]int, len(outlookHeader))
	for i, h := range outlookHeader {
		m[h] = i
	}
	return m
}()

// phoneSlots lists, for each kind of phone, the columns it may go into, in order.
var phoneSlots = map[string][]string{
	"work":  {"Business Phone", "Business Phone 2", "Company Main Phone"},
	"home":  {"Home Phone", "Home Phone 2"},
	"cell":  {"Mobile Phone", "Car Phone"},
	"fax":   {"Business Fax", "Home Fax", "Other Fax"},
	"pager": {"Pager"},
	"other": {"Other Phone", "Primary Phone", "Radio Phone", "ISDN", "TTY/TDD Phone", "Telex"},
}

// WriteOutlookCSV writes contacts as an Outlook CSV import file, the way Outlook writes
// its own exports: UTF-8 with a BOM (which Outlook's import takes as UTF-8, where without
// one it would guess the ANSI code page and garble every accent), CRLF line endings, every
// field quoted, Outlook's English header (Outlook maps an import by header name, and the
// English one is the name it knows everywhere), categories joined with ";", Mileage kept
// as it was. What has no column of its own (a fourth e-mail, a phone beyond the columns of
// its kind) is not dropped: it is added to Notes, marked, so the user sees it.
func WriteOutlookCSV(w io.Writer, cs []*contacts.Contact) error {
	o := NewOutlookCSVWriter(w)
	o.Write(cs)
	return o.Close()
}

// phoneColumn marks the columns of outlookHeader that hold phone numbers.
var phoneColumn = func() []bool {
	m := make([]bool, len(outlookHeader))
	for _, cols := range phoneSlots {
		for _, c := range cols {
			m[outlookCol[c]] = true
		}
	}
	m[outlookCol["Assistant's Phone"]], m[outlookCol["Callback"]] = true, true
	return m
}()

// formulaStart lists the characters that make a spreadsheet cell a formula (OWASP's CSV
// injection list): a restore file opened in Excel must not run =HYPERLINK(...) or
// =cmd|'...'!A0 that a hostile contact carried.
const formulaStart = "=+-@\t\r"

// neutralizeFormula writes a cell that would start a formula after a single quote, which
// makes Excel take it as text (OWASP's advice). A phone number in a phone column ("+44 20
// 7946 0958") is left as it is: digits, spaces and ()-./ after the + cannot call anything,
// and Outlook must import it dialable. SyncGuard's reader takes the quote off again
// (unneutralizeFormula), so a restore file read back gives the contacts restored.
func neutralizeFormula(v string, phone bool) string {
	if v == "" || strings.IndexByte(formulaStart, v[0]) < 0 || phone && plausiblePhone(v) {
		return v
	}
	return "'" + v
}

// unneutralizeFormula undoes neutralizeFormula on a cell read from a CSV: a single quote
// before a formula character is the mark a restore file put there. (A CR is written as
// CRLF and read back as a line feed, hence the "\n".)
func unneutralizeFormula(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte(formulaStart+"\n", v[1]) >= 0 {
		return v[1:]
	}
	return v
}

// plausiblePhone reports a value written as phone numbers are: a + and then only digits
// (at least three), spaces and ()-./, with an optional extension ("x12", "ext. 12").
func plausiblePhone(v string) bool {
	rest := v
	if i := strings.IndexAny(strings.ToLower(v), "xe"); i > 0 {
		ext := strings.TrimSpace(strings.TrimLeft(strings.TrimPrefix(strings.ToLower(v[i:]), "ext"), "x."))
		if ext == "" || strings.Trim(ext, "0123456789") != "" {
			return false
		}
		rest = v[:i]
	}
	if !strings.HasPrefix(rest, "+") {
		return false
	}
	digits := 0
	for _, r := range rest[1:] {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" ()-./", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// writeQuotedRow writes one record with every field quoted, quotes doubled and line breaks
// as CRLF, as Outlook does. A lone CR becomes CRLF too: Outlook's notes know no other break.
func writeQuotedRow(bw *bufio.Writer, fields []string) {
	for i, f := range fields {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('"')
		for j := 0; j < len(f); j++ {
			switch c := f[j]; c {
			case '"':
				bw.WriteString(`""`)
			case '\r':
				bw.WriteString("\r\n")
				if j+1 < len(f) && f[j+1] == '\n' {
					j++
				}
			case '\n':
				bw.WriteString("\r\n")
			default:
				bw.WriteByte(c)
			}
		}
		bw.WriteByte('"')
	}
	bw.WriteString("\r\n")
}

// outlookRow fills row (one cell per outlookHeader column) from c.
func outlookRow(c *contacts.Contact, row []string) {
	clear(row)
	set := func(col, v string) {
		if i, ok := outlookCol[col]; ok {
			row[i] = v
		}
	}
	isSet := func(col string) bool { return row[outlookCol[col]] != "" }
	var extra []string
	n := c.StructuredName
	if n.IsZero() && c.Name != "" {
		// Outlook needs a name in the name columns. "Doe, John" is Outlook's File As
		// order: last name, then first; any other formatted name goes in as the first
		// name rather than the contact arriving nameless.
		if last, first, ok := strings.Cut(c.Name, ","); ok && strings.Count(c.Name, ",") == 1 && strings.TrimSpace(first) != "" {
			n.Family, n.Given = strings.TrimSpace(last), strings.TrimSpace(first)
		} else {
			n.Given = c.Name
		}
	}
	set("Title", n.Prefix)
	set("First Name", n.Given)
	set("Middle Name", n.Additional)
	set("Last Name", n.Family)
	set("Suffix", n.Suffix)
	set("Company", c.Organization)
	set("Department", c.Department)
	set("Job Title", c.Title)
	for i, e := range c.Emails {
		switch i {
		case 0:
			set("E-mail Address", e.Value)
		case 1:
			set("E-mail 2 Address", e.Value)
		case 2:
			set("E-mail 3 Address", e.Value)
		default:
			extra = append(extra, "E-mail: "+e.Value)
		}
	}
	for _, p := range c.Phones {
		kind := contacts.PhoneKind(p.Types)
		placed := false
		for _, col := range phoneSlots[kind] {
			if kind == "fax" && col == "Business Fax" && hasType(p.Types, "home") {
				continue
			}
			if !isSet(col) {
				set(col, p.Value)
				placed = true
				break
			}
		}
		if !placed {
			extra = append(extra, "Phone ("+strings.Join(p.Types, ", ")+"): "+p.Value)
		}
	}
	prefixes := map[string]string{"work": "Business", "home": "Home", "other": "Other"}
	used := map[string]bool{}
	for _, a := range c.Addresses {
		kind := "other"
		switch {
		case hasType(a.Types, "work"):
			kind = "work"
		case hasType(a.Types, "home"):
			kind = "home"
		}
		if used[kind] {
			for _, k := range []string{"other", "home", "work"} {
				if !used[k] {
					kind = k
					break
				}
			}
		}
		if used[kind] {
			extra = append(extra, "Address: "+addressText(a))
			continue
		}
		used[kind] = true
		p := prefixes[kind]
		street := a.Street
		if a.Street == "" && a.City == "" && a.Label != "" {
			street = a.Label // an address known only by its label
		}
		lines := strings.SplitN(street, "\n", 3)
		set(p+" Street", lines[0])
		if len(lines) > 1 {
			set(p+" Street 2", lines[1])
		}
		if len(lines) > 2 {
			set(p+" Street 3", lines[2])
		}
		set(p+" City", a.City)
		set(p+" State", a.Region)
		set(p+" Postal Code", a.PostalCode)
		set(p+" Country/Region", a.Country)
		if kind == "work" {
			set("Business Address PO Box", a.POBox)
		} else {
			set(p+" Address PO Box", a.POBox)
		}
	}
	if len(c.URLs) > 0 {
		set("Web Page", c.URLs[0].Value)
		for _, u := range c.URLs[1:] {
			extra = append(extra, "Web page: "+u.Value)
		}
	}
	set("Categories", strings.Join(c.Categories, ";"))
	set("Mileage", c.Mileage)
	set("Birthday", outlookDate(c.Birthday))
	set("Anniversary", outlookDate(c.Anniversary))
	// Columns read from an Outlook CSV that SyncGuard keeps as they were ("Spouse", ...),
	// under their German names where the export was German.
	for _, f := range c.Other {
		name := f.Name
		if en, ok := outlookColumnEnglish[name]; ok {
			name = en
		}
		if i, ok := outlookCol[name]; ok && row[i] == "" {
			row[i] = f.Value
		}
	}
	note := c.Note
	if len(extra) > 0 {
		if note != "" {
			note += "\n"
		}
		note += "[Restored by SyncGuard; no Outlook column for:]\n" + strings.Join(extra, "\n")
	}
	set("Notes", note)
}

func hasType(types []string, t string) bool {
	for _, x := range types {
		if strings.EqualFold(x, t) {
			return true
		}
	}
	return false
}

func addressText(a contacts.Address) string {
	var parts []string
	for _, p := range []string{a.POBox, a.Extended, a.Street, a.City, a.Region, a.PostalCode, a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return a.Label
	}
	return strings.Join(parts, ", ")
}

// outlookDate writes "1970-05-17" as Outlook's US "5/17/1970"; anything else as it is.
func outlookDate(d string) string {
	if len(d) == 10 && d[4] == '-' && d[7] == '-' {
		return strings.TrimLeft(d[5:7], "0") + "/" + strings.TrimLeft(d[8:10], "0") + "/" + d[:4]
	}
	return d
}
