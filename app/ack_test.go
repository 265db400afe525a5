package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
)

// clock is a settable Now for the service.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// deletedForty sets up a service whose export just lost 40 of 300 contacts.
func deletedForty(t *testing.T, opt Options) (*Service, *recorder, string) {
	t.Helper()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	s := newService(t, dir, opt)
	t.Cleanup(func() { s.Close() })
	rec := record(s)
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	writeExport(t, export, 260)
	s.Scan()
	if st := s.Status(); st.Worst == nil || st.Worst.Kind != findings.MassDeletion {
		t.Fatalf("no mass deletion: %q", st.Sentence)
	}
	return s, rec, export
}

func TestAcceptingAFindingThatLostContactsIsDeliberateAndCanBeTakenBack(t *testing.T) {
	c := &clock{time.Date(2026, 12, 2, 9, 4, 0, 0, time.Local)}
	s, rec, _ := deletedForty(t, Options{Now: c.now, User: func() string { return `FIRM\anna` }})
	f := *s.Status().Worst

	// The question names what is accepted, and says the contacts are not lost to SyncGuard.
	want := "Accept that 40 contacts were deleted? They stay in SyncGuard's history and can still be restored."
	if q := Confirmation(f); q != want {
		t.Errorf("the confirmation:\n got %q\nwant %q", q, want)
	}

	c.t = c.t.Add(5 * time.Minute)
	got, err := s.Acknowledge(f.ID[:12]) // the start of the id, as the command line takes it
	if err != nil || got.ID != f.ID {
		t.Fatalf("acknowledge: %v %+v", err, got.ID)
	}
	st := s.Status()
	if st.State != StateOK || len(st.Open) != 0 {
		t.Errorf("accepted, yet still open: %s %d", st.State, len(st.Open))
	}
	// It stays listed, with who accepted it and when.
	if len(st.Accepted) != 1 || st.Accepted[0].ID != f.ID || st.Accepted[0].AcknowledgedBy != `FIRM\anna` || !st.Accepted[0].AcknowledgedAt.Equal(c.t) {
		t.Fatalf("accepted: %+v", st.Accepted)
	}

	// Reopened: open again, in the icon and the windows, and no longer under "Accepted";
	// it does not pop up a second time (it was seen).
	mark := rec.n()
	if _, err := s.Reopen(f.ID); err != nil {
		t.Fatal(err)
	}
	st = s.Status()
	if st.State != StateDanger || len(st.Open) != 1 || st.Open[0].ID != f.ID || len(st.Accepted) != 0 {
		t.Errorf("reopened: %s, %d open, %d accepted", st.State, len(st.Open), len(st.Accepted))
	}
	if st.Open[0].AcknowledgedBy != "" {
		t.Errorf("a reopened finding still says who accepted it: %q", st.Open[0].AcknowledgedBy)
	}
	s.ScanNow()
	if p := rec.popupsSince(mark); len(p) != 0 {
		t.Errorf("the reopened finding popped up again: %s", p[0].Title)
	}
	if _, err := s.Reopen("no-such-finding"); err == nil {
		t.Error("reopening a finding that does not exist must fail")
	}
}

func TestOnlyFindingsThatLostDataAskBeforeTheyAreAccepted(t *testing.T) {
	for _, tc := range []struct {
		f    findings.Finding
		want string // "" = no question
	}{
		{findings.Finding{Kind: findings.CategoryCollapse, Contacts: make([]findings.ContactRef, 15)},
			"Accept that 15 contacts lost all but one of their categories? They stay in SyncGuard's history and can still be restored."},
		{findings.Finding{Kind: findings.MileageChanged, Contacts: make([]findings.ContactRef, 1)},
			"Accept that Outlook's Mileage field changed on 1 contact? It stays in SyncGuard's history and can still be restored."},
		{findings.Finding{Kind: findings.Truncation, Title: "The note of 6 contacts was cut to 255 characters"},
			"Accept \u201cThe note of 6 contacts was cut to 255 characters\u201d as intended? The earlier versions stay in SyncGuard's history and can still be restored."},
		{findings.Finding{Kind: findings.ConduitSetting, Title: "HotSync overwrites Outlook"}, ""},
		{findings.Finding{Kind: findings.Duplicates, Contacts: make([]findings.ContactRef, 3)}, ""},
	} {
		if got := Confirmation(tc.f); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.f.Kind, got, tc.want)
		}
	}
}

func TestPausedKeepsTheDangerInTheIconAndTheStatusLine(t *testing.T) {
	c := &clock{time.Date(2026, 12, 2, 9, 4, 0, 0, time.Local)}
	s, rec, _ := deletedForty(t, Options{Now: c.now})
	s.Pause(time.Hour)
	st := s.Status()
	if st.State != StateDanger || st.Icon != "danger-paused" {
		t.Errorf("paused over a danger: state %s, icon %s", st.State, st.Icon)
	}
	if want := "Danger: 40 contacts deleted · warnings paused until 10:04"; st.Line != want {
		t.Errorf("the tray's status line:\n got %q\nwant %q", st.Line, want)
	}
	if !strings.HasPrefix(st.Sentence, "Danger: 40 contacts disappeared") || !strings.Contains(st.Sentence, "paused until 10:04") {
		t.Errorf("the status window's sentence: %q", st.Sentence)
	}
	// Accepted while paused: all good, still paused.
	s.Acknowledge(st.Worst.ID)
	if st := s.Status(); st.Icon != "ok-paused" || !strings.HasSuffix(st.Line, " · warnings paused until 10:04") || !strings.HasPrefix(st.Line, "All good") {
		t.Errorf("paused with nothing open: icon %s, line %q", st.Icon, st.Line)
	}
	// The pause ends: the plain icon comes back.
	mark := rec.n()
	s.Pause(0)
	if st := s.Status(); st.Icon != "ok" || strings.Contains(st.Line, "paused") {
		t.Errorf("resumed: icon %s, line %q", st.Icon, st.Line)
	}
	if rec.n() == mark {
		t.Error("resuming told no one")
	}
}
