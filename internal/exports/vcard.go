package exports

// The vCard reader. A line-level normalizer turns what Outlook and phones really write into
// clean properties (name, lower-case TYPE values, other parameters, raw value bytes); a
// mapper (vcard_map.go) turns those into Contacts with go-vcard's field and parameter names.
//
// Why not go-vcard's Decoder: it does not read vCard 2.1 as Outlook writes it. Bare TYPE
// parameters (TEL;WORK;VOICE:) are taken as parameter names and the number's types are
// lost, QUOTED-PRINTABLE soft line breaks are not joined, CHARSET is ignored, a BOM is an
// error, a line without a colon aborts the whole file, and values are unescaped before
// structured values are split, so "\;" and "\," (a semicolon in a street, a comma in a
// category) break the structure. Its per-property maps also cost several times what this
// parser spends on a card, and a folder of 10,000 cards is read on every rescan. So the
// normalizer handles all of that line by line, in one pass over the bytes, and structured
// values are split before they are unescaped, as RFC 6350 §3.4 requires.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/syncguard/syncguard/internal/contacts"
)

// maxOpenCards bounds the cards open at once (nested, or missing their END).
const maxOpenCards = 4

// maxVCardErrors bounds the errors of one file: binary garbage must not produce a million.
const maxVCardErrors = 100

// param is one parameter other than TYPE, in the order the card wrote it.
type param struct{ key, value string }

// property is one logical line of a card after unfolding.
type property struct {
	line    int // the physical line it started on
	group   string
	name    string   // upper case
	types   []string // TYPE values and vCard 2.1 bare parameters, lower case
	params  []param  // every other parameter
	charset string
	raw     []byte // value bytes: not yet QP- or charset-decoded
	owned   bool   // raw is our own copy; else it aliases the input and must not be written
	rawOff  int    // where raw starts in the file when it aliases it, else -1
	qp, b64 bool
}

// appendRaw extends the value with a continuation line, first dropping drop bytes from its
// end (a QP soft break's "=", a continuation backslash) and adding sep.
func (pr *property) appendRaw(drop int, sep byte, more []byte) {
	if !pr.owned {
		b := make([]byte, 0, len(pr.raw)+len(more)+64)
		pr.raw, pr.owned = append(b, pr.raw...), true
	}
	pr.raw = pr.raw[:len(pr.raw)-drop]
	if sep != 0 {
		pr.raw = append(pr.raw, sep)
	}
	pr.raw = append(pr.raw, more...)
}

// param returns the first value of a parameter other than TYPE.
func (pr *property) param(key string) string {
	for _, p := range pr.params {
		if p.key == key {
			return p.value
		}
	}
	return ""
}

type rawCard struct {
	line    int // the line of its BEGIN:VCARD (or of its first property when BEGIN is missing)
	version string
	props   []property
}

// propsPool recycles the property buffers of cards. A folder of 10,000 one-card files
// would otherwise allocate (and collect) a fresh buffer of a few kilobytes per file; the
// contacts never point into it (values are copied out as strings).
var propsPool = sync.Pool{New: func() any { s := make([]property, 0, 32); return &s }}

func getProps() []property { return (*propsPool.Get().(*[]property))[:0] }

func putProps(s []property) {
	if cap(s) == 0 || cap(s) > 4096 {
		return // a card with thousands of lines is rare; let it go
	}
	clear(s) // entries past len were cleared when the buffer was last put back
	s = s[:0]
	propsPool.Put(&s)
}

// vcardParser holds the state of reading one file.
type vcardParser struct {
	name     string
	unicode  bool // the file was already decoded to UTF-8 (BOM or UTF-16)
	errs     []FileError
	dropped  int // errors beyond maxVCardErrors, counted for the summary
	out      []*contacts.Contact
	limit    int        // the most contacts a file may give (MaxContacts)
	over     bool       // the file holds more: reading stopped
	stack    []*rawCard // open cards; more than one when cards nest (2.1 AGENT)
	nested   bool
	lastLine int
	scratch  []byte // QUOTED-PRINTABLE decoding buffer, reused across values
	// textStr is the file as one string: a value that needs no decoding (most of them) is
	// a substring of it rather than an allocation of its own.
	textStr string
	// typeBuf and paramBuf hold every property's TYPE values and parameters; a property's
	// share is a capacity-limited sub-slice, so a file costs a few allocations, not a few
	// per line. Contacts keep the type slices, which stay valid when the buffer grows.
	typeBuf  []string
	paramBuf []param
	badSets  map[string]bool // charsets already reported, so that a file says it once
	goodSets map[string]bool // charsets already looked up and known
	work     int64           // steps taken, for readWork
}

