package policy

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxMailboxFile bounds the InterAction mailbox list a policy may name: a firm of ten
// thousand users exports well under a megabyte; anything larger is the wrong file.
const maxMailboxFile = 4 << 20

// MailboxList is the policy's list of InterAction-synced mailboxes: where it came from
// (for `workstation show`) and the addresses, lower-cased.
type MailboxList struct {
	Source    string   `json:"source"` // "policy workstation.interaction_mailboxes", the file's path, or both
	Addresses []string `json:"addresses"`
}

// Mailboxes returns the InterAction-synced mailboxes the policy names, from its list and
// its file together. An empty Addresses means the policy names none (not "none syncs").
// A file that cannot be read is an error naming the file and the line: a wrong list
// would silently change which workstations count as syncing with InterAction.
func (p *Policy) Mailboxes() (MailboxList, error) {
	var l MailboxList
	seen := map[string]bool{}
	add := func(a string) {
		a = NormalizeAddress(a)
		if !seen[a] {
			seen[a] = true
			l.Addresses = append(l.Addresses, a)
		}
	}
	var src []string
	if len(p.Workstation.InteractionMailboxes) > 0 {
		src = append(src, "policy workstation.interaction_mailboxes")
		for _, m := range p.Workstation.InteractionMailboxes {
			add(m)
		}
	}
	if f := p.Workstation.InteractionMailboxesFile; f != "" {
		addrs, err := ReadMailboxFile(f)
		if err != nil {
			return MailboxList{}, err
		}
		src = append(src, f)
		for _, a := range addrs {
			add(a)
		}
	}
	l.Source = strings.Join(src, " and ")
	return l, nil
}

// NormalizeAddress is how mailbox addresses are compared: trimmed, lower-case, without a
// "mailto:" or "SMTP:" prefix (Exchange writes "SMTP:" before the primary address).
func NormalizeAddress(a string) string {
	a = strings.TrimSpace(a)
	for _, p := range []string{"mailto:", "smtp:"} {
		if len(a) > len(p) && strings.EqualFold(a[:len(p)], p) {
			a = a[len(p):]
		}
	}
	return strings.ToLower(strings.TrimSpace(a))
}

// LooksLikeAddress is a plain shape check: something@something.tld, no spaces, no
// control characters, at most 254 bytes (the longest address SMTP allows).
func LooksLikeAddress(a string) bool {
	a = NormalizeAddress(a)
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || len(a) > 254 || !utf8.ValidString(a) {
		return false
	}
	if strings.IndexFunc(a, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == ',' || r == ';' }) >= 0 {
		return false
	}
	return strings.Contains(a[at+1:], ".")
}

// ReadMailboxFile reads the mailbox list IT exported from InterAction's administration:
// one address per line (blank lines and lines starting with '#' are skipped), or a CSV
// whose header row has an e-mail column ("E-mail", "Email", "E-mail Address", "Mail",
// "SMTP Address", "Address"). UTF-8 with or without BOM, or UTF-16 with a BOM (what
// Excel's "Unicode text" writes). Every bad line is an error naming the file and the line.
func ReadMailboxFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the InterAction mailbox list named by workstation.interaction_mailboxes_file: %v", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: the InterAction mailbox list is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxMailboxFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the InterAction mailbox list: %v", path, err)
	}
	if len(data) > maxMailboxFile {
		return nil, fmt.Errorf("%s: more than %d MB; this is not a mailbox list (one address per line, or a CSV with an e-mail column)", path, maxMailboxFile>>20)
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return parseMailboxes(path, text)
}

func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		be := data[0] == 0xfe
		data = data[2:]
		u := make([]uint16, len(data)/2)
		for i := range u {
			if be {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			} else {
				u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
			}
		}
		return string(utf16.Decode(u)), nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return "", errors.New("not UTF-8 or UTF-16 text; save the list as UTF-8")
	}
	return string(data), nil
}

// emailHeaders are the header names taken for the e-mail column, lower-case.
var emailHeaders = []string{"e-mail", "email", "e-mail address", "email address", "e-mail 1", "mail", "smtp address", "primary smtp address", "primarysmtpaddress", "address", "mailbox"}

func parseMailboxes(path, text string) ([]string, error) {
	first := text
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		first = text[:i]
	}
	if strings.ContainsAny(first, ",;\t") && !LooksLikeAddress(first) {
		return parseMailboxCSV(path, text, first)
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if !LooksLikeAddress(s) {
			return nil, fmt.Errorf("%s:%d: %.60q is not an e-mail address; the list holds one address per line (or is a CSV with an e-mail column)", path, line, s)
		}
		out = append(out, NormalizeAddress(s))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", path, line+1, err)
	}
	return out, nil
}

func parseMailboxCSV(path, text, header string) ([]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	switch {
	case strings.Contains(header, "\t"):
		r.Comma = '\t'
	case strings.Count(header, ";") > strings.Count(header, ","):
		r.Comma = ';' // Excel's CSV where the list separator is ';'
	}
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: cannot read the header row: %v", path, err)
	}
	col := -1
	for _, want := range emailHeaders {
		for i, h := range head {
			if strings.EqualFold(strings.TrimSpace(h), want) {
				col = i
				break
			}
		}
		if col >= 0 {
			break
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s:1: no e-mail column in the header row (looked for %q); name the column \"E-mail\"", path, strings.Join(emailHeaders[:3], `", "`))
	}
	var out []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if col >= len(rec) || strings.TrimSpace(rec[col]) == "" {
			continue // a user without an address in the export: nothing to match
		}
		if !LooksLikeAddress(rec[col]) {
			return nil, fmt.Errorf("%s:%d: %.60q in column %q is not an e-mail address", path, line, rec[col], head[col])
		}
		out = append(out, NormalizeAddress(rec[col]))
	}
	return out, nil
}
