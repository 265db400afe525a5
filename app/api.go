package app

import (
	"context"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

// API is what the windows and the command line ask of the service. *Service implements it
// in the process that owns the history; app/remote's Client implements it in a window
// process or a command, over the per-user channel to that process. So every method takes
// and returns plain data (what encoding/json carries, and errors): no store, no channel.
// Two exceptions, which the remote client handles itself: Subscribe's callback, and a
// context.Context parameter, which stays on the caller's side of the channel (the service
// gets one that ends when the caller's connection does).
//
// Paths given to the service are absolute: the service runs in another folder than the
// caller (remote.Client makes them so).
type API interface {
	// Status, events, popups.
	Status() Status
	Subscribe(f func(Event)) (unsubscribe func())
	PopupFor(open []findings.Finding) *Popup
	Pause(d time.Duration)
	ScanNow()
	ShowWindow(name string)

	// Findings.
	Finding(id string) (findings.Finding, error)
	Acknowledge(id string) (findings.Finding, error)
	Reopen(id string) (findings.Finding, error)

	// History and restore.
	Snapshots() ([]history.Snapshot, error)
	Diff(from, to uint64) (diff.Change, error)
	Versions(key string) ([]history.Version, error)
	Restore(snap uint64, sel history.Selection, keys []string, path string, f Format) (int, error)
	RestoreRemovedIn(snap uint64, path string, f Format) (int, error)
	RestoreFinding(id, path string, f Format) (int, error)

	// Settings.
	Settings() Effective
	DataDir() string
	Export() string
	ExportLocked() bool
	SetExport(path string) error
	SetFleetFolder(dir string) error
	SetNotifications(on bool) error
	SetStartAtLogin(on bool) error
	SetSource(src string) error

	// Devices and the wizard.
	Catalog() *conduit.Catalog
	Devices() ([]conduit.Device, []error)
	DeviceWords(d conduit.Device) string
	Workstation() (id string, sync workstation.Sync)
	ExportPreview(path string) (int, exports.Location, error)
	CategoryCount(path string) (multi, total int, err error)
	Evaluate(a Answers) Checklist
	Apply(ctx context.Context, a Answers) error
}

var _ API = (*Service)(nil)

// Window names: ShowWindow's argument, and `syncguard window NAME`'s.
const (
	WindowStatus   = "status"
	WindowWizard   = "wizard"
	WindowHistory  = "history"
	WindowSettings = "settings"
	WindowPopup    = "popup"
	// WindowRestore is the history window on its Restore tab (the tray's "Restore
	// contacts…").
	WindowRestore = "restore"
)

// Windows lists the window names, in the order the usage gives them.
var Windows = []string{WindowStatus, WindowWizard, WindowHistory, WindowSettings, WindowPopup, WindowRestore}

// ShowWindow asks the window process to open a window (one of Windows): the tray calls it
// when the user picks a menu item, and the window process, a subscriber, opens the window
// when the event reaches it.
func (s *Service) ShowWindow(name string) {
	s.publishEvent(nil, name)
}
