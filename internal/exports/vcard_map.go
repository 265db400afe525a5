package exports

import (
	"strings"

	vcard "github.com/emersion/go-vcard"

	"github.com/syncguard/syncguard/internal/contacts"
)

// skipped lists properties that describe the export rather than the contact: they change
// on every export, so keeping them would make every export look like an edit.
var skipped = map[string]bool{"PRODID": true, "REV": true, "X-ABLABEL": true}

// toContact maps a normalized card to a Contact, property by property, with go-vcard's
// parameter model and field names.
func (p *vcardParser) toContact(rc *rawCard) *contacts.Contact {
	v21 := rc.version == "" || strings.HasPrefix(rc.version, "2")
	format := "vcard-" + rc.version
	if rc.version == "" {
		format = "vcard"
	}
	c := &contacts.Contact{Source: contacts.Source{Line: rc.line, Format: format}}
	labels := map[string]string{} // item group -> X-ABLabel (iOS custom labels)
	var adrLabels []*property
	for _, prop := range rc.props {
		if prop.name == "X-ABLABEL" && prop.group != "" {
			labels[prop.group] = abLabel(p.decodeValue(prop))
		}
	}
	for _, prop := range rc.props {
		val := p.decodeValue(prop)
		types := prop.params.Types()
		if l, ok := labels[prop.group]; ok && prop.group != "" && l != "" {
			types = append(types, l)
		}
		text := func() string { return unescapeText(val, v21) }
		switch prop.name {
		case vcard.FieldFormattedName:
			if c.Name == "" {
				c.Name = strings.TrimSpace(text())
			}
		case vcard.FieldName:
			parts := splitStructured(val, v21)
			c.StructuredName = contacts.Name{Family: get(parts, 0), Given: get(parts, 1), Additional: get(parts, 2), Prefix: get(parts, 3), Suffix: get(parts, 4)}
		case vcard.FieldNickname:
			c.Nickname = strings.Join(splitList(val, v21), ", ")
		case vcard.FieldOrganization:
			parts := splitStructured(val, v21)
			c.Organization = get(parts, 0)
			if len(parts) > 1 {
				c.Department = strings.Join(nonEmpty(parts[1:]), ", ")
			}
		case vcard.FieldTitle:
			c.Title = text()
		case vcard.FieldEmail:
			if e := strings.TrimSpace(text()); e != "" {
				c.Emails = append(c.Emails, contacts.Value{Value: e, Types: withPref(types, prop.params)})
			}
		case vcard.FieldTelephone:
			t := strings.TrimSpace(text())
			t = strings.TrimPrefix(t, "tel:") // vCard 4.0 writes numbers as tel: URIs
			if t != "" {
				c.Phones = append(c.Phones, contacts.Value{Value: t, Types: withPref(types, prop.params)})
			}
		case vcard.FieldURL:
			if u := strings.TrimSpace(text()); u != "" {
				c.URLs = append(c.URLs, contacts.Value{Value: u, Types: types})
			}
		case vcard.FieldAddress:
			parts := splitStructured(val, v21)
			a := contacts.Address{Types: types, POBox: get(parts, 0), Extended: get(parts, 1), Street: get(parts, 2),
				City: get(parts, 3), Region: get(parts, 4), PostalCode: get(parts, 5), Country: get(parts, 6)}
			if l := prop.params.Get("LABEL"); l != "" {
				a.Label = unescapeText(l, false)
			}
			if !a.IsZero() {
				c.Addresses = append(c.Addresses, a)
			}
		case "LABEL":
			adrLabels = append(adrLabels, prop)
		case vcard.FieldCategories:
			for _, cat := range splitList(val, v21) {
				if cat = strings.TrimSpace(cat); cat != "" {
					c.Categories = append(c.Categories, cat)
				}
			}
		case vcard.FieldNote:
			n := text()
			if c.Note != "" {
				c.Note += "\n"
			}
			c.Note += n
		case vcard.FieldBirthday:
			c.Birthday = normalizeDate(text())
		case vcard.FieldAnniversary, "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY":
			c.Anniversary = normalizeDate(text())
		case "X-SYNCGUARD-MILEAGE":
			c.Mileage = text()
		case vcard.FieldUID:
			c.UID = strings.TrimSpace(text())
		case "X-ANDROID-CUSTOM":
			// Android exports a nickname as a custom row: vnd.android.cursor.item/nickname;Nick;...
			parts := splitStructured(val, v21)
			if get(parts, 0) == "vnd.android.cursor.item/nickname" && get(parts, 1) != "" && c.Nickname == "" {
				c.Nickname = get(parts, 1)
				continue
			}
			c.Other = append(c.Other, contacts.Field{Name: groupName(prop), Params: formatParams(prop.params), Value: val})
		default:
			if skipped[prop.name] {
				continue
			}
			if prop.b64 {
				p.checkBase64(prop, val)
			}
			c.Other = append(c.Other, contacts.Field{Name: groupName(prop), Params: formatParams(prop.params), Value: val})
		}
	}
	// 2.1 and 3.0 give the printable address as a LABEL property; attach it to the address
	// with the same types, else keep it.
	for _, lp := range adrLabels {
		label := unescapeText(p.decodeValue(lp), v21)
		attached := false
		for i := range c.Addresses {
			if c.Addresses[i].Label == "" && sameTypes(c.Addresses[i].Types, lp.params.Types()) {
				c.Addresses[i].Label = label
				attached = true
				break
			}
		}
		if !attached && strings.TrimSpace(label) != "" {
			// A label with no structured address is still the contact's address.
			c.Addresses = append(c.Addresses, contacts.Address{Types: lp.params.Types(), Label: label})
		}
	}
	if c.Name == "" && !c.StructuredName.IsZero() {
		c.Name = c.StructuredName.Formatted()
	}
	return c
}

