// Package rules judges every change of the export with rules that know how device syncs go
// wrong (DESIGN.md §4) and turns it into findings before the damage reaches InterAction.
// Each rule is a small unit with its own thresholds from the admin policy.
package rules

import (
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// Past is what the rules may ask of the history: the fingerprints a contact had in the
// snapshots before this change, newest first (at most n). The revert rule uses it to see
// contacts flipping back to an earlier version of themselves.
type Past interface {
	PreviousFingerprints(key string, n int) []string
}

// Input is one change to judge.
type Input struct {
	Change     diff.Change
	SnapshotID uint64
	Past       Past // may be nil: rules that need history then stay silent
	Policy     *policy.Policy
}

// Judge runs every rule over a change and returns their findings (none is a good day).
// It is filled in by the rules work; until then it finds nothing.
func Judge(in Input) []findings.Finding {
	return nil
}
