package exports

// The CSV reader: Outlook (English and German headers), Google and Thunderbird exports.
// Columns are found through the synonym table in csv_header.go; columns SyncGuard has no
// field for are kept in Contact.Other under their header, so nothing is dropped silently.
//
// Two things are decided for the whole file rather than per row, because one row cannot
// tell them apart: the list separator Outlook joined categories with, and whether
// slash-dates are month/day (US) or day/month (UK and most of the world).

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/syncguard/syncguard/internal/contacts"
)

// maxRowErrors bounds the errors one file reports row by row; the rest are counted in one
// last error, so that a badly broken file neither floods the user nor stops the reading.
const maxRowErrors = 50

// readCSV reads a CSV contact export. text is UTF-8 when enc is set (the file had a BOM or
// was UTF-16), else raw bytes to decode. It returns the format it recognised and the
// encoding it used.
func readCSV(name string, text []byte, enc string, owned bool) ([]*contacts.Contact, []FileError, Format, string) {
	s, encName := decodeCSVBytes(text, enc, owned)
	cs, errs, f := scanCSV(name, s, nil)
	return cs, errs, f, encName
}

// csvStream is a CSV read whose contacts are handed over a chunk at a time (see
// ReadFileChunks). The whole-file decisions (the category separator, the order of slash
// dates) are settled by a first pass over the file, which keeps no contact, so the second
// pass can complete each contact as soon as its row is read.
type csvStream struct {
	settled  bool
	sep      string
	dayFirst bool
	chunk    int
	emit     func([]*contacts.Contact) error
	err      error // the first error emit returned: the read stops there
	n        int   // contacts handed over
}

// readCSVChunks reads a CSV export in two passes (see csvStream). The first pass counts
// the contacts too, so that a file past MaxContacts is refused before any is handed over.
func readCSVChunks(name string, text []byte, enc string, owned bool, chunk int, emit func([]*contacts.Contact) error) ([]FileError, Format, string, int, error) {
	s, encName := decodeCSVBytes(text, enc, owned)
	survey := &csvStream{}
	if _, errs, f := scanCSV(name, s, survey); survey.n == 0 || survey.n > MaxContacts {
		return errs, f, encName, 0, nil // no header, no contacts or too many: as a whole read says
	}
	st := &csvStream{settled: true, sep: survey.sep, dayFirst: survey.dayFirst, chunk: chunk, emit: emit}
	_, errs, f := scanCSV(name, s, st)
	return errs, f, encName, st.n, st.err
}

