package app

import (
	"errors"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/dupes"
	"github.com/syncguard/syncguard/internal/exports"
)

// ErrNoExport is Duplicates' error when no path is given and no export location is set.
var ErrNoExport = errors.New("no export location")

// Duplicates are the contacts of an export that are one person.
type Duplicates struct {
	Path     string              `json:"path"`
	Total    int                 `json:"total"` // contacts read
	Clusters []DuplicateCluster  `json:"clusters"`
	Errors   []exports.FileError `json:"errors"`
}

// DuplicateCluster is one person's records, with the rule that joined them and the one to
// keep: survivor is its name and SurvivorIndex its position in Contacts (the names in a
// cluster are often the same).
type DuplicateCluster struct {
	Rule          string              `json:"rule"`
	Survivor      string              `json:"survivor"`
	SurvivorIndex int                 `json:"survivor_index"`
	Contacts      []*contacts.Contact `json:"contacts"`
}

// Duplicates reads an export (path, else the export location in force) and finds the
// contacts that are one person, phones compared under the policy's country_code. Nothing
// is merged. An export of which nothing could be read has no clusters and its errors: the
// caller must not call that "no duplicates".
func (s *Service) Duplicates(path string) (Duplicates, error) {
	if path == "" {
		path = s.Export()
	}
	if path == "" {
		return Duplicates{}, ErrNoExport
	}
	_, res, err := exports.Read(path)
	if err != nil {
		return Duplicates{}, err
	}
	out := Duplicates{Path: path, Total: len(res.Contacts), Clusters: []DuplicateCluster{}, Errors: res.Errors}
	if out.Errors == nil {
		out.Errors = []exports.FileError{}
	}
	for _, cl := range dupes.Find(res.Contacts, s.policy.Export.CountryCode) {
		out.Clusters = append(out.Clusters, DuplicateCluster{Rule: cl.Rule, Survivor: cl.Contacts[cl.Survivor].DisplayName(),
			SurvivorIndex: cl.Survivor, Contacts: cl.Contacts})
	}
	return out, nil
}
