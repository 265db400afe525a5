package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/history"
)

// TestStatusOfADamagedHistory: when the history file is damaged under the running app,
// the status does not read "All good" from findings it could not read: it says the
// history cannot be read.
func TestStatusOfADamagedHistory(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	s := newService(t, dir, Options{})
	defer s.Close()
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	s.ScanNow()
	if st := s.Status(); st.State != StateOK || st.LastSnapshot == nil {
		t.Fatalf("before the damage: %s %q", st.State, st.Sentence)
	}
	// Every page after the two meta pages is zeroed; the app has the file mapped.
	path := filepath.Join(dir, "data", history.FileName)
	data, _ := os.ReadFile(path)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(make([]byte, len(data)-8192), 8192)
	f.Close()
	st := s.Status()
	if st.State != StateError || !st.HistoryDamaged || st.HistoryError == "" || !strings.Contains(st.Sentence, "damaged") {
		t.Fatalf("with a damaged history: %s %q (%q)", st.State, st.Sentence, st.HistoryError)
	}
	if strings.Contains(st.Sentence, "syncguard ") {
		t.Errorf("the sentence a lawyer reads names a command: %q", st.Sentence)
	}
}

// TestStatusWhenTheHistoryCannotBeRead: a history that cannot be read for any reason (here
// closed under the running app) is an error in the tray: the danger icon, a line and a
// sentence that say the history cannot be read, and never "All good", even though no
// finding could be read.
func TestStatusWhenTheHistoryCannotBeRead(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 300)
	s := newService(t, dir, Options{})
	defer s.Close()
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	s.ScanNow()
	if st := s.Status(); st.State != StateOK || !strings.HasPrefix(st.Line, "All good") {
		t.Fatalf("before: %s %q", st.State, st.Line)
	}
	s.store.Close()
	st := s.Status()
	if st.State != StateError || st.Icon != "danger" || st.HistoryError == "" || st.HistoryDamaged {
		t.Errorf("state %s, icon %q, error %q (damaged %v); want the error state with the danger icon", st.State, st.Icon, st.HistoryError, st.HistoryDamaged)
	}
	if !strings.Contains(st.Sentence, "cannot read its history") || !strings.Contains(st.Sentence, st.HistoryError) ||
		strings.Contains(st.Sentence, "All good") || strings.Contains(st.Line, "All good") || !strings.Contains(st.Line, "history") {
		t.Errorf("the tray says %q / %q", st.Line, st.Sentence)
	}
	s.Pause(time.Hour)
	if st := s.Status(); st.Icon != "danger-paused" || !strings.Contains(st.Line, "cannot read its history") {
		t.Errorf("paused: icon %q, line %q", st.Icon, st.Line)
	}
}
