package exports

// The vCard reader. A normalizer turns what Outlook and phones really write into clean
// properties with go-vcard's parameter model (vcard.Params, its field and parameter
// names); a mapper turns those into Contacts.
//
// Why not go-vcard's Decoder alone: it does not read vCard 2.1 as Outlook writes it. Bare
// TYPE parameters (TEL;WORK;VOICE:) are taken as parameter names and the number's types are
// lost, QUOTED-PRINTABLE soft line breaks are not joined, CHARSET is ignored, a BOM is an
// error, and values are unescaped before structured values are split, so "\;" and "\,"
// (a semicolon in a street, a comma in a category) break the structure. The normalizer
// handles all of that line by line, and values are split before they are unescaped.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	vcard "github.com/emersion/go-vcard"

	"github.com/syncguard/syncguard/internal/contacts"
)

// property is one logical line of a card after unfolding, with its raw value bytes.
type property struct {
	line   int // the physical line it started on
	group  string
	name   string // upper case
	params vcard.Params
	raw    []byte // value bytes: not yet QP- or charset-decoded
	qp     bool
	b64    bool
}

// vcardParser holds the state of reading one file.
type vcardParser struct {
	name     string
	unicode  bool // the file was already decoded to UTF-8 (BOM or UTF-16)
	errs     []FileError
	cards    []*rawCard
	stack    []*rawCard // open cards; more than one when cards nest (2.1 AGENT)
	maxErrs  int
	lastLine int
}

type rawCard struct {
	line    int
	version string
	props   []*property
}

func (p *vcardParser) errorf(line int, format string, a ...any) {
	if len(p.errs) >= p.maxErrs {
		return // a garbage file must not produce millions of errors
	}
	p.errs = append(p.errs, FileError{File: p.name, Line: line, Message: fmt.Sprintf(format, a...)})
}

// readVCard reads every card of a vCard file. text is the file's bytes, already converted
// to UTF-8 when unicodeDecoded is set (UTF-16 or BOM), else raw so that CHARSET parameters
// can decode each value.
func readVCard(name string, text []byte, unicodeDecoded bool) ([]*contacts.Contact, []FileError) {
	p := &vcardParser{name: name, unicode: unicodeDecoded, maxErrs: 100}
	p.parse(text)
	out := make([]*contacts.Contact, 0, len(p.cards))
	for _, rc := range p.cards {
		c := p.toContact(rc)
		if c.IsEmpty() && len(c.Other) == 0 && c.UID == "" {
			continue // an empty card ("BEGIN:VCARD", "END:VCARD") holds nothing to keep
		}
		out = append(out, c)
	}
	return out, p.errs
}

// physical lines: split on LF, or on CR where a file has no LF (classic Mac). Trailing CRs
// are dropped, which also handles the CR CR LF that iOS 6 wrote.
func splitLines(text []byte) [][]byte {
	sep := byte('\n')
	if bytes.IndexByte(text, '\n') < 0 {
		sep = '\r'
	}
	lines := bytes.Split(text, []byte{sep})
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, "\r")
	}
	if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	return lines
}

