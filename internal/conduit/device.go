package conduit

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
)

// Where a device record came from.
const (
	SourceDeclared      = "declared"            // the user or IT, with `device add` or the wizard
	SourceActiveSync    = "activesync-registry" // the live registry on Windows
	SourceRegFile       = "reg-file"            // a .reg export of the Partners key
	SourceAppleLockdown = "apple-lockdown"      // a pairing record
	SourceAppleBackup   = "apple-backup"        // a backup's Info.plist
)

// Device is one handheld paired with this workstation.
type Device struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Model    string            `json:"model,omitempty"`
	Software string            `json:"software,omitempty"` // a catalog id
	Version  string            `json:"version,omitempty"`  // of the sync software
	Settings map[string]string `json:"settings,omitempty"` // catalog setting key -> value
	// OSVersion is the device's own system version where a detector saw it (iOS's
	// ProductVersion); it is not the sync software's version.
	OSVersion string    `json:"os_version,omitempty"`
	LastSync  time.Time `json:"last_sync,omitzero"`
	Source    string    `json:"source"`          // one of the Source* constants
	Found     string    `json:"found,omitempty"` // the file, folder or registry key it was found in
	// Others is what the user told the wizard about other computers the device syncs
	// with: OthersNo, OthersYes, OthersYesInterAction, or "" (not known).
	Others string `json:"others,omitempty"`
}

// Answers about the other computers a device syncs with (Device.Others).
const (
	OthersNo             = "no"
	OthersYes            = "yes"
	OthersYesInterAction = "yes-interaction" // and that computer's Outlook syncs with InterAction
)

// IsAppleUDID reports whether id looks like an Apple device identifier (40 hex digits, or
// the newer 8-hex-dash-16-hex form). Such ids are global: two different ones are two
// different devices, which matters when matching devices across workstations.
func IsAppleUDID(id string) bool {
	id = strings.TrimSpace(id)
	hex := func(s string) bool {
		for _, r := range s {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
		return s != ""
	}
	if len(id) == 40 && hex(id) {
		return true
	}
	if a, b, ok := strings.Cut(id, "-"); ok && len(a) == 8 && len(b) == 16 && hex(a) && hex(b) {
		return true
	}
	return false
}

// Store keeps the declared devices in <data>/devices.json. It is a small JSON file, not
// the history database, so that `syncguard device add` works while the tray app holds the
// database open.
type Store struct {
	path string
}

// storeFile is the file's shape; Schema lets a later version migrate it.
type storeFile struct {
	Schema  int      `json:"schema"`
	Devices []Device `json:"devices"`
}

// OpenStore returns the store in dataDir (creating nothing until the first save).
func OpenStore(dataDir string) *Store {
	return &Store{path: filepath.Join(dataDir, "devices.json")}
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// List returns the declared devices sorted by id.
func (s *Store) List() ([]Device, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return []Device{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the device list: %v", s.path, err)
	}
	var f storeFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %s; fix or delete the file and declare the devices again", s.path, jsonErrorAt(data, err))
	}
	if f.Schema != 1 {
		return nil, fmt.Errorf("%s: schema %d is not understood; a newer SyncGuard wrote it", s.path, f.Schema)
	}
	if f.Devices == nil {
		f.Devices = []Device{}
	}
	return f.Devices, nil
}

func (s *Store) save(devs []Device) error {
	sort.Slice(devs, func(i, j int) bool { return devs[i].ID < devs[j].ID })
	data, err := json.MarshalIndent(storeFile{Schema: 1, Devices: devs}, "", "  ")
	if err != nil {
		return err
	}
	if err := datadir.Ensure(filepath.Dir(s.path)); err != nil {
		return err
	}
	return datadir.WriteFileAtomic(s.path, append(data, '\n'), 0o600)
}

// ErrNotFound is returned by Update and Remove for an unknown id.
var ErrNotFound = errors.New("no such device")

// Add stores a new device; the id must be new.
func (s *Store) Add(d Device) error {
	if strings.TrimSpace(d.ID) == "" {
		return errors.New("a device needs an id (--id)")
	}
	devs, err := s.List()
	if err != nil {
		return err
	}
	for _, x := range devs {
		if strings.EqualFold(x.ID, d.ID) {
			return fmt.Errorf("device %q is already declared; use 'device set' to change it", d.ID)
		}
	}
	if d.Source == "" {
		d.Source = SourceDeclared
	}
	return s.save(append(devs, d))
}

// Update changes the device with d's id through f.
func (s *Store) Update(id string, f func(d *Device)) error {
	devs, err := s.List()
	if err != nil {
		return err
	}
	for i := range devs {
		if strings.EqualFold(devs[i].ID, id) {
			f(&devs[i])
			return s.save(devs)
		}
	}
	return fmt.Errorf("%w %q; 'device list' shows the declared ones", ErrNotFound, id)
}

// Remove deletes the device with the id.
func (s *Store) Remove(id string) error {
	devs, err := s.List()
	if err != nil {
		return err
	}
	for i := range devs {
		if strings.EqualFold(devs[i].ID, id) {
			return s.save(append(devs[:i], devs[i+1:]...))
		}
	}
	return fmt.Errorf("%w %q; 'device list' shows the declared ones", ErrNotFound, id)
}

// Merge combines detected devices with declared ones: a declared device with the same id
// completes or corrects the detected record (the user knows which software and settings a
// partnership uses; the registry does not say), and declared devices nobody detected are
// kept as they are. The result is sorted by id.
func Merge(detected, declared []Device) []Device {
	byID := map[string]int{}
	var out []Device
	for _, d := range detected {
		k := strings.ToLower(d.ID)
		if i, ok := byID[k]; ok {
			out[i] = mergeInto(out[i], d) // the same device seen by two detectors
			continue
		}
		byID[k] = len(out)
		out = append(out, d)
	}
	for _, d := range declared {
		k := strings.ToLower(d.ID)
		if i, ok := byID[k]; ok {
			m := mergeInto(out[i], d)
			m.Source = out[i].Source + "+" + SourceDeclared
			out[i] = m
			continue
		}
		byID[k] = len(out)
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// mergeInto overlays the non-empty fields of b on a.
func mergeInto(a, b Device) Device {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&a.Name, b.Name)
	set(&a.Model, b.Model)
	set(&a.Software, b.Software)
	set(&a.Version, b.Version)
	set(&a.OSVersion, b.OSVersion)
	set(&a.Found, b.Found)
	set(&a.Others, b.Others)
	if b.LastSync.After(a.LastSync) {
		a.LastSync = b.LastSync
	}
	if len(b.Settings) > 0 {
		m := map[string]string{}
		for k, v := range a.Settings {
			m[k] = v
		}
		for k, v := range b.Settings {
			m[k] = v
		}
		a.Settings = m
	}
	return a
}
