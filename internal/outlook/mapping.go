package outlook

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
)

// columns maps each ContactItem property SyncGuard reads to the column of Outlook's own
// English CSV export that carries the same field. Items are turned into contacts by
// writing them as such a CSV in memory and reading it with the export reader: a contact
// read from Outlook and the same contact read from Outlook's CSV export are then the same
// contact, field for field (categories, Mileage, the Private flag, User 1-4, dates), and
// the rules judge them alike.
var columns = []struct{ prop, column string }{
	{"Title", "Title"}, {"FirstName", "First Name"}, {"MiddleName", "Middle Name"},
	{"LastName", "Last Name"}, {"Suffix", "Suffix"}, {"CompanyName", "Company"},
	{"Department", "Department"}, {"JobTitle", "Job Title"},
	{"BusinessAddressStreet", "Business Street"}, {"BusinessAddressCity", "Business City"},
	{"BusinessAddressState", "Business State"}, {"BusinessAddressPostalCode", "Business Postal Code"},
	{"BusinessAddressCountry", "Business Country/Region"}, {"BusinessAddressPostOfficeBox", "Business Address PO Box"},
	{"HomeAddressStreet", "Home Street"}, {"HomeAddressCity", "Home City"}, {"HomeAddressState", "Home State"},
	{"HomeAddressPostalCode", "Home Postal Code"}, {"HomeAddressCountry", "Home Country/Region"},
	{"HomeAddressPostOfficeBox", "Home Address PO Box"},
	{"OtherAddressStreet", "Other Street"}, {"OtherAddressCity", "Other City"}, {"OtherAddressState", "Other State"},
	{"OtherAddressPostalCode", "Other Postal Code"}, {"OtherAddressCountry", "Other Country/Region"},
	{"OtherAddressPostOfficeBox", "Other Address PO Box"},
	{"AssistantTelephoneNumber", "Assistant's Phone"}, {"BusinessFaxNumber", "Business Fax"},
	{"BusinessTelephoneNumber", "Business Phone"}, {"Business2TelephoneNumber", "Business Phone 2"},
	{"CallbackTelephoneNumber", "Callback"}, {"CarTelephoneNumber", "Car Phone"},
	{"CompanyMainTelephoneNumber", "Company Main Phone"}, {"HomeFaxNumber", "Home Fax"},
	{"HomeTelephoneNumber", "Home Phone"}, {"Home2TelephoneNumber", "Home Phone 2"}, {"ISDNNumber", "ISDN"},
	{"MobileTelephoneNumber", "Mobile Phone"}, {"OtherFaxNumber", "Other Fax"},
	{"OtherTelephoneNumber", "Other Phone"}, {"PagerNumber", "Pager"}, {"PrimaryTelephoneNumber", "Primary Phone"},
	{"RadioTelephoneNumber", "Radio Phone"}, {"TTYTDDTelephoneNumber", "TTY/TDD Phone"}, {"TelexNumber", "Telex"},
	{"Account", "Account"}, {"Anniversary", "Anniversary"}, {"AssistantName", "Assistant's Name"},
	{"BillingInformation", "Billing Information"}, {"Birthday", "Birthday"}, {"Categories", "Categories"},
	{"Children", "Children"}, {"Email1Address", "E-mail Address"}, {"Email1DisplayName", "E-mail Display Name"},
	{"Email2Address", "E-mail 2 Address"}, {"Email2DisplayName", "E-mail 2 Display Name"},
	{"Email3Address", "E-mail 3 Address"}, {"Email3DisplayName", "E-mail 3 Display Name"},
	{"GovernmentIDNumber", "Government ID Number"}, {"Hobby", "Hobby"}, {"Initials", "Initials"},
	{"InternetFreeBusyAddress", "Internet Free Busy"}, {"Language", "Language"},
	{"ManagerName", "Manager's Name"}, {"Mileage", "Mileage"}, {"Body", "Notes"},
	{"OfficeLocation", "Office Location"}, {"OrganizationalIDNumber", "Organizational ID Number"},
	{"Profession", "Profession"}, {"ReferredBy", "Referred By"}, {"Spouse", "Spouse"},
	{"User1", "User 1"}, {"User2", "User 2"}, {"User3", "User 3"}, {"User4", "User 4"},
	{"WebPage", "Web Page"}, {"NickName", "Nickname"},
	// Sensitivity is an enumeration (0 normal, 1 personal, 2 private, 3 confidential);
	// Outlook's export writes it as the "Sensitivity" word and a "Private" True/False.
	{"Sensitivity", "Sensitivity"}, {"Sensitivity", "Private"},
}

