//go:build unix

package exports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/testkit"
)

var noHang = testkit.NoHang

var mkfifo = testkit.Mkfifo

// An export location that is a FIFO or a device is an unreadable export, said at once:
// opening a FIFO with no writer blocks forever, and /dev/zero never ends.
func TestExportThatIsNotARegularFileIsUnreadable(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "contacts.csv")
	mkfifo(t, fifo)
	for _, tc := range []struct{ path, says string }{{fifo, "named pipe"}, {"/dev/zero", "device"}} {
		if _, err := os.Stat(tc.path); err != nil {
			continue
		}
		noHang(t, "reading "+tc.path, func() {
			_, res, err := Read(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.says) || len(res.Contacts) != 0 {
				t.Errorf("%s: error %v, %d contacts; want an error saying it is a %s", tc.path, err, len(res.Contacts), tc.says)
			}
			// And a file that turned into one after the look that found the location.
			_, errs, sum := ReadFile(tc.path)
			if !sum.Unreadable || len(errs) != 1 || !strings.Contains(errs[0].Message, tc.says) {
				t.Errorf("%s: unreadable %v, errors %v; want one error saying it is a %s", tc.path, sum.Unreadable, errs, tc.says)
			}
		})
	}
}

// A FIFO among a folder's vCards is skipped and listed; the cards are read.
func TestFolderSkipsAndListsWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.vcf", "b.vcf", "c.vcf"} {
		writeFile(t, filepath.Join(dir, n), strings.Replace(oneCard, "John", strings.TrimSuffix(n, ".vcf"), -1), time.Time{})
	}
	mkfifo(t, filepath.Join(dir, "pipe.vcf"))
	if err := os.Mkdir(filepath.Join(dir, "sub.vcf"), 0o700); err != nil {
		t.Fatal(err)
	}
	noHang(t, "reading a folder holding a FIFO", func() {
		loc, res, err := Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		if loc.Kind != KindContactDir || len(res.Contacts) != 3 || res.Unreadable() {
			t.Errorf("kind %s, %d contacts, unreadable %v; want the three cards of a contact folder", loc.Kind, len(res.Contacts), res.Unreadable())
		}
		if len(loc.Skipped) != 2 || !strings.Contains(loc.Skipped[0].Path+loc.Skipped[1].Path, "pipe.vcf") {
			t.Errorf("skipped = %+v; want pipe.vcf and sub.vcf listed", loc.Skipped)
		}
	})
}
