//go:build !windows

package ipc

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dialAsEnv makes the test binary a client: it dials the folder the variable names and
// prints what it got, so that a test can run it as another user.
const dialAsEnv = "SYNCGUARD_IPC_TEST_DIAL"

func TestMain(m *testing.M) {
	if dir := os.Getenv(dialAsEnv); dir != "" {
		c, err := Dial(dir)
		if err != nil {
			fmt.Println("refused:", err)
			os.Exit(0)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, err := io.ReadAll(c)
		fmt.Printf("connected, read %q, %v\n", b, err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveHello answers every connection with "hello" and closes it.
func serveHello(l net.Listener) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("hello"))
			c.Close()
		}
	}()
}

func TestSocketIsTheUsersOnly(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fi, err := os.Stat(filepath.Join(dir, SocketName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the socket is %v, want a socket of mode 0600", fi.Mode())
	}
	serveHello(l)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	c.Close()
	if string(b) != "hello" {
		t.Fatalf("this user's client read %q, want hello", b)
	}
	// Nothing else was left in the folder (the temporary name the socket was bound under).
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("the folder holds %d entries, want the socket only", len(es))
	}
}

func TestDialWithoutServiceSaysSo(t *testing.T) {
	dir := t.TempDir()
	if _, err := Dial(dir); !errors.Is(err, ErrNoService) {
		t.Fatalf("Dial with no socket: %v, want ErrNoService", err)
	}
	// A service that closed removed its socket; one that was killed left it, unanswered.
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := Dial(dir); !errors.Is(err, ErrNoService) {
		t.Fatalf("Dial after the service closed: %v, want ErrNoService", err)
	}
	killed := leaveStaleSocket(t, dir)
	if _, err := Dial(dir); !errors.Is(err, ErrNoService) {
		t.Fatalf("Dial to a killed service's socket (%s): %v, want ErrNoService", killed, err)
	}
}

// leaveStaleSocket leaves a socket no one listens on, as a killed service does.
func leaveStaleSocket(t *testing.T, dir string) string {
	path := filepath.Join(dir, SocketName)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestListenReplacesAKilledServicesSocket(t *testing.T) {
	dir := t.TempDir()
	leaveStaleSocket(t, dir)
	l, err := Listen(dir)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer l.Close()
	serveHello(l)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	c.Close()
	if string(b) != "hello" {
		t.Fatalf("read %q from the new service, want hello", b)
	}
	// A live service's socket is not taken over.
	if _, err := Listen(dir); !errors.Is(err, ErrInUse) {
		t.Fatalf("a second Listen: %v, want ErrInUse", err)
	}
}

func TestListenRefusesAFolderOthersCanWrite(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if l, err := Listen(dir); err == nil {
		l.Close()
		t.Fatal("Listen in a folder everyone can write: no error")
	}
	if _, err := os.Lstat(filepath.Join(dir, SocketName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a socket was left: %v", err)
	}
}

// TestOtherUserGetsNothing runs a client as nobody against a folder nobody may look into
// (mode 0755: only the socket's own mode stops them), then against a socket whose mode
// was widened by mistake (only the peer-credential check stops them).
func TestOtherUserGetsNothing(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as nobody")
	}
	// A folder of our own, readable by nobody all the way down (t.TempDir's are 0700),
	// holding a copy of this test binary that nobody may run.
	base, err := os.MkdirTemp("", "ipc-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "ipc.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	serveHello(l)

	asNobody := func() string {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), dialAsEnv+"="+dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the client as nobody: %v\n%s", err, out)
		}
		return string(out)
	}
	out := asNobody()
	if !strings.HasPrefix(out, "refused:") || !strings.Contains(out, "permission denied") {
		t.Fatalf("nobody dialing the 0600 socket: %q, want permission denied", out)
	}
	if err := os.Chmod(filepath.Join(dir, SocketName), 0o666); err != nil {
		t.Fatal(err)
	}
	out = asNobody()
	t.Logf("nobody through a widened socket: %s", out)
	if strings.Contains(out, "hello") {
		t.Fatalf("nobody read the service's answer through a widened socket: %q", out)
	}
	// This user still gets the service.
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	c.Close()
	if string(b) != "hello" {
		t.Fatalf("this user read %q, want hello", b)
	}
}
