package exports

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
)

// WriteVCards writes contacts as vCard 3.0, one card after another, for a restore that
// Outlook, phones and every address book import. Categories are written (Outlook's own
// vCards drop them, but phones and other programs read them).
//
// go-vcard's Encoder is not used: it escapes every comma of a value, so the category list
// "Clients,VIP" would be written as the one category "Clients\,VIP", the very fusion
// SyncGuard warns about, and it does not escape ";" inside a name or address part.
func WriteVCards(w io.Writer, cs []*contacts.Contact) error {
	v := NewVCardWriter(w)
	v.Write(cs)
	return v.Close()
}

func writeVCard30(w *bufio.Writer, c *contacts.Contact) {
	line := func(name, params, value string) {
		s := name
		if params != "" {
			s += ";" + params
		}
		writeFolded(w, s+":"+value)
	}
	line("BEGIN", "", "VCARD")
	line("VERSION", "", "3.0")
	if c.UID != "" {
		line("UID", "", escText(c.UID))
	}
	n := c.StructuredName
	line("N", "", joinEsc(n.Family, n.Given, n.Additional, n.Prefix, n.Suffix))
	// FN is the contact's own formatted name. It is not DisplayName: a company-only card
	// would come back with the company as its name, and a restore would then look like an
	// edit of every such contact.
	fn := c.Name
	if fn == "" {
		fn = n.Formatted()
	}
	line("FN", "", escText(fn))
	if c.Nickname != "" {
		line("NICKNAME", "", escText(c.Nickname))
	}
	if c.Organization != "" || c.Department != "" {
		line("ORG", "", joinEsc(c.Organization, c.Department))
	}
	if c.Title != "" {
		line("TITLE", "", escText(c.Title))
	}
	for _, e := range c.Emails {
		line("EMAIL", typeParam(e.Types), escText(e.Value))
	}
	for _, t := range c.Phones {
		line("TEL", typeParam(t.Types), escText(t.Value))
	}
	for _, a := range c.Addresses {
		params := typeParam(a.Types)
		if a.Label != "" {
			if params != "" {
				params += ";"
			}
			params += `LABEL="` + strings.NewReplacer(`"`, "'", "\n", `\n`).Replace(a.Label) + `"`
		}
		line("ADR", params, joinEsc(a.POBox, a.Extended, a.Street, a.City, a.Region, a.PostalCode, a.Country))
	}
	for _, u := range c.URLs {
		line("URL", typeParam(u.Types), escText(u.Value))
	}
	if len(c.Categories) > 0 {
		cats := make([]string, len(c.Categories))
		for i, cat := range c.Categories {
			cats[i] = escText(cat)
		}
		line("CATEGORIES", "", strings.Join(cats, ","))
	}
	if c.Note != "" {
		line("NOTE", "", escText(c.Note))
	}
	if c.Birthday != "" {
		line("BDAY", "", c.Birthday)
	}
	if c.Anniversary != "" {
		line("X-ANNIVERSARY", "", c.Anniversary)
	}
	if c.Mileage != "" {
		// vCard has no Mileage; Outlook reads it from CSV only. SyncGuard writes its own property so that a
		// vCard restore loses nothing SyncGuard knew, and reads it back.
		line("X-SYNCGUARD-MILEAGE", "", escText(c.Mileage))
	}
	for _, f := range c.Other {
		writeOther(line, f)
	}
	line("END", "", "VCARD")
}

// typeParam writes types as TYPE=WORK,VOICE. A custom label (iOS "Work Cell") is quoted;
// the characters no parameter value may hold are replaced, not dropped with the label.
func typeParam(types []string) string {
	var b strings.Builder
	for _, t := range types {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("TYPE=")
		} else {
			b.WriteByte(',')
		}
		if isToken(t) {
			b.WriteString(strings.ToUpper(t))
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.Map(func(r rune) rune {
			if r == '"' || r == ',' || r < 32 || r == 127 {
				return ' '
			}
			return r
		}, t))
		b.WriteByte('"')
	}
	return b.String()
}

// isToken reports a parameter value that needs no quotes: letters, digits and "-".
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return s != ""
}

// mappedNames are the properties the reader turns into Contact fields. A kept field with
// one of these names (a second BDAY) or with a name that is no property name at all (an
// Outlook CSV column such as "Assistant's Name", or "Spouse", which the reader would
// upper-case) is written as X-SYNCGUARD-FIELD;X-NAME="...", so that it reads back into
// Other exactly as it was instead of becoming a phone, a birthday or another name.
var mappedNames = map[string]bool{"BEGIN": true, "END": true, "VERSION": true, "FN": true, "N": true,
	"NICKNAME": true, "ORG": true, "TITLE": true, "EMAIL": true, "TEL": true, "ADR": true, "LABEL": true,
	"URL": true, "CATEGORIES": true, "NOTE": true, "BDAY": true, "ANNIVERSARY": true, "X-ANNIVERSARY": true,
	"X-MS-ANNIVERSARY": true, "X-EVOLUTION-ANNIVERSARY": true, "X-SYNCGUARD-MILEAGE": true,
	"X-SYNCGUARD-FIELD": true, "UID": true, "PRODID": true, "REV": true, "X-ABDATE": true, "X-ANDROID-CUSTOM": true}