// scanCSV reads the rows of a decoded CSV. With st nil it returns every contact; with an
// unsettled st it only settles the whole-file decisions into it and counts the contacts;
// with a settled st it hands the contacts to st.emit.
func scanCSV(name, s string, st *csvStream) ([]*contacts.Contact, []FileError, Format) {
	sc := newCSVScanner(s, ',')
	defer func() { readWork.Add(sc.work) }()
	sniffCSVDialect(sc)

	r := csvReading{name: name, stream: st}
	var rec csvRecord
	for sc.next(&rec) && rec.empty() {
	}
	if len(rec.fields) == 0 || rec.empty() {
		// ReadBytes has already refused a blank file; this is one of blank records.
		return nil, []FileError{{File: name, Line: 1, Message: "the file holds no header row; export the contacts again"}}, FormatCSV
	}
	r.header = append([]string(nil), rec.fields...)
	m, format := mapHeader(r.header)
	if !m.identifies {
		return nil, []FileError{{File: name, Line: rec.line, Message: "the first row is not a contact export header SyncGuard knows: it expects columns such as \"First Name\", \"Last Name\", \"E-mail Address\" (German Outlook: \"Vorname\", \"Nachname\", \"E-Mail-Adresse\"); in Outlook export with File > Open & Export > Import/Export > Export to a file > Comma Separated Values"}}, FormatCSV
	}
	if rec.unterminated || rec.strayQuote {
		r.lastErrLine = rec.line
		r.errs = append(r.errs, FileError{File: name, Line: rec.line, Message: "the header row has a quote that is not closed or not doubled; the columns were read as well as possible: export the contacts again"})
	}
	r.m, r.format, r.width, r.delim = m, format, m.width, sc.delim

	// Rows after an unterminated quote that do not look like rows are the rest of the
	// unclosed value (typically a multi-line note in a file cut off while it was written);
	// they are skipped rather than taken as contacts, until a row looks like one again.
	recovering, recoverLine, skipped := false, 0, 0
	plausible := max(2, (m.width+1)/2)
	recoveryMessage := func() string {
		msg := "a quoted value opened on this line is never closed (was the file cut off while it was written?); this line was read with the quote as text"
		if skipped > 0 {
			msg += fmt.Sprintf(", and the %d rows after it that do not look like contacts (the rest of the value) were skipped", skipped)
		}
		return msg
	}
	endRecovery := func() {
		r.errorf(recoverLine, "%s: check this contact, or export the contacts again", recoveryMessage())
		recovering, skipped = false, 0
	}
	lastShort := false // whether the last row had fewer values than the header
	for sc.next(&rec) {
		if recovering {
			if len(rec.fields) < plausible && !rec.unterminated {
				skipped++
				continue
			}
			endRecovery()
		}
		switch {
		case rec.unterminated && rec.atEOF:
			recovering, recoverLine = true, rec.line
		case rec.unterminated:
			r.errorf(rec.line, "a quoted value opened on this line is not closed on it, and its quote would pair with one on a later line and swallow the rows in between; this line was read with the quote as text: check this contact")
		}
		if rec.empty() {
			continue
		}
		lastShort, r.lastLine = len(rec.fields) < r.width, rec.line
		sc.work += int64(len(rec.fields))
		r.row(&rec)
		if r.count > MaxContacts {
			// Nothing of a file past the bound is kept: half of it would look like deletions.
			if st != nil {
				st.n = r.count
			}
			return nil, []FileError{{File: name, Line: rec.line, Message: tooManyContacts(MaxContacts)}}, format
		}
		if st != nil && st.err != nil {
			return nil, r.errs, format
		}
	}
	// A quote still open at the end, or a last row short of values with no line break after
	// it, is a file cut off while it was written: the rows after the cut are unknown. The
	// error that says so is kept even past the cap, as it stops a snapshot of the file.
	switch {
	case recovering:
		r.keep(FileError{File: name, Line: recoverLine, cutShort: true,
			Message: recoveryMessage() + ": the file ends inside this value, so it was cut off while it was written and the contacts after the cut are unknown; export the contacts again"})
	case lastShort && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, "\r"):
		r.keep(FileError{File: name, Line: r.lastLine, cutShort: true,
			Message: "the file ends in the middle of this contact (it has fewer values than the header and no line break after it), so it was cut off while it was written and the contacts after the cut are unknown; export the contacts again"})
	}
	sc.work += int64(2 * len(r.pending)) // finish's two passes
	r.finish()
	if r.dropped > 0 {
		r.errs = append(r.errs, FileError{File: name, Line: r.lastErrLine, Message: fmt.Sprintf("%d more rows had problems like the ones above; they were read as well as possible: check the export", r.dropped)})
	}
	return r.out, r.errs, format
}

// sniffCSVDialect picks the delimiter (",", ";" or TAB, whichever occurs most often outside
// quotes in the first row) and honours Excel's "sep=;" first line where a file has one.
func sniffCSVDialect(sc *csvScanner) {
	s := sc.s
	if len(s) > 5 && strings.EqualFold(s[:4], "sep=") && (s[5] == '\n' || s[5] == '\r') {
		sc.delim, sc.pos, sc.line = s[4], 6, 2
		if strings.HasPrefix(s[5:], "\r\n") {
			sc.pos = 7
		}
		return
	}
	var comma, semi, tab int
	inQuote := false
	for i := 0; i < len(s) && i < 1<<20; i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case '\n', '\r':
			if !inQuote {
				i = len(s)
			}
		case ',':
			if !inQuote {
				comma++
			}
		case ';':
			if !inQuote {
				semi++
			}
		case '\t':
			if !inQuote {
				tab++
			}
		}
	}
	switch {
	case semi > comma && semi >= tab:
		sc.delim = ';'
	case tab > comma && tab > semi:
		sc.delim = '\t'
	default:
		sc.delim = ','
	}
}