// Props lists the ContactItem properties the COM layer must read for each item.
func Props() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range columns {
		if !seen[c.prop] {
			seen[c.prop] = true
			out = append(out, c.prop)
		}
	}
	return out
}

// PropForColumn is the property behind a column of Outlook's English CSV export.
func PropForColumn(column string) (string, bool) {
	for _, c := range columns {
		if c.column == column {
			return c.prop, true
		}
	}
	return "", false
}

var sensitivityWords = map[string]string{"0": "Normal", "1": "Personal", "2": "Private", "3": "Confidential"}

// cell is the value an item's property gets in its CSV column.
func cell(it Item, prop, column string) string {
	v := it.Props[prop]
	switch column {
	case "Sensitivity":
		if w, ok := sensitivityWords[v]; ok {
			return w
		}
	case "Private":
		if v == "2" {
			return "True"
		}
		return "False"
	case "Birthday", "Anniversary":
		// The object model's "no date" is 4501-01-01; Outlook's export leaves it empty.
		if strings.HasPrefix(v, "4501-") {
			return ""
		}
	}
	return v
}

// toContacts turns items into contacts through Outlook's CSV format (see columns). Each
// contact's UID is its EntryID (contacts.OutlookUIDPrefix) and its source the folder.
func toContacts(folder string, items []Item) ([]*contacts.Contact, []exports.FileError, error) {
	if len(items) == 0 {
		return nil, nil, nil
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = c.column
	}
	if err := w.Write(header); err != nil {
		return nil, nil, err
	}
	row := make([]string, len(columns))
	for _, it := range items {
		for i, c := range columns {
			row[i] = cell(it, c.prop, c.column)
		}
		if err := w.Write(row); err != nil {
			return nil, nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, nil, err
	}
	cs, errs, _ := exports.ReadBytes(folder+".csv", buf.Bytes())
	// The reader drops rows that hold nothing (an empty item); to give each contact its
	// EntryID the rows must be told apart, which the source line does: row n of the CSV is
	// item n-2 (line 1 is the header; no value holds a line break that would shift it,
	// since the reader counts the record's first line).
	lineOf := csvRecordLines(buf.Bytes())
	byLine := make(map[int]int, len(lineOf))
	for i, l := range lineOf {
		byLine[l] = i
	}
	for _, c := range cs {
		i, ok := byLine[c.Source.Line]
		if !ok {
			return nil, nil, fmt.Errorf("outlook: cannot tell which item line %d of the conversion is", c.Source.Line)
		}
		c.UID = contacts.OutlookUIDPrefix + items[i].EntryID
		c.Source = contacts.Source{File: "Outlook: " + folder, Line: i + 1, Format: "outlook"}
	}
	for i := range errs {
		errs[i].File = "Outlook: " + folder
		if k, ok := byLine[errs[i].Line]; ok {
			errs[i].Line = k + 1
		}
	}
	return cs, errs, nil
}

// csvRecordLines gives the 1-based line on which each data record of a CSV starts
// (values may hold line breaks, so it is not simply i+2).
func csvRecordLines(data []byte) []int {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var lines []int
	first := true
	for {
		_, err := r.Read()
		if err != nil {
			break
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			continue
		}
		lines = append(lines, line)
	}
	return lines
}
