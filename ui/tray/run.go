package tray

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"fyne.io/systray"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/desktop"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/ipc"
	"github.com/syncguard/syncguard/internal/notify"
	"github.com/syncguard/syncguard/internal/trim"
)

// Options configure Run: `syncguard [--data DIR] [--policy FILE]`, or syncguard demo.
type Options struct {
	DataDir    string
	PolicyFile string
	// Demo: the service runs on syncguard demo's sandbox, which reads no paired devices
	// from this computer and must not change how it starts.
	Demo bool
}

// ScreenshotEnv names the variable make screenshots sets to open one window at start
// (ui/screenshot.go lists the values); the window process reads it too, for what it does
// inside the window (a wizard step, a scroll).
const ScreenshotEnv = "SYNCGUARD_SCREENSHOT"

// Run is `syncguard` with no command: the service (watcher, history, rules, checks), its
// channel for the windows and commands, and the tray icon, until the user picks Quit or
// the process is asked to stop. A second start while the service runs asks it to show
// its window and returns nil.
func Run(opt Options) error {
	if asked, err := bringForward(opt.DataDir); asked || err != nil {
		return err
	}
	svc, err := app.New(app.Options{DataDir: opt.DataDir, PolicyFile: opt.PolicyFile, NoLiveDetect: opt.Demo})
	if errors.Is(err, history.ErrAlreadyRunning) {
		// Started at the same moment as another: that one owns the history; once it
		// listens, it shows its window.
		for i := 0; i < 20; i++ {
			time.Sleep(250 * time.Millisecond)
			if asked, _ := bringForward(opt.DataDir); asked {
				return nil
			}
		}
		// A command holds it (a restore, doctor) and serves no one: the tray started at
		// login waits for it to finish rather than leave the lawyer unguarded all day.
		for i := 0; i < 120 && errors.Is(err, history.ErrAlreadyRunning); i++ {
			time.Sleep(time.Second)
			if asked, _ := bringForward(opt.DataDir); asked {
				return nil
			}
			svc, err = app.New(app.Options{DataDir: opt.DataDir, PolicyFile: opt.PolicyFile, NoLiveDetect: opt.Demo})
		}
	}
	if err != nil {
		return err
	}
	defer svc.Close()
	// Without a desktop session there is no tray to show: one line says so, and what works
	// instead (the command line then exits with 3).
	if err := desktop.Check(); err != nil {
		return err
	}
	l, err := ipc.Listen(opt.DataDir)
	if err != nil {
		return fmt.Errorf("the windows cannot reach the service: %w", err)
	}
	defer l.Close()
	go remote.Serve(l, svc)

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) { log.Printf("syncguard: "+format, a...) }
	t := &tray{
		svc:     svc,
		windows: &windowProcess{command: windowCommand(exe, opt), logf: logf},
		notify:  notify.New(iconFile(opt.DataDir)),
		logf:    logf,
		quit:    systray.Quit,
		begin:   svc.Start,
		release: func() { releaseMemory(opt.DataDir) },
	}
	t.windows.exit = t.settled
	defer t.windows.stop()

	// Asked to stop (a logout, kill, Ctrl-C in a terminal): leave as Quit does, so the
	// history is closed cleanly and the windows go with the service.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	go func() {
		if _, ok := <-stop; ok {
			systray.Quit()
		}
	}()

	systray.Run(func() { t.start(os.Getenv(ScreenshotEnv)) }, func() {
		if t.unsubscribe != nil {
			t.unsubscribe()
		}
	})
	return nil
}

// start builds the menu, shows the first status and starts the service; on the first
// start, when nothing is set up, the wizard opens by itself. shot opens a window for make
// screenshots instead.
func (t *tray) start(shot string) {
	t.build()
	t.unsubscribe = t.svc.Subscribe(t.update)
	st := t.svc.Status()
	t.update(app.Event{Status: st})
	switch {
	case shot == "paused":
		t.svc.Pause(time.Hour)
	case shot != "":
		t.svc.ShowWindow(screenshotWindow(shot))
	case st.NeedsSetup:
		t.svc.ShowWindow(app.WindowWizard)
	}
	go t.begin()
}

// screenshotWindow is the window a screenshot name opens ("wizard-3": the wizard).
func screenshotWindow(shot string) string {
	switch {
	case shot == "status-accepted":
		return app.WindowStatus
	case strings.HasPrefix(shot, "wizard-"):
		return app.WindowWizard
	}
	return shot
}

// bringForward asks a service already running for dataDir to show its window: the wizard
// while nothing is set up, else the status window. People start a program again when they
// cannot find its window. It reports whether a service answered.
func bringForward(dataDir string) (bool, error) {
	c, err := remote.Dial(dataDir)
	if errors.Is(err, ipc.ErrNoService) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer c.Close()
	if c.Status().NeedsSetup {
		c.ShowWindow(app.WindowWizard)
	} else {
		c.ShowWindow(app.WindowStatus)
	}
	return true, nil
}

// releaseMemory gives back what an idle service does not need: the garbage of the last
// snapshot or query (the Go runtime would keep it for minutes), and the history's pages
// that the snapshot read into memory. The idle figures of make idle depend on it.
func releaseMemory(dataDir string) {
	debug.FreeOSMemory()
	if _, err := trim.Mapped(filepath.Join(dataDir, history.FileName)); err != nil {
		log.Printf("syncguard: giving back the history's memory: %v", err)
	}
}

// iconFile is the app icon as a file for the desktop notifications, which take a path:
// written once into the data folder.
func iconFile(dataDir string) string {
	p := filepath.Join(dataDir, "syncguard-icon.png")
	if fi, err := os.Stat(p); err == nil && fi.Size() == int64(len(assets.AppIcon())) {
		return p
	}
	if err := os.WriteFile(p, assets.AppIcon(), 0o600); err != nil {
		return ""
	}
	return p
}