func (p *vcardParser) errorf(line int, format string, a ...any) {
	if len(p.errs) >= maxVCardErrors {
		p.dropped++
		return
	}
	p.errs = append(p.errs, FileError{File: p.name, Line: line, Message: fmt.Sprintf(format, a...)})
}

// keep adds an error that must not be dropped: past the cap it takes the last error's place.
func (p *vcardParser) keep(e FileError) {
	if len(p.errs) < maxVCardErrors {
		p.errs = append(p.errs, e)
		return
	}
	p.errs[len(p.errs)-1] = e
	p.dropped++
}

// readVCard reads every card of a vCard file. text is the file's bytes, already converted
// to UTF-8 when unicodeDecoded is set (UTF-16 or BOM), else raw so that CHARSET parameters
// can decode each value. It never panics and runs in time linear in the input.
func readVCard(name string, text []byte, unicodeDecoded, owned bool) ([]*contacts.Contact, []FileError) {
	p := &vcardParser{name: name, unicode: unicodeDecoded, limit: MaxContacts}
	p.textStr = textOf(text, owned)
	p.parse(text)
	if p.over {
		// Nothing of a file past the bound is kept: half of it would look like deletions.
		return nil, []FileError{{File: name, Line: p.lastLine, Message: tooManyContacts(p.limit)}}
	}
	if p.nested {
		// Nested cards end before the card around them; give contacts in file order.
		sort.SliceStable(p.out, func(i, j int) bool { return p.out[i].Source.Line < p.out[j].Source.Line })
	}
	if p.dropped > 0 {
		p.errs = append(p.errs, FileError{File: name, Line: p.lastLine, Message: fmt.Sprintf(
			"and %d more problems like the ones above; this file may not be a contact export: export the contacts again", p.dropped)})
	}
	if p.out == nil {
		p.out = []*contacts.Contact{}
	}
	return p.out, p.errs
}

// closeCard turns a finished card into its contact at once and gives its property buffer
// back: holding every card's properties until the end of the file cost kilobytes per card
// (4 GB for a file of 500,000 minimal cards), where the contact alone costs its fields.
func (p *vcardParser) closeCard(rc *rawCard) {
	if len(p.out) >= p.limit {
		p.over = true
		return
	}
	c := p.toContact(rc)
	putProps(rc.props)
	rc.props = nil
	if c.IsEmpty() && len(c.Other) == 0 && c.UID == "" && len(c.Categories) == 0 &&
		c.Anniversary == "" && c.Mileage == "" {
		return // an empty card ("BEGIN:VCARD", "END:VCARD") holds nothing to keep
	}
	p.out = append(p.out, c)
}

// isContinuation reports a folded line (RFC 6350 §3.2: a line starting with a space or TAB).
func isContinuation(l []byte) bool { return len(l) > 0 && (l[0] == ' ' || l[0] == '\t') }

