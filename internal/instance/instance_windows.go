package instance

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

// eventName is a named event in the session's Local\ namespace: per logged-on user
// session, so another user's SyncGuard on the same terminal server is never signalled.
func eventName(dataDir string) string { return `Local\SyncGuard-show-` + key(dataDir) }

// Listen calls show each time another start for the same data folder asks this instance
// to show itself. stop ends the listening.
func Listen(dataDir string, show func()) (stop func(), err error) {
	name, err := windows.UTF16PtrFromString(eventName(dataDir))
	if err != nil {
		return nil, err
	}
	// Auto-reset: one request, one show.
	ev, err := windows.CreateEvent(nil, 0, 0, name)
	if err != nil {
		return nil, err
	}
	quit, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		windows.CloseHandle(ev)
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			i, err := windows.WaitForMultipleObjects([]windows.Handle{ev, quit}, false, windows.INFINITE)
			if err != nil || i != windows.WAIT_OBJECT_0 {
				return
			}
			show()
		}
	}()
	return func() {
		windows.SetEvent(quit)
		<-done
		windows.CloseHandle(ev)
		windows.CloseHandle(quit)
	}, nil
}

// Signal asks the instance listening on dataDir to show itself; false when none listens.
func Signal(dataDir string) bool {
	name, err := windows.UTF16PtrFromString(eventName(dataDir))
	if err != nil {
		return false
	}
	ev, err := windows.OpenEvent(windows.EVENT_MODIFY_STATE, false, name)
	if err != nil {
		return false
	}
	defer windows.CloseHandle(ev)
	return windows.SetEvent(ev) == nil
}

// key names one data folder, so that two sandboxes (the demo, IT's --data) are two
// instances while the same folder written two ways is one.
func key(dataDir string) string {
	p, err := filepath.Abs(dataDir)
	if err != nil {
		p = dataDir
	}
	p = strings.ToLower(filepath.Clean(p)) // NTFS names are case-insensitive
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:8])
}