// writeOther writes one kept field. Fields read from a vCard keep their name, parameters
// and, for base64 data, their value byte for byte. A text value escapes only "\" and line
// breaks: its ";" and "," are the unknown property's own structure (Android's
// X-ANDROID-CUSTOM is ";"-separated), and the reader unescapes it back to the same text.
func writeOther(line func(name, params, value string), f contacts.Field) {
	name := f.Name
	prop := name
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		prop = name[dot+1:]
	}
	if !looksLikeProperty([]byte(name+":")) || prop != strings.ToUpper(prop) || mappedNames[prop] ||
		(prop == "X-ABLABEL" && strings.Contains(name, ".")) {
		xname := strings.Map(func(r rune) rune {
			if r == '"' || r < 32 || r == 127 {
				return '\''
			}
			return r
		}, name)
		line("X-SYNCGUARD-FIELD", `X-NAME="`+xname+`"`, otherEscaper.Replace(f.Value))
		return
	}
	params, b64 := otherParams(f.Params)
	if b64 {
		line(name, params, f.Value)
		return
	}
	line(name, params, otherEscaper.Replace(f.Value))
}

var otherEscaper = strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// otherParams gives back the parameters the reader recorded, less those that described
// the old encoding (the value is now decoded UTF-8); base64 data is marked ENCODING=b.
func otherParams(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	var keep []string
	b64 := false
	for _, p := range splitParams(s) {
		key, val, _ := strings.Cut(p, "=")
		switch strings.ToUpper(key) {
		case "CHARSET":
			continue
		case "ENCODING":
			switch strings.ToUpper(strings.Trim(val, `"`)) {
			case "BASE64", "B":
				b64 = true
				keep = append(keep, "ENCODING=b")
			}
			continue
		}
		if strings.TrimSpace(key) == "" || !isToken(key) {
			continue
		}
		keep = append(keep, p)
	}
	return strings.Join(keep, ";"), b64
}

// splitParams splits "TYPE=a,b;X-P=\"x;y\"" on the semicolons outside quotes.
func splitParams(s string) []string {
	var out []string
	start, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ';':
			if !inQuote {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

var textEscaper = strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`, ",", `\,`, ";", `\;`)

func escText(s string) string { return textEscaper.Replace(s) }

func joinEsc(parts ...string) string {
	for i, p := range parts {
		parts[i] = escText(p)
	}
	return strings.Join(parts, ";")
}

// writeFolded writes one content line folded at 75 octets (the leading space of a
// continuation counts), never inside a UTF-8 character.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}

// WriteVCardFolder writes each contact to its own .vcf file in dir (contact data is the
// user's alone: a folder it creates is private, and so is every file, 0600 or on Windows a
// user-only access list), named after the contact. Where names repeat,
// differ only in case (Windows and macOS folders ignore case) or a file of that name is
// already there, a number is added: a restore never overwrites a file.
//
// The cards are written into a hidden staging folder first (see stageFolder), so that a
// kill or a full disk never leaves an empty or cut-off card under a final name, nor a
// new folder that looks complete but is not.
func WriteVCardFolder(dir string, cs []*contacts.Contact) error {
	f, err := CreateVCardFolder(dir)
	if err != nil {
		return err
	}
	if err := f.Write(cs); err != nil {
		return err
	}
	return f.Close()
}

// writeVCardFiles writes one .vcf per contact into dir, avoiding the names in used
// (lower-cased); errors name the file as it would be in shown, the folder the user chose.
// next is, per name, the number to try first, kept across the chunks of one restore:
// starting from 1 for every contact made 20,000 contacts of one name take 84 s (each tried
// every number before it).
func writeVCardFiles(dir, shown string, used map[string]bool, next map[string]int, cs []*contacts.Contact) error {
	for _, c := range cs {
		base := safeFileName(c.DisplayName())
		var f *os.File
		var path string
		key := strings.ToLower(base)
		k := max(next[key], 1)
		for ; ; k++ {
			name := base + ".vcf"
			if k > 1 {
				name = fmt.Sprintf("%s (%d).vcf", base, k)
			}
			if used[strings.ToLower(name)] {
				continue
			}
			used[strings.ToLower(name)] = true
			path = filepath.Join(dir, name)
			var err error
			f, err = os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err == nil {
				next[key] = k + 1
				break
			}
			if !errors.Is(err, fs.ErrExist) || k > 100000 {
				return fmt.Errorf("%s: cannot write: %v; choose a folder you may write to", filepath.Join(shown, filepath.Base(path)), unwrapPathErr(err))
			}
		}
		werr := WriteVCards(f, []*contacts.Contact{c})
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("%s: cannot write: %v; check the free space of the disk", filepath.Join(shown, filepath.Base(path)), werr)
		}
		// On Windows privacy is the access list, not the mode: each card gets a list for
		// the user alone, which stays with it when it is moved from the staging folder into
		// an existing folder (elsewhere the 0600 mode does it).
		if runtime.GOOS == "windows" {
			if err := datadir.MakePrivate(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// reservedNames are file names Windows refuses in any folder, with any extension: the
// devices, the console's CONIN$ and CONOUT$, and COM and LPT with a digit, where Windows
// counts the superscripts ¹ ² ³ as digits too.
var reservedNames = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}
	for _, d := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
		m["COM"+d], m["LPT"+d] = true, true
	}
	return m
}()

// safeFileName keeps a name usable as a file name on Windows, macOS and Linux.
func safeFileName(name string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	s = strings.Trim(s, ". ")
	if len(s) > 100 {
		s = s[:100]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	if s == "" {
		s = "contact"
	}
	stem, _, _ := strings.Cut(s, ".")
	if reservedNames[strings.ToUpper(strings.TrimSpace(stem))] {
		s = "_" + s
	}
	return s
}
