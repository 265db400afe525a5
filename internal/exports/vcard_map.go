package exports

import (
	"sort"
	"strings"

	vcard "github.com/emersion/go-vcard"

	"github.com/syncguard/syncguard/internal/contacts"
)

// skipped reports properties that describe the export rather than the contact: PRODID
// names the exporting program and REV is bumped by syncs that change nothing a person
// sees, so keeping them would make an unchanged contact look edited in history.
func skipped(name string) bool { return name == vcard.FieldProductID || name == vcard.FieldRevision }

// emptyTypes is what an untyped value carries, so that JSON shows "types": [] and never
// null. Its capacity is zero: an append never writes into it.
var emptyTypes = []string{}

// cardFormat names the vCard version for Source.Format. A card without VERSION is read
// with the 2.1 rules (no escapes beyond "\;"), which is what such old exporters wrote.
func cardFormat(version string) string {
	switch v := strings.TrimSpace(version); v {
	case "", "2.1", "2.0":
		return "vcard-2.1"
	case "3.0", "4.0":
		return "vcard-" + v
	default:
		if len(v) <= 5 && strings.Trim(v, "0123456789.") == "" {
			return "vcard-" + v
		}
		return "vcard"
	}
}

// toContact maps a normalized card to a Contact, property by property, with go-vcard's
// field names. Structured values (N, ADR, ORG) are split by hand before unescaping:
// go-vcard unescapes first, which turns "Street\; Suite 2" into two components.
//
// A property the model has no slot for goes into Other, and so does a second value of a
// one-value field (a second FN, N, TITLE, BDAY...) when it differs from the first: nothing
// a card holds is dropped silently.
func (p *vcardParser) toContact(rc *rawCard) *contacts.Contact {
	v21 := rc.version == "" || strings.HasPrefix(strings.TrimSpace(rc.version), "2")
	c := &contacts.Contact{Source: contacts.Source{Line: rc.line, Format: cardFormat(rc.version)}}

	// iOS and macOS give custom labels as item1.X-ABLabel beside item1.EMAIL etc.
	var labels map[string]string
	var labelUsed map[string]bool
	defer p.flushWork()
	p.work += int64(1 + 3*len(rc.props)) // the card, and the three passes over its properties below
	for i := range rc.props {
		if pr := &rc.props[i]; pr.name == "X-ABLABEL" && pr.group != "" {
			if labels == nil {
				labels, labelUsed = map[string]string{}, map[string]bool{}
			}
			labels[pr.group] = abLabel(p.decodeValue(pr))
		}
	}
	typesOf := func(pr *property) []string {
		ts := pr.types
		if labels != nil && pr.group != "" {
			if l := labels[pr.group]; l != "" {
				labelUsed[pr.group] = true
				if !hasString(ts, l) {
					ts = append(ts, l)
				}
			}
		}
		if pr.param(vcard.ParamPreferred) != "" && !hasString(ts, "pref") {
			ts = append(ts, "pref") // vCard 4.0 writes PREF=1 where 3.0 wrote TYPE=pref
		}
		if ts == nil {
			return emptyTypes
		}
		return ts
	}
	keep := func(pr *property, val string) {
		v := val
		if !pr.b64 {
			v = unescapeText(val, v21)
		}
		c.Other = append(c.Other, contacts.Field{Name: groupName(pr), Params: formatParams(pr), Value: v})
	}
	// one fills a one-value field, or keeps a second, different value in Other.
	one := func(pr *property, val string, slot *string, v string) {
		switch {
		case *slot == "":
			*slot = v
		case v != "" && v != *slot:
			keep(pr, val)
		}
	}
	var adrLabels []*property
	var notes, nicks []string // joined at the end: "+=" per line is quadratic on a hostile card
	var scratch [8]string     // structured values' parts, without an allocation per property
	for i := range rc.props {
		pr := &rc.props[i]
		if skipped(pr.name) || pr.name == "X-ABLABEL" && pr.group != "" {
			continue
		}
		val := p.decodeValue(pr)
		switch pr.name {
		case vcard.FieldFormattedName:
			one(pr, val, &c.Name, strings.TrimSpace(unescapeText(val, v21)))
		case vcard.FieldName:
			parts := splitOn(val, ';', v21, scratch[:0])
			n := contacts.Name{Family: get(parts, 0), Given: get(parts, 1), Additional: get(parts, 2), Prefix: get(parts, 3), Suffix: get(parts, 4)}
			switch {
			case c.StructuredName.IsZero():
				c.StructuredName = n
			case !n.IsZero() && n != c.StructuredName:
				keep(pr, val)
			}
		case vcard.FieldNickname:
			for _, nick := range splitOn(val, ',', v21, scratch[:0]) {
				if nick = strings.TrimSpace(nick); nick != "" {
					nicks = append(nicks, nick)
				}
			}
		case vcard.FieldOrganization:
			parts := splitOn(val, ';', v21, scratch[:0])
			if c.Organization != "" || c.Department != "" {
				keep(pr, val)
				continue
			}
			c.Organization = get(parts, 0)
			if len(parts) > 1 {
				c.Department = strings.Join(nonEmpty(parts[1:]), ", ")
			}
		case vcard.FieldTitle:
			one(pr, val, &c.Title, strings.TrimSpace(unescapeText(val, v21)))
		case vcard.FieldEmail:
			if e := strings.TrimSpace(unescapeText(val, v21)); e != "" {
				c.Emails = append(c.Emails, contacts.Value{Value: e, Types: typesOf(pr)})
			}
		case vcard.FieldTelephone:
			t := strings.TrimSpace(unescapeText(val, v21))
			if len(t) > 4 && strings.EqualFold(t[:4], "tel:") {
				t = t[4:] // vCard 4.0 writes numbers as tel: URIs
			}
			if t != "" {
				c.Phones = append(c.Phones, contacts.Value{Value: t, Types: typesOf(pr)})
			}
		case vcard.FieldURL:
			if u := strings.TrimSpace(unescapeText(val, v21)); u != "" {
				c.URLs = append(c.URLs, contacts.Value{Value: u, Types: typesOf(pr)})
			}
		case vcard.FieldAddress:
			parts := splitOn(val, ';', v21, scratch[:0])
			a := contacts.Address{Types: typesOf(pr), POBox: get(parts, 0), Extended: get(parts, 1), Street: get(parts, 2),
				City: get(parts, 3), Region: get(parts, 4), PostalCode: get(parts, 5), Country: get(parts, 6)}
			if l := pr.param("LABEL"); l != "" {
				a.Label = unescapeText(l, false) // vCard 4.0's LABEL parameter
			}
			if !a.IsZero() {
				c.Addresses = append(c.Addresses, a)
			}
		case "LABEL":
			adrLabels = append(adrLabels, pr)
		case vcard.FieldCategories:
			for _, cat := range splitOn(val, ',', v21, nil) {
				if cat = strings.TrimSpace(cat); cat != "" {
					c.Categories = append(c.Categories, cat)
				}
			}
		case vcard.FieldNote:
			notes = append(notes, unescapeText(val, v21))
		case vcard.FieldBirthday:
			one(pr, val, &c.Birthday, normalizeDate(unescapeText(val, v21)))
		case vcard.FieldAnniversary, "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY":
			one(pr, val, &c.Anniversary, normalizeDate(unescapeText(val, v21)))
		case "X-ABDATE":
			// Apple's dates are typed by their label: item2.X-ABLabel:_$!<Anniversary>!$_.
			if labels != nil && labels[pr.group] == "anniversary" && c.Anniversary == "" {
				labelUsed[pr.group] = true
				c.Anniversary = normalizeDate(unescapeText(val, v21))
				continue
			}
			keep(pr, val)
		case "X-SYNCGUARD-MILEAGE":
			one(pr, val, &c.Mileage, unescapeText(val, v21))
		case "X-SYNCGUARD-FIELD":
			// A field SyncGuard wrote on a restore whose name is no vCard property name
			// (an Outlook CSV column such as "Assistant's Name"): give it its name back.
			name := pr.param("X-NAME")
			if name == "" {
				name = pr.name
			}
			c.Other = append(c.Other, contacts.Field{Name: name, Value: unescapeText(val, v21)})
		case vcard.FieldUID:
			one(pr, val, &c.UID, strings.TrimSpace(unescapeText(val, v21)))
		case "X-ANDROID-CUSTOM":
			// Android exports a nickname as a custom row: vnd.android.cursor.item/nickname;Nick;...
			parts := splitOn(val, ';', v21, scratch[:0])
			if get(parts, 0) == "vnd.android.cursor.item/nickname" && get(parts, 1) != "" && len(nicks) == 0 {
				nicks = append(nicks, get(parts, 1))
				continue
			}
			keep(pr, val)
		default:
			if pr.b64 {
				p.checkBase64(pr, val)
			}
			keep(pr, val)
		}
	}
	c.Note = strings.Join(notes, "\n")
	c.Nickname = strings.Join(nicks, ", ")
	// Labels of groups that nothing above took (item3.X-ABRELATEDNAMES's "Spouse") are kept.
	for i := range rc.props {
		if pr := &rc.props[i]; pr.name == "X-ABLABEL" && pr.group != "" && !labelUsed[pr.group] {
			keep(pr, p.decodeValue(pr))
		}
	}
	// 2.1 and 3.0 give the printable address as a LABEL property; attach it to the first
	// unlabelled address with the same types, else keep it as an address of its own.
	// next[i] is where the search for a label of the types of address i resumes, so that a
	// card of many addresses and labels is not read in quadratic time.
	var next map[string]int
	for _, lp := range adrLabels {
		label := unescapeText(p.decodeValue(lp), v21)
		if next == nil {
			next = map[string]int{}
		}
		key := typesKey(lp.types)
		attached := false
		for i := next[key]; i < len(c.Addresses); i++ {
			p.work++
			if c.Addresses[i].Label == "" && typesKey(c.Addresses[i].Types) == key {
				c.Addresses[i].Label = label
				next[key] = i + 1
				attached = true
				break
			}
		}
		if !attached {
			next[key] = len(c.Addresses)
			if strings.TrimSpace(label) != "" {
				ts := lp.types
				if ts == nil {
					ts = emptyTypes
				}
				// A label with no structured address is still the contact's address.
				c.Addresses = append(c.Addresses, contacts.Address{Types: ts, Label: label})
			}
		}
	}
	if c.Name == "" && !c.StructuredName.IsZero() {
		c.Name = c.StructuredName.Formatted()
	}
	return c
}

