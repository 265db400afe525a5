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
	// user's (their access list refuses us). Which of the two it is decides the error: our
	// own service (ErrInUse) or another user's program holding our name (ErrNotOurs).
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) || errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_PIPE_BUSY) {
		if holderIsOurs(name, sid) {
			return nil, fmt.Errorf("%s: %w", dataDir, ErrInUse)
		}
		return nil, fmt.Errorf("%s: %w", dataDir, ErrNotOurs)
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

// holderIsOurs reports whether the existing pipe name is held by a program of this user:
// it connects (as Dial does, anonymously) and looks at the server's user. A pipe whose
// access list refuses us is not ours (ours admits us); one that stays busy is taken for
// ours, since a busy pipe is what our own service looks like while it is serving.
func holderIsOurs(name, sid string) bool {
	timeout := time.Second
	c, err := winio.DialPipe(name, &timeout)
	if err != nil {
		return !errors.Is(err, windows.ERROR_ACCESS_DENIED)
	}
	defer c.Close()
	f, ok := c.(interface{ Fd() uintptr })
	if !ok {
		return true
	}
	return checkPipeServer(windows.Handle(f.Fd()), sid) == nil
}

// Dial connects to the service's pipe; without one it fails at once with an error that
// errors.Is ErrNoService. The pipe's name is predictable and any user may make a pipe of
// any name, so before anything is said on it Dial checks that the program at the other end
// runs as this user; if not, the connection is closed and the error errors.Is ErrNotOurs.
// (The connection is anonymous: the server cannot act as this user either way.)
func Dial(dataDir string) (net.Conn, error) {
	name, err := PipeName(dataDir)
	if err != nil {
		return nil, err
	}
	sid, err := userSID()
	if err != nil {
		return nil, err
	}
	timeout := 5 * time.Second
	c, err := winio.DialPipe(name, &timeout)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
			return nil, fmt.Errorf("%s: %w", dataDir, ErrNoService)
		}
		// Our own pipe admits this user; one that refuses us was made by someone else.
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			return nil, fmt.Errorf("%s: %w", dataDir, ErrNotOurs)
		}
		return nil, err
	}
	f, ok := c.(interface{ Fd() uintptr })
	if !ok {
		c.Close()
		return nil, fmt.Errorf("%s: cannot check who holds the SyncGuard channel", dataDir)
	}
	if err := checkPipeServer(windows.Handle(f.Fd()), sid); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s: %w", dataDir, err)
	}
	return c, nil
}

// checkPipeServer returns nil when the server end of the connected pipe h is a process
// running as the user whose SID is want; otherwise an error that errors.Is ErrNotOurs. A
// server whose user cannot be read (its process refuses us, or has gone) is not taken for
// ours.
func checkPipeServer(h windows.Handle, want string) error {
	got, err := pipeServerUser(h)
	if err != nil {
		return fmt.Errorf("%w (its user cannot be read: %v)", ErrNotOurs, err)
	}
	if !sameUser(got, want) {
		return fmt.Errorf("%w (it runs as %s)", ErrNotOurs, got)
	}
	return nil
}

// pipeServerUser is the SID, as a string, of the user that the process at the server end
// of the connected pipe h runs as.
func pipeServerUser(h windows.Handle) (string, error) {
	var pid uint32
	if err := windows.GetNamedPipeServerProcessId(h, &pid); err != nil {
		return "", fmt.Errorf("the server's process: %w", err)
	}
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return "", fmt.Errorf("process %d: %w", pid, err)
	}
	defer windows.CloseHandle(p)
	var tok windows.Token
	if err := windows.OpenProcessToken(p, windows.TOKEN_QUERY, &tok); err != nil {
		return "", fmt.Errorf("process %d's token: %w", pid, err)
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("process %d's user: %w", pid, err)
	}
	return u.User.Sid.String(), nil
}

// sameUser compares two SIDs in their string form (S-1-5-21-...), which is canonical for
// a SID: the same SID always gives the same string.
func sameUser(a, b string) bool {
	return a != "" && strings.EqualFold(a, b)
}

func userSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", err
	}
	return u.User.Sid.String(), nil
}
