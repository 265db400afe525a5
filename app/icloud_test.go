package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/findings"
)

// TestDeletionWithTheICloudAddinNamesTheLikelyCause: iCloud for Windows' Outlook add-in is
// registered (a .reg export stands for the registry), and 40 contacts disappear from the
// export. The mass-deletion danger says, as an inference, that iCloud may have moved
// them into its own folder; without the add-in it does not.
func TestDeletionWithTheICloudAddinNamesTheLikelyCause(t *testing.T) {
	for _, withAddin := range []bool{true, false} {
		dir := t.TempDir()
		export := filepath.Join(dir, "contacts.csv")
		writeExport(t, export, 300)
		reg := filepath.Join(dir, "addins.reg")
		text := "REGEDIT4\r\n\r\n"
		if withAddin {
			text += "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\Outlook\\Addins\\iCloudAddin.AddinModule]\r\n\"FriendlyName\"=\"iCloud Outlook Add-in\"\r\n\"LoadBehavior\"=dword:00000003\r\n"
		}
		if err := os.WriteFile(reg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		s := newService(t, dir, Options{Detect: conduit.DetectOptions{RegFiles: []string{reg}}})
		if err := s.SetExport(export); err != nil {
			t.Fatal(err)
		}
		writeExport(t, export, 260)
		s.Scan()
		w := s.Status().Worst
		if w == nil || w.Kind != findings.MassDeletion {
			t.Fatalf("worst = %+v, want the mass deletion", w)
		}
		says := strings.Contains(w.Explanation, "iCloud") && strings.Contains(w.Explanation, "inference")
		if says != withAddin {
			t.Errorf("add-in %v: explanation %q", withAddin, w.Explanation)
		}
		s.Close()
	}
}