func hasString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func groupName(pr *property) string {
	if pr.group != "" {
		return pr.group + "." + pr.name
	}
	return pr.name
}

// abLabel turns Apple's "_$!<Other>!$_" into "other"; custom labels are lower-cased like
// every TYPE value, so that they compare and round-trip as types.
func abLabel(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "_$!<") && strings.HasSuffix(s, ">!$_") {
		s = s[4 : len(s)-4]
	}
	return strings.ToLower(s)
}

// typesKey names a set of address types for matching a LABEL to its ADR: order and the
// types that say nothing about which address it is (pref, postal...) do not count.
func typesKey(ts []string) string {
	var keep []string
	for _, t := range ts {
		if !ignoredForLabel(t) && !hasString(keep, t) {
			keep = append(keep, t)
		}
	}
	sort.Strings(keep)
	return strings.Join(keep, ",")
}

func ignoredForLabel(t string) bool {
	return t == "pref" || t == "postal" || t == "parcel" || t == "dom" || t == "intl"
}

// formatParams writes a property's parameters in a fixed order (TYPE first, then as the
// card wrote them), quoting values that hold a separator, so that the same card always
// gives the same text and the writer can give the parameters back.
func formatParams(pr *property) string {
	if len(pr.types) == 0 && len(pr.params) == 0 {
		return ""
	}
	var b strings.Builder
	if len(pr.types) > 0 {
		b.WriteString("TYPE=")
		for i, t := range pr.types {
			if i > 0 {
				b.WriteByte(',')
			}
			writeParamValue(&b, t)
		}
	}
	for _, pa := range pr.params {
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(pa.key)
		b.WriteByte('=')
		writeParamValue(&b, pa.value)
	}
	return b.String()
}

