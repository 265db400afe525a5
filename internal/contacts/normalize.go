package contacts

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// DefaultCountryCode is the calling code assumed for numbers written without one when the
// policy names none: most of InterAction's firms are in North America.
const DefaultCountryCode = "1"

// CallingCode is the calling code a policy's country_code stands for, as digits: "+44" and
// "0044" are "44", and "" (no policy, or none set) is DefaultCountryCode. It is a
// parameter of every normalization rather than a setting of this package, so that two
// callers in one process (the tray and a command it serves) cannot disagree about it.
func CallingCode(cc string) string {
	if cc = strings.TrimLeft(digitsOnly(cc), "0"); cc != "" {
		return cc
	}
	return DefaultCountryCode
}

// NormalizeName folds a person's name for matching: case, accents and punctuation are
// dropped, "Doe, John" becomes "john doe", and white space is collapsed.
func NormalizeName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ','); i > 0 && strings.Count(s, ",") == 1 {
		// "Doe, John" is Outlook's "File As" order; "Doe, Jr." is not a reorder but is rare
		// enough in the Name field that reordering it costs nothing for matching.
		s = strings.TrimSpace(s[i+1:]) + " " + strings.TrimSpace(s[:i])
	}
	return foldWords(s)
}

// foldWords lowercases, strips accents, turns punctuation into spaces and collapses runs.
func foldWords(s string) string {
	s = stripAccents(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// accentStrippers reuses the transform chains: building one allocates several kilobytes,
// and names are folded for every contact of every snapshot. A chain is not safe for
// concurrent use, hence the pool.
var accentStrippers = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// unsplittable are letters that carry no combining mark to strip: folded by hand so that
// "Søren" matches "Soren" and "Łukasz" matches "Lukasz".
var unsplittable = strings.NewReplacer("ø", "o", "Ø", "O", "ł", "l", "Ł", "L", "æ", "ae", "Æ", "AE",
	"œ", "oe", "Œ", "OE", "ß", "ss", "đ", "d", "Đ", "D", "þ", "th", "Þ", "TH", "ı", "i")

func stripAccents(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			t := accentStrippers.Get().(transform.Transformer)
			defer accentStrippers.Put(t)
			t.Reset()
			out, _, err := transform.String(t, unsplittable.Replace(s))
			if err != nil {
				return s
			}
			return out
		}
	}
	return s
}

// NormalizeEmail lowercases and trims an address and drops a "mailto:" prefix.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "mailto:")
	return strings.Trim(s, "<> ")
}

// NormalizePhone reduces a number to its digits in international form ("+12125551111"):
// "(212) 555-1111", "212.555.1111", "+1 212 555 1111" and "001 212 555 1111" all compare
// equal. An extension ("x12", "ext. 12") is kept after a ";ext=" so that two extensions
// of one switchboard stay distinct. A value with no digits normalizes to "". cc is the
// policy's country_code, the calling code of national numbers ("" is DefaultCountryCode):
// with "44", "020 7946 0000" is "+442079460000".
func NormalizePhone(s, cc string) string {
	cc = CallingCode(cc)
	main, ext := s, ""
	low := strings.ToLower(s)
	for _, marker := range []string{"ext.", "ext", "x", "#"} {
		if i := strings.LastIndex(low, marker); i > 0 {
			if d := digitsOnly(s[i+len(marker):]); d != "" && strings.TrimSpace(s[i+len(marker):]) != "" &&
				onlyDigitsAndSpace(s[i+len(marker):]) {
				main, ext = s[:i], d
				break
			}
		}
	}
	trimmed := strings.TrimSpace(main)
	d := digitsOnly(trimmed)
	if d == "" {
		return ""
	}
	var out string
	switch {
	case strings.HasPrefix(trimmed, "+"):
		out = "+" + d
	case strings.HasPrefix(d, "00") && len(d) > 4:
		out = "+" + d[2:]
	case cc == "1" && len(d) == 11 && d[0] == '1':
		out = "+" + d
	case cc == "1" && len(d) == 10:
		out = "+1" + d
	case cc != "1" && strings.HasPrefix(d, "0") && len(d) > 6:
		// National trunk prefix ("020 7946 0000" in the UK, "030 ..." in Germany).
		out = "+" + cc + d[1:]
	default:
		// Short numbers (internal extensions) and numbers of unknown shape stay as digits.
		out = d
	}
	if ext != "" {
		out += ";ext=" + ext
	}
	return out
}

