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

// mileageChanged: Outlook's Mileage field cleared or rewritten. InterAction's field
// mapping says Mileage "indicates who can see the contact in Outlook"; a warning from
// mileage_min contacts, a danger from mileage_danger_min (a device rewriting it). Mileage
// set where it was empty is left alone.
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
			refs = append(refs, in.refOld(c, "Mileage cleared (was "+o+")"))
		} else {
			refs = append(refs, in.refOld(c, "Mileage "+o+" → "+n))
		}
	}
	t := in.Policy.Thresholds
	if len(refs) == 0 || len(refs) < t.MileageMin {
		return nil
	}
	what := "rewritten"
	if cleared == len(refs) {
		what = "cleared"
	}
	sev := findings.Warning
	if len(refs) >= t.MileageDangerMin {
		sev = findings.Danger
	}
	return []findings.Finding{{
		Kind: findings.MileageChanged, Severity: sev, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("Outlook's Mileage field was %s on %s", what, findings.Plural(len(refs), "contact", "contacts")),
		Explanation: "InterAction's field mapping says Outlook's Mileage field indicates who can see the contact in Outlook. " +
			"A device or conduit that clears or rewrites it may change who sees these contacts once InterAction syncs them.",
		Advice:  "If you did not change these contacts yourself, restore them (Restore these contacts) before InterAction's next sync, and check whether the device sync can leave the Mileage field alone (Check my device setup).",
		Actions: actions(findings.ActWizard),
	}}
}

// privateChanged: Outlook's Private flag cleared or set. InterAction maps it to its private
// contact, hidden from the firm and from proxies: cleared, a lawyer's private contact
// becomes visible firm-wide at the next sync (a danger); set, a firm contact disappears
// from everyone else's view (a warning). Only contacts read from a source that carries the
// flag on both sides are compared.
func privateChanged(in *Input) []findings.Finding {
	var cleared, set []findings.ContactRef
	for _, c := range in.Change.Changed {
		if !contacts.CarriesOutlookFields(c.Old) || !contacts.CarriesOutlookFields(c.New) {
			continue
		}
		o, n := contacts.IsPrivate(c.Old), contacts.IsPrivate(c.New)
		switch {
		case o && !n:
			cleared = append(cleared, in.refOld(c, "no longer private"))
		case !o && n:
			set = append(set, in.refOld(c, "now private"))
		}
	}
	min := in.Policy.Thresholds.PrivateMin
	var out []findings.Finding
	if len(cleared) > 0 && len(cleared) >= min {
		out = append(out, findings.Finding{
			Kind: findings.PrivateChanged, Severity: findings.Danger, Subject: "cleared:" + subject(cleared), Contacts: cleared,
			Title: fmt.Sprintf("%s lost the Private flag: %s", findings.Plural(len(cleared), "private contact", "private contacts"), names(cleared, 3)),
			Explanation: "InterAction treats a contact marked Private in Outlook as private: hidden from the firm and from proxies. " +
				"These contacts are no longer marked Private, so InterAction's next sync may show them to the whole firm.",
			Advice:  "Restore these contacts (Restore these contacts) before InterAction's next sync, or mark them Private again in Outlook. If the device sync drops the Private flag, check its settings (Check my device setup).",
			Actions: actions(findings.ActWizard),
		})
	}
	if len(set) > 0 && len(set) >= min {
		out = append(out, findings.Finding{
			Kind: findings.PrivateChanged, Severity: findings.Warning, Subject: "set:" + subject(set), Contacts: set,
			Title:       fmt.Sprintf("%s became private: %s", findings.Plural(len(set), "contact", "contacts"), names(set, 3)),
			Explanation: "These contacts are now marked Private in Outlook. InterAction treats a private contact as hidden from the firm and from proxies, so colleagues may stop seeing them after InterAction's next sync.",
			Advice:      "If you did not mark them Private yourself, restore them (Restore these contacts) before InterAction's next sync.",
			Actions:     actions(findings.ActWizard),
		})
	}
	return out
}

