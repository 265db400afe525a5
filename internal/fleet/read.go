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
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/safefile"
	"github.com/syncguard/syncguard/internal/workstation"
)

// FS is the seam through which the fleet folder is read: FolderFS(folder) in production,
// a slow or vanishing fake in tests. The folder is listed with fs.ReadDir and each file
// read with Open; the DirEntry's type must not follow links (os.DirFS's does not).
type FS = fs.FS

// FolderFS is the fleet folder as production reads it: os.DirFS, except that a file is
// opened without following a link and without blocking, so that a FIFO put in place of a
// listed file is refused by fstat instead of hanging the read until it times out.
func FolderFS(folder string) FS { return folderFS{os.DirFS(folder), folder} }

type folderFS struct {
	dir fs.FS // os.DirFS: the listing
	at  string
}

func (f folderFS) Open(name string) (fs.File, error) {
	if name == "." || !fs.ValidPath(name) {
		return f.dir.Open(name)
	}
	return openFile(filepath.Join(f.at, filepath.FromSlash(name)))
}

func (f folderFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.dir, name) }

// Suspect is a workstation file whose owner on the file server is not the user it names:
// someone else wrote it, perhaps to take the workstation's name so that its own file
// cannot be published (and its devices go unseen), perhaps to speak for it.
type Suspect struct {
	File        string `json:"file"`
	Workstation string `json:"workstation"`
	User        string `json:"user"`  // the user the file names
	Owner       string `json:"owner"` // the file's owner, as the file system records it
}

// How fleet files are read: readWorkers at once, readWindow at a time.
const (
	readWorkers = 8
	readWindow  = 64
)

// maxClockSkew is how far in the future a file's updated_at may be: a workstation's clock
// may be a little ahead; a file dated next year was written to stay fresh forever.
const maxClockSkew = 24 * time.Hour

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
	Reason      string    `json:"reason,omitempty"` // set when the file is dated in the future
}

// View is what a workstation knows of the fleet at one moment.
type View struct {
	Folder       string    `json:"folder"`
	ReadAt       time.Time `json:"read_at"`
	Workstations []File    `json:"workstations"` // fresh files, sorted by id; includes this workstation's own
	Stale        []Stale   `json:"stale"`
	Skipped      []Skipped `json:"skipped"`
	// Suspect lists the workstation files (fresh ones stay in Workstations, stale ones in
	// Stale) whose owner is not the user they name, where the file system says.
	Suspect []Suspect `json:"suspect"`
	// DirectDevices are the phones IT lists in the folder's mobile-devices.csv as syncing
	// directly with Exchange / Microsoft 365 (no workstation in between).
	DirectDevices []DirectDevice `json:"direct_devices,omitempty"`

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
	fsys, at := opt.FS, ""
	if fsys == nil {
		fsys, at = FolderFS(opt.Folder), opt.Folder
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
		v, err := scan(ctx, fsys, at, opt.StaleDays, now)
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
	return View{Folder: opt.Folder, ReadAt: now, Workstations: []File{}, Stale: []Stale{}, Skipped: []Skipped{}, Suspect: []Suspect{},
		Problem: problem + "; no earlier view is cached", Offline: true}
}

// scan reads every file of the folder once. at is the folder's path when fsys is the
// real folder (Windows reads a file's owner by its path), else "".
func scan(ctx context.Context, fsys FS, at string, staleDays int, now time.Time) (View, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return View{}, fmt.Errorf("cannot list the folder: %v", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	v := View{Workstations: []File{}, Stale: []Stale{}, Skipped: []Skipped{}, Suspect: []Suspect{}}
	var claims []claim // every workstation file read, fresh or stale, with its owner
	skip := func(name, format string, a ...any) {
		v.Skipped = append(v.Skipped, Skipped{File: name, Reason: fmt.Sprintf(format, a...)})
	}
	var cands []string // names worth opening, in the listing's order
	direct := ""       // the name of IT's mobile-devices.csv, when there is one
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || ignored[strings.ToLower(name)] {
			continue // another workstation's file being written (".x.json.tmp123"), or system files
		}
		if strings.EqualFold(name, MobileDevicesFile) {
			direct = name // IT's list of phones syncing directly with Exchange: read below
			continue
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
		cands = append(cands, name)
	}
	// Files are read a window at a time by a few workers: on a file server each open is a
	// round trip, and 30,000 of them one after the other take far longer than fleet.timeout.
	// The window bounds memory (each file may be up to MaxFileSize).
	type read struct {
		f     File
		owner string
		err   error // from the read, or the parse
	}
	results := make([]read, readWindow)
	for lo := 0; lo < len(cands); lo += readWindow {
		if err := ctx.Err(); err != nil {
			return View{}, err // timed out: the caller has moved on
		}
		window := cands[lo:min(lo+readWindow, len(cands))]
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(readWorkers, len(window)) {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < len(window) && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
					path := ""
					if at != "" {
						path = filepath.Join(at, window[i])
					}
					data, owner, err := readLimited(fsys, window[i], path)
					r := read{owner: owner, err: err}
					if err == nil {
						r.f, r.err = Parse(data)
					}
					results[i] = r
				}
			})
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return View{}, err
		}
		for i, name := range window {
			stem := strings.TrimSuffix(name, ".json")
			f, owner, err := results[i].f, results[i].owner, results[i].err
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
			if f.Workstation.ID != stem {
				// A file may only speak for the workstation it is named after; otherwise one
				// broken client could shadow or impersonate another.
				skip(name, "names workstation %q but is not %s.json", f.Workstation.ID, f.Workstation.ID)
				continue
			}
			if owner != "" {
				claims = append(claims, claim{file: name, ws: f.Workstation.ID, user: f.Workstation.User, owner: owner})
			}
			if f.UpdatedAt.After(now.Add(maxClockSkew)) {
				// A date in the future would keep the file fresh for ever, whatever the
				// workstation does: taken as stale, and said so.
				v.Stale = append(v.Stale, Stale{File: name, Workstation: f.Workstation.ID, UpdatedAt: f.UpdatedAt,
					Reason: "dated in the future; no workstation's clock is that far ahead"})
				continue
			}
			if staleDays > 0 && now.Sub(f.UpdatedAt) > time.Duration(staleDays)*24*time.Hour {
				v.Stale = append(v.Stale, Stale{File: name, Workstation: f.Workstation.ID, UpdatedAt: f.UpdatedAt})
				continue
			}
			v.Workstations = append(v.Workstations, f)
		}
	}
	if direct != "" && ctx.Err() == nil {
		path := ""
		if at != "" {
			path = filepath.Join(at, direct)
		}
		data, _, err := readUpTo(fsys, direct, path, maxMobileDevicesFile)
		if err == nil {
			var bad []Skipped
			v.DirectDevices, bad = ParseMobileDevices(direct, data)
			v.Skipped = append(v.Skipped, bad...)
		} else if !errors.Is(err, fs.ErrNotExist) {
			skip(direct, "%v", err)
		}
	}
	// The skipped files in the listing's order, whichever pass skipped them.
	sort.SliceStable(v.Skipped, func(i, j int) bool { return v.Skipped[i].File < v.Skipped[j].File })
	v.Suspect = suspects(claims)
	return v, nil
}

