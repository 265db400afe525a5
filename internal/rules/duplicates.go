package rules

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
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
	book := in.Book
	if book == nil {
		book = make([]diff.Entry, 0, len(ch.Unchanged)+len(ch.Changed)+len(ch.Added))
		book = append(book, ch.Unchanged...)
		for _, c := range ch.Changed {
			book = append(book, diff.Entry{Key: c.Key, Contact: c.New})
		}
		book = append(book, ch.Added...)
	}
	// The added contacts by their e-mails and phones, in the order they were added.
	order := map[string]int{}
	byPoint := map[string][]int{}
	for i, a := range ch.Added {
		order[a.Key] = i
		for _, p := range contactPoints(a.Contact, in.cc()) {
			byPoint[p] = append(byPoint[p], i)
		}
	}
	names := map[string]string{} // identity names by key, folded once
	name := func(e diff.Entry) string {
		n, ok := names[e.Key]
		if !ok {
			n = contacts.IdentityName(e.Contact)
			names[e.Key] = n
		}
		return n
	}
	copyOf := make([]*contacts.Contact, len(ch.Added))
	via := make([]string, len(ch.Added))
	for _, e := range book {
		j, isAdded := order[e.Key]
		for _, p := range contactPoints(e.Contact, in.cc()) {
			for _, i := range byPoint[p] {
				a := ch.Added[i]
				// A new contact copies one already there, or one added earlier in the same
				// change (the later one is the copy).
				if copyOf[i] != nil || a.Key == e.Key || isAdded && j > i {
					continue
				}
				if n := name(a); n != "" && n == name(e) {
					copyOf[i], via[i] = e.Contact, p
				}
			}
		}
	}
	var refs []findings.ContactRef
	for i, a := range ch.Added {
		if copyOf[i] == nil {
			continue
		}
		refs = append(refs, findings.ContactRef{Name: a.Contact.DisplayName(), Key: a.Key, Fingerprint: a.Contact.Fingerprint(in.cc()),
			Detail: fmt.Sprintf("a second copy of %s (same name and %s)", copyOf[i].DisplayName(), pointLabel(via[i]))})
	}
	t := in.Policy.Thresholds
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
