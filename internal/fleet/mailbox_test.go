package fleet

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
)

// TestSameInterActionMailboxOnTwoWorkstations: Anna's desk PC and her assistant's PC both
// open anna@firm.example, which IT lists as InterAction-synced, and both sync Anna's
// phone. Neither file claims interaction_sync (their users never answered); the mailbox
// list decides, through a real fleet folder.
func TestSameInterActionMailboxOnTwoWorkstations(t *testing.T) {
	dir := t.TempDir()
	phone := Device{ID: "activesync:0a0b", Name: "Anna Treo", Model: "", Software: "activesync", SoftwareVersion: "4.5"}
	desk := ws("ws-desk", false, now, phone)
	desk.Workstation.Mailboxes = []string{"anna@firm.example"}
	assist := ws("ws-assist", false, now.Add(-time.Hour), Device{ID: "activesync:0c0d", Name: "Anna Treo", Software: "activesync"})
	assist.Workstation.Mailboxes = []string{"Anna@Firm.example", "paul@firm.example"}
	for _, f := range []File{desk, assist} {
		if err := Publish(context.Background(), dir, f, time.Second); err != nil {
			t.Fatal(err)
		}
	}
	v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now})
	if len(v.Workstations) != 2 {
		t.Fatalf("read %d workstations: %+v", len(v.Workstations), v.Skipped)
	}
	list := []string{"anna@firm.example"}

	fs := MultiWorkstation(desk, v, list)
	if len(fs) != 1 || fs[0].Severity != findings.Danger {
		t.Fatalf("findings = %+v, want one danger", fs)
	}
	if !strings.Contains(fs[0].Explanation, "anna@firm.example") || !strings.Contains(fs[0].Explanation, "same mailbox") {
		t.Errorf("the finding must name the shared mailbox: %s", fs[0].Explanation)
	}
	r, err := FirmReportList(context.Background(), v, nil, list)
	if err != nil || len(r.SharedDevices) != 1 {
		t.Fatalf("report = %+v, %v", r, err)
	}
	sd := r.SharedDevices[0]
	if sd.Severity != "danger" || strings.Join(sd.Mailboxes, ",") != "anna@firm.example" {
		t.Errorf("shared device = %+v, want a danger naming anna@firm.example", sd)
	}
	for _, w := range sd.Workstations {
		if !w.InteractionSync {
			t.Errorf("%s opens a listed mailbox and must count as syncing with InterAction", w.Workstation)
		}
	}
}

// TestUnlistedMailboxMakesNoInterActionClaim: two workstations share a phone, but their
// mailboxes are not in IT's list and they do not sync with InterAction: a warning, not
// a danger, and neither is reported as syncing.
func TestUnlistedMailboxMakesNoInterActionClaim(t *testing.T) {
	dir := t.TempDir()
	phone := Device{ID: "phone-1", Name: "Front desk phone", Model: "X1", Software: "companionlink"}
	a := ws("ws-a", false, now, phone)
	a.Workstation.Mailboxes = []string{"reception@firm.example"}
	b := ws("ws-b", false, now, phone)
	b.Workstation.Mailboxes = []string{"frontdesk@firm.example"}
	for _, f := range []File{a, b} {
		if err := Publish(context.Background(), dir, f, time.Second); err != nil {
			t.Fatal(err)
		}
	}
	v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now})
	list := []string{"anna@firm.example"}
	fs := MultiWorkstation(a, v, list)
	if len(fs) != 1 || fs[0].Severity != findings.Warning || strings.Contains(fs[0].Explanation, "syncs with InterAction") {
		t.Fatalf("findings = %+v, want one warning without an InterAction claim", fs)
	}
	r, _ := FirmReportList(context.Background(), v, nil, list)
	if len(r.SharedDevices) != 1 || r.SharedDevices[0].Severity != "warning" || len(r.SharedDevices[0].Mailboxes) != 0 {
		t.Fatalf("report = %+v", r.SharedDevices)
	}
	for _, w := range r.SharedDevices[0].Workstations {
		if w.InteractionSync {
			t.Errorf("%s was reported as syncing with InterAction", w.Workstation)
		}
	}
}

// TestMailboxesInTheFleetFileAreChecked: a hostile file cannot put arbitrary text in the
// mailboxes key.
func TestMailboxesInTheFleetFileAreChecked(t *testing.T) {
	f := ws("ws-x", true, now)
	f.Workstation.Mailboxes = []string{"not an address"}
	if _, err := f.Marshal(); err == nil || !strings.Contains(err.Error(), "workstation.mailboxes[0]") {
		t.Errorf("Marshal = %v, want an error naming workstation.mailboxes[0]", err)
	}
	data := []byte(`{"schema":1,"workstation":{"id":"ws-x","interaction_sync":false,"mailboxes":["a@b.example","\u001b[2Jx@y.example"]},"updated_at":"2026-11-25T09:00:00Z","devices":[]}`)
	if _, err := Parse(data); err == nil {
		t.Error("a mailbox with control characters was accepted")
	}
}
