package dupes

import (
	"strings"
	"unicode"

	"github.com/syncguard/syncguard/internal/contacts"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// nameFolder computes contacts.IdentityName, the same folding step by step, but with one
// accent-stripping transformer reused for every name. contacts builds a new
// transform.Chain per call, which allocates several kilobytes of buffers; on a book of
// 100,000 names, half of them accented, that alone took most of a second. Each worker
// goroutine owns one nameFolder (a transformer is not safe for concurrent use).
// TestNameFolderAgreesWithContacts keeps the two in step.
type nameFolder struct {
	strip transform.Transformer
	b     strings.Builder
}

func newNameFolder() *nameFolder {
	return &nameFolder{strip: transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)}
}

// identity is contacts.IdentityName(c).
func (f *nameFolder) identity(c *contacts.Contact) string {
	if n := c.StructuredName; n.Given != "" || n.Family != "" {
		return f.fold(joinWords(n.Given, n.Additional, n.Family))
	}
	s := strings.TrimSpace(c.Name)
	if i := strings.IndexByte(s, ','); i > 0 && strings.Count(s, ",") == 1 {
		s = strings.TrimSpace(s[i+1:]) + " " + strings.TrimSpace(s[:i]) // "Doe, John"
	}
	return f.fold(s)
}

func joinWords(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// fold lowercases, strips accents, turns punctuation into spaces and collapses runs.
func (f *nameFolder) fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			if out, _, err := transform.String(f.strip, s); err == nil {
				s = out
			}
			break
		}
	}
	f.b.Reset()
	space := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			f.b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			f.b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(f.b.String(), " ")
}
