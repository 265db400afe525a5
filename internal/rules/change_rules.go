package rules

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
)

// massDeletion: one change removes at least max(10 contacts, 5 %) of the book. Ten is
// InterAction's own limit: at ten suspicious changes it aborts the sync and puts the list
// into Possible Corruption, whose recovery modes can lose data.
func massDeletion(in *Input) []findings.Finding {
	ch := in.Change
	t := in.Policy.Thresholds
	if len(ch.Removed) < threshold(t.MassDeletionMin, t.MassDeletionPercent, ch.Before) {
		return nil
	}
	refs := make([]findings.ContactRef, len(ch.Removed))
	for i, e := range ch.Removed {
		refs[i] = findings.ContactRef{Name: e.Contact.DisplayName(), Key: e.Key, Fingerprint: e.Contact.Fingerprint()}
	}
	pct := 100 * float64(len(ch.Removed)) / float64(max(ch.Before, 1))
	return []findings.Finding{{
		Kind: findings.MassDeletion, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s disappeared from Outlook at once", plural(len(ch.Removed), "contact", "contacts")),
		Explanation: fmt.Sprintf("One change removed %d of your %d contacts (%.0f %%). A device sync that deletes this many is "+
			"usually misconfigured, and InterAction takes the deletions over at its next sync or puts your list into "+
			"Possible Corruption.", len(ch.Removed), ch.Before, pct),
		Advice:  "Do not sync the device again until this is understood. Restore the deleted contacts into Outlook (Restore these contacts), then check the device setup.",
		Actions: append(append([]findings.Action{}, changeActions...), findings.ActWizard),
	}}
}

// duplicates: the change adds contacts that are people already in the book: the same
// normalized name plus a shared e-mail or phone ("Add all conflicting items" does this).
// Ten or more is a danger: InterAction duplicates them all in turn.
func duplicates(in *Input) []findings.Finding {
	ch := in.Change
	if len(ch.Added) == 0 {
		return nil
	}
	book := in.Book
	if book == nil {
		book = append(book, ch.Unchanged...)
		for _, c := range ch.Changed {
			book = append(book, diff.Entry{Key: c.Key, Contact: c.New})
		}
		book = append(book, ch.Added...)
	}
	byName := map[string][]diff.Entry{}
	for _, e := range book {
		if n := contacts.IdentityName(e.Contact); n != "" {
			byName[n] = append(byName[n], e)
		}
	}
	var refs []findings.ContactRef
	for _, a := range ch.Added {
		n := contacts.IdentityName(a.Contact)
		for _, e := range byName[n] {
			if e.Key == a.Key || !sharesContactPoint(a.Contact, e.Contact) {
				continue
			}
			refs = append(refs, findings.ContactRef{Name: a.Contact.DisplayName(), Key: a.Key, Detail: "a second copy of " + e.Contact.DisplayName()})
			break
		}
	}
	if len(refs) < in.Policy.Thresholds.DuplicatesMin {
		return nil
	}
	sev := findings.Warning
	if len(refs) >= in.Policy.Thresholds.MassDeletionMin {
		sev = findings.Danger
	}
	return []findings.Finding{{
		Kind: findings.Duplicates, Severity: sev, Subject: subject(refs), Contacts: refs,
		Title:       fmt.Sprintf("%s added a second time", plural(len(refs), "contact was", "contacts were")),
		Explanation: "The last change added contacts that are already in your address book (same name and a shared e-mail or phone). A sync conduit set to add conflicting items, or a first sync of a new device, does this; InterAction will duplicate them too.",
		Advice:      "Delete the new copies in Outlook before InterAction's next sync (Review the contacts), and set the conduit to resolve conflicts instead of adding both (Check my device setup).",
		Actions:     append(append([]findings.Action{findings.ActReview}, findings.ActAcknowledge), findings.ActWizard),
	}}
}

func sharesContactPoint(a, b *contacts.Contact) bool {
	emails := map[string]bool{}
	for _, v := range a.Emails {
		if n := contacts.NormalizeEmail(v.Value); n != "" {
			emails[n] = true
		}
	}
	for _, v := range b.Emails {
		if emails[contacts.NormalizeEmail(v.Value)] {
			return true
		}
	}
	phones := map[string]bool{}
	for _, v := range a.Phones {
		if n := contacts.NormalizePhone(v.Value); len(n) >= 7 {
			phones[n] = true
		}
	}
	for _, v := range b.Phones {
		if phones[contacts.NormalizePhone(v.Value)] {
			return true
		}
	}
	return false
}

