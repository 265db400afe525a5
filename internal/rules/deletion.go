package rules

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/findings"
)

// massDeletion: one change removes at least max(10 contacts, 5 %) of the book. Ten is
// InterAction's own limit: at ten suspicious changes it aborts the sync and puts the list
// into Possible Corruption, whose recovery modes can lose data. Always a danger: the
// deletions reach InterAction at its next sync.
func massDeletion(in *Input) []findings.Finding {
	ch := in.Change
	t := in.Policy.Thresholds
	if len(ch.Removed) == 0 || len(ch.Removed) < threshold(t.MassDeletionMin, t.MassDeletionPercent, ch.Before) {
		return nil
	}
	refs := make([]findings.ContactRef, len(ch.Removed))
	for i, e := range ch.Removed {
		detail := "deleted"
		if org := e.Contact.Organization; org != "" && org != e.Contact.DisplayName() {
			detail = "deleted (" + org + ")"
		}
		refs[i] = findings.ContactRef{Name: e.Contact.DisplayName(), Key: e.Key, Fingerprint: e.Contact.Fingerprint(in.cc()), Detail: detail}
	}
	pct := 100 * float64(len(ch.Removed)) / float64(max(ch.Before, 1))
	return []findings.Finding{{
		Kind: findings.MassDeletion, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s disappeared from Outlook at once", findings.Plural(len(ch.Removed), "contact", "contacts")),
		Explanation: fmt.Sprintf("One change removed %d of your %d contacts (%.0f %%). A device sync that deletes this many is "+
			"usually misconfigured (a category filter, a sync with the wrong workstation), and InterAction takes the "+
			"deletions over at its next sync or puts your list into Possible Corruption.", len(ch.Removed), ch.Before, pct),
		Advice: "First, tell your InterAction administrator now: they can hold InterAction's sync of your contact list before it " +
			"takes the deletions over. Do not sync the device again until this is understood. Then restore the deleted contacts " +
			"(Restore these contacts) as your administrator advises: importing them back into Outlook after InterAction has " +
			"already removed them can create duplicates there, since InterAction does not match contacts up. Then check the " +
			"device setup (Check my device setup).",
		Actions: actions(findings.ActWizard),
	}}
}
