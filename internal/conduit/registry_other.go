//go:build !windows

package conduit

// LivePartnerships reads ActiveSync partnerships from the registry; there is none outside
// Windows (a .reg export is read with ReadRegFile instead).
func LivePartnerships() ([]Device, error) { return nil, nil }
