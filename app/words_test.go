package app

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

func TestTheFooterAndTimelineSpeakPlainWords(t *testing.T) {
	s := newService(t, t.TempDir(), Options{})
	defer s.Close()
	for _, tc := range []struct{ got, want string }{
		{WatchWords("change events"), "Watching for changes."},
		{WatchWords("polling every 30s: the folder is on a network drive"), "Looking for changes every 30s (the folder is on a network drive)."},
		{SyncWords(workstation.Sync{Known: true, Value: true, Source: "user"}), "Yes (you said so)"},
		{SyncWords(workstation.Sync{Known: true, Value: false, Source: "policy"}), "No (set by your IT department)"},
		{SyncWords(workstation.Sync{Source: "unknown"}), "Not known. Check my device setup asks it."},
		{s.DeviceWords(conduit.Device{Name: "Anna's Treo 680", Software: "hotsync", Version: "4.1"}), "Anna's Treo 680 with Palm Desktop HotSync Manager 4.1"},
		{ChangeWords(history.Snapshot{Removed: 40, Changed: 15}, false), "40 removed, 15 changed"},
		{ChangeWords(history.Snapshot{Added: 3}, false), "3 added"},
		{ChangeWords(history.Snapshot{}, false), "no change"},
		{ChangeWords(history.Snapshot{Added: 400}, true), "the first snapshot"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
		// U+2212 (minus) is drawn as a replacement box by Wine's fonts; "(user)" and
		// "change events" are the program's words, not the user's.
		for _, bad := range []string{"\u2212", "(user)", "change events", "hotsync"} {
			if strings.Contains(tc.got, bad) {
				t.Errorf("%q contains %q", tc.got, bad)
			}
		}
	}
}