func onlyDigitsAndSpace(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9') && r != ' ' && r != '.' && r != ':' {
			return false
		}
	}
	return true
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r >= '０' && r <= '９' { // full-width digits from Japanese phones
			b.WriteRune('0' + (r - '０'))
		}
	}
	return b.String()
}

// NormalizeCategory folds a category name for comparison: trimmed, case-folded, inner
// white space collapsed. Categories are compared, never rewritten, with this.
func NormalizeCategory(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// PhoneKind maps the many ways exports type a phone ("WORK;VOICE", "Business Phone",
// "cell", "mobile", "x-iphone") to one of: work, home, cell, fax, pager, other. Fingerprints
// use it so that "TEL;WORK;VOICE" and Outlook CSV's "Business Phone" compare equal.
func PhoneKind(types []string) string {
	kind := "other"
	fax := false
	for _, t := range types {
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "fax":
			fax = true
		case "cell", "mobile", "iphone", "x-iphone", "car":
			if kind == "other" {
				kind = "cell"
			}
		case "pager":
			kind = "pager"
		case "work", "business", "company", "main", "assistant", "callback":
			if kind == "other" {
				kind = "work"
			}
		case "home":
			if kind == "other" {
				kind = "home"
			}
		}
	}
	if fax {
		return "fax"
	}
	return kind
}

// NormalizeText makes line endings "\n", trims trailing white space from every line and
// from the whole text. Exports differ in exactly these ways for the same note.
func NormalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// Fingerprint is a content hash of the fields a person cares about, computed on their
// normalized forms, so that formatting-only differences (line endings, phone punctuation,
// e-mail case, the order of e-mails or categories, vCard 2.1 versus Outlook CSV) leave it
// unchanged while any real edit changes it. Source and Other are not part of it. cc is
// the policy's country_code, as for NormalizePhone: a national number's fingerprint
// depends on the country it is dialled in.
func (c *Contact) Fingerprint(cc string) string {
	h := sha256.New()
	w := func(tag string, vals ...string) {
		h.Write([]byte(tag))
		for _, v := range vals {
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
		h.Write([]byte{1})
	}
	w("n", IdentityName(c))
	w("org", foldSpace(c.Organization), foldSpace(c.Department), foldSpace(c.Title))
	w("nick", foldSpace(c.Nickname))
	w("e", sortedSet(c.Emails, func(v Value) string { return NormalizeEmail(v.Value) })...)
	w("p", sortedSet(c.Phones, func(v Value) string {
		if n := NormalizePhone(v.Value, cc); n != "" {
			return PhoneKind(v.Types) + ":" + n
		}
		return ""
	})...)
	w("u", sortedSet(c.URLs, func(v Value) string { return strings.TrimRight(strings.ToLower(strings.TrimSpace(v.Value)), "/") })...)
	addrs := make([]string, 0, len(c.Addresses))
	for _, a := range c.Addresses {
		if a.IsZero() {
			continue
		}
		addrs = append(addrs, strings.Join([]string{foldSpace(a.POBox), foldSpace(a.Extended), foldSpace(a.Street),
			foldSpace(a.City), foldSpace(a.Region), foldSpace(a.PostalCode), foldSpace(a.Country)}, "|"))
	}
	sort.Strings(addrs)
	w("a", addrs...)
	cats := make([]string, 0, len(c.Categories))
	for _, cat := range c.Categories {
		if n := NormalizeCategory(cat); n != "" {
			cats = append(cats, n)
		}
	}
	sort.Strings(cats)
	w("c", cats...)
	w("note", NormalizeText(c.Note))
	w("m", strings.TrimSpace(c.Mileage))
	w("d", c.Birthday, c.Anniversary)
	// The Private flag and User Fields 1-4 are InterAction's (its private contact, its
	// custom fields), so a change of them is a change of the contact. Written only when
	// set, so the fingerprint of a contact without them is what it always was.
	if IsPrivate(c) {
		w("priv", "1")
	}
	for n := 1; n <= 4; n++ {
		if v := UserField(c, n); v != "" {
			w("user"+string(rune('0'+n)), v)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// IdentityName is the normalized name used to tell whether two records are one person:
// the structured name where there is one (it is what Outlook CSV and vCard N agree on),
// else the formatted name.
func IdentityName(c *Contact) string {
	if n := c.StructuredName; n.Given != "" || n.Family != "" {
		return foldWords(joinNonEmpty(" ", n.Given, n.Additional, n.Family))
	}
	return NormalizeName(c.Name)
}

func foldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func sortedSet(vs []Value, f func(Value) string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if n := f(v); n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
