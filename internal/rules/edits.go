package rules

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/findings"
)

// massEdit: many contacts rewritten in one change, an overwrite ("Desktop overwrites
// handheld" run the wrong way, a restore from an old backup): at least max(25, 10 %) of
// the book. Contacts that a more specific finding already explains (collapsed categories,
// cleared Mileage, cut notes, reverts) are not counted again: that finding says better
// what happened, and one event should not raise two alarms. A warning: a person may
// deliberately edit many contacts at once in Outlook.
func massEdit(in *Input, explained map[string]bool) []findings.Finding {
	ch := in.Change
	t := in.Policy.Thresholds
	min := threshold(t.MassEditMin, t.MassEditPercent, ch.Before)
	if len(ch.Changed) < min {
		return nil
	}
	var refs []findings.ContactRef
	fields := map[string]int{}
	for _, c := range ch.Changed {
		if explained[c.Key] {
			continue
		}
		var names []string
		for _, f := range c.Fields {
			names = append(names, f.Field)
			fields[f.Field]++
		}
		refs = append(refs, in.refOld(c, "changed "+strings.Join(names, ", ")))
	}
	if len(refs) < min {
		return nil
	}
	return []findings.Finding{{
		Kind: findings.MassEdit, Severity: findings.Warning, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s were rewritten at once", findings.Plural(len(refs), "contact", "contacts")),
		Explanation: fmt.Sprintf("One change rewrote %d of your %d contacts (mostly their %s). A sync set to overwrite one "+
			"side with the other, or an old copy of the address book written back, does this; InterAction takes every "+
			"change over at its next sync.", len(refs), ch.Before, mostCommon(fields)),
		Advice:  "If you did not make these edits, restore the earlier versions and check the conduit's conflict setting; if you did, mark this as intended.",
		Actions: actions(findings.ActWizard),
	}}
}

// revertDepth is how many earlier versions of a contact the revert rule looks at: enough
// for a device that flips a contact back and forth, and for an old backup written back
// after a few edits.
const revertDepth = 10

// revert: contacts going back to an earlier version of themselves: the new version equals
// one from before the last and not the last one. Two sources overwriting each other
// ("Handheld overwrites Desktop", a device synced with two workstations) undo the edits
// made in between, silently. A danger: the undone edits leave InterAction too.
func revert(in *Input) []findings.Finding {
	if in.Past == nil {
		return nil
	}
	var refs []findings.ContactRef
	for _, c := range in.Change.Changed {
		fp := c.NewFP
		if fp == "" {
			fp = c.New.Fingerprint(in.cc())
		}
		prev := in.Past.PreviousFingerprints(c.Key, revertDepth)
		if len(prev) == 0 || prev[0] == fp {
			continue
		}
		for i := 1; i < len(prev); i++ {
			if prev[i] != fp {
				continue
			}
			var undone []string
			for _, f := range c.Fields {
				undone = append(undone, f.Field)
			}
			what := "its last edit"
			if i > 1 {
				what = fmt.Sprintf("its last %d edits", i)
			}
			refs = append(refs, in.refOld(c, fmt.Sprintf("undid %s (%s)", what, strings.Join(undone, ", "))))
			break
		}
	}
	if len(refs) == 0 || len(refs) < in.Policy.Thresholds.RevertMin {
		return nil
	}
	return []findings.Finding{{
		Kind: findings.Revert, Severity: findings.Danger, Subject: subject(refs), Contacts: refs,
		Title: fmt.Sprintf("%s went back to an older version: recent edits were undone", findings.Plural(len(refs), "contact", "contacts")),
		Explanation: "These contacts returned to how they were before your latest edits. Two sources are overwriting each " +
			"other: a device set to overwrite the desktop (\"Handheld overwrites Desktop\"), or a device synced with two " +
			"workstations.",
		Advice:  "Restore the edited versions (Restore these contacts), then set the conduit to synchronize rather than overwrite, and sync the device with one workstation only (Check my device setup).",
		Actions: actions(findings.ActWizard),
	}}
}
