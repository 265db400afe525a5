package exports

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

// Restoring 20,000 contacts of one name into a folder took 84 s: each file tried every
// number from 1 again. The work per contact must not grow with how many share its name:
// allocations per contact, written 150 and 600 at a time, stay the same.
func TestFolderRestoreNamingIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 750 files")
	}
	perContact := func(n int) float64 {
		cs := make([]*contacts.Contact, n)
		for i := range cs {
			cs[i] = &contacts.Contact{Name: "Jane Doe", Emails: []contacts.Value{{Value: "jane@example.com"}}}
		}
		dir := filepath.Join(t.TempDir(), "restore")
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := WriteVCardFolder(dir, cs); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		allocs := float64(after.Mallocs - before.Mallocs)
		ents, _ := os.ReadDir(dir)
		if len(ents) != n {
			t.Fatalf("%d files for %d contacts", len(ents), n)
		}
		return allocs / float64(n)
	}
	small, large := perContact(150), perContact(600)
	if large > 1.5*small {
		t.Errorf("allocations per contact: %.0f for 150 of one name, %.0f for 600; the naming is not linear", small, large)
	}
}

// Windows refuses these names in any folder, with any extension: CONIN$ and CONOUT$, and
// COM and LPT with a superscript digit (Windows counts ¹²³ as digits here).
func TestReservedWindowsNamesAreAvoided(t *testing.T) {
	for _, n := range []string{"CON", "conin$", "CONOUT$", "COM1", "COM¹", "LPT²", "com³.txt", "Nul", "AUX.backup"} {
		if got := safeFileName(n); got[0] != '_' {
			t.Errorf("safeFileName(%q) = %q; want it changed so Windows accepts it", n, got)
		}
	}
	for _, n := range []string{"Conrad", "COM10", "Computer", "LPT"} {
		if got := safeFileName(n); got != n {
			t.Errorf("safeFileName(%q) = %q; want it kept", n, got)
		}
	}
}