// decodeCSVBytes decodes a CSV file that had no BOM: UTF-8 where valid, Shift_JIS where the
// bytes read as Japanese (Thunderbird and Outlook on Japanese Windows), else Windows-1252,
// the code page of Outlook on Western European and American Windows.
func decodeCSVBytes(text []byte, enc string, owned bool) (string, string) {
	if enc != "" {
		return textOf(text, owned), enc
	}
	if utf8.Valid(text) {
		return textOf(text, owned), "utf-8"
	}
	if hasShiftJISLead(text) {
		if sj, err := japanese.ShiftJIS.NewDecoder().Bytes(text); err == nil && looksJapanese(sj) {
			return textOf(sj, true), "shift_jis"
		}
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(text)
	return textOf(s, true), "windows-1252"
}

// hasShiftJISLead reports whether the bytes hold a lead byte from 0x81-0x9F. Japanese
// text in Shift_JIS always does (kana, punctuation and the common kanji start there), while
// Windows-1252 keeps no letters of Western names there: "Renée" (E9 65) is also a valid
// Shift_JIS kanji, and without this test a French name made a file Japanese.
func hasShiftJISLead(b []byte) bool {
	for _, c := range b {
		if c >= 0x81 && c <= 0x9F {
			return true
		}
	}
	return false
}

// looksJapanese reports whether most non-ASCII letters are kana or kanji, with no
// replacement characters: Windows-1252 text read as Shift_JIS gives a scatter of half-width
// katakana and symbols instead.
func looksJapanese(b []byte) bool {
	var jp, other int
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		switch {
		case r < 0x80:
		case r == utf8.RuneError:
			return false
		case unicode.In(r, unicode.Hiragana, unicode.Han) || (r >= 0x30A0 && r <= 0x30FF):
			jp++
		default:
			other++
		}
	}
	return jp > 0 && jp >= 4*other
}

// csvMap is the plan for a file's rows: what each column holds.
type csvMap struct {
	cols       []column // by column index; kind colNone for unmapped columns
	keys       []string // headerKey of every column, for the default values
	addrSlots  int
	addrTypes  [][]string
	google     []googleCol // by column index, for colGoogle columns
	gSlots     int
	identifies bool // the header has a column that names or reaches a person
	width      int  // columns up to the last one with a name
}

type googleCol struct {
	kind string // "e-mail", "phone", "address", "organization", "website"
	slot int
	part string // "value", "type", "label", "city", ...
}

// mapHeader plans the columns of a header row and tells which program wrote it.
func mapHeader(header []string) (*csvMap, Format) {
	m := &csvMap{cols: make([]column, len(header)), keys: make([]string, len(header)), google: make([]googleCol, len(header))}
	addrSlot := map[string]int{}
	gSlot := map[string]int{}
	votes := map[Format]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h != "" {
			m.width = i + 1
		}
		lh := strings.ToLower(h)
		if g := googleMulti.FindStringSubmatch(lh); g != nil {
			kind := strings.Replace(g[1], "email", "e-mail", 1)
			id := kind + g[2]
			if _, ok := gSlot[id]; !ok {
				gSlot[id] = len(gSlot)
			}
			m.cols[i] = column{kind: colGoogle}
			m.google[i] = googleCol{kind: kind, slot: gSlot[id], part: g[3]}
			votes[FormatGoogleCSV] = true
			m.identifies = m.identifies || kind == "e-mail"
			continue
		}
		if k, ok := thunderbirdBirth[lh]; ok {
			m.cols[i] = column{kind: k}
			votes[FormatThunderbirdCSV] = true
			continue
		}
		m.keys[i] = headerKey(h)
		c, ok := csvColumns[m.keys[i]]
		if !ok {
			continue
		}
		if c.kind == colAddr {
			if _, ok := addrSlot[c.slot]; !ok {
				addrSlot[c.slot] = len(m.addrTypes)
				m.addrTypes = append(m.addrTypes, c.types)
			}
			c.addr = addrSlot[c.slot]
		}
		m.cols[i] = c
		if c.program != "" {
			votes[c.program] = true
		}
		switch c.kind {
		case colGiven, colFamily, colDisplay, colEmail, colCompany:
			m.identifies = true
		}
	}
	// French Outlook names both the prefix (its first column) and the job title "Titre":
	// where two columns have that name, the first is the prefix.
	if first, second := indexKey(m.keys, "titre", 0), indexKey(m.keys, "titre", 1); second >= 0 {
		m.cols[first] = csvColumns[headerKey("Title")]
		m.cols[second] = csvColumns[headerKey("Job Title")]
	}
	m.addrSlots, m.gSlots = len(m.addrTypes), len(gSlot)
	switch {
	case votes[FormatGoogleCSV]:
		return m, FormatGoogleCSV
	case votes[FormatThunderbirdCSV]:
		return m, FormatThunderbirdCSV
	case votes[FormatOutlookCSV]:
		return m, FormatOutlookCSV
	}
	return m, FormatCSV
}

