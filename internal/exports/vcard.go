package exports

import "github.com/syncguard/syncguard/internal/contacts"

// readVCard reads every card of a vCard file. text is the file's bytes, already converted
// to UTF-8 when unicodeDecoded is set (UTF-16 or BOM), else raw so that CHARSET parameters
// can decode each value. (Placeholder: being written.)
func readVCard(name string, text []byte, unicodeDecoded bool) ([]*contacts.Contact, []FileError) {
	return nil, []FileError{{File: name, Message: "vCard reader not written yet"}}
}