// parse reads the file line by line. Physical lines end at LF, or at CR in a file with no
// LF at all (classic Mac OS); trailing CRs are dropped, which also takes care of the
// CR CR LF that iOS 6 and CRLF-converting tools wrote.
func (p *vcardParser) parse(text []byte) {
	defer p.flushWork()
	sep := byte('\n')
	if bytes.IndexByte(text, '\n') < 0 {
		sep = '\r'
	}
	p.typeBuf = make([]string, 0, 16)
	var cur property // the logical line being built
	hasCur := false
	var pend []byte // a property whose parameters are folded: its header so far
	pendLine := 0
	pendQuote := false // whether pend ends inside a quoted parameter value
	ln := 0
	for pos := 0; pos < len(text) && !p.over; {
		var l []byte
		start := pos
		if i := bytes.IndexByte(text[pos:], sep); i >= 0 {
			l, pos = text[pos:pos+i], pos+i+1
		} else {
			l, pos = text[pos:], len(text)
		}
		ln++
		p.lastLine = ln
		p.work += int64(pos - start)
		for len(l) > 0 && l[len(l)-1] == '\r' {
			l = l[:len(l)-1]
		}
		if pend != nil {
			if isContinuation(l) {
				// Folding inside the parameters ("TEL;TYPE=VOICE,M" + "\tSG,WORK:...").
				// Only the new part is scanned: a header folded over many lines stays linear.
				var done bool
				p.work += int64(len(l))
				done, pendQuote = scanHeader(l[1:], pendQuote)
				pend = append(pend, l[1:]...)
				if done {
					cur, hasCur = p.parseLine(pendLine, pend, -1)
					pend = nil
				}
				continue
			}
			p.parseLine(pendLine, pend, -1) // reports the property that never got its value
			pend = nil
		}
		if hasCur {
			switch {
			case cur.qp && qpContinues(cur.raw) && !isEndLine(l):
				// A soft line break: the "=" goes, the next line is the same value, whatever
				// it starts with. A break inside an "=XX" escape leaves "=X" here and the rest
				// on the next line. A soft break right before END:VCARD is a broken value,
				// not a reason to swallow the end of the card.
				drop := 0
				if cur.raw[len(cur.raw)-1] == '=' {
					drop = 1
				}
				cur.appendRaw(drop, 0, l)
				continue
			case isContinuation(l):
				if cur.b64 {
					cur.appendRaw(0, 0, bytes.TrimLeft(l, " \t")) // base64 indents are not data
				} else {
					cur.appendRaw(0, 0, l[1:])
				}
				continue
			case cur.b64 && len(l) > 0 && isBase64Line(l):
				// vCard 2.1 base64 continues on lines that need not be indented, up to a blank line.
				cur.appendRaw(0, 0, l)
				continue
			case !cur.qp && !cur.b64 && len(cur.raw) > 0 && cur.raw[len(cur.raw)-1] == '\\' && len(l) > 0 && !looksLikeProperty(l):
				// Some phones continue a 2.1 address with a backslash at the end of the line.
				cur.appendRaw(1, '\n', l)
				continue
			}
			p.handle(&cur)
			hasCur = false
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue // blank lines separate cards and end 2.1 base64 blocks
		}
		if l[0] == '#' {
			continue // comment lines written by some phones are not part of any card
		}
		p.work += int64(len(l))
		if looksLikeProperty(l) {
			if done, inQuote := scanHeader(l, false); !done {
				pendLine, pend, pendQuote = ln, append([]byte(nil), l...), inQuote
				continue
			}
		}
		cur, hasCur = p.parseLine(ln, l, start)
	}
	if pend != nil {
		p.parseLine(pendLine, pend, -1)
	}
	if hasCur {
		p.handle(&cur)
	}
	for len(p.stack) > 0 {
		p.work++
		rc := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		msg := fmt.Sprintf("the file ends inside the card that starts on line %d (no END:VCARD); the contact was kept, but the export may have been cut short: export it again", rc.line)
		if len(p.stack) == 0 {
			// The outermost card: whether the file was cut short decides whether a snapshot
			// may be taken from it, so this error is kept even past the cap.
			p.keep(FileError{File: p.name, Line: p.lastLine, Message: msg, cutShort: true})
		} else {
			p.errorf(p.lastLine, "%s", msg)
		}
		p.closeCard(rc)
		p.nested = p.nested || len(p.stack) > 0
	}
}

// flushWork adds the steps counted so far to readWork; parse and toContact each flush
// theirs when they end.
func (p *vcardParser) flushWork() {
	readWork.Add(p.work)
	p.work = 0
}

// isEndLine reports an END:VCARD line, however it is spaced or cased.
func isEndLine(l []byte) bool {
	l = bytes.TrimSpace(l)
	return len(l) == 9 && bytes.EqualFold(l, []byte("END:VCARD"))
}

// scanHeader reports whether b holds the ":" that ends a property's name and parameters
// (outside double quotes), given whether b starts inside quotes, and whether it ends
// inside them.
func scanHeader(b []byte, inQuote bool) (complete, endsInQuote bool) {
	for _, c := range b {
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == ':' && !inQuote:
			return true, inQuote
		}
	}
	return false, inQuote
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

