package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
)

// catSet maps a contact's normalized categories to how they are written.
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
// more in one change is a one-category device, not a person tidying up; a danger, because
// InterAction takes the lost categories over at its next sync, and categories are how a
// firm files its clients, holiday card lists and opposing counsel.
func categoryCollapse(in *Input) []findings.Finding {
	var refs []findings.ContactRef
	kept := map[string]int{}
	onlySecond := true // every contact had exactly two: "their second category"
	for _, c := range in.Change.Changed {
		if !collapsed(c) {
			continue
		}
		refs = append(refs, in.refOld(c, strings.Join(c.Old.Categories, "; ")+" → "+strings.Join(c.New.Categories, "; ")))
		kept[c.New.Categories[0]]++
		if len(catSet(c.Old.Categories)) != 2 {
			onlySecond = false
		}
	}
	if len(refs) == 0 || len(refs) < in.Policy.Thresholds.CategoryCollapseMin {
		return nil
	}
	lost := "their other categories"
	if onlySecond {
		lost = "their second category"
	}
	n := findings.Plural(len(refs), "contact", "contacts")
	return []findings.Finding{{
		Kind: findings.CategoryCollapse, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s lost %s", n, lost),
		Explanation: fmt.Sprintf("%s had two or more categories and now have only one (most often %q). This is what a phone "+
			"or handheld that keeps one category per contact does when it sends contacts back, so the device may be the "+
			"cause; InterAction's next sync may drop the other categories too.", n, mostCommon(kept)),
		Advice: "Restore these contacts' categories before InterAction's next sync. Then, in InterAction's Manage Categories " +
			"dialog, choose which one category goes to the device, so that the device no longer writes the others away.",
		Actions: actions(findings.ActWizard),
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
// "Clients,VIP"): the separator was lost on the way (a CSV written with another list
// separator, a device that stores categories as one text), and one category now stands
// for two.
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

// categoryLoss: categories removed from many contacts (a conduit's category filter), or
// several fused into one name. A fused category is a danger from the first contact: no
// person types "Clients; VIP" as one category, and InterAction would file the contact
// under a category that does not exist and drop the real ones. Removed categories are a
// warning: a person may retire a category on purpose.
func categoryLoss(in *Input) []findings.Finding {
	var lost, fusedRefs []findings.ContactRef
	for _, c := range in.Change.Changed {
		if name, ok := fused(c); ok {
			fusedRefs = append(fusedRefs, in.refOld(c, fmt.Sprintf("%s → one category named %q", strings.Join(c.Old.Categories, "; "), name)))
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
			lost = append(lost, in.refOld(c, "lost "+strings.Join(gone, "; ")))
		}
	}
	var out []findings.Finding
	if len(fusedRefs) > 0 {
		have := "have"
		if len(fusedRefs) == 1 {
			have = "has"
		}
		out = append(out, findings.Finding{
			Kind: findings.CategoryLoss, Severity: findings.Danger, Subject: "fused-" + subject(fusedRefs), Contacts: fusedRefs,
			Title: fmt.Sprintf("%s now %s several categories fused into one", findings.Plural(len(fusedRefs), "contact", "contacts"), have),
			Explanation: "Categories such as \"Clients\" and \"VIP\" came back as one category named \"Clients; VIP\". The device " +
				"or the sync software lost the separator between them; InterAction would file these contacts under a " +
				"category that does not exist and drop the real ones.",
			Advice:  "Restore these contacts' categories before InterAction's next sync, and check the sync software's category settings (Check my device setup).",
			Actions: actions(findings.ActWizard),
		})
	}
	if len(lost) > 0 && len(lost) >= in.Policy.Thresholds.CategoryLossMin {
		out = append(out, findings.Finding{
			Kind: findings.CategoryLoss, Severity: findings.Warning, Subject: subject(lost), Contacts: lost,
			Title: fmt.Sprintf("%s lost categories", findings.Plural(len(lost), "contact", "contacts")),
			Explanation: "Categories were removed from many contacts in one change. InterAction uses categories to file " +
				"contacts; a device or conduit with a category filter removes the ones it does not carry.",
			Advice:  "If you did not remove them, restore these contacts' categories and check the conduit's category filter; if you did, mark this as intended.",
			Actions: actions(),
		})
	}
	return out
}