// indexKey returns the index of the n-th (from 0) occurrence of key in keys, or -1.
func indexKey(keys []string, key string, n int) int {
	for i, k := range keys {
		if k == key {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return -1
}

// csvReading is the state of reading one file.
type csvReading struct {
	name        string
	header      []string
	m           *csvMap
	format      Format
	width       int
	delim       byte
	out         []*contacts.Contact
	pending     []pendingRow
	errs        []FileError
	dropped     int // row errors beyond maxRowErrors
	lastErrLine int
	lastLine    int // the line of the last non-empty row
	count       int // contacts read
	stream      *csvStream
	// the Categories cells and dates of a first pass (stream not settled)
	cats, dates []string
	// scratch, reused for every row
	addrs []contacts.Address
	gent  []map[string]string
}

// pendingRow holds what is decided for the whole file once every row is read.
type pendingRow struct {
	c                           *contacts.Contact
	categories, birth, annivers string
}

func (r *csvReading) errorf(line int, format string, args ...any) {
	r.lastErrLine = line
	if len(r.errs) >= maxRowErrors {
		r.dropped++
		return
	}
	r.errs = append(r.errs, FileError{File: r.name, Line: line, Message: fmt.Sprintf(format, args...)})
}

// keep adds an error that must not be dropped: past the cap it takes the last error's place.
func (r *csvReading) keep(e FileError) {
	r.lastErrLine = e.Line
	if len(r.errs) < maxRowErrors {
		r.errs = append(r.errs, e)
		return
	}
	r.errs[len(r.errs)-1] = e
	r.dropped++
}

// row maps one record to a contact.
func (r *csvReading) row(rec *csvRecord) {
	m := r.m
	switch {
	case rec.unterminated:
		// Reported by the caller, once the lines it took are known.
	case rec.strayQuote:
		r.errorf(rec.line, "a value in this row has text after its closing quote (a quote inside a value must be doubled); it was read as it stands: check this contact")
	case len(rec.fields) < r.width:
		r.errorf(rec.line, "this row has %d values but the header has %d columns; the missing ones were read as empty: check this contact", len(rec.fields), r.width)
	case len(rec.fields) > len(r.header):
		for _, v := range rec.fields[len(r.header):] {
			if strings.TrimSpace(v) != "" {
				r.errorf(rec.line, "this row has %d values but the header has %d columns; the extra values were kept as \"Column N\" but the row may be shifted: check this contact", len(rec.fields), len(r.header))
				break
			}
		}
	}

	c := &contacts.Contact{}
	var p pendingRow
	if r.addrs == nil {
		r.addrs = make([]contacts.Address, m.addrSlots)
		r.gent = make([]map[string]string, m.gSlots)
	}
	addrs, gent := r.addrs, r.gent
	clear(addrs)
	clear(gent)
	var by, bm, bd string
	systemGroups := 0 // Google's groups kept in Other, which alone do not make a contact
	for i, raw := range rec.fields {
		raw = unneutralizeFormula(raw)
		v := strings.TrimSpace(raw)
		if v == "" {
			continue
		}
		if i >= len(m.cols) {
			c.Other = append(c.Other, contacts.Field{Name: fmt.Sprintf("Column %d", i+1), Value: v})
			continue
		}
		col := &m.cols[i]
		switch col.kind {
		case colNone:
			if v == "0/0/00" || isOutlookDefault(m.keys[i], v) {
				continue
			}
			name := strings.TrimSpace(r.header[i])
			if name == "" {
				name = fmt.Sprintf("Column %d", i+1)
			}
			c.Other = append(c.Other, contacts.Field{Name: name, Value: v})
		case colPrefix:
			c.StructuredName.Prefix = v
		case colGiven:
			c.StructuredName.Given = v
		case colAdditional:
			c.StructuredName.Additional = v
		case colFamily:
			c.StructuredName.Family = v
		case colSuffix:
			c.StructuredName.Suffix = v
		case colDisplay:
			c.Name = v
		case colNickname:
			c.Nickname = v
		case colCompany:
			c.Organization = v
		case colDepartment:
			c.Department = v
		case colJobTitle:
			c.Title = v
		case colNotes:
			// Leading white space may be the note's own indentation; trailing line breaks
			// are Outlook's.
			c.Note = strings.TrimRight(strings.ReplaceAll(raw, "\r", "\n"), " \t\n")
		case colMileage:
			// As written, spaces and all: InterAction reads this field, and a device that
			// only trims it has still rewritten it.
			c.Mileage = raw
		case colCategories:
			p.categories = v
		case colGroups:
			for _, g := range strings.Split(v, ":::") {
				g = strings.TrimSpace(g)
				switch {
				case g == "":
				case strings.HasPrefix(g, "* "):
					// Google's system groups ("* myContacts", "* Starred") are not categories
					// a person made; they are kept, not dropped.
					c.Other = append(c.Other, contacts.Field{Name: strings.TrimSpace(r.header[i]), Value: g})
					systemGroups++
				default:
					c.Categories = append(c.Categories, g)
				}
			}
		case colBirthday:
			p.birth = v
		case colAnniversary:
			p.annivers = v
		case colBirthYear:
			by = v
		case colBirthMonth:
			bm = v
		case colBirthDay:
			bd = v
		case colURL:
			c.URLs = append(c.URLs, contacts.Value{Value: v, Types: col.types})
		case colEmail:
			c.Emails = append(c.Emails, contacts.Value{Value: v, Types: col.types})
		case colPhone:
			c.Phones = append(c.Phones, contacts.Value{Value: v, Types: col.types})
		case colAddr:
			setAddrPart(&addrs[col.addr], col.part, v)
		case colGoogle:
			g := m.google[i]
			if gent[g.slot] == nil {
				gent[g.slot] = map[string]string{"": g.kind}
			}
			gent[g.slot][g.part] = v
		}
	}
	for i := range addrs {
		if !addrs[i].IsZero() {
			a := addrs[i]
			a.Types = m.addrTypes[i]
			c.Addresses = append(c.Addresses, a)
		}
	}
	for _, e := range gent {
		if e != nil {
			addGoogleEntry(c, e)
		}
	}
	if by != "" || bm != "" || bd != "" {
		p.birth = thunderbirdDate(by, bm, bd)
	}
	if c.Name == "" && !c.StructuredName.IsZero() {
		c.Name = c.StructuredName.Formatted()
	}
	if c.IsEmpty() && p.categories == "" && c.Mileage == "" && p.birth == "" && p.annivers == "" &&
		len(c.Categories) == 0 && len(c.Other) == systemGroups {
		return // a row of delimiters and Outlook's defaults: no contact
	}
	c.Source = contacts.Source{File: r.name, Line: rec.line, Format: string(r.format)}
	p.c = c
	r.count++
	switch st := r.stream; {
	case st == nil:
		r.out = append(r.out, c)
		if p.categories != "" || p.birth != "" || p.annivers != "" {
			r.pending = append(r.pending, p)
		}
	case !st.settled:
		// The first pass keeps only what settles the whole-file decisions.
		r.cats, r.dates = appendDecisive(r.cats, r.dates, p)
	default:
		p.complete(st.sep, st.dayFirst)
		r.out = append(r.out, c)
		if len(r.out) >= st.chunk {
			r.hand()
		}
	}
}

// hand gives the contacts read so far to the stream and drops them.
func (r *csvReading) hand() {
	st := r.stream
	if len(r.out) == 0 || st.err != nil {
		return
	}
	st.n += len(r.out)
	st.err = st.emit(r.out)
	r.out = make([]*contacts.Contact, 0, st.chunk) // the caller may still hold the last chunk
}

// appendDecisive adds a row's Categories cell and dates to the ones the whole-file
// decisions are made from.
func appendDecisive(cats, dates []string, p pendingRow) ([]string, []string) {
	if p.categories != "" {
		cats = append(cats, p.categories)
	}
	if p.birth != "" {
		dates = append(dates, p.birth)
	}
	if p.annivers != "" {
		dates = append(dates, p.annivers)
	}
	return cats, dates
}

// complete applies the whole-file decisions to a row's contact.
func (p pendingRow) complete(sep string, dayFirst bool) {
	if p.categories != "" {
		p.c.Categories = append(p.c.Categories, splitCategories(p.categories, sep)...)
	}
	p.c.Birthday = parseCSVDate(p.birth, dayFirst)
	p.c.Anniversary = parseCSVDate(p.annivers, dayFirst)
}

func isOutlookDefault(key, v string) bool {
	for _, d := range outlookDefaults[key] {
		if strings.EqualFold(v, d) {
			return true
		}
	}
	return false
}

func setAddrPart(a *contacts.Address, part addrPart, v string) {
	switch part {
	case partStreet:
		if a.Street != "" {
			v = a.Street + "\n" + v
		}
		a.Street = v
	case partCity:
		a.City = v
	case partRegion:
		a.Region = v
	case partPostal:
		a.PostalCode = v
	case partCountry:
		a.Country = v
	case partPOBox:
		a.POBox = v
	}
}

// finish applies what is decided for the whole file: the category separator and the
// order of slash dates.
//
// In a stream, the first pass settles them from what it kept, and the second hands over
// the contacts of its last chunk.
func (r *csvReading) finish() {
	switch st := r.stream; {
	case st == nil:
	case !st.settled:
		st.sep, st.dayFirst, st.n = categorySeparator(r.cats, r.delim), slashDatesDayFirst(r.dates), r.count
		return
	default:
		r.hand()
		return
	}
	var cats, dates []string
	for _, p := range r.pending {
		cats, dates = appendDecisive(cats, dates, p)
	}
	sep := categorySeparator(cats, r.delim)
	dayFirst := slashDatesDayFirst(dates)
	for _, p := range r.pending {
		p.complete(sep, dayFirst)
	}
}

// categorySeparator decides the list separator Outlook joined categories with. Outlook
// uses the Windows list separator: ";" on most systems, "," on some locales. A category
// name never holds the separator (Outlook itself would split it there), so whichever of
// ";" and "," appears in more Categories cells of the file is the separator. Deciding by
// majority rather than by any one cell keeps a single odd name ("Smith, Jones") from
// changing how every other contact is read. On a tie, including a file where no contact
// has two categories, the delimiter decides: a ";"-delimited file is the German case
// (Excel re-saved it with ";", Outlook had joined categories with ","), so ","; else ";".
func categorySeparator(cells []string, delim byte) string {
	var semi, comma int
	for _, c := range cells {
		if strings.IndexByte(c, ';') >= 0 {
			semi++
		}
		if strings.IndexByte(c, ',') >= 0 {
			comma++
		}
	}
	switch {
	case semi > comma:
		return ";"
	case comma > semi:
		return ","
	case delim == ';':
		return ","
	}
	return ";"
}

// splitCategories splits a Categories cell on the separator; names are kept as written,
// trimmed.
func splitCategories(v, sep string) []string {
	var out []string
	for _, c := range strings.Split(v, sep) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// slashDatesDayFirst decides whether the file's slash dates are day/month/year. Outlook
// writes dates in the Windows short date format: month first in the US, day first in the
// UK and most other places. One date with a first part above 12 and none with a second
// part above 12 settles it for the whole file; otherwise month first, Outlook's US
// default, is assumed.
func slashDatesDayFirst(dates []string) bool {
	dayFirst, monthFirst := false, false
	for _, d := range dates {
		a, b, _, _, ok := splitDate(d, '/')
		if !ok {
			continue
		}
		if a > 12 {
			dayFirst = true
		}
		if b > 12 {
			monthFirst = true
		}
	}
	return dayFirst && !monthFirst
}

// splitDate reads "a<sep>b<sep>c" of decimal numbers, ignoring a time after a space
// ("5/17/1970 12:00:00 AM"); yearDigits is the length of the last part.
func splitDate(v string, sep byte) (a, b, c, yearDigits int, ok bool) {
	if i := strings.IndexByte(v, ' '); i > 0 {
		v = v[:i]
	}
	parts := strings.Split(strings.TrimSuffix(v, string(sep)), string(sep))
	if len(parts) != 3 {
		return 0, 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || len(p) == 0 || len(p) > 4 {
			return 0, 0, 0, 0, false
		}
		n[i] = x
	}
	return n[0], n[1], n[2], len(parts[2]), true
}

// parseCSVDate reads the dates exports write: "5/17/1970" (US), "17/5/1970" (dayFirst),
// "17.05.1970" (German), "1970-05-17" (Google, ISO). "0/0/00" and other all-zero dates
// mean no date. A date it cannot understand is kept as written, so nothing is lost.
func parseCSVDate(v string, dayFirst bool) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	var d, mo, y, yd int
	if a, b, c, n, ok := splitDate(v, '/'); ok {
		d, mo, y, yd = b, a, c, n
		if dayFirst || (a > 12 && b <= 12) {
			d, mo = a, b // day first, by the file or because it can only be read so
		}
	} else if a, b, c, n, ok := splitDate(v, '.'); ok {
		d, mo, y, yd = a, b, c, n
	} else if a, b, c, _, ok := splitDate(v, '-'); ok && a > 31 {
		y, mo, d, yd = a, b, c, 4
	} else {
		return v
	}
	if d == 0 && mo == 0 {
		return "" // Outlook's "0/0/00": no date
	}
	if yd <= 2 {
		// Two-digit years: Outlook's window puts 30-99 in the 1900s.
		if y >= 30 {
			y += 1900
		} else {
			y += 2000
		}
	}
	if mo < 1 || mo > 12 || d < 1 || time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return v // not a calendar date (2/30/1970): kept as written
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

// thunderbirdDate joins Thunderbird's Birth Year, Month and Day columns.
func thunderbirdDate(y, m, d string) string {
	yi, e1 := strconv.Atoi(y)
	mi, e2 := strconv.Atoi(m)
	di, e3 := strconv.Atoi(d)
	if e1 != nil || e2 != nil || e3 != nil {
		return strings.Trim(y+"-"+m+"-"+d, "-") // kept as written
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

// addGoogleEntry turns one of Google's numbered groups of columns into a value. A value
// cell may hold several values joined with " ::: ".
func addGoogleEntry(c *contacts.Contact, e map[string]string) {
	kind := e[""]
	types := googleTypes(firstNonEmpty(e["type"], e["label"]), kind == "phone" || kind == "e-mail")
	values := func() []string {
		var out []string
		for _, v := range strings.Split(e["value"], ":::") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	switch kind {
	case "e-mail":
		for _, v := range values() {
			c.Emails = append(c.Emails, contacts.Value{Value: v, Types: types})
		}
	case "phone":
		for _, v := range values() {
			c.Phones = append(c.Phones, contacts.Value{Value: v, Types: types})
		}
	case "website":
		for _, v := range values() {
			c.URLs = append(c.URLs, contacts.Value{Value: v, Types: types})
		}
	case "organization":
		if c.Organization == "" {
			c.Organization = e["name"]
		}
		if c.Title == "" {
			c.Title = e["title"]
		}
		if c.Department == "" {
			c.Department = e["department"]
		}
	case "address":
		a := contacts.Address{Types: types, Street: e["street"], City: e["city"], Region: e["region"],
			PostalCode: e["postal code"], Country: e["country"], POBox: e["po box"], Extended: e["extended address"], Label: e["formatted"]}
		if !a.IsZero() {
			c.Addresses = append(c.Addresses, a)
		}
	}
}

// googleTypes turns Google's type cell ("* Home", "Work Fax", "Mobile") into types: the
// "* " mark of the primary value becomes "pref"; for phones and e-mails each word is a type
// ("work", "fax"), so that PhoneKind sees a work fax; other labels ("Home Page") stay whole.
func googleTypes(t string, words bool) []string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" {
		return nil
	}
	rest, primary := strings.CutPrefix(t, "* ")
	types := []string{rest}
	if words {
		types = strings.Fields(rest)
	}
	if primary {
		types = append(types, "pref")
	}
	return types
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