// userFields: User Fields 1-4 (InterAction's custom fields 1-4) cleared or rewritten on
// many contacts in one change: a device that does not carry them sends the contacts back
// without them. A warning from user_fields_min contacts.
func userFields(in *Input) []findings.Finding {
	var refs []findings.ContactRef
	cleared := 0
	for _, c := range in.Change.Changed {
		if !contacts.CarriesOutlookFields(c.Old) || !contacts.CarriesOutlookFields(c.New) {
			continue
		}
		var lost, rewritten []string
		for n := 1; n <= 4; n++ {
			o, v := contacts.UserField(c.Old, n), contacts.UserField(c.New, n)
			switch {
			case o == "" || o == v:
			case v == "":
				lost = append(lost, fmt.Sprintf("User %d", n))
			default:
				rewritten = append(rewritten, fmt.Sprintf("User %d", n))
			}
		}
		switch {
		case len(lost) > 0 && len(rewritten) == 0:
			cleared++
			refs = append(refs, in.refOld(c, strings.Join(lost, ", ")+" cleared"))
		case len(lost)+len(rewritten) > 0:
			refs = append(refs, in.refOld(c, strings.Join(append(lost, rewritten...), ", ")+" changed"))
		}
	}
	if len(refs) == 0 || len(refs) < in.Policy.Thresholds.UserFieldsMin {
		return nil
	}
	what := "rewritten"
	if cleared == len(refs) {
		what = "cleared"
	}
	return []findings.Finding{{
		Kind: findings.UserFields, Severity: findings.Warning, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("Outlook's User Fields were %s on %s", what, findings.Plural(len(refs), "contact", "contacts")),
		Explanation: "InterAction maps Outlook's User Fields 1 to 4 to its custom fields 1 to 4. Changed on this many contacts at once, " +
			"it looks like a device sync rather than someone's edits; InterAction's next sync may carry the change into the firm's records.",
		Advice:  "If you did not change these contacts yourself, restore them (Restore these contacts) before InterAction's next sync.",
		Actions: actions(findings.ActWizard),
	}}
}

