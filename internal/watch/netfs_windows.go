package watch

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// onNetworkFS reports a mapped network drive (a drive letter on a file server): its
// change notifications miss other machines' writes.
func onNetworkFS(p string) bool {
	vol := filepath.VolumeName(p)
	if len(vol) != 2 || vol[1] != ':' {
		return false
	}
	root, err := windows.UTF16PtrFromString(vol + `\`)
	if err != nil {
		return false
	}
	return windows.GetDriveType(root) == windows.DRIVE_REMOTE
}
