package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/workstation"
)

// TestTheTrayShowsAFailedPublishAsAWarning: the tray app's own device check, like `check`,
// turns a fleet file that cannot be written (here a folder holds the workstation's name)
// into a warning that names the file, not only a line in the status window.
func TestTheTrayShowsAFailedPublishAsAWarning(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "fleet")
	s := newService(t, dir, Options{})
	defer s.Close()
	if err := workstation.Save(s.DataDir(), workstation.Config{ID: "ws-anna"}); err != nil {
		t.Fatal(err)
	}
	squat := filepath.Join(folder, "ws-anna.json")
	if err := os.MkdirAll(squat, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFleetFolder(folder); err != nil {
		t.Fatal(err)
	}
	s.CheckDevices(context.Background())
	st := s.Status()
	var got []findings.Finding
	for _, f := range st.Open {
		if f.Kind == findings.MultiWorkstation && f.Severity == findings.Warning {
			got = append(got, f)
		}
	}
	if st.Fleet.Published || len(got) != 1 || !strings.Contains(got[0].Explanation, squat) {
		t.Errorf("published %v, warnings %+v", st.Fleet.Published, got)
	}
}
