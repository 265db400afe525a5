package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
)

// Compute matches the contacts of a new export to the entries of the previous state and
// says what changed. Matching goes, in order of confidence:
//  1. identical content (by fingerprint), as a multiset, so exact duplicates pair up one
//     to one;
//  2. the same UID;
//  3. the same normalized identity (name, organization, e-mails, phones);
//  4. a best match for what is left: shared e-mails and phones, the same name, the same
//     organization, scored and paired greedily from the best score down, so a contact
//     renamed with the same e-mail, or with one phone edited, is a change and not a
//     deletion plus an addition.
//
// newKey gives the key of a contact seen for the first time. cc is the policy's
// country_code, by which phone numbers are compared ("" is the default, "1").
func Compute(before []Entry, after []*contacts.Contact, newKey func() string, cc string) Change {
	ch := Change{Before: len(before), After: len(after)}
	usedB := make([]bool, len(before))
	matchA := make([]int, len(after)) // index into before, or -1
	for i := range matchA {
		matchA[i] = -1
	}
	afterFP := make([]string, len(after))
	for i, c := range after {
		afterFP[i] = c.Fingerprint(cc)
	}

	// 1. Identical content.
	byFP := map[string][]int{}
	beforeFP := make([]string, len(before))
	for i, e := range before {
		fp := e.FP
		if fp == "" {
			fp = e.Contact.Fingerprint(cc)
		}
		beforeFP[i] = fp
		byFP[fp] = append(byFP[fp], i)
	}
	for i := range after {
		if list := byFP[afterFP[i]]; len(list) > 0 {
			matchA[i] = list[0]
			usedB[list[0]] = true
			byFP[afterFP[i]] = list[1:]
		}
	}

	pairOn := func(key func(*contacts.Contact) string) {
		idx := map[string][]int{}
		for i, e := range before {
			if usedB[i] {
				continue
			}
			if k := key(e.Contact); k != "" {
				idx[k] = append(idx[k], i)
			}
		}
		if len(idx) == 0 {
			return
		}
		for i, c := range after {
			if matchA[i] >= 0 {
				continue
			}
			k := key(c)
			if k == "" {
				continue
			}
			for len(idx[k]) > 0 && usedB[idx[k][0]] {
				idx[k] = idx[k][1:]
			}
			for n, j := range idx[k] {
				if usedB[j] || distinctItems(before[j].Contact, c) {
					continue
				}
				matchA[i] = j
				usedB[j] = true
				if n == 0 {
					idx[k] = idx[k][1:]
				}
				break
			}
		}
	}
	// 2. UID, 3. identity.
	pairOn(func(c *contacts.Contact) string { return strings.TrimSpace(c.UID) })
	pairOn(func(c *contacts.Contact) string { return identityKey(c, cc) })

	// 4. Best match among the rest.
	bestMatch(before, after, usedB, matchA, cc)

	for i, c := range after {
		if j := matchA[i]; j >= 0 {
			e := before[j]
			if afterFP[i] == beforeFP[j] {
				ch.Unchanged = append(ch.Unchanged, Entry{Key: e.Key, Contact: c, FP: afterFP[i]})
				continue
			}
			ch.Changed = append(ch.Changed, Changed{Key: e.Key, Old: e.Contact, New: c, Fields: Fields(e.Contact, c, cc), NewFP: afterFP[i]})
			continue
		}
		ch.Added = append(ch.Added, Entry{Key: newKey(), Contact: c, FP: afterFP[i]})
	}
	for j, e := range before {
		if !usedB[j] {
			ch.Removed = append(ch.Removed, e)
		}
	}
	return ch
}

// identityKey is who a contact is, without the details that edits change most.
func identityKey(c *contacts.Contact, cc string) string {
	name := contacts.IdentityName(c)
	if name == "" {
		return ""
	}
	return name + "\x00" + strings.ToLower(strings.Join(strings.Fields(c.Organization), " ")) + "\x00" +
		strings.Join(sortedNorm(c.Emails, contacts.NormalizeEmail), ",") + "\x00" + strings.Join(sortedNorm(c.Phones, phoneIn(cc)), ",")
}

