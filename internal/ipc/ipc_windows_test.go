package ipc

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"

	"github.com/syncguard/syncguard/internal/testkit"
)

func TestPipeIsThisFoldersAndAnswers(t *testing.T) {
	dir := t.TempDir()
	if _, err := Dial(dir); !errors.Is(err, ErrNoService) {
		t.Fatalf("Dial with no service: %v, want ErrNoService", err)
	}
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	other := t.TempDir()
	a, _ := PipeName(dir)
	b, _ := PipeName(other)
	if a == b || !strings.HasPrefix(a, `\\.\pipe\syncguard-`) {
		t.Fatalf("pipe names %q and %q", a, b)
	}
	if _, err := Dial(other); !errors.Is(err, ErrNoService) {
		t.Fatalf("Dial another folder: %v, want ErrNoService", err)
	}
	// A second service for the folder is refused; Wine (8) does not enforce that (it lets a
	// second server create the pipe), so there it is closed again.
	if l2, err := Listen(dir); testkit.UnderWine() {
		if err == nil {
			l2.Close()
		}
	} else if !errors.Is(err, ErrInUse) {
		t.Fatalf("a second Listen on the folder: %v, want ErrInUse", err)
	}
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
	for i := range 3 { // one client after another, each served
		c, err := Dial(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(c)
		c.Close()
		if string(got) != "hello" {
			t.Fatalf("client %d read %q, want hello", i+1, got)
		}
	}
	l.Close()
	if _, err := Dial(dir); !errors.Is(err, ErrNoService) {
		t.Fatalf("Dial after the service closed: %v, want ErrNoService", err)
	}
}

// The server end of a pipe is checked for its user: our own service passes (Dial to our
// Listen works, above), and the same connection, compared with another user's SID, is
// refused. Wine runs every process as one user, so no pipe of another owner can be made
// here; LocalSystem (S-1-5-18) stands in for the other user.
func TestPipeServerMustBeThisUser(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
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
	own, err := userSID()
	if err != nil {
		t.Fatal(err)
	}
	const localSystem = "S-1-5-18"
	if own == localSystem {
		t.Skip("this test runs as LocalSystem: no other user to compare with")
	}
	if !sameUser(own, own) || sameUser(localSystem, own) || sameUser("", "") {
		t.Fatalf("sameUser: %s against itself and %s", own, localSystem)
	}

	name, _ := PipeName(dir)
	timeout := 5 * time.Second
	c, err := winio.DialPipe(name, &timeout)
	if err != nil {
		t.Fatal(err)
	}
	h := windows.Handle(c.(interface{ Fd() uintptr }).Fd())
	server, err := pipeServerUser(h)
	if err != nil {
		t.Fatalf("the server's user: %v", err)
	}
	if server != own {
		t.Fatalf("the server end of our own pipe runs as %s, want %s", server, own)
	}
	if err := checkPipeServer(h, own); err != nil {
		t.Fatalf("our own pipe: %v", err)
	}
	err = checkPipeServer(h, localSystem)
	if !errors.Is(err, ErrNotOurs) {
		t.Fatalf("our pipe checked against %s: %v, want ErrNotOurs", localSystem, err)
	}
	if !strings.Contains(err.Error(), "another user") || !strings.Contains(err.Error(), own) {
		t.Fatalf("the refusal says %q: want it to say another user's program holds it, and whose", err)
	}
	c.Close() // one client after another, as in the test above

	// Dial, which makes the check itself, still reaches our own service.
	d, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(d)
	d.Close()
	if string(got) != "hello" {
		t.Fatalf("Dial read %q, want hello", got)
	}
}
