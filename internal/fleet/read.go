package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/workstation"
)

// FS is the seam through which the fleet folder is read: os.DirFS(folder) in production,
// a slow or vanishing fake in tests. The folder is listed with fs.ReadDir and each file
// read with Open; the DirEntry's type must not follow links (os.DirFS's does not).
type FS = fs.FS

// Skipped is a file of the folder that was not used, and why.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Stale is a workstation file older than the policy's fleet.stale_days: the workstation
// has not run SyncGuard for that long, so its devices are not taken as current.
type Stale struct {
	File        string    `json:"file"`
	Workstation string    `json:"workstation"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// View is what a workstation knows of the fleet at one moment.
type View struct {
	Folder       string    `json:"folder"`
	ReadAt       time.Time `json:"read_at"`
	Workstations []File    `json:"workstations"` // fresh files, sorted by id; includes this workstation's own
	Stale        []Stale   `json:"stale"`
	Skipped      []Skipped `json:"skipped"`

	// FromCache is true when the folder could not be read in time and this is the last
	// good view; Problem says why. Age is how old the view is at the time of the read
	// attempt (zero when fresh). Offline is true when there was no cached view either.
	FromCache bool          `json:"from_cache"`
	Age       time.Duration `json:"age_ns"`
	Problem   string        `json:"problem,omitempty"`
	Offline   bool          `json:"offline,omitempty"`
}

// ReadOptions configure Read.
type ReadOptions struct {
	Folder    string        // for messages and the cache; FS is what is read
	FS        FS            // nil: os.DirFS(Folder)
	Timeout   time.Duration // the most Read waits for the folder
	StaleDays int           // files older than this are stale
	CacheFile string        // where the last good view is kept ("" = no cache)
	Now       time.Time     // zero: time.Now()
}

// errFolderGone is returned when the folder disappears during a read.
var errFolderGone = errors.New("the fleet folder went away during the read")

// ignored names are files a file server or Windows put in any folder.
var ignored = map[string]bool{"desktop.ini": true, "thumbs.db": true, ".ds_store": true}

// Read reads the fleet folder within the timeout. When the folder is offline, slow or
// vanishes, it returns the last good view from the cache, marked FromCache with its age,
// and never blocks longer than the timeout. A read that times out keeps running in the
// background until the folder answers (a blocked network read cannot be interrupted);
// it stops at the next file and its result is thrown away.
func Read(ctx context.Context, opt ReadOptions) View {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	fsys := opt.FS
	if fsys == nil {
		fsys = os.DirFS(opt.Folder)
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	type result struct {
		v   View
		err error
	}
	done := make(chan result, 1) // buffered: a late scan must not block forever on send
	go func() {
		v, err := scan(ctx, fsys, opt.StaleDays, now)
		done <- result{v, err}
	}()
	var problem string
	select {
	case r := <-done:
		if r.err == nil {
			r.v.Folder, r.v.ReadAt = opt.Folder, now
			if opt.CacheFile != "" {
				_ = saveCache(opt.CacheFile, r.v) // a cache that cannot be written costs only the fallback
			}
			return r.v
		}
		problem = fmt.Sprintf("%s: %v", opt.Folder, r.err)
	case <-ctx.Done():
		problem = fmt.Sprintf("%s: no answer within %s (the file server is slow or offline)", opt.Folder, opt.Timeout)
	}
	if v, err := loadCache(opt.CacheFile, opt.Folder); err == nil {
		v.FromCache, v.Problem = true, problem
		v.Age = now.Sub(v.ReadAt)
		return v
	}
	return View{Folder: opt.Folder, ReadAt: now, Workstations: []File{}, Stale: []Stale{}, Skipped: []Skipped{},
		Problem: problem + "; no earlier view is cached", Offline: true}
}

// scan reads every file of the folder once.
func scan(ctx context.Context, fsys FS, staleDays int, now time.Time) (View, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return View{}, fmt.Errorf("cannot list the folder: %v", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	v := View{Workstations: []File{}, Stale: []Stale{}, Skipped: []Skipped{}}
	skip := func(name, format string, a ...any) {
		v.Skipped = append(v.Skipped, Skipped{File: name, Reason: fmt.Sprintf(format, a...)})
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return View{}, err // timed out: the caller has moved on
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") || ignored[strings.ToLower(name)] {
			continue // another workstation's file being written (".x.json.tmp123"), or system files
		}
		stem, ok := strings.CutSuffix(name, ".json")
		if !ok {
			skip(name, "not a workstation file (only <workstation-id>.json belongs here)")
			continue
		}
		if err := workstation.ValidID(stem); err != nil {
			skip(name, "odd file name: %v", err)
			continue
		}
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			skip(name, "a link; SyncGuard does not follow links in the fleet folder")
			continue
		case t.IsDir():
			skip(name, "a folder, not a file")
			continue
		case !t.IsRegular():
			skip(name, "not a regular file")
			continue
		}
		data, err := readLimited(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			if _, serr := fs.Stat(fsys, "."); serr != nil {
				return View{}, errFolderGone
			}
			continue // the workstation removed its file between the listing and the read
		}
		if err != nil {
			skip(name, "%v", err)
			continue
		}
		f, err := Parse(data)
		if err != nil {
			skip(name, "%v", err)
			continue
		}
		if f.Workstation.ID != stem {
			// A file may only speak for the workstation it is named after; otherwise one
			// broken client could shadow or impersonate another.
			skip(name, "names workstation %q but is not %s.json", f.Workstation.ID, f.Workstation.ID)
			continue
		}
		if staleDays > 0 && now.Sub(f.UpdatedAt) > time.Duration(staleDays)*24*time.Hour {
			v.Stale = append(v.Stale, Stale{File: name, Workstation: f.Workstation.ID, UpdatedAt: f.UpdatedAt})
			continue
		}
		v.Workstations = append(v.Workstations, f)
	}
	return v, nil
}

// readLimited reads one file, refusing anything that is not a regular file or is larger
// than MaxFileSize. The size is checked on the open file as well as by the read, because
// the listing may be stale and a file may grow while it is read.
func readLimited(fsys FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot open: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%d bytes is more than the %d a fleet file may have", st.Size(), MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("more than the %d bytes a fleet file may have", MaxFileSize)
	}
	return data, nil
}

// sameFolder says whether two spellings name one folder: the policy may write it
// relative or with a trailing separator; Windows and macOS ignore case.
func sameFolder(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if x, err := filepath.Abs(a); err == nil {
		a = x
	}
	if x, err := filepath.Abs(b); err == nil {
		b = x
	}
	a, b = filepath.Clean(a), filepath.Clean(b)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// CacheFile is where the last good view is kept in a data folder.
func CacheFile(dataDir string) string { return filepath.Join(dataDir, "fleet-view.json") }

func saveCache(path string, v View) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := datadir.Ensure(filepath.Dir(path)); err != nil {
		return err
	}
	return datadir.WriteFileAtomic(path, data, 0o600)
}

// loadCache returns the last good view of folder. A view of another folder is no view of
// this one: a mistyped or unmounted folder must come out as unreadable, not as the other
// folder's workstations (with their shared devices and dangers).
func loadCache(path, folder string) (View, error) {
	if path == "" {
		return View{}, errors.New("no cache")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return View{}, err
	}
	var v View
	if err := json.Unmarshal(data, &v); err != nil {
		return View{}, err
	}
	if !sameFolder(v.Folder, folder) {
		return View{}, fmt.Errorf("the cached view is of %s", v.Folder)
	}
	if v.Workstations == nil {
		v.Workstations = []File{}
	}
	if v.Stale == nil {
		v.Stale = []Stale{}
	}
	if v.Skipped == nil {
		v.Skipped = []Skipped{}
	}
	return v, nil
}
