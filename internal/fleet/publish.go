package fleet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
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
		done <- datadir.WriteFileAtomic(filepath.Join(folder, f.Workstation.ID+".json"), data, 0o644)
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