func writeParamValue(b *strings.Builder, v string) {
	if strings.ContainsAny(v, `,;:`) {
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(v, `"`, "'"))
		b.WriteByte('"')
		return
	}
	b.WriteString(v)
}

func get(parts []string, i int) string {
	if i < len(parts) {
		return strings.TrimSpace(parts[i])
	}
	return ""
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitOn splits a structured value (N, ADR, ORG on ";") or a list (CATEGORIES, NICKNAME
// on ",") on unescaped separators, then unescapes each part, appending to dst. Parts are
// substrings of v where nothing is escaped. vCard 2.1 escapes only ";" (and, as phones
// write it, "\\" and "\:"); 3.0 and 4.0 escape "\\", "\;", "\,", "\n".
func splitOn(v string, sep byte, v21 bool, dst []string) []string {
	start, escaped := 0, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if i+1 < len(v) {
				escaped = true
				i++
			}
		case sep:
			dst = append(dst, unescapePart(v[start:i], v21, escaped))
			start, escaped = i+1, false
		}
	}
	return append(dst, unescapePart(v[start:], v21, escaped))
}

func unescapePart(s string, v21, escaped bool) string {
	if !escaped {
		return s
	}
	return unescapeComponent(s, v21)
}

func unescapeComponent(s string, v21 bool) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		n := s[i+1]
		switch {
		case n == ';' || n == '\\' || n == ':' || n == ',':
			b.WriteByte(n)
			i++
		case !v21 && (n == 'n' || n == 'N'):
			b.WriteByte('\n')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapeText unescapes a plain text value. vCard 2.1 has no escapes in text values
// (Outlook writes line breaks as QUOTED-PRINTABLE and a backslash as itself), so a 2.1
// value is taken literally: "C:\new" in an Outlook note stays as written.
func unescapeText(s string, v21 bool) string {
	if v21 {
		return s
	}
	return unescapeComponent(s, false)
}

// normalizeDate turns the date forms vCards carry ("19700517", "1970-05-17",
// "1970-05-17T00:00:00Z", "--0517", "--05-17") into "1970-05-17" or "--05-17"; anything
// else (a date without a year given as text, an impossible month) is kept as written.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	d := s
	if i := strings.IndexByte(d, 'T'); i >= 4 {
		d = d[:i]
	}
	if strings.HasPrefix(d, "--") {
		md := strings.ReplaceAll(d[2:], "-", "")
		if len(md) == 4 && allDigits(md) && validMonthDay(md) {
			return "--" + md[:2] + "-" + md[2:]
		}
		return s
	}
	ymd := strings.ReplaceAll(d, "-", "")
	if len(ymd) == 8 && allDigits(ymd) && validMonthDay(ymd[4:]) && (len(d) == 8 || len(d) == 10 && d[4] == '-' && d[7] == '-') {
		return ymd[:4] + "-" + ymd[4:6] + "-" + ymd[6:]
	}
	return s
}

func validMonthDay(md string) bool {
	m := int(md[0]-'0')*10 + int(md[1]-'0')
	d := int(md[2]-'0')*10 + int(md[3]-'0')
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
