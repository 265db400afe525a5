package ipc

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// PipeName is the service's pipe for dataDir: named after the user and the folder (hashed,
// since a pipe name has no room for a path), so two users, or two data folders of one user,
// never meet.
func PipeName(dataDir string) (string, error) {
	sid, err := userSID()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(sid + "\x00" + strings.ToLower(filepath.Clean(abs))))
	return `\\.\pipe\syncguard-` + hex.EncodeToString(sum[:12]), nil
}

// Listen creates the service's pipe; its ACL admits only this user (protected: no
// inherited entries, so not even administrators or SYSTEM). A second Listen on the same
// name fails: go-winio creates the first instance with FILE_FLAG_FIRST_PIPE_INSTANCE.
func Listen(dataDir string) (net.Listener, error) {
	name, err := PipeName(dataDir)
	if err != nil {
		return nil, err
	}
	sid, err := userSID()
	if err != nil {
		return nil, err
	}
	l, err := winio.ListenPipe(name, &winio.PipeConfig{
		SecurityDescriptor: "D:P(A;;GA;;;" + sid + ")",
	})
	// The pipe exists (FILE_CREATE fails with a name collision), or exists and is another
	// user's (their access list refuses us).
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) || errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_PIPE_BUSY) {
		return nil, fmt.Errorf("%s: %w", dataDir, ErrInUse)
	}
	if err != nil {
		return nil, err
	}
	return &pipeListener{Listener: l, plug: plugFirstInstance(name)}, nil
}

// pipeListener closes the plug with the pipe.
type pipeListener struct {
	net.Listener
	plug windows.Handle
}

func (l *pipeListener) Close() error {
	err := l.Listener.Close()
	if l.plug != 0 {
		windows.CloseHandle(l.plug)
		l.plug = 0
	}
	return err
}

// plugFirstInstance connects to the pipe once, right after it is made, and keeps that
// connection. go-winio's first pipe instance is never accepted on: Windows keeps it
// closed to clients (it is opened without read or write access), so there the attempt
// fails at once and nothing is kept. Wine (8) lets a client into it, where the client
// would wait for ever (microsoft/go-winio#313 reports the same of Windows 7); the plug
// takes that place, so that real clients reach the instances Accept serves.
func plugFirstInstance(name string) windows.Handle {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return 0
	}
	return h
}

// Dial connects to the service's pipe; without one it fails at once with an error that
// errors.Is ErrNoService.
func Dial(dataDir string) (net.Conn, error) {
	name, err := PipeName(dataDir)
	if err != nil {
		return nil, err
	}
	timeout := 5 * time.Second
	c, err := winio.DialPipe(name, &timeout)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
			return nil, fmt.Errorf("%s: %w", dataDir, ErrNoService)
		}
		return nil, err
	}
	return c, nil
}

func userSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", err
	}
	return u.User.Sid.String(), nil
}
