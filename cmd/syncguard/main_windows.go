package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"golang.org/x/sys/windows"

	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/version"
	"github.com/syncguard/syncguard/ui"
	"github.com/syncguard/syncguard/ui/tray"
)

// console is set by the linker in the console build, syncguard.com
// (-ldflags "-X main.console=yes"); the GUI build, SyncGuard.exe, leaves it empty.
var console string

// demoEnv tells SyncGuard.exe that syncguard.com started it for syncguard demo.
const demoEnv = tray.DemoEnv

// guiName is the tray app's executable, installed beside syncguard.com.
const guiName = "SyncGuard.exe"

// prepare lets SyncGuard.exe print when someone runs it with a command from a console
// anyway ("SyncGuard.exe help"): a GUI program has no console of its own, so it borrows
// its parent's. (cmd.exe does not wait for a GUI program, so %ERRORLEVEL% needs
// syncguard.com; the README says so.)
func prepare() {
	cli.StartWindow = startWindow
	if console != "" || len(os.Args) < 2 {
		return
	}
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return // started from Explorer: no console to print to
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
}

// startTray is what "syncguard" with no command (and "syncguard demo") starts. The console
// build hands over to SyncGuard.exe beside it and waits for it, so a console window never
// hosts the tray's windows and the demo's simulated sync (which runs in this process)
// still happens; the GUI build runs the tray itself, writing what it would have printed
// to the log in the data folder, since a GUI program's stderr goes nowhere.
func startTray(env *cli.Env, args []string) error {
	if console != "" {
		return runGUI(env)
	}
	if os.Getenv(demoEnv) == "1" {
		env.Demo = true
	}
	if err := logToDataDir(env.DataDir); err != nil {
		// Not fatal: the tray works without its log.
		fmt.Fprintln(os.Stderr, "syncguard:", err)
	}
	return tray.Run(trayOptions(env))
}

// startWindow is the window process, which the tray starts from SyncGuard.exe.
func startWindow(env *cli.Env, name string) error {
	if err := logToDataDir(env.DataDir); err != nil {
		fmt.Fprintln(os.Stderr, "syncguard:", err)
	}
	return ui.StartWindow(uiOptions(env), name)
}

func runGUI(env *cli.Env) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	gui := filepath.Join(filepath.Dir(self), guiName)
	if _, err := os.Stat(gui); err != nil {
		return fmt.Errorf("%s: the tray app is not installed beside this program; reinstall SyncGuard", gui)
	}
	argv := []string{"--data", env.DataDir}
	if env.PolicyFile != "" {
		argv = append(argv, "--policy", env.PolicyFile)
	}
	cmd := exec.Command(gui, argv...)
	if env.Demo {
		// The tray on the demo's sandbox must know it is one (no live registry, no Run key).
		cmd.Env = append(os.Environ(), demoEnv+"=1")
	}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("the tray app stopped with exit status %d; its log is %s", exit.ExitCode(), logPath(env.DataDir))
		}
		return err
	}
	return nil
}

// The log: syncguard.log in the data folder, with one older generation kept
// (syncguard.log.1) so that it never grows without bound.
const maxLog = 1 << 20

func logPath(dataDir string) string { return filepath.Join(dataDir, "syncguard.log") }

func logToDataDir(dataDir string) error {
	if err := datadir.Ensure(dataDir); err != nil {
		return err
	}
	p := logPath(dataDir)
	if fi, err := os.Stat(p); err == nil && fi.Size() > maxLog {
		os.Remove(p + ".1")
		os.Rename(p, p+".1")
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("%s: cannot write the log: %v", p, err)
	}
	// Both Go's os.Stderr and the process's standard error handle, so that Fyne's and
	// the runtime's own messages (a crash's stack) land in the log too.
	os.Stderr = f
	log.SetOutput(f)
	windows.SetStdHandle(windows.STD_ERROR_HANDLE, windows.Handle(f.Fd()))
	fmt.Fprintf(f, "%s SyncGuard %s started (pid %d)\n", time.Now().Format(time.RFC3339), version.Version, os.Getpid())
	return nil
}
