package fleet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/findings"
)

// Publish writes this workstation's file, <id>.json, into the fleet folder atomically (a
// temporary file and a rename, so a reader sees the old file or the new one). It never
// creates the folder: a share that is not mounted must not turn into a local folder that
// nobody else reads. Like Read it gives up after the timeout; the write may still finish
// in the background.
func Publish(ctx context.Context, folder string, f File, timeout time.Duration) error {
	data, err := f.Marshal()
	if err != nil {
		return fmt.Errorf("cannot publish this workstation's fleet file: %v", err)
	}
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		st, err := os.Stat(folder)
		switch {
		case err != nil:
			done <- fmt.Errorf("%s: the fleet folder is not reachable: %v; check the share or the policy's fleet.folder", folder, err)
			return
		case !st.IsDir():
			done <- fmt.Errorf("%s: the fleet folder is not a folder; fix the policy's fleet.folder", folder)
			return
		}
		// 0644: every workstation of the firm reads it; it holds no contact data.
		path := filepath.Join(folder, f.Workstation.ID+".json")
		if err := datadir.WriteFileAtomic(path, data, 0o644); err != nil {
			pe := &PublishError{File: path, Err: err}
			if fi, serr := os.Lstat(path); serr == nil {
				pe.Owner = ownerOf(path, fi)
			}
			done <- pe
			return
		}
		done <- nil
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%s: no answer within %s (the file server is slow or offline); the fleet file will be published at the next check", folder, timeout)
	}
}

// ErrNoFolder says no fleet folder is configured.
var ErrNoFolder = errors.New("no fleet folder is set: choose one in Settings, or IT sets fleet.folder in the policy")

// PublishError is a publish that failed although the folder answered: the file could not
// be written (the share is read-only, or something else holds the workstation's name: a
// file of another user in a folder where one may not replace another's files). Owner is
// the owner of what stands at the file's name, where the file system says.
type PublishError struct {
	File  string
	Owner string
	Err   error
}

func (e *PublishError) Error() string {
	if e.Owner != "" {
		return fmt.Sprintf("%v (the file there belongs to %s)", e.Err, e.Owner)
	}
	return e.Err.Error()
}

func (e *PublishError) Unwrap() error { return e.Err }

// PublishFinding turns a failed publish into a warning: while this workstation's file is
// not in the folder, the others cannot see its devices, so a device shared with them goes
// unnoticed there. A folder that did not answer is not one: the fleet folder's own
// finding says so. ok is false when err is not such a failure.
func PublishFinding(self File, err error) (f findings.Finding, ok bool) {
	var pe *PublishError
	if !errors.As(err, &pe) {
		return findings.Finding{}, false
	}
	f = findings.Finding{
		Kind: findings.MultiWorkstation, Severity: findings.Warning, Subject: "fleet-publish",
		Title: "This workstation's entry in the fleet folder could not be written",
	}
	f.Explanation = fmt.Sprintf("SyncGuard could not write %s: %v.", pe.File, pe.Err)
	if pe.Owner != "" && !SameUser(pe.Owner, self.Workstation.User) {
		f.Title = fmt.Sprintf("This workstation's entry in the fleet folder belongs to %s", pe.Owner)
		f.Explanation = fmt.Sprintf("SyncGuard could not write %s: a file of that name is there and belongs to %s, not to %s. "+
			"It may be another SyncGuard that uses this workstation's name, or someone keeping this workstation out of the fleet folder.",
			pe.File, pe.Owner, cmp.Or(self.Workstation.User, "you"))
	} else if pe.Owner != "" {
		f.Explanation = fmt.Sprintf("SyncGuard could not write %s (the file there belongs to %s): %v.", pe.File, pe.Owner, pe.Err)
	}
	f.Explanation += " Until it is written, the other workstations do not see this one's devices, so a device shared with them goes unnoticed there."
	f.Advice = "Ask IT to look at this file in the fleet folder: remove it if it is not this workstation's, or give this workstation another name."
	return f, true
}
