// Package rules judges every change of the export with rules that know how device syncs go
// wrong (DESIGN.md §4) and turns it into findings before the damage reaches InterAction.
// Each rule is a small function with its own thresholds from the admin policy; Judge runs
// them all.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// Past is what the rules may ask of the history: the fingerprints a contact had in the
// snapshots before this change, newest first (at most n; "" where it was absent). The
// revert rule uses it to see contacts flipping back to an earlier version of themselves.
type Past interface {
	PreviousFingerprints(key string, n int) []string
}

// Input is one change to judge.
type Input struct {
	Change     diff.Change
	SnapshotID uint64
	Past       Past // may be nil: the revert rule then stays silent
	Policy     *policy.Policy
	// Book is the whole address book after the change, for the duplicates rule. When nil,
	// the change's own contacts (unchanged, changed and added) stand for it.
	Book []diff.Entry
}

// rule is one check over a change.
type rule func(in *Input) []findings.Finding

var all = []rule{massDeletion, duplicates, categoryCollapse, categoryLoss, mileageChanged, fieldLoss, truncation, massEdit, revert}

// Judge runs every rule over a change and returns their findings (none on a good day).
func Judge(in Input) []findings.Finding {
	if in.Policy == nil {
		in.Policy = policy.Default()
	}
	if in.Change.Before == 0 {
		// The first snapshot is the baseline: every contact is "added" but nothing changed.
		// Duplicates already in the book are the duplicates command's business.
		return nil
	}
	var out []findings.Finding
	for _, r := range all {
		for _, f := range r(&in) {
			f.SnapshotID = in.SnapshotID
			out = append(out, f)
		}
	}
	return out
}

// threshold is max(min, pct % of the book): small books need the absolute floor, large
// books the proportion.
func threshold(min int, pct float64, book int) int {
	return max(min, int(math.Ceil(pct/100*float64(book))))
}

// subject makes a finding's identity from its kind and the contacts it concerns, so the
// same damage seen again updates one finding instead of adding another.
func subject(refs []findings.ContactRef) string {
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = r.Key
	}
	sort.Strings(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, ",")))
	return hex.EncodeToString(sum[:8])
}

func refOld(c diff.Changed, detail string) findings.ContactRef {
	return findings.ContactRef{Name: c.Old.DisplayName(), Key: c.Key, Fingerprint: c.Old.Fingerprint(), Detail: detail}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

var changeActions = []findings.Action{findings.ActReview, findings.ActRestore, findings.ActAcknowledge}
