package app

import "github.com/syncguard/syncguard/internal/findings"

// Action ids the windows offer on a finding (findings.Action ids, plus the export
// location's).
const (
	ActRestore     = "restore"
	ActReview      = "review"
	ActWizard      = "open-wizard"
	ActSettings    = "settings"
	ActAcknowledge = "acknowledge"
)

// Actions are the buttons a window shows on a finding, in the order shown: what the
// finding's advice may name and the window can do. Restoring and reviewing need the
// contacts and the change they came from; every finding can be accepted as intended, one
// at a time. The popup and the status window both show these, so that a "What to do"
// never names a button the window lacks.
func Actions(f findings.Finding) []findings.Action {
	has := map[string]bool{}
	for _, a := range f.Actions {
		has[a.ID] = true
	}
	withContacts := len(f.Contacts) > 0 && f.SnapshotID > 0
	var out []findings.Action
	if has[ActRestore] && withContacts {
		out = append(out, findings.Action{ID: ActRestore, Label: "Restore these contacts…"})
	}
	if has[ActReview] && withContacts {
		out = append(out, findings.Action{ID: ActReview, Label: "Review the contacts"})
	}
	if has[ActWizard] || f.Kind.IsDevice() {
		out = append(out, findings.Action{ID: ActWizard, Label: "Check my device setup…"})
	}
	if has[ActSettings] {
		out = append(out, findings.Action{ID: ActSettings, Label: "Choose the export location…"})
	}
	return append(out, findings.Action{ID: ActAcknowledge, Label: "This was intended"})
}