// parseLine splits "group.NAME;params:value" and normalizes the parameters. The value
// aliases l; appendRaw copies it before it is ever extended. off is where l starts in the
// file, or -1 when l is a copy (a header folded over several lines).
func (p *vcardParser) parseLine(ln int, l []byte, off int) (property, bool) {
	p.work += int64(len(l))
	nameEnd := bytes.IndexAny(l, ";:")
	if nameEnd <= 0 || !looksLikeProperty(l) {
		p.errorf(ln, "line is not a vCard property (%q): it was skipped; check the file around this line", clip(l))
		return property{}, false
	}
	prop := property{line: ln, rawOff: -1}
	name := l[:nameEnd]
	if dot := bytes.LastIndexByte(name, '.'); dot >= 0 {
		prop.group, name = string(name[:dot]), name[dot+1:]
	}
	prop.name = upperName(name)
	rest := l[nameEnd:]
	tstart, pstart := len(p.typeBuf), len(p.paramBuf)
	if rest[0] == ';' {
		i, inQuote, start := 1, false, 1
		for ; i < len(rest); i++ {
			c := rest[i]
			if c == '"' {
				inQuote = !inQuote
			} else if !inQuote && (c == ';' || c == ':') {
				p.addParam(&prop, rest[start:i])
				start = i + 1
				if c == ':' {
					break
				}
			}
		}
		if i >= len(rest) {
			p.errorf(ln, "the %s property has no ':' before its value; it was skipped", prop.name)
			return property{}, false
		}
		rest = rest[i:]
	}
	if n := len(p.typeBuf); n > tstart {
		prop.types = p.typeBuf[tstart:n:n]
	}
	if n := len(p.paramBuf); n > pstart {
		prop.params = p.paramBuf[pstart:n:n]
	}
	v := rest[1:]
	prop.raw = v[:len(v):len(v)]
	if off >= 0 {
		prop.rawOff = off + len(l) - len(v)
	}
	return prop, true
}

// addParam reads one parameter. vCard 2.1 writes bare values ("WORK", "QUOTED-PRINTABLE");
// they become TYPE and ENCODING as in 3.0.
func (p *vcardParser) addParam(prop *property, b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return
	}
	var key string
	var val []byte
	if eq := bytes.IndexByte(b, '='); eq >= 0 {
		key, val = upperName(bytes.TrimSpace(b[:eq])), bytes.TrimSpace(b[eq+1:])
	} else if isEncodingWord(b) {
		key, val = "ENCODING", b
	} else {
		key, val = "TYPE", b
	}
	switch key {
	case "TYPE":
		// RFC 6350 writes several types as TYPE=work,voice or TYPE="work,voice"; a quote
		// only protects the commas' neighbours, so split on every comma.
		for len(val) > 0 {
			item := val
			if i := bytes.IndexByte(val, ','); i >= 0 {
				item, val = val[:i], val[i+1:]
			} else {
				val = nil
			}
			item = bytes.TrimSpace(bytes.Trim(bytes.TrimSpace(item), `"`))
			if len(item) > 0 {
				p.typeBuf = append(p.typeBuf, lowerType(item))
			}
		}
		return
	case "ENCODING":
		switch v := upperName(val); v {
		case "QUOTED-PRINTABLE":
			prop.qp = true
		case "BASE64", "B":
			prop.b64 = true
		}
	case "CHARSET":
		val = bytes.Trim(val, `"`)
	}
	if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
		val = val[1 : len(val)-1] // a quoted value is one value, commas and all
	}
	v := intern(val)
	if key == "CHARSET" {
		prop.charset = v
	}
	p.paramBuf = append(p.paramBuf, param{key, v})
}

// isEncodingWord reports the bare 2.1 parameters that name an encoding rather than a type.
func isEncodingWord(b []byte) bool {
	switch len(b) {
	case 1:
		return b[0] == 'b' || b[0] == 'B'
	case 4:
		return bytes.EqualFold(b, []byte("8BIT")) || bytes.EqualFold(b, []byte("7BIT"))
	case 6:
		return bytes.EqualFold(b, []byte("BASE64"))
	case 16:
		return bytes.EqualFold(b, []byte("QUOTED-PRINTABLE"))
	}
	return false
}