func catSet(cs []string) map[string]string {
	m := map[string]string{}
	for _, c := range cs {
		if n := contacts.NormalizeCategory(c); n != "" {
			m[n] = c
		}
	}
	return m
}

// collapsed reports a contact that had two or more categories and now keeps exactly one
// of them: what a device that keeps one category per contact sends back.
func collapsed(c diff.Changed) bool {
	old, nw := catSet(c.Old.Categories), catSet(c.New.Categories)
	if len(old) < 2 || len(nw) != 1 {
		return false
	}
	for k := range nw {
		_, was := old[k]
		return was
	}
	return false
}

// categoryCollapse: contacts that had several categories now have exactly one. Three or
// more in one change is a one-category device, not a person tidying up.
func categoryCollapse(in *Input) []findings.Finding {
	var refs []findings.ContactRef
	kept := map[string]int{}
	for _, c := range in.Change.Changed {
		if collapsed(c) {
			refs = append(refs, refOld(c, strings.Join(c.Old.Categories, "; ")+" → "+strings.Join(c.New.Categories, "; ")))
			kept[c.New.Categories[0]]++
		}
	}
	if len(refs) < in.Policy.Thresholds.CategoryCollapseMin {
		return nil
	}
	return []findings.Finding{{
		Kind: findings.CategoryCollapse, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s lost their other categories: your device keeps one category per contact", plural(len(refs), "contact", "contacts")),
		Explanation: fmt.Sprintf("%s had two or more categories and now have only one (most often %q). A phone or handheld "+
			"that keeps one category per contact sent them back this way, and InterAction will drop the other categories too.",
			plural(len(refs), "contact", "contacts"), mostCommon(kept)),
		Advice:  "Restore these contacts' categories before InterAction's next sync. In InterAction's Manage Categories dialog, choose which one category goes to the device so the others are kept.",
		Actions: append(append([]findings.Action{}, changeActions...), findings.ActWizard),
	}}
}

