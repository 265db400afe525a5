package exports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncguard/syncguard/internal/safefile"
)

// CheckRestoreTarget says whether a restore may write to out. It never may inside an export
// location SyncGuard watches (the file itself, or any file in the folder): the restore
// would replace the export, or be read as the next export. Nor onto anything that is not a
// regular file (a device such as /dev/full, a FIFO, a link): the write goes through a
// temporary file and a rename, which would replace the device node with a file. An
// existing file is replaced only when force is set, so a mistyped --out never overwrites
// something silently. An existing folder is fine: a folder restore never overwrites a file
// in it.
func CheckRestoreTarget(out string, force bool, exportLocations ...string) error {
	target := resolve(out)
	for _, loc := range exportLocations {
		if strings.TrimSpace(loc) == "" {
			continue
		}
		l := resolve(loc)
		if target == l || strings.HasPrefix(target, l+string(filepath.Separator)) || sameFile(out, loc) {
			return fmt.Errorf("%s: this is the export location SyncGuard watches (%s); a restore written there would replace the export or be read as it: choose another place", out, loc)
		}
	}
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: cannot look at the restore target: %v; choose another place", out, unwrapPathErr(err))
	case fi.IsDir():
		return nil
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: this is %s, not a file; a restore is written to a new file: choose another place", out, safefile.Describe(fi.Mode()))
	case !force:
		return fmt.Errorf("%s: the file exists; choose a new file name, or replace it on purpose with --force", out)
	}
	return nil
}

// resolve makes a path absolute and follows its links as far as they exist, so that two
// spellings of one place compare equal.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
