//go:build !windows

package ipc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// SocketName is the socket's name in the data folder.
const SocketName = "service.sock"

// Listen listens on <dataDir>/service.sock, mode 0600, replacing a socket left by a
// service that was killed. The folder must be this user's and writable by no one else:
// whoever can write in it could put their own socket in place of the service's.
func Listen(dataDir string) (net.Listener, error) {
	if err := checkFolder(dataDir); err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, SocketName)
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("%s is not a socket; move it away so that SyncGuard can listen", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", path, ErrInUse)
		}
		// Nobody answers: a service was killed before it could remove its socket.
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	// Bind under a temporary name, make it 0600, then rename it into place, so that the
	// socket is never reachable under its real name with a wider mode. (The umask would do
	// it too, but it is the whole process's, and other goroutines create folders.)
	tmp := filepath.Join(dataDir, ".service-"+strconv.Itoa(os.Getpid())+".sock")
	os.Remove(tmp)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, err
	}
	l.SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, 0o600); err != nil {
		l.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		l.Close()
		os.Remove(tmp)
		return nil, err
	}
	fi, _ := os.Stat(path)
	return &listener{UnixListener: l, path: path, file: fi}, nil
}

// listener removes the socket when it closes: a later Dial then fails at once with
// ErrNoService rather than with "connection refused".
type listener struct {
	*net.UnixListener
	path string
	file os.FileInfo // the socket file it made, so Close never removes another's
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		// The socket's mode already keeps other users out; the peer's credentials are a
		// second lock where the system gives them (Linux).
		if err := checkPeer(c); err != nil {
			c.Close()
			continue
		}
		return c, nil
	}
}

func (l *listener) Close() error {
	err := l.UnixListener.Close()
	if now, serr := os.Stat(l.path); serr == nil && l.file != nil && os.SameFile(now, l.file) {
		os.Remove(l.path)
	}
	return err
}

// Dial connects to the service for dataDir; without one it fails at once with an error
// that errors.Is ErrNoService.
func Dial(dataDir string) (net.Conn, error) {
	path := filepath.Join(dataDir, SocketName)
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("%s: %w", dataDir, ErrNoService)
		}
		return nil, err
	}
	return c, nil
}

func checkFolder(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok {
		return fmt.Errorf("%s is not a folder", dir)
	}
	if int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s belongs to another user; SyncGuard listens only in a folder of yours", dir)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s: mode %v lets others write in it; SyncGuard listens only in a folder only you can change", dir, fi.Mode().Perm())
	}
	return nil
}
