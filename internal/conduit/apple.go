package conduit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"howett.net/plist"

	"github.com/syncguard/syncguard/internal/safefile"
)

// Apple devices leave two kinds of records on a computer they sync with (DESIGN.md §1):
// a pairing record per device, %ProgramData%\Apple\Lockdown\<UDID>.plist on Windows and
// /var/db/lockdown/<UDID>.plist on macOS, whose file name is the device's identifier; and
// a backup folder per device whose Info.plist names the device, its model, its iOS version
// and the date of the last backup. Both are property lists, XML or binary.

// maxPlist bounds a plist read: an Info.plist carries some app data and can reach a few
// megabytes; nothing legitimate is near this.
const maxPlist = 32 << 20

// backupInfo is the part of a backup's Info.plist SyncGuard reads. The first six keys are
// the documented schema of DESIGN.md and the issue; "iTunes Version" (the iTunes that made
// the backup) is present in the backups the team has seen but is not documented by Apple,
// so it is read when present and never required.
type backupInfo struct {
	DeviceName       string    `plist:"Device Name"`
	DisplayName      string    `plist:"Display Name"`
	ProductType      string    `plist:"Product Type"`
	ProductVersion   string    `plist:"Product Version"`
	LastBackupDate   time.Time `plist:"Last Backup Date"`
	UniqueIdentifier string    `plist:"Unique Identifier"`
	TargetIdentifier string    `plist:"Target Identifier"`
	ITunesVersion    string    `plist:"iTunes Version"`
}

// AppleLocations are the platform's default folders for pairing records and backups.
// Windows has two backup folders: iTunes from Apple's site writes under %APPDATA%, iTunes
// from the Microsoft Store and the Apple Devices app under %USERPROFILE%\Apple (see the
// catalog's itunes entry for the source).
func AppleLocations() (lockdown string, backups []string) {
	switch runtime.GOOS {
	case "windows":
		pd := os.Getenv("ProgramData")
		if pd == "" {
			pd = `C:\ProgramData`
		}
		lockdown = filepath.Join(pd, "Apple", "Lockdown")
		if ad := os.Getenv("APPDATA"); ad != "" {
			backups = append(backups, filepath.Join(ad, "Apple Computer", "MobileSync", "Backup"))
		}
		if up := os.Getenv("USERPROFILE"); up != "" {
			backups = append(backups, filepath.Join(up, "Apple", "MobileSync", "Backup"))
		}
	case "darwin":
		lockdown = "/var/db/lockdown"
		if home, err := os.UserHomeDir(); err == nil {
			backups = append(backups, filepath.Join(home, "Library", "Application Support", "MobileSync", "Backup"))
		}
	}
	return lockdown, backups
}

// readPlist reads a size-limited plist file into v.
func readPlist(path string, v any) error {
	// Only a regular file of a plist's size: a FIFO among the records would hang detection.
	data, err := safefile.ReadFile(path, maxPlist)
	if err != nil {
		var se *safefile.Error
		if errors.As(err, &se) { // the callers name the file
			if inner := se.Unwrap(); inner != nil {
				return inner // fs.ErrNotExist stays recognisable: an unfinished backup
			}
			return errors.New(se.Problem)
		}
		return err
	}
	if _, err := plist.Unmarshal(data, v); err != nil {
		return fmt.Errorf("not a readable property list: %v", err)
	}
	return nil
}

// LockdownDevices lists the pairing records in dir. A missing folder means no Apple device
// was ever paired here. Each file that cannot be read becomes an error naming it; the
// others are still read.
func LockdownDevices(dir string) ([]Device, []error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || dir == "" {
		return nil, nil
	}
	if err != nil {
		return nil, []error{fmt.Errorf("%s: cannot list the Apple pairing records: %v", dir, err)}
	}
	var out []Device
	var errs []error
	for _, e := range entries {
		name := e.Name()
		udid := strings.TrimSuffix(name, ".plist")
		if e.IsDir() || udid == name || !IsAppleUDID(udid) {
			continue // SystemConfiguration.plist and other files are not pairing records
		}
		path := filepath.Join(dir, name)
		var rec map[string]any
		if err := readPlist(path, &rec); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v; iTunes or Apple Devices pairs the device again when it is next connected", path, err))
			continue
		}
		// A pairing record holds certificates and host ids, not the device's name.
		out = append(out, Device{ID: strings.ToLower(udid), Name: "Apple device " + udid[:8], Software: "itunes", Source: SourceAppleLockdown, Found: path})
	}
	return out, errs
}

// BackupDevices lists the devices that have a backup in dir (one folder per device, each
// with an Info.plist).
func BackupDevices(dir string) ([]Device, []error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || dir == "" {
		return nil, nil
	}
	if err != nil {
		return nil, []error{fmt.Errorf("%s: cannot list the device backups: %v", dir, err)}
	}
	var out []Device
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name(), "Info.plist")
		d, err := ReadBackupInfo(path)
		if errors.Is(err, os.ErrNotExist) {
			continue // an unfinished backup or another kind of folder
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, d)
	}
	return out, errs
}

// ReadBackupInfo reads one backup's Info.plist.
func ReadBackupInfo(path string) (Device, error) {
	var info backupInfo
	if err := readPlist(path, &info); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Device{}, err
		}
		return Device{}, fmt.Errorf("%s: %v; make a new backup of the device", path, err)
	}
	id := strings.TrimSpace(info.UniqueIdentifier)
	if id == "" {
		id = strings.TrimSpace(info.TargetIdentifier)
	}
	if id == "" {
		id = filepath.Base(filepath.Dir(path)) // the folder is named after the device
	}
	// Apple writes the identifier upper case in one key and lower case in another, and
	// the pairing record's file name in either: compare it case-insensitively.
	id = strings.ToLower(id)
	name := bytes.TrimSpace([]byte(info.DeviceName))
	if len(name) == 0 {
		name = []byte(info.DisplayName)
	}
	d := Device{
		ID:        id,
		Name:      string(name),
		Model:     info.ProductType,
		Software:  "itunes",
		Version:   info.ITunesVersion,
		OSVersion: info.ProductVersion,
		LastSync:  info.LastBackupDate.UTC(),
		Source:    SourceAppleBackup,
		Found:     path,
	}
	if d.Name == "" {
		d.Name = "Apple device " + id
	}
	return d, nil
}
