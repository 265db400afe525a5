package app

import (
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/history"
)

// Snapshots lists the snapshots of the history, the oldest first.
func (s *Service) Snapshots() ([]history.Snapshot, error) { return s.store.Snapshots() }

// Diff is what changed from snapshot from to snapshot to.
func (s *Service) Diff(from, to uint64) (diff.Change, error) { return s.store.Diff(from, to) }

// Versions is one contact's history, by its key.
func (s *Service) Versions(key string) ([]history.Version, error) { return s.store.Versions(key) }