// phoneIn is NormalizePhone for one country code, in the shape sortedNorm and listChange take.
func phoneIn(cc string) func(string) string {
	return func(s string) string { return contacts.NormalizePhone(s, cc) }
}

func sortedNorm(vs []contacts.Value, f func(string) string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if n := f(v.Value); n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// minScore is the score a pair needs: one shared e-mail (3), or the same name (3), or a
// shared phone with the same organization (2+1). A shared phone alone (a switchboard) or a
// shared organization alone is not the same person.
const minScore = 3

func bestMatch(before []Entry, after []*contacts.Contact, usedB []bool, matchA []int, cc string) {
	// Block on e-mails, phones and names so that only plausible pairs are scored.
	type keyed struct{ email, phone, name map[string][]int }
	idx := keyed{map[string][]int{}, map[string][]int{}, map[string][]int{}}
	for j, e := range before {
		if usedB[j] {
			continue
		}
		for _, v := range e.Contact.Emails {
			if n := contacts.NormalizeEmail(v.Value); n != "" {
				idx.email[n] = append(idx.email[n], j)
			}
		}
		for _, v := range e.Contact.Phones {
			if n := contacts.NormalizePhone(v.Value, cc); n != "" {
				idx.phone[n] = append(idx.phone[n], j)
			}
		}
		if n := contacts.IdentityName(e.Contact); n != "" {
			idx.name[n] = append(idx.name[n], j)
		}
	}
	if len(idx.email)+len(idx.phone)+len(idx.name) == 0 {
		return
	}
	type pair struct{ a, b, score int }
	var pairs []pair
	for i, c := range after {
		if matchA[i] >= 0 {
			continue
		}
		scores := map[int]int{}
		seenE, seenP := map[string]bool{}, map[string]bool{}
		for _, v := range c.Emails {
			n := contacts.NormalizeEmail(v.Value)
			if n == "" || seenE[n] {
				continue
			}
			seenE[n] = true
			for _, j := range idx.email[n] {
				scores[j] += 3
			}
		}
		for _, v := range c.Phones {
			n := contacts.NormalizePhone(v.Value, cc)
			if n == "" || seenP[n] {
				continue
			}
			seenP[n] = true
			for _, j := range idx.phone[n] {
				scores[j] += 2
			}
		}
		if n := contacts.IdentityName(c); n != "" {
			for _, j := range idx.name[n] {
				scores[j] += 3
			}
		}
		org := strings.ToLower(strings.TrimSpace(c.Organization))
		for j, s := range scores {
			if org != "" && strings.ToLower(strings.TrimSpace(before[j].Contact.Organization)) == org {
				s++
			}
			if s >= minScore && !distinctItems(before[j].Contact, c) {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	sort.Slice(pairs, func(x, y int) bool {
		if pairs[x].score != pairs[y].score {
			return pairs[x].score > pairs[y].score
		}
		if pairs[x].a != pairs[y].a {
			return pairs[x].a < pairs[y].a
		}
		return pairs[x].b < pairs[y].b
	})
	for _, p := range pairs {
		if matchA[p.a] >= 0 || usedB[p.b] {
			continue
		}
		matchA[p.a] = p.b
		usedB[p.b] = true
	}
}

// Fields lists what changed between two versions of a contact, field by field, with the
// values as a person reads them. Formatting-only differences are not changes; cc is the
// country_code by which two numbers are the same, as for Compute.
func Fields(old, new *contacts.Contact, cc string) []FieldChange {
	var out []FieldChange
	add := func(field, o, n string) {
		if o != n {
			out = append(out, FieldChange{Field: field, Old: o, New: n})
		}
	}
	if contacts.IdentityName(old) != contacts.IdentityName(new) {
		add("name", old.DisplayName(), new.DisplayName())
	}
	addFold := func(field, o, n string) {
		if strings.Join(strings.Fields(o), " ") != strings.Join(strings.Fields(n), " ") {
			add(field, o, n)
		}
	}
	addFold("organization", old.Organization, new.Organization)
	addFold("department", old.Department, new.Department)
	addFold("title", old.Title, new.Title)
	addFold("nickname", old.Nickname, new.Nickname)
	listChange(&out, "emails", old.Emails, new.Emails, contacts.NormalizeEmail)
	listChange(&out, "phones", old.Phones, new.Phones, phoneIn(cc))
	listChange(&out, "urls", old.URLs, new.URLs, func(s string) string { return strings.TrimRight(strings.ToLower(strings.TrimSpace(s)), "/") })
	oa, na := addrStrings(old.Addresses), addrStrings(new.Addresses)
	if !sameSet(oa, na, strings.ToLower) {
		add("addresses", strings.Join(oa, "; "), strings.Join(na, "; "))
	}
	if !sameSet(old.Categories, new.Categories, contacts.NormalizeCategory) {
		add("categories", strings.Join(old.Categories, "; "), strings.Join(new.Categories, "; "))
	}
	if contacts.NormalizeText(old.Note) != contacts.NormalizeText(new.Note) {
		add("note", old.Note, new.Note)
	}
	add("mileage", strings.TrimSpace(old.Mileage), strings.TrimSpace(new.Mileage))
	add("birthday", old.Birthday, new.Birthday)
	add("anniversary", old.Anniversary, new.Anniversary)
	if contacts.IsPrivate(old) != contacts.IsPrivate(new) {
		add("private", yesNo(contacts.IsPrivate(old)), yesNo(contacts.IsPrivate(new)))
	}
	for n := 1; n <= 4; n++ {
		add(fmt.Sprintf("user %d", n), contacts.UserField(old, n), contacts.UserField(new, n))
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func listChange(out *[]FieldChange, field string, o, n []contacts.Value, norm func(string) string) {
	ov, nv := values(o), values(n)
	if !sameSet(ov, nv, norm) {
		*out = append(*out, FieldChange{Field: field, Old: strings.Join(ov, "; "), New: strings.Join(nv, "; ")})
		return
	}
	if field == "phones" {
		// The same numbers with other kinds (a work number now filed as mobile). Compared
		// on the normalized numbers, so that a number only rewritten is not a change.
		ok, nk := kinds(o), kinds(n)
		if !sameSet(kindKeys(o, norm), kindKeys(n, norm), func(s string) string { return s }) {
			*out = append(*out, FieldChange{Field: field, Old: strings.Join(ok, "; "), New: strings.Join(nk, "; ")})
		}
	}
}

func kinds(vs []contacts.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = contacts.PhoneKind(v.Types) + ": " + v.Value
	}
	return out
}

// kindKeys are a contact's phones as kind and normalized number, for comparing.
func kindKeys(vs []contacts.Value, norm func(string) string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = contacts.PhoneKind(v.Types) + ":" + norm(v.Value)
	}
	return out
}

func values(vs []contacts.Value) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Value)
	}
	return out
}

func addrStrings(as []contacts.Address) []string {
	var out []string
	for _, a := range as {
		var parts []string
		for _, p := range []string{a.POBox, a.Extended, a.Street, a.City, a.Region, a.PostalCode, a.Country} {
			if p = strings.Join(strings.Fields(p), " "); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, ", "))
		}
	}
	return out
}

// sameSet compares two lists as sets of normalized values (order and duplicates ignored).
func sameSet(a, b []string, norm func(string) string) bool {
	set := func(l []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range l {
			if n := norm(s); n != "" {
				m[n] = true
			}
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for k := range sa {
		if !sb[k] {
			return false
		}
	}
	return true
}

// distinctItems reports whether two contacts are known to be different items: both were
// read from Outlook itself and carry different EntryIDs. Such a pair is never matched by
// guesswork (a contact deleted and a new one typed with the same name and e-mail is a
// removal and an addition), while contacts without an EntryID, as every export file's are,
// are matched as before.
func distinctItems(a, b *contacts.Contact) bool {
	ea, eb := contacts.OutlookEntryID(a), contacts.OutlookEntryID(b)
	return ea != "" && eb != "" && ea != eb
}