// names lists the first n contacts by name ("Ann Lee, Bo Ray and 3 more").
func names(refs []findings.ContactRef, n int) string {
	var parts []string
	for i, r := range refs {
		if i == n {
			return strings.Join(parts, ", ") + fmt.Sprintf(" and %d more", len(refs)-n)
		}
		parts = append(parts, r.Name)
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// fieldLoss: phones, e-mails, addresses or notes removed from many contacts at once: a
// device that does not carry a field (a second e-mail, a third phone, the note) sends the
// contacts back without it. A warning from field_loss_min, a danger from
// field_loss_danger_min.
func fieldLoss(in *Input) []findings.Finding {
	var refs []findings.ContactRef
	for _, c := range in.Change.Changed {
		var lost []string
		if n, o := len(c.New.Phones), len(c.Old.Phones); n < o {
			lost = append(lost, findings.Plural(o-n, "phone", "phones"))
		}
		if n, o := len(c.New.Emails), len(c.Old.Emails); n < o {
			lost = append(lost, findings.Plural(o-n, "e-mail", "e-mails"))
		}
		if n, o := nonZeroAddrs(c.New), nonZeroAddrs(c.Old); n < o {
			lost = append(lost, findings.Plural(o-n, "address", "addresses"))
		}
		if strings.TrimSpace(c.Old.Note) != "" && strings.TrimSpace(c.New.Note) == "" {
			lost = append(lost, "the note")
		}
		if len(lost) > 0 {
			refs = append(refs, in.refOld(c, "lost "+strings.Join(lost, ", ")))
		}
	}
	t := in.Policy.Thresholds
	if len(refs) == 0 || len(refs) < t.FieldLossMin {
		return nil
	}
	sev := findings.Warning
	if len(refs) >= t.FieldLossDangerMin {
		sev = findings.Danger
	}
	return []findings.Finding{{
		Kind: findings.FieldLoss, Severity: sev, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s lost phones, e-mails, addresses or notes", findings.Plural(len(refs), "contact", "contacts")),
		Explanation: "Fields were removed from many contacts in one change. A device that has no room for a field sends the " +
			"contact back without it, and InterAction's next sync removes it there too.",
		Advice:  "If you did not remove them, restore these contacts and check which fields the device and its sync software carry.",
		Actions: actions(findings.ActWizard),
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
// cut length on truncation_min contacts cannot. A danger: the cut-off text is gone from
// InterAction after its next sync.
//
// Outlook writes line breaks as CR LF; some devices count that as one character and some
// as two, so a cut text is measured both ways and each contact is counted under the
// length that most cut contacts share.
func truncation(in *Input) []findings.Finding {
	type key struct {
		field  string
		length int
	}
	type cut struct {
		c       diff.Changed
		field   string
		from    int
		lengths [2]int
	}
	var cuts []cut
	count := map[key]int{}
	check := func(c diff.Changed, field, o, n string) {
		// The prefix test ignores formatting (line endings, trailing spaces); the length is
		// counted on the text as the device sent it, so a cut that lands on a space still
		// counts the space.
		lf := strings.ReplaceAll(n, "\r\n", "\n")
		o, n = contacts.NormalizeText(o), contacts.NormalizeText(n)
		if n == "" || len(n) >= len(o) || !strings.HasPrefix(o, n) {
			return
		}
		one := utf8.RuneCountInString(lf)
		x := cut{c: c, field: field, from: utf8.RuneCountInString(o), lengths: [2]int{one, one + strings.Count(lf, "\n")}}
		cuts = append(cuts, x)
		count[key{field, x.lengths[0]}]++
		if x.lengths[1] != x.lengths[0] {
			count[key{field, x.lengths[1]}]++
		}
	}
	for _, c := range in.Change.Changed {
		check(c, "note", c.Old.Note, c.New.Note)
		check(c, "job title", c.Old.Title, c.New.Title)
		check(c, "company", c.Old.Organization, c.New.Organization)
		check(c, "department", c.Old.Department, c.New.Department)
		for i := range c.Old.Addresses {
			if i < len(c.New.Addresses) {
				check(c, "street", c.Old.Addresses[i].Street, c.New.Addresses[i].Street)
			}
		}
	}
	groups := map[key][]findings.ContactRef{}
	for _, x := range cuts {
		k := key{x.field, x.lengths[0]}
		if alt := (key{x.field, x.lengths[1]}); count[alt] > count[k] {
			k = alt
		}
		groups[k] = append(groups[k], in.refOld(x.c, fmt.Sprintf("%s cut from %d to %d characters", x.field, x.from, k.length)))
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].field < keys[j].field || keys[i].field == keys[j].field && keys[i].length < keys[j].length
	})
	var out []findings.Finding
	for _, k := range keys {
		refs := groups[k]
		if len(refs) < in.Policy.Thresholds.TruncationMin {
			continue
		}
		out = append(out, findings.Finding{
			Kind: findings.Truncation, Severity: findings.Danger, Subject: fmt.Sprintf("%s-%d-%s", k.field, k.length, subject(refs)), Contacts: refs,
			Title: fmt.Sprintf("The %s of %s was cut to %d characters", k.field, findings.Plural(len(refs), "contact", "contacts"), k.length),
			Explanation: fmt.Sprintf("%s came back with their %s cut at exactly %d characters: the device keeps no more than "+
				"that, and the sync wrote the shortened text back to Outlook. InterAction will keep only the shortened text.",
				findings.Plural(len(refs), "contact", "contacts"), k.field, k.length),
			Advice:  "Restore these contacts to get the full text back before InterAction's next sync, and leave the field out of the device sync or use sync software without the limit.",
			Actions: actions(findings.ActWizard),
		})
	}
	return out
}
