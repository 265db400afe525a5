package history

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// holdChild is the other process of TestASecondProcessIsRefused: it opens the history,
// says so, and holds it until its standard input closes.
func holdChild(dir string) {
	s, err := Open(dir, Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("open")
	io.Copy(io.Discard, os.Stdin)
	s.Close()
}

// TestASecondProcessIsRefused: the history's lock holds between two processes (flock on
// Unix, LockFileEx on Windows, where it runs under Wine in make test-windows), and is
// released when the first one closes it.
func TestASecondProcessIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SYNCGUARD_HOLD_CHILD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "open\n" {
		t.Fatalf("the other process: %q %v", line, err)
	}

	if _, err := Open(dir, Options{LockTimeout: 300 * time.Millisecond}); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("open while another process holds the history: %v, want ErrAlreadyRunning", err)
	}

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the other process: %v", err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("open after the other process closed the history: %v", err)
	}
	s.Close()
}
