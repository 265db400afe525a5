package ipc

import (
	"errors"
	"io"
	"strings"
	"testing"

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