// claim is a workstation file as read: the user it names and the owner the file has.
type claim struct{ file, ws, user, owner string }

// suspects lists the files whose owner is not the user they name. A folder whose files all
// have one owner says nothing about who wrote each (a Linux mount of a Windows share shows
// every file as the mounting account's), so ownership is judged only where the files have
// at least two owners.
func suspects(claims []claim) []Suspect {
	out := []Suspect{}
	distinct := map[string]bool{}
	for _, c := range claims {
		distinct[c.owner] = true
	}
	if len(distinct) < 2 {
		return out
	}
	for _, c := range claims {
		if !SameUser(c.owner, c.user) {
			out = append(out, Suspect{File: c.file, Workstation: c.ws, User: c.user, Owner: c.owner})
		}
	}
	return out
}

// SameUser says whether a file's owner is the user a fleet file names: FIRM\anna,
// anna@firm.example and anna are one user, since the file server and the workstation
// may each write the name their own way.
func SameUser(owner, user string) bool {
	bare := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		if i := strings.LastIndexAny(s, `\/`); i >= 0 {
			s = s[i+1:]
		}
		if i := strings.IndexByte(s, '@'); i >= 0 {
			s = s[:i]
		}
		return s
	}
	return bare(owner) != "" && bare(owner) == bare(user)
}

// readLimited reads one file, refusing anything that is not a regular file or is larger
// than MaxFileSize. The size is checked on the open file as well as by the read, because
// the listing may be stale and a file may grow while it is read.
//
// It also returns the file's owner where the file system says (path is the file's path
// when fsys is the real folder, for Windows; "" otherwise).
func readLimited(fsys FS, name, path string) ([]byte, string, error) {
	return readUpTo(fsys, name, path, MaxFileSize)
}

// readUpTo is readLimited with another bound (IT's mobile-devices.csv).
func readUpTo(fsys FS, name, path string, limit int64) ([]byte, string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
		return nil, "", fmt.Errorf("cannot open: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, "", fmt.Errorf("cannot read: %v", err)
	}
	if !st.Mode().IsRegular() {
		return nil, "", fmt.Errorf("this is %s, not a regular file", safefile.Describe(st.Mode()))
	}
	if st.Size() > limit {
		return nil, "", fmt.Errorf("%d bytes is more than the %d this file may have", st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", fmt.Errorf("cannot read: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, "", fmt.Errorf("more than the %d bytes this file may have", limit)
	}
	return data, ownerOf(path, st), nil
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
	if v.Suspect == nil {
		v.Suspect = []Suspect{}
	}
	return v, nil
}
