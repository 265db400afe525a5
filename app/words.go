package app

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

// The status window's footer and the history's timeline say things in words a lawyer
// reads, not in the program's own terms ("yes (user)", "watched with change events",
// "hotsync 4.1", "−40 +0 ~15"). The words are made here, once, and tested here.

// WatchWords says how the export is watched, from watch.Watcher.Mode.
func WatchWords(mode string) string {
	switch {
	case mode == "":
		return ""
	case mode == "change events":
		return "Watching for changes."
	case strings.HasPrefix(mode, "polling every "):
		every, why, _ := strings.Cut(strings.TrimPrefix(mode, "polling every "), ": ")
		s := "Looking for changes every " + every
		if why != "" {
			s += " (" + why + ")"
		}
		return s + "."
	}
	return mode
}

// SyncWords says whether this workstation's Outlook syncs with InterAction and who says
// so: "Yes (you said so)", "No (set by your IT department)", "Not known".
func SyncWords(s workstation.Sync) string {
	if !s.Known {
		return "Not known. Check my device setup asks it."
	}
	v := "No"
	if s.Value {
		v = "Yes"
	}
	switch s.Source {
	case "policy":
		return v + " (set by your IT department)"
	case "add-in":
		return v + " (the InterAction add-in for Outlook is installed)"
	case "user":
		return v + " (you said so)"
	}
	return v
}

// DeviceWords names a device and its sync software as people know them: "Anna's Treo
// 680 with Palm Desktop HotSync Manager 4.1".
func (s *Service) DeviceWords(d conduit.Device) string {
	l := d.Name
	if d.Software == "" {
		return l
	}
	name := d.Software
	if sw, ok := s.catalog.Lookup(d.Software); ok {
		name = sw.Name
	}
	l += " with " + name
	if d.Version != "" {
		l += " " + d.Version
	}
	return l
}

// ChangeWords says what a snapshot changed: "40 removed, 15 changed", "3 added",
// "no change"; the first snapshot is "the first snapshot".
func ChangeWords(sn history.Snapshot, first bool) string {
	if first {
		return "the first snapshot"
	}
	var parts []string
	if sn.Removed > 0 {
		parts = append(parts, fmt.Sprintf("%d removed", sn.Removed))
	}
	if sn.Added > 0 {
		parts = append(parts, fmt.Sprintf("%d added", sn.Added))
	}
	if sn.Changed > 0 {
		parts = append(parts, fmt.Sprintf("%d changed", sn.Changed))
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, ", ")
}

// The pause words, said by the tray's menu item and by the popup's button: one place, so
// the tray and the windows cannot come to say different things.
const (
	PauseWords  = "Pause warnings for 1 hour"
	ResumeWords = "Resume warnings"
)
