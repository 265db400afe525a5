package tray

import (
	"os"
	"os/exec"
	"sync"
)

// windowProcess starts the windows' process (`syncguard window NAME`) when a window is
// wanted and none runs, and forgets it when it exits (it exits when its last window
// closes). While one runs, it opens the windows itself: it subscribes to the service's
// events and sees the same request the tray saw, so the tray starts no second one.
type windowProcess struct {
	// command is the program and arguments that open the window name.
	command func(name string) *exec.Cmd
	// logf says what went wrong starting one (the service's log).
	logf func(format string, a ...any)
	// exit is called when a window process has exited (nil: nothing to do).
	exit func()

	mu      sync.Mutex
	running *exec.Cmd
	exited  chan struct{} // closed when running exits
	starts  int           // how many were started (tests count them)
}

// windowCommand is the program's own executable with the data folder and policy of this
// service, and the same environment (so SYNCGUARD_E2E_LAYOUT and SYNCGUARD_SCREENSHOT
// reach it). Global options come before the command, as for every command.
func windowCommand(exe string, opt Options) func(name string) *exec.Cmd {
	return func(name string) *exec.Cmd {
		args := []string{"--data", opt.DataDir}
		if opt.PolicyFile != "" {
			args = append(args, "--policy", opt.PolicyFile)
		}
		cmd := exec.Command(exe, append(args, "window", name)...)
		cmd.Env = os.Environ()
		if opt.Demo {
			// The windows of the demo's sandbox must not change how this computer starts.
			cmd.Env = append(cmd.Env, DemoEnv+"=1")
		}
		// Where the service writes (its terminal, or the log file on Windows).
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		return cmd
	}
}

// DemoEnv tells the window process that it shows syncguard demo's sandbox.
const DemoEnv = "SYNCGUARD_DEMO"

// show makes sure the window name is shown: it starts the window process with it when none
// runs, and reports whether it did (else the running one opens it on the same event).
// env is added to a new process's environment.
func (w *windowProcess) show(name string, env ...string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running != nil {
		return false
	}
	cmd := w.command(name)
	if len(env) > 0 {
		if cmd.Env == nil {
			cmd.Env = os.Environ()
		}
		cmd.Env = append(cmd.Env, env...)
	}
	if err := cmd.Start(); err != nil {
		w.logf("cannot open the %s window: %v", name, err)
		return false
	}
	w.starts++
	w.running = cmd
	done := make(chan struct{})
	w.exited = done
	go func() {
		err := cmd.Wait()
		if err != nil {
			w.logf("the windows' process stopped: %v", err)
		}
		w.mu.Lock()
		if w.running == cmd {
			w.running = nil
		}
		w.mu.Unlock()
		close(done)
		if w.exit != nil {
			w.exit() // its queries read the history: the service is idle again
		}
	}()
	return true
}

// stop ends the window process with the service (the windows show the service's data, and
// a window with no service behind it could only fail).
func (w *windowProcess) stop() {
	w.mu.Lock()
	cmd, done := w.running, w.exited
	w.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-done
}

// isRunning reports whether a window process runs now.
func (w *windowProcess) isRunning() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.running != nil
}
