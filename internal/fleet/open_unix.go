//go:build unix

package fleet

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// openFile opens a fleet file without following a link and without blocking: a FIFO
// swapped in for a listed file would block an ordinary open until someone writes to it,
// and the read would time out. What was opened is then checked with fstat.
func openFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, errors.New("a link; SyncGuard does not follow links in the fleet folder")
	}
	return f, err
}

// ownerOf names the owner of a file as the file system records it (stat's uid), or ""
// when it does not say.
func ownerOf(_ string, fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	uid := strconv.FormatUint(uint64(st.Uid), 10)
	if u, err := user.LookupId(uid); err == nil && u.Username != "" {
		return u.Username
	}
	return fmt.Sprintf("uid %s", uid)
}
