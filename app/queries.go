package app

import (
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
)

// The history's queries, for the windows and the command line alike: each reads the
// store the service holds, so a window never opens the history itself, and a phone
// compared in a diff is compared under the policy's country_code.

// Snapshots lists the snapshots, oldest first.
func (s *Service) Snapshots() ([]history.Snapshot, error) {
	st, err := s.history()
	if err != nil {
		return nil, err
	}
	return st.Snapshots()
}

// Diff says what changed from snapshot from to snapshot to, by contact key.
func (s *Service) Diff(from, to uint64) (diff.Change, error) {
	st, err := s.history()
	if err != nil {
		return diff.Change{}, err
	}
	return st.Diff(from, to, s.policy.Export.CountryCode)
}

// Versions lists one contact's versions over time, oldest first.
func (s *Service) Versions(key string) ([]history.Version, error) {
	st, err := s.history()
	if err != nil {
		return nil, err
	}
	return st.Versions(key)
}

// Findings lists the open findings, or with all also the accepted and resolved ones.
func (s *Service) Findings(all bool) ([]findings.Finding, error) {
	st, err := s.history()
	if err != nil {
		return nil, err
	}
	list, err := st.Findings(all)
	if list == nil && err == nil {
		list = []findings.Finding{}
	}
	return list, err
}

// ContactHistory is one contact's versions, each with what changed from the one before.
type ContactHistory struct {
	Key      string            `json:"key"`
	Name     string            `json:"name"`
	Versions []history.Version `json:"versions"`
	// Changes[i] is what changed from Versions[i-1] to Versions[i] (nil where either is
	// absent: the first version, a removal, and the version after a removal).
	Changes [][]diff.FieldChange `json:"changes"`
}

// ContactMatches are the contacts a search matched and, when asked for, their histories.
type ContactMatches struct {
	Matches   []history.Match  `json:"matches"`
	Histories []ContactHistory `json:"histories,omitempty"`
}

// FindContacts looks contacts up by key, name, e-mail or phone; with histories (or when
// one contact matches) it returns each match's versions too.
func (s *Service) FindContacts(query string, histories bool) (ContactMatches, error) {
	st, err := s.history()
	if err != nil {
		return ContactMatches{}, err
	}
	matches, err := st.Find(query)
	if err != nil {
		return ContactMatches{}, err
	}
	out := ContactMatches{Matches: matches}
	if len(matches) != 1 && !histories {
		return out, nil
	}
	cc := s.policy.Export.CountryCode
	for _, m := range matches {
		vs, err := st.Versions(m.Key)
		if err != nil {
			return ContactMatches{}, err
		}
		h := ContactHistory{Key: m.Key, Name: m.Name, Versions: vs, Changes: make([][]diff.FieldChange, len(vs))}
		for i := 1; i < len(vs); i++ {
			if prev := vs[i-1]; prev.Contact != nil && vs[i].Contact != nil && !vs[i].Removed {
				h.Changes[i] = diff.Fields(prev.Contact, vs[i].Contact, cc)
			}
		}
		out.Histories = append(out.Histories, h)
	}
	return out, nil
}
