package rules

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/findings"
)

// ExportMissing is the finding for an export location that is gone, unreadable, still
// being written or suddenly empty. It is never a deletion: the last good snapshot stays
// current. It is a danger when history had contacts (something broke between Outlook and
// SyncGuard, and changes are going unwatched), a warning before the first snapshot.
func ExportMissing(location, reason string, lastCount int, snapshotID uint64) findings.Finding {
	f := findings.Finding{
		Kind:       findings.ExportMissing,
		Severity:   findings.Warning,
		Subject:    location,
		SnapshotID: snapshotID,
		Title:      "SyncGuard cannot read your Outlook export",
		Explanation: fmt.Sprintf("The export at %s could not be used: %s. "+
			"Nothing was recorded as deleted; SyncGuard keeps your last good snapshot", location, strings.TrimRight(reason, ". ")),
		Advice: "Export your contacts from Outlook again (File > Open & Export > Import/Export > Export to a file > " +
			"Comma Separated Values > Contacts) into the same place, or choose the right one (Choose the export location).",
		Actions: []findings.Action{{ID: "settings", Label: "Choose the export location"}, findings.ActAcknowledge},
	}
	f.ID = findings.MakeID(f.Kind, f.Subject) // one finding per location, however often it fails
	if lastCount > 0 {
		f.Severity = findings.Danger
		f.Explanation += fmt.Sprintf(" of %d contacts. Until the export is readable again, changes a device sync makes are not being watched.", lastCount)
	} else {
		f.Explanation += "."
	}
	return f
}
