package exports

import "strings"

// The CSV scanner. encoding/csv is not used because contact exports break its two modes in
// ways that lose contacts: strictly, a stray quote fails the row and an unterminated quote
// swallows every later row into one error; with LazyQuotes, an unterminated quote swallows
// every later row into one field, silently. Either way the contacts after it look deleted.
// This scanner keeps going instead, and says where: a record carries the line it starts
// on, and any quoting problem becomes a note on that record for a FileError.
//
// Quoting rules, which are RFC 4180 where the file follows it:
//   - A field that starts with '"' is quoted; '""' inside it is one quote; it ends at the
//     next lone '"'. Line breaks inside it belong to the value (CRLF becomes "\n").
//   - Text after a closing quote and before the next delimiter ("abc"def) is kept, as
//     Excel keeps it, and the record notes the stray quote.
//   - A quote inside an unquoted field (5" floppy) is an ordinary character.
//   - A quoted field is broken when it is never closed, or when it spans lines and its
//     closing quote is followed by text: then its quote paired with the opening quote of a
//     field on a later line, and every row in between would vanish into it. A broken field
//     is read again with its opening quote as an ordinary character, so the damage stays
//     on its own line (see csvRecord.unterminated).
//   - Records end at CRLF, LF or a lone CR (classic Mac OS), and so do lines for counting.
//
// Why broken quotes never make reading quadratic: a failed scan from an opening quote to
// the quote where it stopped (or the end of the text) proves that every quote in between
// is part of a doubled pair. A later field opens at a quote preceded by a delimiter or line
// break, so inside that stretch its quote is the first of such a pair, and the field
// closes at the second quote at once. Failed scans therefore cover disjoint stretches and
// reading stays linear however the quotes are broken (TestCSVBrokenQuotesStayLinear).

// csvRecord is one record as the scanner read it.
type csvRecord struct {
	fields []string
	line   int // the 1-based line the record starts on
	// strayQuote is set when a quoted field had text after its closing quote.
	strayQuote bool
	// unterminated is set when a quoted field was broken (see above) and the record was
	// read again with that quote as text; atEOF says the field ran to the end of the text.
	unterminated, atEOF bool
}

// empty reports whether every field is blank (a blank line, or a row of delimiters).
func (r *csvRecord) empty() bool {
	for _, f := range r.fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

type csvScanner struct {
	s     string
	pos   int
	line  int
	delim byte
	// literalQuote is the position of an opening quote that is to be read as text because
	// its field is never closed; -1 when there is none.
	literalQuote int
	buf          []byte
	work         int64 // bytes examined, for readWork
}

func newCSVScanner(s string, delim byte) *csvScanner {
	return &csvScanner{s: s, line: 1, delim: delim, literalQuote: -1}
}

// next reads the next record into rec, reusing its field slice. It returns false at the
// end of the text.
func (sc *csvScanner) next(rec *csvRecord) bool {
	if sc.pos >= len(sc.s) {
		return false
	}
	start, startLine := sc.pos, sc.line
	rec.line = startLine
	rec.strayQuote, rec.unterminated, rec.atEOF = false, false, false
	rec.fields = rec.fields[:0]
	for {
		var v string
		if sc.pos < len(sc.s) && sc.s[sc.pos] == '"' && sc.pos != sc.literalQuote {
			var ok, atEOF bool
			v, ok, atEOF = sc.quoted(rec)
			if !ok {
				// Read the record again from its start, with this quote as text.
				sc.literalQuote = sc.pos
				sc.pos, sc.line = start, startLine
				rec.fields = rec.fields[:0]
				rec.strayQuote, rec.unterminated, rec.atEOF = false, true, atEOF
				continue
			}
		} else {
			v = sc.unquoted()
		}
		rec.fields = append(rec.fields, v)
		if sc.pos >= len(sc.s) {
			return true
		}
		switch sc.s[sc.pos] {
		case sc.delim:
			sc.pos++
			if sc.pos >= len(sc.s) {
				// "a,b," at the very end: the last field is empty.
				rec.fields = append(rec.fields, "")
				return true
			}
		case '\r':
			sc.pos++
			if sc.pos < len(sc.s) && sc.s[sc.pos] == '\n' {
				sc.pos++
			}
			sc.line++
			return true
		case '\n':
			sc.pos++
			sc.line++
			return true
		}
	}
}

// unquoted reads a field up to the delimiter, the end of the line or the end of the text.
func (sc *csvScanner) unquoted() string {
	s, i := sc.s, sc.pos
	for i < len(s) {
		c := s[i]
		if c == sc.delim || c == '\n' || c == '\r' {
			break
		}
		i++
	}
	sc.work += int64(i-sc.pos) + 1
	v := s[sc.pos:i]
	sc.work += int64(i - sc.pos + 1)
	sc.pos = i
	return v
}

// quoted reads a quoted field starting at the opening quote at sc.pos. It returns ok
// false, and leaves sc.pos on the opening quote, when the field is broken; atEOF then
// says whether it ran to the end of the text.
func (sc *csvScanner) quoted(rec *csvRecord) (v string, ok, atEOF bool) {
	s := sc.s
	open := sc.pos
	p := open + 1
	seg := p
	sc.buf = sc.buf[:0]
	escaped := false
	for {
		i := strings.IndexByte(s[p:], '"')
		if i < 0 {
			sc.work += int64(len(s) - p)
			return "", false, true
		}
		sc.work += int64(i) + 1
		i += p
		if i+1 < len(s) && s[i+1] == '"' {
			sc.buf = append(sc.buf, s[seg:i+1]...)
			p = i + 2
			seg = p
			escaped = true
			continue
		}
		// The closing quote.
		text := i+1 < len(s) && s[i+1] != sc.delim && s[i+1] != '\n' && s[i+1] != '\r'
		if text {
			sc.work += int64(i - open)
		}
		if text && strings.ContainsAny(s[open+1:i], "\r\n") {
			return "", false, false
		}
		if escaped {
			sc.buf = append(sc.buf, s[seg:i]...)
			v = string(sc.buf)
		} else {
			v = s[seg:i] // no copy: the value shares the decoded text
		}
		sc.work += int64(i - open)
		sc.line += countLines(s[open+1 : i])
		sc.pos = i + 1
		if text {
			rec.strayQuote = true
			v += sc.unquoted()
		}
		if strings.IndexByte(v, '\r') >= 0 {
			v = strings.ReplaceAll(v, "\r\n", "\n")
		}
		return v, true, false
	}
}

// countLines counts the line breaks in s: CRLF, LF and a lone CR each count once, as text
// editors count them, so that line numbers in errors match what the user sees.
func countLines(s string) int {
	n := strings.Count(s, "\n")
	if strings.IndexByte(s, '\r') < 0 {
		return n
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			n++
		}
	}
	return n
}