// commonValues interns the parameter values Outlook and phones repeat on every line.
var commonValues = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{"UTF-8", "utf-8", "Windows-1252", "windows-1252", "WINDOWS-1252", "ISO-8859-1",
		"iso-8859-1", "SHIFT_JIS", "Shift_JIS", "QUOTED-PRINTABLE", "BASE64", "b", "B", "8BIT", "1", "2",
		"en-us", "uri", "text", "date", "JPEG", "jpeg"} {
		m[v] = v
	}
	return m
}()

func intern(b []byte) string {
	if s, ok := commonValues[string(b)]; ok {
		return s
	}
	return string(b)
}

// knownNames interns property and parameter names, so that the usual ones cost no
// allocation per line; upperName looks them up without allocating.
var knownNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"BEGIN", "END", "VERSION", "FN", "N", "NICKNAME", "ORG", "TITLE", "ROLE",
		"EMAIL", "TEL", "ADR", "LABEL", "URL", "CATEGORIES", "NOTE", "BDAY", "ANNIVERSARY", "UID",
		"PHOTO", "LOGO", "KEY", "SOUND", "REV", "PRODID", "CLASS", "GEO", "TZ", "IMPP", "AGENT",
		"X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-ABLABEL", "X-ABDATE",
		"X-ANDROID-CUSTOM", "X-SYNCGUARD-MILEAGE", "X-SYNCGUARD-FIELD", "X-MS-OL-DEFAULT-POSTAL-ADDRESS",
		"X-MS-IMADDRESS", "X-MS-OL-DESIGN", "X-MS-CARDPICTURE", "X-WAB-GENDER", "X-ABUID", "X-ABADR",
		"TYPE", "ENCODING", "CHARSET", "VALUE", "PREF", "LANGUAGE", "X-NAME",
		"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"} {
		m[n] = n
	}
	return m
}()

// upperName returns the upper-case form of a property or parameter name.
func upperName(b []byte) string {
	var buf [40]byte
	if len(b) <= len(buf) {
		u := buf[:len(b)]
		for i, c := range b {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			u[i] = c
		}
		if s, ok := knownNames[string(u)]; ok {
			return s
		}
		return string(u)
	}
	return strings.ToUpper(string(b))
}

// knownTypes interns the TYPE values that phones and Outlook write.
var knownTypes = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{"work", "home", "voice", "cell", "fax", "pref", "internet", "pager", "msg",
		"video", "modem", "car", "isdn", "bbs", "pcs", "postal", "parcel", "dom", "intl", "x400", "main",
		"other", "iphone", "text", "textphone", "jpeg", "png", "gif", "x509", "pgp", "x-mobile", "mobile",
		"uri", "text", "date", "contact", "x-internet"} {
		m[t] = t
	}
	return m
}()

// lowerType returns the lower-case form of a TYPE value.
func lowerType(b []byte) string {
	var buf [24]byte
	if len(b) <= len(buf) {
		u := buf[:len(b)]
		for i, c := range b {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			u[i] = c
		}
		if s, ok := knownTypes[string(u)]; ok {
			return s
		}
		return string(u)
	}
	return strings.ToLower(string(b))
}

