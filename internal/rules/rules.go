// Package rules judges every change of the export with rules that know how device syncs go
// wrong (DESIGN.md §4) and turns it into findings before the damage reaches InterAction.
// Each rule is a small function over one change with its thresholds from the admin policy
// (internal/policy documents every default and why); Judge runs them all. The rules never
// touch the history themselves: what they need of the past comes through Past, so the
// history can answer from inside its snapshot transaction and tests from a map.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// Past is what the rules may ask of the history: the fingerprints a contact had before
// this change, newest first (at most n; "" where it was absent), one per version it went
// through. The revert rule uses it to see contacts flipping back to an earlier version of
// themselves.
type Past interface {
	PreviousFingerprints(key string, n int) []string
}

// Input is one change to judge.
type Input struct {
	Change     diff.Change
	SnapshotID uint64
	Past       Past // may be nil: the revert rule then stays silent
	Policy     *policy.Policy
	// Book is the whole address book after the change, for the duplicates rule: a new
	// contact may copy one that this change did not touch. When nil, the change's own
	// contacts (unchanged, changed and added) stand for it, which is the whole book when
	// the change was computed over the whole export.
	Book []diff.Entry
}

// cc is the policy's country_code, by which the rules compare and fingerprint phones.
func (in *Input) cc() string { return in.Policy.Export.CountryCode }

// rule is one check over a change.
type rule func(in *Input) []findings.Finding

// specific are the rules that name a particular kind of damage. mass-edit runs after
// them and counts only the contacts none of them explained.
var specific = []rule{massDeletion, duplicates, categoryCollapse, categoryLoss, mileageChanged, privateChanged, userFields, fieldLoss, truncation, revert}

// Judge runs every rule over a change and returns their findings (none on a good day).
// Each finding's ID comes from its kind and the contacts it concerns, so the same damage
// seen again updates one finding instead of adding another.
func Judge(in Input) []findings.Finding {
	if in.Policy == nil {
		in.Policy = policy.Default()
	}
	var out []findings.Finding
	for _, r := range specific {
		out = append(out, r(&in)...)
	}
	out = append(out, massEdit(&in, explained(out))...)
	return finish(out, in.SnapshotID)
}

// finish gives findings the snapshot that raised them and their IDs.
func finish(out []findings.Finding, snapshotID uint64) []findings.Finding {
	for i := range out {
		out[i].SnapshotID = snapshotID
		if out[i].ID == "" {
			out[i].ID = findings.MakeID(out[i].Kind, out[i].Subject)
		}
	}
	return out
}

// explained lists the contacts the findings so far concern.
func explained(fs []findings.Finding) map[string]bool {
	m := map[string]bool{}
	for _, f := range fs {
		for _, c := range f.Contacts {
			m[c.Key] = true
		}
	}
	return m
}

// threshold is max(min, pct % of the book): small books need the absolute floor, large
// books the proportion.
func threshold(min int, pct float64, book int) int {
	return max(min, int(math.Ceil(pct/100*float64(book))))
}

// subject makes a finding's identity from the contacts it concerns, so the same damage
// seen again updates one finding instead of adding another.
func subject(refs []findings.ContactRef) string {
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = r.Key
	}
	sort.Strings(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, ",")))
	return hex.EncodeToString(sum[:8])
}

// refOld names a changed contact by its version before the change: the one to restore.
// Its fingerprint is taken under the policy's country_code, as the history's are.
func (in *Input) refOld(c diff.Changed, detail string) findings.ContactRef {
	return findings.ContactRef{Name: c.Old.DisplayName(), Key: c.Key, Fingerprint: c.Old.Fingerprint(in.cc()), Detail: detail}
}

// actions lists what helps with damage a change did: look, undo it, or say it was meant.
func actions(extra ...findings.Action) []findings.Action {
	return append([]findings.Action{findings.ActReview, findings.ActRestore, findings.ActAcknowledge}, extra...)
}
