package ui

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/ui/tray"
)

// The window process the service starts for a popup shows that popup, the one the service
// decided on (a warning before a sync, with its trigger), not one made again from the
// open findings; started for another window it shows no popup.
func TestTheWindowProcessShowsThePopupTheServiceHandedIt(t *testing.T) {
	p := &app.Popup{Reason: app.BeforeSync, Title: "HotSync is about to sync a risky device", Trigger: "HOTSYNC.EXE started",
		Message: "Check the device setup first.", Findings: []findings.Finding{{ID: "outdated-software-1", Title: "HotSync is outdated"}}}
	env := tray.HandOver(p)
	if len(env) != 1 {
		t.Fatalf("HandOver: %q", env)
	}
	k, v, _ := strings.Cut(env[0], "=")
	t.Setenv(k, v)
	got := handedPopup(app.WindowPopup)
	if got == nil || got.Reason != p.Reason || got.Title != p.Title || got.Trigger != p.Trigger || got.Message != p.Message ||
		len(got.Findings) != 1 || got.Findings[0].ID != "outdated-software-1" {
		t.Fatalf("the window process's popup: %+v, want %+v", got, p)
	}
	if got := handedPopup(app.WindowStatus); got != nil {
		t.Errorf("started for the status window, it has a popup: %+v", got)
	}
}