func groupName(prop *property) string {
	if prop.group != "" {
		return prop.group + "." + prop.name
	}
	return prop.name
}

func withPref(types []string, params vcard.Params) []string {
	if pref := params.Get(vcard.ParamPreferred); pref != "" {
		for _, t := range types {
			if t == "pref" {
				return types
			}
		}
		types = append(types, "pref")
	}
	return types
}

// abLabel turns Apple's "_$!<Other>!$_" into "other" and keeps custom labels as written.
func abLabel(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "_$!<") && strings.HasSuffix(s, ">!$_") {
		return strings.ToLower(s[4 : len(s)-4])
	}
	return s
}

func sameTypes(a, b []string) bool {
	filter := func(ts []string) map[string]bool {
		m := map[string]bool{}
		for _, t := range ts {
			if t != "pref" && t != "postal" && t != "parcel" && t != "dom" && t != "intl" {
				m[t] = true
			}
		}
		return m
	}
	fa, fb := filter(a), filter(b)
	if len(fa) != len(fb) {
		return false
	}
	for t := range fa {
		if !fb[t] {
			return false
		}
	}
	return true
}

func formatParams(params vcard.Params) string {
	if len(params) == 0 {
		return ""
	}
	var b strings.Builder
	for _, k := range []string{"TYPE", "ENCODING", "CHARSET", "VALUE"} {
		if v, ok := params[k]; ok {
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.WriteString(k + "=" + strings.Join(v, ","))
		}
	}
	for k, v := range params {
		switch k {
		case "TYPE", "ENCODING", "CHARSET", "VALUE":
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(k + "=" + strings.Join(v, ","))
	}
	return b.String()
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

// splitStructured splits a structured value (N, ADR, ORG) on unescaped semicolons, then
// unescapes each part. vCard 2.1 escapes only ";" (and, as phones write it, "\\" and
// "\:"); 3.0 and 4.0 escape "\\", "\;", "\,", "\n".
func splitStructured(v string, v21 bool) []string {
	return splitOn(v, ';', v21)
}

// splitList splits a list value (CATEGORIES, NICKNAME) on unescaped commas.
func splitList(v string, v21 bool) []string {
	return splitOn(v, ',', v21)
}

func splitOn(v string, sep byte, v21 bool) []string {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			cur.WriteByte(c)
			cur.WriteByte(v[i+1])
			i++
			continue
		}
		if c == sep {
			parts = append(parts, unescapeComponent(cur.String(), v21))
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	parts = append(parts, unescapeComponent(cur.String(), v21))
	return parts
}

func unescapeComponent(s string, v21 bool) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
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
// (Outlook writes line breaks as QUOTED-PRINTABLE), so a 2.1 value is taken literally.
func unescapeText(s string, v21 bool) string {
	if v21 {
		return s
	}
	return unescapeComponent(s, false)
}

// normalizeDate turns the date forms vCards carry ("19700517", "1970-05-17",
// "1970-05-17T00:00:00Z", "--0517") into "1970-05-17" or "--05-17"; anything else is kept.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, 'T'); i >= 8 {
		s = s[:i]
	}
	d := strings.ReplaceAll(s, "-", "")
	if len(d) == 8 && allDigits(d) {
		return d[:4] + "-" + d[4:6] + "-" + d[6:]
	}
	if strings.HasPrefix(s, "--") && len(d) == 4 && allDigits(d) {
		return "--" + d[:2] + "-" + d[2:]
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
