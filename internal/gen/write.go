package gen

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/syncguard/syncguard/internal/contacts"
)

// VCardOptions say how to write vCard 2.1.
type VCardOptions struct {
	// Categories adds a CATEGORIES line. Outlook's own vCards carry none, phones' often do.
	Categories bool
}

// WriteVCard21 writes one contact the way Outlook 2007 writes a vCard 2.1: bare TYPE
// parameters, QUOTED-PRINTABLE with Windows-1252 for non-ASCII values and notes, CRLF.
func WriteVCard21(w io.Writer, c *contacts.Contact, opt VCardOptions) error {
	bw := bufio.NewWriter(w)
	p := func(name, value string) {
		if value == "" {
			return
		}
		if needsQP(value) {
			charset := ";CHARSET=Windows-1252"
			enc, err := charmap.Windows1252.NewEncoder().String(value)
			if err != nil {
				charset, enc = ";CHARSET=utf-8", value
			}
			bw.WriteString(name + charset + ";ENCODING=QUOTED-PRINTABLE:")
			writeQP(bw, enc, len(name)+len(charset)+28)
			bw.WriteString("\r\n")
			return
		}
		bw.WriteString(name + ":" + value + "\r\n")
	}
	bw.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	n := c.StructuredName
	p("N", strings.Join([]string{esc(n.Family), esc(n.Given), esc(n.Additional), esc(n.Prefix), esc(n.Suffix)}, ";"))
	p("FN", c.Name) // vCard 2.1 escapes ";" only in structured values
	if c.Organization != "" || c.Department != "" {
		p("ORG", esc(c.Organization)+";"+esc(c.Department))
	}
	p("TITLE", c.Title)
	p("NOTE", c.Note)
	for _, t := range c.Phones {
		p("TEL;"+strings.ToUpper(strings.Join(t.Types, ";")), t.Value)
	}
	for _, a := range c.Addresses {
		p("ADR;"+strings.ToUpper(strings.Join(a.Types, ";")), strings.Join([]string{esc(a.POBox), esc(a.Extended),
			esc(a.Street), esc(a.City), esc(a.Region), esc(a.PostalCode), esc(a.Country)}, ";"))
	}
	for _, u := range c.URLs {
		p("URL;"+strings.ToUpper(strings.Join(u.Types, ";")), u.Value)
	}
	for i, e := range c.Emails {
		if i == 0 {
			p("EMAIL;PREF;INTERNET", e.Value)
		} else {
			p("EMAIL;INTERNET", e.Value)
		}
	}
	if c.Birthday != "" {
		p("BDAY", strings.ReplaceAll(c.Birthday, "-", ""))
	}
	if opt.Categories && len(c.Categories) > 0 {
		cats := make([]string, len(c.Categories))
		for i, cat := range c.Categories {
			cats[i] = strings.ReplaceAll(cat, ",", `\,`)
		}
		p("CATEGORIES", strings.Join(cats, ","))
	}
	bw.WriteString("REV:20261101T120000Z\r\nEND:VCARD\r\n")
	return bw.Flush()
}

// WriteVCardFolder writes each contact to its own file in dir, named as Outlook names
// them ("John Smith.vcf"), with a number where two contacts share a name.
func WriteVCardFolder(dir string, cs []*contacts.Contact, opt VCardOptions) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	used := map[string]int{}
	for _, c := range cs {
		base := FileName(c)
		used[base]++
		if k := used[base]; k > 1 {
			base = fmt.Sprintf("%s (%d)", base, k)
		}
		f, err := os.OpenFile(filepath.Join(dir, base+".vcf"), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		werr := WriteVCard21(f, c, opt)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	return nil
}

// FileName is the file name (without extension) Outlook would give a contact's vCard.
func FileName(c *contacts.Contact) string {
	name := c.DisplayName()
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			return '_'
		}
		return r
	}, name)
}

// WriteVCardFile writes all contacts into one vCard 2.1 file (a full export).
func WriteVCardFile(path string, cs []*contacts.Contact, opt VCardOptions) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	for _, c := range cs {
		if err := WriteVCard21(bw, c, opt); err != nil {
			f.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var semicolonEscaper = strings.NewReplacer(";", `\;`)

func esc(s string) string { return semicolonEscaper.Replace(s) }

func needsQP(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '\n' || s[i] == '\r' || s[i] == '=' {
			return true
		}
	}
	return false
}

// writeQP writes s QUOTED-PRINTABLE with soft line breaks before 76 characters, line
// breaks as =0D=0A, as Outlook does.
func writeQP(w *bufio.Writer, s string, col int) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	for i := 0; i < len(s); i++ {
		b := s[i]
		var tok string
		if b >= 33 && b <= 126 && b != '=' || b == ' ' && i+1 < len(s) && s[i+1] != '\r' {
			tok = string(b)
		} else {
			tok = fmt.Sprintf("=%02X", b)
		}
		if col+len(tok) > 75 {
			w.WriteString("=\r\n")
			col = 0
		}
		w.WriteString(tok)
		col += len(tok)
	}
}