// handle places a finished property: it opens and closes cards and files the rest.
func (p *vcardParser) handle(prop *property) {
	p.work++
	switch prop.name {
	case "BEGIN":
		if !strings.EqualFold(strings.TrimSpace(string(prop.raw)), "VCARD") {
			p.errorf(prop.line, "BEGIN:%s is not a contact; it was skipped", clip(prop.raw))
			return
		}
		if n := len(p.stack); n > 0 {
			p.nested = true
			p.errorf(prop.line, "a card begins inside the card that starts on line %d (a vCard 2.1 AGENT, or a missing END:VCARD); it was read as a contact of its own: check both contacts", p.stack[n-1].line)
		}
		if n := len(p.stack); n >= maxOpenCards {
			// Cards nest one deep (a 2.1 AGENT); BEGIN after BEGIN without END is cards whose
			// END is missing. Each open card holds its properties, so the innermost is closed
			// here rather than a file of BEGIN lines holding kilobytes per line.
			rc := p.stack[n-1]
			p.stack = p.stack[:n-1]
			p.closeCard(rc)
		}
		p.stack = append(p.stack, &rawCard{line: prop.line})
		return
	case "END":
		if len(p.stack) == 0 {
			p.errorf(prop.line, "END:VCARD without a BEGIN:VCARD before it; it was ignored: check the contact above this line")
			return
		}
		rc := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.closeCard(rc)
		return
	}
	if len(p.stack) == 0 {
		// A card whose BEGIN line is missing: read it anyway, and say so once.
		p.errorf(prop.line, "a property outside any card (no BEGIN:VCARD before line %d); it was read as the start of a contact: check that the export is whole", prop.line)
		p.stack = append(p.stack, &rawCard{line: prop.line})
	}
	rc := p.stack[len(p.stack)-1]
	if prop.name == "VERSION" {
		rc.version = strings.TrimSpace(string(prop.raw))
		return
	}
	if rc.props == nil {
		rc.props = getProps()
	}
	rc.props = append(rc.props, *prop)
}

// decodeValue turns a property's raw bytes into text: QUOTED-PRINTABLE first, then the
// CHARSET (where the file was not already Unicode). Line breaks become "\n".
func (p *vcardParser) decodeValue(prop *property) string {
	raw := prop.raw
	p.work += int64(len(raw))
	if prop.qp {
		p.scratch = decodeQP(p.scratch[:0], raw)
		raw = p.scratch
	}
	if prop.b64 {
		return string(raw)
	}
	var s string
	switch {
	case prop.rawOff >= 0 && !prop.qp && !prop.owned && (p.unicode && utf8.Valid(raw) || isASCII(raw) && p.knownCharset(prop)):
		s = p.textStr[prop.rawOff : prop.rawOff+len(raw)]
	case p.unicode:
		s = strings.ToValidUTF8(string(raw), "\uFFFD")
	case isASCII(raw) && p.knownCharset(prop):

		s = string(raw) // every character set SyncGuard reads keeps ASCII as it is
	default:
		var err error
		if s, err = decodeText(raw, prop.charset); err != nil {
			p.charsetError(prop, err)
		}
	}
	if strings.IndexByte(s, '\r') >= 0 {
		// QUOTED-PRINTABLE carries Windows line breaks (=0D=0A); contacts hold "\n".
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return s
}

// knownCharset reports whether the property's CHARSET is one SyncGuard can decode, and
// reports an unknown one (once per file).
func (p *vcardParser) knownCharset(prop *property) bool {
	if prop.charset == "" || p.goodSets[prop.charset] {
		return true
	}
	if _, err := lookupCharset(prop.charset); err != nil {
		p.charsetError(prop, err)
	} else {
		if p.goodSets == nil {
			p.goodSets = map[string]bool{}
		}
		p.goodSets[prop.charset] = true
	}
	return true // an unknown charset's ASCII text is still ASCII
}

func (p *vcardParser) charsetError(prop *property, err error) {
	key := strings.ToUpper(prop.charset)
	if p.badSets[key] {
		return
	}
	if p.badSets == nil {
		p.badSets = map[string]bool{}
	}
	p.badSets[key] = true
	p.errorf(prop.line, "%s: %v; check the characters of this contact (the program that wrote the file may use another character set)", prop.name, err)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// decodeQP decodes QUOTED-PRINTABLE leniently into dst: a broken escape is kept as
// written rather than dropped, so nothing a card holds is lost.
func decodeQP(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '=' {
			if i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
				dst = append(dst, unhex(b[i+1])<<4|unhex(b[i+2]))
				i += 2
				continue
			}
			if i == len(b)-1 {
				continue // a soft break at the very end
			}
		}
		dst = append(dst, c)
	}
	return dst
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
	if _, err := base64.StdEncoding.DecodeString(clean); err == nil {
		return
	}
	if _, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err == nil {
		return
	}
	p.errorf(prop.line, "the %s is not valid base64 data; it was kept as written, but the picture or key may be damaged: check it in the program that exported it", prop.name)
}
