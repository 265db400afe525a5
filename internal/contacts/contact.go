// Package contacts holds the Contact model that every export reader produces and every
// later stage (history, rules, restore) consumes, together with the normalization that
// decides when two contacts are the same person and when two versions of one contact differ
// only in formatting.
//
// A Contact keeps values as the export wrote them (decoded, not reformatted): the user
// must recognise them, and a restore must give back what was there. Normalized forms are
// computed on demand for matching and fingerprints.
package contacts

import "strings"

// Source says where a contact was read: the file and the 1-based line its record starts on.
type Source struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Format string `json:"format,omitempty"` // e.g. "vcard-2.1", "outlook-csv"
}

// Value is one e-mail address, phone number or URL with its types ("work", "voice", ...).
// Value is as written in the export, decoded but not reformatted.
type Value struct {
	Value string   `json:"value"`
	Types []string `json:"types"`
}

// Name is the structured name (vCard N, or Outlook CSV's First/Middle/Last Name columns).
type Name struct {
	Family     string `json:"family,omitempty"`
	Given      string `json:"given,omitempty"`
	Additional string `json:"additional,omitempty"`
	Prefix     string `json:"prefix,omitempty"`
	Suffix     string `json:"suffix,omitempty"`
}

// IsZero reports whether no part of the name is set.
func (n Name) IsZero() bool { return n == Name{} }

// Formatted joins the parts in reading order ("Dr. John Q. Doe Jr.").
func (n Name) Formatted() string {
	return joinNonEmpty(" ", n.Prefix, n.Given, n.Additional, n.Family, n.Suffix)
}

// Address is a postal address. Label is the printable form where the export gave one.
type Address struct {
	Types      []string `json:"types"`
	POBox      string   `json:"po_box,omitempty"`
	Extended   string   `json:"extended,omitempty"`
	Street     string   `json:"street,omitempty"`
	City       string   `json:"city,omitempty"`
	Region     string   `json:"region,omitempty"`
	PostalCode string   `json:"postal_code,omitempty"`
	Country    string   `json:"country,omitempty"`
	Label      string   `json:"label,omitempty"`
}

// IsZero reports whether the address holds nothing.
func (a Address) IsZero() bool {
	return a.POBox == "" && a.Extended == "" && a.Street == "" && a.City == "" &&
		a.Region == "" && a.PostalCode == "" && a.Country == "" && a.Label == ""
}

// Field is a property the model has no slot for (X-*, IMPP, PHOTO, Outlook CSV columns
// such as "Assistant's Name"). Readers keep them so that nothing a card holds is dropped
// silently and a restore can give them back.
type Field struct {
	Name   string `json:"name"`
	Params string `json:"params,omitempty"`
	Value  string `json:"value"`
}

// Contact is one person or organization as an export holds it.
type Contact struct {
	UID            string    `json:"uid,omitempty"`
	Name           string    `json:"name"` // the formatted name (vCard FN; derived where absent)
	StructuredName Name      `json:"structured_name"`
	Nickname       string    `json:"nickname,omitempty"`
	Organization   string    `json:"organization,omitempty"`
	Department     string    `json:"department,omitempty"`
	Title          string    `json:"title,omitempty"`
	Emails         []Value   `json:"emails"`
	Phones         []Value   `json:"phones"`
	Addresses      []Address `json:"addresses"`
	URLs           []Value   `json:"urls"`
	Categories     []string  `json:"categories"`
	Note           string    `json:"note"`
	// Mileage is Outlook's Mileage field, which InterAction uses to mark who may see a
	// contact. Only Outlook CSV exports carry it.
	Mileage     string  `json:"mileage"`
	Birthday    string  `json:"birthday,omitempty"`    // YYYY-MM-DD where the date was understood
	Anniversary string  `json:"anniversary,omitempty"` // YYYY-MM-DD where the date was understood
	Other       []Field `json:"other,omitempty"`
	Source      Source  `json:"source"`
}

// DisplayName is what a person would call this contact: the formatted name, else the
// structured name, else the organization, else the first e-mail or phone.
func (c *Contact) DisplayName() string {
	switch {
	case strings.TrimSpace(c.Name) != "":
		return strings.TrimSpace(c.Name)
	case !c.StructuredName.IsZero():
		return c.StructuredName.Formatted()
	case c.Organization != "":
		return c.Organization
	case len(c.Emails) > 0:
		return c.Emails[0].Value
	case len(c.Phones) > 0:
		return c.Phones[0].Value
	}
	return "(no name)"
}

// IsEmpty reports whether the contact carries no data at all (a blank CSV row, an empty
// vCard). Readers drop such records instead of inventing a nameless contact.
func (c *Contact) IsEmpty() bool {
	return strings.TrimSpace(c.Name) == "" && c.StructuredName.IsZero() && c.Organization == "" &&
		c.Title == "" && len(c.Emails) == 0 && len(c.Phones) == 0 && len(c.Addresses) == 0 &&
		len(c.URLs) == 0 && c.Note == "" && c.Nickname == "" && c.Birthday == ""
}

// Clone returns a deep copy, so that a change to the copy never reaches a stored version.
func (c *Contact) Clone() *Contact {
	d := *c
	d.Emails = cloneValues(c.Emails)
	d.Phones = cloneValues(c.Phones)
	d.URLs = cloneValues(c.URLs)
	d.Addresses = make([]Address, len(c.Addresses))
	for i, a := range c.Addresses {
		a.Types = append([]string(nil), a.Types...)
		d.Addresses[i] = a
	}
	d.Categories = append([]string(nil), c.Categories...)
	d.Other = append([]Field(nil), c.Other...)
	return &d
}

func cloneValues(vs []Value) []Value {
	if vs == nil {
		return nil
	}
	out := make([]Value, len(vs))
	for i, v := range vs {
		out[i] = Value{Value: v.Value, Types: append([]string(nil), v.Types...)}
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// OutlookUIDPrefix marks a UID that is the EntryID of an Outlook item (contacts read from
// Outlook itself, internal/outlook). An EntryID identifies the item for as long as it
// stays in its folder, so two different EntryIDs are two different contacts.
const OutlookUIDPrefix = "outlook:"

// OutlookEntryID is the contact's Outlook EntryID, or "" when it was not read from Outlook.
func OutlookEntryID(c *Contact) string {
	if strings.HasPrefix(c.UID, OutlookUIDPrefix) {
		return c.UID[len(OutlookUIDPrefix):]
	}
	return ""
}
