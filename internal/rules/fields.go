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

// mileageChanged: Outlook's Mileage field cleared or rewritten. InterAction keeps its
// marker there, and nobody edits it by hand, so one contact is already a danger. Mileage
// set where it was empty is InterAction marking a contact, and is left alone.
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
	if len(refs) == 0 || len(refs) < in.Policy.Thresholds.MileageMin {
		return nil
	}
	what := "rewritten"
	if cleared == len(refs) {
		what = "cleared"
	}
	return []findings.Finding{{
		Kind: findings.MileageChanged, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("Outlook's Mileage field was %s on %s", what, findings.Plural(len(refs), "contact", "contacts")),
		Explanation: "InterAction keeps a marker in Outlook's Mileage field to know which contacts are its own and who may " +
			"see them. A device or conduit that clears or rewrites it damages InterAction's data at its next sync.",
		Advice:  "Restore these contacts before InterAction's next sync, and leave the Mileage field out of the device sync if the sync software allows it (Check my device setup).",
		Actions: actions(findings.ActWizard),
	}}
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
			refs = append(refs, refOld(c, "lost "+strings.Join(lost, ", ")))
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
		groups[k] = append(groups[k], refOld(x.c, fmt.Sprintf("%s cut from %d to %d characters", x.field, x.from, k.length)))
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