func mostCommon(m map[string]int) string {
	best, n := "", -1
	for k, v := range m {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return best
}

// fused reports a new category whose name joins several old ones ("Clients; VIP",
// "Clients,VIP"): the separator was lost on the way, and one category now stands for two.
func fused(c diff.Changed) (string, bool) {
	old := catSet(c.Old.Categories)
	for _, cat := range c.New.Categories {
		parts := strings.FieldsFunc(cat, func(r rune) bool { return r == ';' || r == ',' })
		if len(parts) < 2 {
			continue
		}
		all := true
		for _, p := range parts {
			if _, ok := old[contacts.NormalizeCategory(p)]; !ok {
				all = false
			}
		}
		if all {
			return cat, true
		}
	}
	return "", false
}

// categoryLoss: categories removed from many contacts, or several fused into one name.
// A fused category is a danger from the first contact: InterAction creates a category
// that does not exist and loses the real ones.
func categoryLoss(in *Input) []findings.Finding {
	var lost, fusedRefs []findings.ContactRef
	for _, c := range in.Change.Changed {
		if name, ok := fused(c); ok {
			fusedRefs = append(fusedRefs, refOld(c, fmt.Sprintf("%s → one category named %q", strings.Join(c.Old.Categories, "; "), name)))
			continue
		}
		if collapsed(c) {
			continue // category-collapse speaks for these
		}
		old, nw := catSet(c.Old.Categories), catSet(c.New.Categories)
		var gone []string
		for k, v := range old {
			if _, ok := nw[k]; !ok {
				gone = append(gone, v)
			}
		}
		if len(gone) > 0 {
			sort.Strings(gone)
			lost = append(lost, refOld(c, "lost "+strings.Join(gone, "; ")))
		}
	}
	var out []findings.Finding
	if len(fusedRefs) > 0 {
		out = append(out, findings.Finding{
			Kind: findings.CategoryLoss, Severity: findings.Danger, Subject: "fused-" + subject(fusedRefs), Contacts: fusedRefs,
			Title:       fmt.Sprintf("%s now have several categories fused into one", plural(len(fusedRefs), "contact", "contacts")),
			Explanation: "Categories such as \"Clients\" and \"VIP\" came back as one category named \"Clients; VIP\". The device or conduit lost the separator; InterAction would file these contacts under a category that does not exist.",
			Advice:      "Restore these contacts' categories, and check the sync software's category settings (Check my device setup).",
			Actions:     append(append([]findings.Action{}, changeActions...), findings.ActWizard),
		})
	}
	if len(lost) >= in.Policy.Thresholds.CategoryLossMin {
		out = append(out, findings.Finding{
			Kind: findings.CategoryLoss, Severity: findings.Warning, Subject: subject(lost), Contacts: lost,
			Title:       fmt.Sprintf("%s lost categories", plural(len(lost), "contact", "contacts")),
			Explanation: "Categories were removed from many contacts in one change. InterAction uses categories to file contacts; a device or conduit with a category filter removes the ones it does not know.",
			Advice:      "If you did not remove them, restore these contacts' categories and check the conduit's category filter.",
			Actions:     changeActions,
		})
	}
	return out
}

// mileageChanged: Outlook's Mileage field cleared or rewritten. InterAction uses it to mark
// who may see a contact, and nobody edits it by hand, so one is already a danger.
func mileageChanged(in *Input) []findings.Finding {
	var refs []findings.ContactRef
	cleared := 0
	for _, c := range in.Change.Changed {
		o, n := strings.TrimSpace(c.Old.Mileage), strings.TrimSpace(c.New.Mileage)
		if o == "" || o == n {
			continue
		}
		if n == "" {
			cleared++
			refs = append(refs, refOld(c, "Mileage cleared (was "+o+")"))
		} else {
			refs = append(refs, refOld(c, "Mileage "+o+" → "+n))
		}
	}
	if len(refs) < in.Policy.Thresholds.MileageMin {
		return nil
	}
	what := "rewritten"
	if cleared == len(refs) {
		what = "cleared"
	}
	return []findings.Finding{{
		Kind: findings.MileageChanged, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title:       fmt.Sprintf("Outlook's Mileage field was %s on %s", what, plural(len(refs), "contact", "contacts")),
		Explanation: "InterAction keeps a marker in Outlook's Mileage field to know who may see each contact. A device or conduit that clears or rewrites it damages InterAction's data at its next sync.",
		Advice:      "Restore these contacts before InterAction's next sync, and exclude the Mileage field from the device sync if the sync software allows it.",
		Actions:     changeActions,
	}}
}

// fieldLoss: phones, e-mails, addresses or notes removed from many contacts at once: a
// device that does not carry a field sends contacts back without it. Three times the
// threshold is a danger.
func fieldLoss(in *Input) []findings.Finding {
	var refs []findings.ContactRef
	for _, c := range in.Change.Changed {
		var lost []string
		if n, o := len(c.New.Phones), len(c.Old.Phones); n < o {
			lost = append(lost, plural(o-n, "phone", "phones"))
		}
		if n, o := len(c.New.Emails), len(c.Old.Emails); n < o {
			lost = append(lost, plural(o-n, "e-mail", "e-mails"))
		}
		if n, o := nonZeroAddrs(c.New), nonZeroAddrs(c.Old); n < o {
			lost = append(lost, plural(o-n, "address", "addresses"))
		}
		if strings.TrimSpace(c.Old.Note) != "" && strings.TrimSpace(c.New.Note) == "" {
			lost = append(lost, "the note")
		}
		if len(lost) > 0 {
			refs = append(refs, refOld(c, "lost "+strings.Join(lost, ", ")))
		}
	}
	min := in.Policy.Thresholds.FieldLossMin
	if len(refs) < min {
		return nil
	}
	sev := findings.Warning
	if len(refs) >= 3*min {
		sev = findings.Danger
	}
	return []findings.Finding{{
		Kind: findings.FieldLoss, Severity: sev, Subject: subject(refs), Contacts: refs,
		Title:       fmt.Sprintf("%s lost phones, e-mails, addresses or notes", plural(len(refs), "contact", "contacts")),
		Explanation: "Fields were removed from many contacts in one change. A device that has no room for a field sends the contact back without it, and the next sync removes it everywhere.",
		Advice:      "Restore these contacts, and check which fields the device and its sync software carry.",
		Actions:     changeActions,
	}}
}

func nonZeroAddrs(c *contacts.Contact) int {
	n := 0
	for _, a := range c.Addresses {
		if !a.IsZero() {
			n++
		}
	}
	return n
}

// truncation: text cut to the same length across several contacts (a device's field
// limit, such as 255 characters for notes). One contact cut could be an edit; the same
// cut length on several cannot.
func truncation(in *Input) []findings.Finding {
	type key struct {
		field  string
		length int
	}
	groups := map[key][]findings.ContactRef{}
	check := func(c diff.Changed, field, o, n string) {
		// The cut length is counted on the text as the device sent it (a cut that lands on
		// a space still counts the space); the prefix test ignores formatting.
		length := utf8.RuneCountInString(strings.ReplaceAll(n, "\r\n", "\n"))
		o, n = contacts.NormalizeText(o), contacts.NormalizeText(n)
		if n == "" || len(n) >= len(o) || !strings.HasPrefix(o, n) {
			return
		}
		k := key{field, length}
		groups[k] = append(groups[k], refOld(c, fmt.Sprintf("%s cut from %d to %d characters", field, utf8.RuneCountInString(o), k.length)))
	}
	for _, c := range in.Change.Changed {
		check(c, "note", c.Old.Note, c.New.Note)
		check(c, "title", c.Old.Title, c.New.Title)
		check(c, "company", c.Old.Organization, c.New.Organization)
		for i := range c.Old.Addresses {
			if i < len(c.New.Addresses) {
				check(c, "street", c.Old.Addresses[i].Street, c.New.Addresses[i].Street)
			}
		}
	}
	var out []findings.Finding
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].field < keys[j].field || keys[i].field == keys[j].field && keys[i].length < keys[j].length
	})
	for _, k := range keys {
		refs := groups[k]
		if len(refs) < in.Policy.Thresholds.TruncationMin {
			continue
		}
		out = append(out, findings.Finding{
			Kind: findings.Truncation, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
			Title: fmt.Sprintf("The %s of %s was cut to %d characters", k.field, plural(len(refs), "contact", "contacts"), k.length),
			Explanation: fmt.Sprintf("Several contacts came back with their %s cut at exactly %d characters: the device keeps no more "+
				"than that, and the sync wrote the shortened text back. InterAction will keep only the shortened text.", k.field, k.length),
			Advice:  "Restore these contacts to get the full text back, and exclude the field from the device sync or use a device without the limit.",
			Actions: changeActions,
		})
	}
	return out
}

