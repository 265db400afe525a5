// Package diff matches one state of the address book to the next and says what changed:
// added, removed and changed contacts with field-level changes. Outlook exports carry no
// UID, so matching goes by UID where present, else by normalized identity, with a
// best-match pass for renamed or edited contacts. The rules judge a Change; the history
// stores the keys it assigns.
package diff

import "github.com/syncguard/syncguard/internal/contacts"

// Entry is a contact with the stable key the history gave it; the key follows the person
// across renames and edits.
type Entry struct {
	Key     string            `json:"key"`
	Contact *contacts.Contact `json:"contact"`
	// FP is the contact's fingerprint where Compute already worked it out, so that the
	// history need not hash the contact again ("" when unknown).
	FP string `json:"-"`
}

// FieldChange is one field of a contact that changed, with its old and new value as a
// person would read them (lists joined with "; ").
type FieldChange struct {
	Field string `json:"field"` // "name", "emails", "phones", "categories", "note", "mileage", ...
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Changed is a contact present in both states whose content changed.
type Changed struct {
	Key    string            `json:"key"`
	Old    *contacts.Contact `json:"old"`
	New    *contacts.Contact `json:"new"`
	Fields []FieldChange     `json:"fields"`
	NewFP  string            `json:"-"` // New's fingerprint, as Entry.FP
}

// Change is the difference between two states of the address book.
type Change struct {
	Added     []Entry   `json:"added"`
	Removed   []Entry   `json:"removed"`
	Changed   []Changed `json:"changed"`
	Unchanged []Entry   `json:"-"`
	Before    int       `json:"before"` // contacts in the older state
	After     int       `json:"after"`  // contacts in the newer state
}
