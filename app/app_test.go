package app

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
)

func writeExport(t *testing.T, path string, n int) {
	t.Helper()
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, gen.Book(4, 300)[:n]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(path, old, old)
}

func TestServiceFromSetupToDangerAndBack(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	_, err := New(filepath.Join(dir, "data"), filepath.Join(dir, "none.toml"))
	if err == nil {
		t.Fatal("a policy file that does not exist must be an error")
	}
	s, err := New(filepath.Join(dir, "data"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var events []Event
	s.Subscribe(func(e Event) { events = append(events, e) })
	if st := s.Status(); st.State != StateSetup {
		t.Fatalf("state before set-up: %s", st.State)
	}
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.State != StateOK || st.LastSnapshot == nil || st.LastSnapshot.Contacts != 300 {
		t.Fatalf("after set-up: %+v", st)
	}
	// A device sync deletes 40 contacts.
	writeExport(t, export, 260)
	s.Scan()
	last := events[len(events)-1]
	if last.Status.State != StateDanger || len(last.Popup) != 1 || last.Popup[0].Kind != findings.MassDeletion {
		t.Fatalf("after the deletion: state %s, popups %+v", last.Status.State, last.Popup)
	}
	// Restore the deleted contacts from the finding: exactly the 40, as they were.
	restored := filepath.Join(dir, "restore.csv")
	if n, err := s.RestoreFinding(last.Popup[0].ID, restored); err != nil || n != 40 {
		t.Fatalf("restore: %d, %v", n, err)
	}
	if cs, errs, _ := exports.ReadFile(restored); len(cs) != 40 || len(errs) != 0 {
		t.Errorf("restore file: %d contacts, %v", len(cs), errs)
	}
	// The same finding never pops up twice.
	s.Scan()
	if p := events[len(events)-1].Popup; len(p) != 0 {
		t.Errorf("popped up again: %+v", p)
	}
	// Acknowledged: the icon goes back to all good.
	if err := s.Acknowledge(last.Popup[0].ID); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.State != StateOK {
		t.Errorf("after acknowledging: %s", st.State)
	}
	// Paused: new findings do not pop up and the icon says paused.
	s.Pause(time.Hour)
	writeExport(t, export, 200)
	s.Scan()
	if e := events[len(events)-1]; e.Status.State != StatePaused || len(e.Popup) != 0 {
		t.Errorf("paused: state %s popups %d", e.Status.State, len(e.Popup))
	}
	// Settings survive a restart; a second instance is refused meanwhile.
	if _, err := New(filepath.Join(dir, "data"), ""); err == nil {
		t.Error("a second instance must be refused")
	}
	s.Close()
	s2, err := New(filepath.Join(dir, "data"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Export() != export {
		t.Errorf("export after restart: %q", s2.Export())
	}
}
