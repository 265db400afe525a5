// Package settings holds the user's own choices (the export location, the fleet folder,
// notifications, start at login), kept in settings.json in the data folder. The tray app
// writes them from its wizard and settings window; the command line reads the same file,
// so that `syncguard snapshot` or `check` on a set-up workstation needs no arguments.
// What the admin policy sets wins over them.
package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/safefile"
)

// Settings are the user's choices. An empty value means "not chosen".
type Settings struct {
	Export        string `json:"export_location"`
	FleetFolder   string `json:"fleet_folder,omitempty"`
	Notifications *bool  `json:"notifications,omitempty"`
	StartAtLogin  bool   `json:"start_at_login,omitempty"`
	// Source is where contacts are read: policy.SourceFiles or policy.SourceOutlook;
	// "" is export files.
	Source string `json:"source,omitempty"`
}

// SourceIn is the source in force: the policy's when it sets one, else the user's, else
// export files.
func (s Settings) SourceIn(p *policy.Policy) string {
	switch {
	case p.Export.Source != "":
		return p.Export.Source
	case s.Source == policy.SourceOutlook:
		return policy.SourceOutlook
	}
	return policy.SourceFiles
}

// maxFileSize bounds settings.json: it holds two paths and two flags.
const maxFileSize = 1 << 20

// Path is where the settings of a data folder live.
func Path(dataDir string) string { return filepath.Join(dataDir, "settings.json") }

// Load reads the settings of a data folder; no file means nothing chosen yet.
func Load(dataDir string) (Settings, error) { return load(dataDir, datadir.ReadLocked) }

// load reads the file with read: datadir.ReadLocked, or os.ReadFile under Update's lock.
func load(dataDir string, read func(string) ([]byte, error)) (Settings, error) {
	var st Settings
	path := Path(dataDir)
	data, err := read(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("cannot read the settings: %v; fix or delete the file, then choose them again in Settings", err)
	}
	// Notepad saves UTF-8 with a byte order mark, which encoding/json takes for a stray
	// character: a file edited there is not damaged.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: the settings are damaged (%v); fix or delete the file, then choose them again in Settings", path, err)
	}
	return st, nil
}

// Save replaces the settings with st (a new sandbox); a change of some settings goes
// through Update.
func Save(dataDir string, st Settings) error {
	return datadir.Update(Path(dataDir), func() error { return write(dataDir, st) })
}

// Update changes the settings through change in one read-modify-write under the file's
// lock, so that changes made at once (the settings window, the wizard, a command) are all
// kept, and returns the settings as written.
func Update(dataDir string, change func(*Settings)) (Settings, error) {
	var st Settings
	err := datadir.Update(Path(dataDir), func() error {
		var err error
		if st, err = load(dataDir, func(p string) ([]byte, error) { return safefile.ReadFile(p, maxFileSize) }); err != nil {
			return err
		}
		change(&st)
		return write(dataDir, st)
	})
	return st, err
}

// write writes the settings atomically, readable by the user alone.
func write(dataDir string, st Settings) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return datadir.WriteFileAtomic(Path(dataDir), data, 0o600)
}

// ExportLocation is the export location in force: the policy's, else the user's.
func (s Settings) ExportLocation(p *policy.Policy) string {
	if p.Export.Location != "" {
		return p.Export.Location
	}
	return s.Export
}

// Fleet is the fleet folder in force: the policy's when it locks it or the user chose
// none, else the user's.
func (s Settings) Fleet(p *policy.Policy) string {
	if p.IsLocked("fleet.folder") || s.FleetFolder == "" {
		return p.Fleet.Folder
	}
	return s.FleetFolder
}

// NotificationsOn says whether popups are on: the policy's value when it locks it or the
// user chose nothing, else the user's.
func (s Settings) NotificationsOn(p *policy.Policy) bool {
	if p.IsLocked("notifications.enabled") || s.Notifications == nil {
		return p.Notifications.Enabled
	}
	return *s.Notifications
}