func (p *vcardParser) parse(text []byte) {
	lines := splitLines(text)
	var cur *property // the logical line being built
	var pendLine int  // a property whose parameters are folded: its header so far
	var pend []byte
	flush := func() {
		if cur != nil {
			p.handle(cur)
			cur = nil
		}
	}
	for i, l := range lines {
		ln := i + 1
		p.lastLine = ln
		if pend != nil {
			if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
				// Folding inside the parameters ("TEL;TYPE=VOICE,M" + "\tSG,WORK:...").
				pend = append(pend, l[1:]...)
				if headerComplete(pend) {
					cur, _ = p.parseLine(pendLine, pend)
					pend = nil
				}
				continue
			}
			p.parseLine(pendLine, pend) // reports the property that never got its value
			pend = nil
		}
		if cur != nil {
			switch {
			case cur.qp && qpContinues(cur.raw):
				// A soft line break: the "=" goes, the next line is the same value. A break
				// inside an "=XX" escape leaves "=X" here and the rest on the next line.
				if bytes.HasSuffix(cur.raw, []byte("=")) {
					cur.raw = cur.raw[:len(cur.raw)-1]
				}
				cur.raw = append(cur.raw, l...)
				continue
			case len(l) > 0 && (l[0] == ' ' || l[0] == '\t'):
				if cur.b64 {
					cur.raw = append(cur.raw, bytes.TrimLeft(l, " \t")...)
				} else {
					cur.raw = append(cur.raw, l[1:]...)
				}
				continue
			case cur.b64 && len(l) > 0 && isBase64Line(l):
				// vCard 2.1 base64 continues on lines that need not be indented, up to a blank line.
				cur.raw = append(cur.raw, l...)
				continue
			case !cur.qp && !cur.b64 && bytes.HasSuffix(cur.raw, []byte(`\`)) && len(l) > 0 && !looksLikeProperty(l):
				// Some phones continue a 2.1 address with a backslash at the end of the line.
				cur.raw = append(cur.raw[:len(cur.raw)-1], '\n')
				cur.raw = append(cur.raw, l...)
				continue
			}
		}
		flush()
		if len(bytes.TrimSpace(l)) == 0 {
			continue // blank lines separate cards and end 2.1 base64 blocks
		}
		if l[0] == '#' {
			continue // comment lines written by some phones are not part of any card
		}
		if looksLikeProperty(l) && !headerComplete(l) {
			pendLine, pend = ln, append([]byte(nil), l...)
			continue
		}
		prop, ok := p.parseLine(ln, l)
		if !ok {
			continue
		}
		cur = prop
	}
	if pend != nil {
		p.parseLine(pendLine, pend)
	}
	flush()
	for len(p.stack) > 0 {
		rc := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.errorf(p.lastLine, "the file ends inside the card that starts on line %d (no END:VCARD); the contact was kept, but the export may have been cut short: export it again", rc.line)
		p.cards = append(p.cards, rc)
	}
}

// headerComplete reports whether a line has the ":" that ends a property's name and
// parameters (outside double quotes).
func headerComplete(l []byte) bool {
	inQuote := false
	for _, b := range l {
		switch {
		case b == '"':
			inQuote = !inQuote
		case b == ':' && !inQuote:
			return true
		}
	}
	return false
}

// qpContinues reports whether a QUOTED-PRINTABLE value goes on to the next line: it ends
// with a soft break "=", or with an escape cut in two ("=4" + "1" on the next line).
func qpContinues(raw []byte) bool {
	n := len(raw)
	if n == 0 {
		return false
	}
	if raw[n-1] == '=' {
		return true
	}
	return n >= 2 && raw[n-2] == '=' && isHex(raw[n-1])
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'A' && b <= 'F' || b >= 'a' && b <= 'f'
}

func isBase64Line(l []byte) bool {
	for _, b := range l {
		if !(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/' || b == '=') {
			return false
		}
	}
	return true
}

// looksLikeProperty reports whether a line starts a property: [group.]NAME followed by
// ";" or ":".
func looksLikeProperty(l []byte) bool {
	for i, b := range l {
		switch {
		case b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b == '-' || b == '_' || (i > 0 && (b >= '0' && b <= '9' || b == '.' || b == '/')):
			// "/" is not in the grammar, but KDE writes X-messaging/aim-All.
		case b == ';' || b == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// parseLine splits "group.NAME;params:value" and normalizes the parameters.
func (p *vcardParser) parseLine(ln int, l []byte) (*property, bool) {
	// The name ends at the first ";" or ":"; the parameters at the first ":" outside quotes.
	nameEnd := bytes.IndexAny(l, ";:")
	if nameEnd <= 0 || !looksLikeProperty(l) {
		p.errorf(ln, "line is not a vCard property (%q): it was skipped; check the file around this line", clip(l))
		return nil, false
	}
	prop := &property{line: ln, params: vcard.Params{}}
	name := string(l[:nameEnd])
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		prop.group, name = name[:dot], name[dot+1:]
	}
	prop.name = strings.ToUpper(name)
	rest := l[nameEnd:]
	if rest[0] == ';' {
		i, inQuote := 1, false
		start := 1
		for ; i < len(rest); i++ {
			c := rest[i]
			if c == '"' {
				inQuote = !inQuote
			} else if !inQuote && (c == ';' || c == ':') {
				p.addParam(prop, rest[start:i])
				start = i + 1
				if c == ':' {
					break
				}
			}
		}
		if i >= len(rest) {
			p.errorf(ln, "the %s property has no ':' before its value; it was skipped", prop.name)
			return nil, false
		}
		rest = rest[i:]
	}
	prop.raw = append([]byte(nil), rest[1:]...)
	return prop, true
}

// addParam reads one parameter. vCard 2.1 writes bare values ("WORK", "QUOTED-PRINTABLE");
// they become TYPE and ENCODING as in 3.0.
func (p *vcardParser) addParam(prop *property, b []byte) {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return
	}
	key, val, hasEq := strings.Cut(s, "=")
	key = strings.ToUpper(strings.TrimSpace(key))
	if !hasEq {
		switch key {
		case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT":
			key, val = "ENCODING", key
		default:
			key, val = "TYPE", key
		}
	}
	var vals []string
	if strings.HasPrefix(val, `"`) && strings.HasSuffix(val, `"`) && len(val) >= 2 {
		vals = []string{val[1 : len(val)-1]} // a quoted value is one value, commas and all
	} else {
		vals = strings.Split(val, ",")
	}
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch key {
		case "TYPE":
			v = strings.ToLower(v)
		case "ENCODING":
			v = strings.ToUpper(v)
			switch v {
			case "QUOTED-PRINTABLE":
				prop.qp = true
			case "BASE64", "B":
				prop.b64 = true
			}
		}
		prop.params[key] = append(prop.params[key], v)
	}
}

// handle places a finished property: it opens and closes cards and files the rest.
func (p *vcardParser) handle(prop *property) {
	switch prop.name {
	case "BEGIN":
		if !strings.EqualFold(strings.TrimSpace(string(prop.raw)), "VCARD") {
			p.errorf(prop.line, "BEGIN:%s is not a contact; it was skipped", clip(prop.raw))
			return
		}
		p.stack = append(p.stack, &rawCard{line: prop.line})
		return
	case "END":
		if len(p.stack) == 0 {
			p.errorf(prop.line, "END:VCARD without a BEGIN:VCARD before it; the lines before it were read as one contact")
			return
		}
		rc := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.cards = append(p.cards, rc)
		return
	}
	if len(p.stack) == 0 {
		// A card whose BEGIN line is missing: read it anyway, and say so once.
		p.errorf(prop.line, "a property outside any card (no BEGIN:VCARD before line %d); it was read as the start of a contact", prop.line)
		p.stack = append(p.stack, &rawCard{line: prop.line})
	}
	rc := p.stack[len(p.stack)-1]
	if prop.name == "VERSION" {
		rc.version = strings.TrimSpace(string(prop.raw))
		return
	}
	rc.props = append(rc.props, prop)
}

// decodeValue turns a property's raw bytes into text: QUOTED-PRINTABLE first, then the
// CHARSET (where the file was not already Unicode).
func (p *vcardParser) decodeValue(prop *property) string {
	raw := prop.raw
	if prop.qp {
		raw = decodeQP(raw)
	}
	if prop.b64 {
		return string(raw)
	}
	charset := ""
	if cs := prop.params["CHARSET"]; len(cs) > 0 {
		charset = cs[0]
	}
	if p.unicode {
		charset = "utf-8"
	}
	s, err := decodeText(raw, charset)
	if err != nil {
		p.errorf(prop.line, "%s: %v; check the characters of this value", prop.name, err)
	}
	if strings.IndexByte(s, '\r') >= 0 {
		// QUOTED-PRINTABLE carries Windows line breaks (=0D=0A); contacts hold "\n".
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return s
}

// decodeQP decodes QUOTED-PRINTABLE leniently: a broken escape is kept as written rather
// than dropped, so nothing a card holds is lost.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '=' && i+2 < len(b)+0 && i+2 <= len(b)-1 && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		if c == '=' && i == len(b)-1 {
			continue // a soft break at the very end
		}
		out = append(out, c)
	}
	return out
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func clip(b []byte) string {
	s := string(b)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// checkBase64 reports a base64 value that does not decode, keeping it as written.
func (p *vcardParser) checkBase64(prop *property, v string) {
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, v)
	if _, err := base64.StdEncoding.DecodeString(clean); err != nil {
		if _, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err2 != nil {
			p.errorf(prop.line, "the %s is not valid base64 data; it was kept as written, but the picture or key may be damaged", prop.name)
		}
	}
}
