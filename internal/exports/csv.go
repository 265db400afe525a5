package exports

import "github.com/syncguard/syncguard/internal/contacts"

// readCSV reads a CSV contact export. text is UTF-8 when enc is set (the file had a BOM or
// was UTF-16), else raw bytes to decode. It returns the format it recognised and the
// encoding it used. (Placeholder: being written.)
func readCSV(name string, text []byte, enc string) ([]*contacts.Contact, []FileError, Format, string) {
	return nil, []FileError{{File: name, Message: "CSV reader not written yet"}}, FormatCSV, enc
}
