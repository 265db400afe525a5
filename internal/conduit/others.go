package conduit

import (
	"fmt"

	"github.com/syncguard/syncguard/internal/findings"
)

// CheckOthers is the finding of a device the user said also syncs with another computer
// (Device.Others, answered in the wizard): InterAction's first rule for handhelds. A
// danger when InterAction is synced from either computer (thisSyncs: this workstation's
// Outlook does), else a warning. The tray's check, the command line's check and the
// wizard's checklist all judge the answer here, so they say the same.
func CheckOthers(d Device, thisSyncs bool) []findings.Finding {
	if d.Others != OthersYes && d.Others != OthersYesInterAction {
		return nil
	}
	f := findings.Finding{
		Kind: findings.MultiWorkstation, Severity: findings.Warning, DeviceID: d.ID, Subject: d.ID + "/declared",
		Title:       fmt.Sprintf("%s also syncs with another computer", d.Name),
		Explanation: "You said so in Check my device setup. A device synced with two computers carries one computer's changes into the other's Outlook.",
		Advice:      "Keep the device's partnership with one computer only: remove it in the other computer's sync software.",
		Actions:     []findings.Action{findings.ActWizard},
	}
	if d.Others == OthersYesInterAction || thisSyncs {
		f.Severity = findings.Danger
		f.Explanation = "You said so in Check my device setup, and InterAction is synced from at least one of the two computers: " +
			"their different sync settings overwrite each other's changes and lose data, in Outlook and then in InterAction."
		f.Advice = "Keep the device's partnership with one computer only (InterAction's own rule for handhelds): remove it in the other computer's sync software."
	}
	return []findings.Finding{f}
}

// WithDeclaredOthers adds CheckOthers' findings to a check's findings fs, except for a
// device the fleet folder already shows paired elsewhere: that finding names the other
// workstation, and one finding about it is enough.
func WithDeclaredOthers(fs []findings.Finding, devs []Device, thisSyncs bool) []findings.Finding {
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Kind == findings.MultiWorkstation && f.Severity > findings.Info {
			seen[f.DeviceID] = true
		}
	}
	for _, d := range devs {
		if !seen[d.ID] {
			fs = append(fs, CheckOthers(d, thisSyncs)...)
		}
	}
	return fs
}
