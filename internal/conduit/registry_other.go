//go:build !windows

package conduit

// LivePartnerships reads ActiveSync partnerships from the registry; there is none outside
// Windows (a .reg export is read with ReadRegFile instead).
func LivePartnerships() ([]Device, error) { return nil, nil }

// LiveOutlookAddins: only Windows registers Outlook add-ins in a registry SyncGuard reads.
func LiveOutlookAddins() []OutlookAddin { return nil }
