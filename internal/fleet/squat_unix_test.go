//go:build unix

package fleet

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
)

// swapFS lists the folder, then a hostile writer replaces some of the listed files with
// FIFOs before they are opened.
type swapFS struct {
	FS
	dir  string
	swap []string
}

func (s swapFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(s.FS, name)
	for _, n := range s.swap {
		p := filepath.Join(s.dir, n)
		if rerr := os.Remove(p); rerr != nil {
			return nil, rerr
		}
		if ferr := syscall.Mkfifo(p, 0o644); ferr != nil {
			return nil, ferr
		}
	}
	return entries, err
}

// TestFIFOsSwappedInForListedFilesNeverBlockTheRead: 8 of 40 files turned into FIFOs
// between the listing and the reads used to block each open until the read timed out, and
// the check fell back to an old view. Each is now refused as not a regular file and the 32
// others are read.
func TestFIFOsSwappedInForListedFilesNeverBlockTheRead(t *testing.T) {
	dir := t.TempDir()
	var swap []string
	for i := range 40 {
		id := fmt.Sprintf("ws-%02d", i)
		writeFile(t, dir, id+".json", ws(id, true, now.Add(-time.Hour), Device{ID: "palm-" + id, Name: "Treo"}))
		if i%5 == 0 {
			swap = append(swap, id+".json")
		}
	}
	v := Read(context.Background(), ReadOptions{Folder: dir, FS: swapFS{FolderFS(dir), dir, swap}, Timeout: 5 * time.Second, StaleDays: 30, Now: now,
		CacheFile: filepath.Join(t.TempDir(), "cache.json")})
	if v.FromCache || v.Offline || v.Problem != "" {
		t.Fatalf("the read did not finish: %+v", v.Problem)
	}
	if len(v.Workstations) != 32 || len(v.Skipped) != 8 {
		t.Fatalf("read %d, skipped %d; want 32 and 8", len(v.Workstations), len(v.Skipped))
	}
	for _, s := range v.Skipped {
		if !strings.Contains(s.Reason, "this is a named pipe (FIFO), not a regular file") {
			t.Errorf("%s skipped as %q", s.File, s.Reason)
		}
	}
}

// asRoot skips a test that must give files to another user.
func asRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("giving a file to another user needs root")
	}
}

// TestAFileOwnedByAnotherUserIsSuspect: the admin's report lists a file whose owner is not
// the user it names; where every file has one owner (a mounted share that maps all to one
// account), nothing is said.
func TestAFileOwnedByAnotherUserIsSuspect(t *testing.T) {
	asRoot(t)
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mine := ws("ws-mine", true, now.Add(-time.Hour), Device{ID: "palm-1", Name: "Treo"})
	mine.Workstation.User = `FIRM\` + me.Username
	writeFile(t, dir, "ws-mine.json", mine)
	victim := ws("ws-victim", true, now.Add(-time.Hour), Device{ID: "palm-1", Name: "Treo"})
	victim.Workstation.User = "victim"
	writeFile(t, dir, "ws-victim.json", victim)
	nobody := ws("ws-nobody", false, now.Add(-time.Hour))
	nobody.Workstation.User = "nobody@firm.example"
	writeFile(t, dir, "ws-nobody.json", nobody)

	// Before the squatter's file is given away, every file has one owner: nothing is said.
	if v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now}); len(v.Suspect) != 0 {
		t.Errorf("one owner for all files, suspects = %+v", v.Suspect)
	}
	for _, n := range []string{"ws-victim.json", "ws-nobody.json"} {
		if err := os.Chown(filepath.Join(dir, n), 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now})
	if len(v.Suspect) != 1 || v.Suspect[0].File != "ws-victim.json" || v.Suspect[0].User != "victim" || v.Suspect[0].Owner == "" || v.Suspect[0].Owner == me.Username {
		t.Fatalf("suspects = %+v; want ws-victim.json alone, owned by uid 65534", v.Suspect)
	}
	r := FirmReport(v, nil)
	if len(r.Suspect) != 1 || r.Worst() < findings.Warning || r.Workstations != 3 {
		t.Errorf("report: suspects %+v, worst %v, %d workstations", r.Suspect, r.Worst(), r.Workstations)
	}
}

// TestAFailedPublishIsAWarningNamingTheFileAndItsOwner: another user's entry holds this
// workstation's name, so its file cannot be written; the check used to say only "not
// published" and exit 0.
func TestAFailedPublishIsAWarningNamingTheFileAndItsOwner(t *testing.T) {
	asRoot(t)
	dir := t.TempDir()
	// A folder under the name: even root cannot rename a file over it.
	squat := filepath.Join(dir, "ws-self.json")
	if err := os.Mkdir(squat, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(squat, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	me := self()
	me.Workstation.User = `FIRM\jane`
	err := Publish(context.Background(), dir, me, 5*time.Second)
	if err == nil {
		t.Fatal("publishing over another user's entry succeeded")
	}
	f, ok := PublishFinding(me, err)
	if !ok || f.Severity != findings.Warning || f.Kind != findings.MultiWorkstation {
		t.Fatalf("finding = %+v, %v", f, ok)
	}
	owner := fmt.Sprint(ownerOf(squat, mustStat(t, squat)))
	if owner == "" || !strings.Contains(f.Title, owner) || !strings.Contains(f.Explanation, squat) || !strings.Contains(f.Explanation, `not to FIRM\jane`) {
		t.Errorf("finding must name the file and its owner %q: %s / %s", owner, f.Title, f.Explanation)
	}
	// A folder that does not answer is not this finding (the folder's own finding is).
	if _, ok := PublishFinding(me, Publish(context.Background(), filepath.Join(dir, "missing"), me, time.Second)); ok {
		t.Error("an unreachable folder gave the publish finding")
	}
}

func mustStat(t *testing.T, p string) fs.FileInfo {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}
