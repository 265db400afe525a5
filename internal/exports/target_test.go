package exports

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestRestoreTargetNeverTheExportNorADeviceNorAnExistingFileUnasked(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeFile(t, export, "First Name\nA\n", time.Time{})
	exportDir := filepath.Join(dir, "exports")
	if err := os.Mkdir(exportDir, 0o700); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "old-restore.csv")
	writeFile(t, existing, "x", time.Time{})
	link := filepath.Join(dir, "link.csv")
	if runtime.GOOS != "windows" { // links need administrator rights on Windows, and Wine reports none
		if err := os.Symlink(export, link); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		out   string
		force bool
		says  string // "" = allowed
	}{
		{filepath.Join(dir, "new.csv"), false, ""},
		{dir, false, ""}, // a folder restore into an existing folder
		{existing, false, "--force"},
		{existing, true, ""},
		{export, true, "export location"},
		{filepath.Join(dir, ".", "contacts.csv"), true, "export location"},
		{link, true, "export location"}, // on Windows no link: a new file, allowed with --force
		{filepath.Join(exportDir, "restore.csv"), true, "export location"},
		{"/dev/full", true, "device"},
		{"/dev/null", true, "device"},
	}
	for _, c := range cases {
		if _, err := os.Stat(filepath.Dir(c.out)); err != nil || (c.out == link && runtime.GOOS == "windows") {
			continue
		}
		err := CheckRestoreTarget(c.out, c.force, export, exportDir)
		switch {
		case c.says == "" && err != nil:
			t.Errorf("%s (force %v): %v; want it allowed", c.out, c.force, err)
		case c.says != "" && (err == nil || !strings.Contains(err.Error(), c.says)):
			t.Errorf("%s (force %v): %v; want a refusal mentioning %q", c.out, c.force, err, c.says)
		}
	}
}
