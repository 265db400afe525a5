package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if st.State == StateOK || st.HistoryError == "" || !strings.Contains(st.Sentence, "history") {
		t.Fatalf("with a damaged history: %s %q (%q)", st.State, st.Sentence, st.HistoryError)
	}
	if strings.Contains(st.Sentence, "syncguard ") {
		t.Errorf("the sentence a lawyer reads names a command: %q", st.Sentence)
	}
}
