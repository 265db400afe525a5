package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
)

// A command's exit code is a contract (DESIGN.md §5): 2 means "a danger was found". Go
// itself exits 2 when a program dies of a panic in a goroutine other than the command's
// (runGuarded recovers the command's own) or of a fatal error such as running out of
// memory, which no recover can catch. So a command runs in a child process of the same
// program, which hands its exit code back through a file named in exitFileEnv; a child that
// dies without writing it failed, and the parent exits 3 and says so.

const exitFileEnv = "SYNCGUARD_EXIT_FILE"

func isSupervisedChild() bool { return os.Getenv(exitFileEnv) != "" }

// runChild runs the command line; in a supervised child it then writes the exit code for
// the parent.
func runChild(args []string, startTray func(env *Env, args []string) error) int {
	path := os.Getenv(exitFileEnv)
	os.Unsetenv(exitFileEnv) // the windows and processes it starts are not supervised by it
	code := mainIO(args, terminalStdin(), os.Stdout, os.Stderr, startTray)
	if path != "" {
		os.WriteFile(path, []byte(strconv.Itoa(code)), 0o600)
	}
	return code
}

// needsSupervisor: every command but the long-running ones (the tray app, its windows,
// the demo) and help.
func needsSupervisor(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			switch a {
			case "window", "demo", "help":
				return false
			}
			return true
		}
		switch strings.TrimLeft(a, "-") {
		case "data", "policy":
			i++ // its value
		case "h", "help":
			return false
		}
	}
	return false // no command: the tray app
}

// supervise runs exe with prefix and args as a child, passing the terminal through, and
// returns the child's exit code, or ExitFailed when the child died without one.
func supervise(exe string, prefix, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := os.CreateTemp("", "syncguard-exit-*")
	if err != nil {
		return Main(args, stdout, stderr, nil)
	}
	path := f.Name()
	f.Close()
	defer os.Remove(path)
	cmd := exec.Command(exe, append(append([]string{}, prefix...), args...)...)
	cmd.Env = append(os.Environ(), exitFileEnv+"="+path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	// Ctrl-C reaches the child too (the same process group); the parent waits for it.
	ints := make(chan os.Signal, 1)
	signal.Notify(ints, os.Interrupt)
	defer signal.Stop(ints)
	runErr := cmd.Run()
	if data, err := os.ReadFile(path); err == nil {
		if code, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			return code
		}
	}
	if runErr != nil && cmd.ProcessState == nil {
		// It did not start: run the command here instead.
		return Main(args, stdout, stderr, nil)
	}
	fmt.Fprintf(stderr, "syncguard: the command stopped unexpectedly (%v) before it finished, for instance out of memory; what it printed above is all it did. The history is kept as it was before the last write.\n", cmd.ProcessState)
	return ExitFailed
}
