package exports

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/syncguard/syncguard/internal/contacts"
)

// WriteVCards writes contacts as vCard 3.0, one card after another, for a restore that
// Outlook, phones and every address book import. Categories are written (Outlook's own
// vCards drop them, but phones and other programs read them).
//
// go-vcard's Encoder is not used: it escapes every comma of a value, so the category list
// "Clients,VIP" would be written as the one category "Clients\,VIP", the very fusion
// SyncGuard warns about, and it does not escape ";" inside a name or address part.
func WriteVCards(w io.Writer, cs []*contacts.Contact) error {
	bw := bufio.NewWriter(w)
	for _, c := range cs {
		writeVCard30(bw, c)
	}
	return bw.Flush()
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
	line("FN", "", escText(c.DisplayName()))
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
		name := f.Name
		if !looksLikeProperty([]byte(name + ":")) {
			continue
		}
		if strings.Contains(strings.ToUpper(f.Params), "ENCODING=B") {
			line(name, "ENCODING=b", f.Value) // base64 is written as it was read
			continue
		}
		line(name, "", escText(f.Value))
	}
	line("END", "", "VCARD")
}

func typeParam(types []string) string {
	var ts []string
	for _, t := range types {
		t = strings.TrimSpace(t)
		if t == "" || strings.ContainsAny(t, `;:",`) {
			continue
		}
		ts = append(ts, strings.ToUpper(t))
	}
	if len(ts) == 0 {
		return ""
	}
	return "TYPE=" + strings.Join(ts, ",")
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

// WriteVCardFolder writes each contact to its own .vcf file in dir (created 0700, files
// 0600), named after the contact, with a number where names repeat.
func WriteVCardFolder(dir string, cs []*contacts.Contact) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%s: cannot create the folder: %v", dir, err)
	}
	used := map[string]int{}
	for _, c := range cs {
		base := safeFileName(c.DisplayName())
		key := strings.ToLower(base)
		used[key]++
		if k := used[key]; k > 1 {
			base = fmt.Sprintf("%s (%d)", base, k)
		}
		path := filepath.Join(dir, base+".vcf")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("%s: cannot write: %v (the folder should be new or empty)", path, err)
		}
		werr := WriteVCards(f, []*contacts.Contact{c})
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("%s: %v", path, werr)
		}
	}
	return nil
}

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
	return s
}