// massEdit: many contacts rewritten in one change, an overwrite ("Desktop overwrites
// handheld" run the wrong way, a restore from an old backup). At least max(25, 10 %).
func massEdit(in *Input) []findings.Finding {
	ch := in.Change
	t := in.Policy.Thresholds
	if len(ch.Changed) < threshold(t.MassEditMin, t.MassEditPercent, ch.Before) {
		return nil
	}
	refs := make([]findings.ContactRef, len(ch.Changed))
	fields := map[string]int{}
	for i, c := range ch.Changed {
		var names []string
		for _, f := range c.Fields {
			names = append(names, f.Field)
			fields[f.Field]++
		}
		refs[i] = refOld(c, "changed "+strings.Join(names, ", "))
	}
	return []findings.Finding{{
		Kind: findings.MassEdit, Severity: findings.Warning, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s were rewritten at once", plural(len(refs), "contact", "contacts")),
		Explanation: fmt.Sprintf("One change rewrote %d of your %d contacts (mostly their %s). A sync set to overwrite one side "+
			"with the other does this; InterAction takes every change over.", len(refs), ch.Before, mostCommon(fields)),
		Advice:  "If you did not make these edits, restore the earlier versions and check the conduit's conflict setting.",
		Actions: changeActions,
	}}
}

// revert: contacts going back to an earlier version of themselves: the new version equals
// one from two or more snapshots ago and not the last one. Two sources overwriting each
// other ("Handheld overwrites Desktop") undo the edits made in between.
func revert(in *Input) []findings.Finding {
	if in.Past == nil {
		return nil
	}
	var refs []findings.ContactRef
	for _, c := range in.Change.Changed {
		fp := c.NewFP
		if fp == "" {
			fp = c.New.Fingerprint()
		}
		prev := in.Past.PreviousFingerprints(c.Key, 10)
		for i := 1; i < len(prev); i++ {
			if prev[i] == fp && prev[0] != fp {
				refs = append(refs, refOld(c, fmt.Sprintf("went back to its version of %s ago", plural(i, "snapshot", "snapshots"))))
				break
			}
		}
	}
	if len(refs) < in.Policy.Thresholds.RevertMin {
		return nil
	}
	return []findings.Finding{{
		Kind: findings.Revert, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title:       fmt.Sprintf("%s went back to an older version: recent edits were undone", plural(len(refs), "contact", "contacts")),
		Explanation: "These contacts returned to how they were before your last edits. Two sources are overwriting each other: a device set to overwrite the desktop, or a device synced with two workstations.",
		Advice:      "Restore the edited versions (Restore these contacts), then set the conduit to synchronize rather than overwrite, and sync the device with one workstation only.",
		Actions:     append(append([]findings.Action{}, changeActions...), findings.ActWizard),
	}}
}
