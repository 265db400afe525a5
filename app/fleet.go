package app

import (
	"context"
	"fmt"
	"time"

	"github.com/syncguard/syncguard/internal/fleet"
)

// FleetReport is the firm-wide report of the fleet folder and whether the folder could
// be read at all.
type FleetReport struct {
	Report fleet.Report `json:"report"`
	// Offline: neither the folder nor a cached view could be read, so the report knows
	// nothing and must not be taken for an all-clear.
	Offline bool `json:"offline"`
}

// FleetReport reads every workstation's file in the fleet folder (folder, else the one in
// force) within the policy's fleet.timeout and reports devices paired with several
// workstations, outdated software, risky settings, stale and suspect files. A folder that
// cannot be read gives the last good view.
func (s *Service) FleetReport(folder string) (FleetReport, error) {
	if folder == "" {
		s.mu.Lock()
		folder = s.fleetFolderLocked()
		s.mu.Unlock()
	}
	if folder == "" {
		return FleetReport{}, fleet.ErrNoFolder
	}
	timeout := s.policy.Fleet.Timeout.Duration
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	opt := fleet.ReadOptions{Folder: folder, Timeout: timeout, StaleDays: s.policy.Fleet.StaleDays, CacheFile: fleet.CacheFile(s.dataDir)}
	if s.opt.FleetFS != nil {
		opt.FS = s.opt.FleetFS(folder)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	v := fleet.Read(ctx, opt)
	if v.FromCache || v.Offline {
		// The read used the whole timeout: give the report its own.
		cancel()
		ctx, cancel = context.WithTimeout(context.Background(), timeout)
		defer cancel()
	}
	list, err := s.policy.Mailboxes()
	if err != nil {
		return FleetReport{}, err
	}
	r, err := fleet.FirmReportList(ctx, v, s.catalog, list.Addresses)
	if err != nil {
		return FleetReport{}, fmt.Errorf("%s: %v; raise fleet.timeout in the policy", folder, err)
	}
	return FleetReport{Report: r, Offline: v.Offline}, nil
}
