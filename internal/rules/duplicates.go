package rules

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// duplicates: the change adds contacts that are people already in the book: the same
// normalized name plus a shared e-mail or phone ("Add all conflicting items", "Create
// Duplicate Record", a first sync of a new device). A warning from the first (InterAction
// does not match them up and duplicates them in turn), a danger from
// duplicates_danger_min on.
//
// The book is searched by e-mail and phone first and names are compared only for the few
// contacts that share one, because folding every name of a large book for one new contact
// would cost more than the whole rest of the snapshot.
func duplicates(in *Input) []findings.Finding {
	ch := in.Change
	if len(ch.Added) == 0 {
		return nil
	}
	added := make([]*dupEntry, len(ch.Added))
	for i, a := range ch.Added {
		added[i] = &dupEntry{key: a.Key, c: a.Contact, points: contactPoints(a.Contact, in.cc())}
	}
	order := map[string]int{}
	for i, a := range added {
		order[a.key] = i
	}
	names := map[string]string{} // identity names of the book's other contacts, folded once
	book := func(visit func(*dupEntry)) {
		each := func(e diff.Entry) {
			if i, ok := order[e.Key]; ok {
				visit(added[i])
				return
			}
			d := &dupEntry{key: e.Key, c: e.Contact, points: contactPoints(e.Contact, in.cc())}
			if n, ok := names[e.Key]; ok {
				d.name, d.named = n, true
			}
			visit(d)
			if d.named {
				names[e.Key] = d.name
			}
		}
		if in.Book != nil {
			for _, e := range in.Book {
				each(e)
			}
			return
		}
		for _, e := range ch.Unchanged {
			each(e)
		}
		for _, c := range ch.Changed {
			each(diff.Entry{Key: c.Key, Contact: c.New})
		}
		for _, e := range ch.Added {
			each(e)
		}
	}
	return duplicateFindings(added, order, book, in.Policy)
}

// dupEntry is a contact as the duplicates rule sees it: its key and e-mails and phones,
// and its identity name, folded when it is first needed.
type dupEntry struct {
	key    string
	points []string
	c      *contacts.Contact
	name   string
	named  bool
}

func (e *dupEntry) identity() string {
	if !e.named {
		e.name, e.named = contacts.IdentityName(e.c), true
	}
	return e.name
}

// duplicateFindings finds the added contacts that copy one in the book (visited in the
// book's order; added ones are visited as the same entries) and words the finding.
func duplicateFindings(added []*dupEntry, order map[string]int, book func(visit func(*dupEntry)), p *policy.Policy) []findings.Finding {
	// The added contacts by their e-mails and phones, in the order they were added.
	byPoint := map[string][]int{}
	for i, a := range added {
		for _, pt := range a.points {
			byPoint[pt] = append(byPoint[pt], i)
		}
	}
	copyOf := make([]*dupEntry, len(added))
	via := make([]string, len(added))
	book(func(e *dupEntry) {
		j, isAdded := order[e.key]
		for _, pt := range e.points {
			for _, i := range byPoint[pt] {
				a := added[i]
				// A new contact copies one already there, or one added earlier in the same
				// change (the later one is the copy).
				if copyOf[i] != nil || a.key == e.key || isAdded && j > i {
					continue
				}
				if n := a.identity(); n != "" && n == e.identity() {
					copyOf[i], via[i] = e, pt
				}
			}
		}
	})
	var refs []findings.ContactRef
	for i, a := range added {
		if copyOf[i] == nil {
			continue
		}
		refs = append(refs, copyRef(a.c, a.key, copyOf[i].c, via[i], p.Export.CountryCode))
	}
	return duplicatesFinding(refs, p)
}

// copyRef names an added contact that copies another, and how they are one person.
func copyRef(c *contacts.Contact, key string, original *contacts.Contact, via, cc string) findings.ContactRef {
	return findings.ContactRef{Name: c.DisplayName(), Key: key, Fingerprint: c.Fingerprint(cc),
		Detail: fmt.Sprintf("a second copy of %s (same name and %s)", original.DisplayName(), pointLabel(via))}
}

// duplicatesFinding is the finding for the copies refs, when the policy's thresholds say so.
func duplicatesFinding(refs []findings.ContactRef, p *policy.Policy) []findings.Finding {
	t := p.Thresholds
	if len(refs) == 0 || len(refs) < t.DuplicatesMin {
		return nil
	}
	sev := findings.Warning
	if len(refs) >= t.DuplicatesDangerMin {
		sev = findings.Danger
	}
	return []findings.Finding{{
		Kind: findings.Duplicates, Severity: sev, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s added a second time", findings.Plural(len(refs), "contact was", "contacts were")),
		Explanation: "The last change added contacts that are already in your address book (same name and a shared e-mail or " +
			"phone). A sync conduit set to add conflicting items or to create duplicate records does this, and so does " +
			"the first sync of a new device; InterAction does not match them up and will hold them twice too.",
		Advice: "Delete the new copies in Outlook before InterAction's next sync (Review the contacts), and set the " +
			"conduit to resolve conflicts instead of keeping both (Check my device setup).",
		Actions: []findings.Action{findings.ActReview, findings.ActAcknowledge, findings.ActWizard},
	}}
}

// contactPoints are a contact's normalized e-mails ("e:") and phones ("p:"). Numbers of
// fewer than seven digits are internal extensions, shared by design, and left out.
func contactPoints(c *contacts.Contact, cc string) []string {
	var out []string
	for _, v := range c.Emails {
		if n := contacts.NormalizeEmail(v.Value); n != "" {
			out = append(out, "e:"+n)
		}
	}
	for _, v := range c.Phones {
		if n := contacts.NormalizePhone(v.Value, cc); len(n) >= 7 {
			out = append(out, "p:"+n)
		}
	}
	return out
}

func pointLabel(p string) string {
	if p[0] == 'e' {
		return "e-mail " + p[2:]
	}
	return "phone " + p[2:]
}
