package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this very program (the test binary holds main and everything it
// links, Fyne and GLFW included where cgo is on) as a user would: with
// SYNCGUARD_RUN_MAIN set it is syncguard, its arguments after "--".
func TestMain(m *testing.M) {
	if os.Getenv("SYNCGUARD_RUN_MAIN") != "" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"syncguard"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// runSyncguard runs the program with env (the test's own environment less DISPLAY and
// WAYLAND_DISPLAY, plus env) and returns its output and exit code.
func runSyncguard(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "SYNCGUARD_RUN_MAIN=1")
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestNoDesktopSession: started with no desktop session (no display at all, or a DISPLAY
// nothing answers on), syncguard says in one line that the tray app needs one and names
// the command line, and exits with 3; no panic, no stack trace from GLFW. Its data folder
// is the test's own, so no one's history is touched.
func TestNoDesktopSession(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	for _, env := range [][]string{nil, {"DISPLAY=:4711"}, {"WAYLAND_DISPLAY=nothing-here", "XDG_RUNTIME_DIR=" + t.TempDir()}} {
		stdout, stderr, code := runSyncguard(t, env, "--data", data)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if code != 3 || stdout != "" || len(lines) != 1 ||
			!strings.Contains(stderr, "the tray app needs a desktop session") || !strings.Contains(stderr, "syncguard help") ||
			strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 3 and one line naming the desktop session and 'syncguard help'", env, code, stdout, stderr)
		}
	}
	// The command line itself needs no desktop.
	if out, stderr, code := runSyncguard(t, nil, "--data", data, "help"); code != 0 || !strings.Contains(out, "usage: syncguard") {
		t.Errorf("syncguard help without a desktop: exit %d, %q %q", code, out, stderr)
	}
}
