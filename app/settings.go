package app

import (
	"fmt"
	"os"

	"github.com/syncguard/syncguard/internal/settings"
)

// Settings are the user's own choices (internal/settings); what the admin policy sets wins
// over them and is shown read-only.
type Settings = settings.Settings

// Effective is what is in force, each value with whether the policy locks it.
type Effective struct {
	Export, FleetFolder       string
	ExportLocked, FleetLocked bool
	Notifications             bool
	NotificationsLocked       bool
	StartAtLogin              bool
	PolicyFile                string // where the policy was read from (file, Group Policy keys); "" for none
	MassDeletion              string // the policy's mass-deletion threshold, in words
	// Source is where contacts are read (policy.SourceFiles or policy.SourceOutlook).
	Source       string
	SourceLocked bool
}

// Settings returns the settings in force.
func (s *Service) Settings() Effective {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.policy
	e := Effective{
		Export: s.exportLocked(), FleetFolder: s.fleetFolderLocked(),
		ExportLocked: p.IsLocked("export.location"), FleetLocked: p.IsLocked("fleet.folder"),
		Notifications: s.notificationsOn(), NotificationsLocked: p.IsLocked("notifications.enabled"),
		StartAtLogin: s.settings.StartAtLogin, PolicyFile: p.Origin(),
		Source: s.sourceLocked(), SourceLocked: p.IsLocked("export.source"),
	}
	t := p.Thresholds
	e.MassDeletion = fmt.Sprintf("%d contacts or %.0f %% of the book", t.MassDeletionMin, t.MassDeletionPercent)
	return e
}

// exportLocked is the export location in force (s.mu held): the policy's, else the user's.
func (s *Service) exportLocked() string { return s.settings.ExportLocation(s.policy) }

func (s *Service) fleetFolderLocked() string { return s.settings.Fleet(s.policy) }

// Export is the export location in force.
func (s *Service) Export() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exportLocked()
}

// ExportLocked reports whether the admin policy sets the export location.
func (s *Service) ExportLocked() bool { return s.policy.IsLocked("export.location") }

func (s *Service) notificationsOn() bool { return s.settings.NotificationsOn(s.policy) }

// saveSettings changes settings.json from what the file holds now, not from the copy
// read at start, so that a change another process made since (the wizard's or a
// command's) is kept; the file's lock makes the read and the write one step.
func (s *Service) saveSettings(change func(*Settings)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next, err := settings.Update(s.dataDir, change)
	if err != nil {
		return err
	}
	s.settings = next
	return nil
}

// SetExport changes the export location (when the policy does not lock it), saves it,
// watches it and takes a snapshot of it.
func (s *Service) SetExport(path string) error {
	if s.ExportLocked() {
		return fmt.Errorf("the export location is set by your IT department's policy (%s)", s.policy.Where("export.location"))
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := s.saveSettings(func(st *Settings) { st.Export = path }); err != nil {
		return err
	}
	s.restartWatch()
	s.Scan()
	return nil
}

// SetFleetFolder changes the fleet folder when the policy does not lock it.
func (s *Service) SetFleetFolder(dir string) error {
	if s.policy.IsLocked("fleet.folder") {
		return fmt.Errorf("the fleet folder is set by your IT department's policy (%s)", s.policy.Where("fleet.folder"))
	}
	return s.saveSettings(func(st *Settings) { st.FleetFolder = dir })
}

// SetNotifications turns popups on or off when the policy does not lock them.
func (s *Service) SetNotifications(on bool) error {
	if s.policy.IsLocked("notifications.enabled") {
		return fmt.Errorf("notifications are set by your IT department's policy (%s)", s.policy.Where("notifications.enabled"))
	}
	return s.saveSettings(func(st *Settings) { st.Notifications = &on })
}

// SetStartAtLogin records the choice; the UI calls internal/autostart to make it so.
func (s *Service) SetStartAtLogin(on bool) error {
	return s.saveSettings(func(st *Settings) { st.StartAtLogin = on })
}
