//go:build cgo

package ui

import (
	"errors"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/desktop"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/instance"
)

// StartTray starts the tray app and returns when the user quits. A second start on the
// same data folder asks the first to bring its window forward and returns nil, where the
// platform can carry that request (Windows); elsewhere it returns "already running".
func StartTray(o Options) error {
	// The demo's sandbox reads no paired devices from this computer's registry.
	svc, err := app.New(app.Options{DataDir: o.DataDir, PolicyFile: o.PolicyFile, NoLiveDetect: o.Demo})
	if errors.Is(err, history.ErrAlreadyRunning) && instance.Signal(o.DataDir) {
		return nil
	}
	if err != nil {
		return err
	}
	defer svc.Close()
	// Without a desktop session Fyne's GLFW driver panics with a stack trace; one line
	// says what is missing and what works instead (the command line then exits with 3).
	if err := desktop.Check(); err != nil {
		return err
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("syncguard.png", assets.AppIcon()))
	u := newUI(a, svc)
	u.demo = o.Demo
	if stop, err := instance.Listen(o.DataDir, func() { u.do(u.bringForward) }); err == nil {
		defer stop()
	}
	// The bridge: the service's events run on its goroutines; Fyne's objects may be
	// touched on Fyne's goroutine only.
	svc.Subscribe(func(e app.Event) { u.do(func() { u.update(e) }) })
	a.Lifecycle().SetOnStarted(func() {
		u.started(os.Getenv(screenshotEnv))
		u.startLayoutDump()
		go svc.Start()
	})
	a.Run()
	return nil
}

// StartWindow is the window process (syncguard window NAME): it connects to the running
// service for o.DataDir, shows the window name stands for (one of app.Windows), opens the
// others the service asks for (Event.Show), shows the popups its events carry, and returns
// when its last window closes or the service goes away. It never opens the history: every
// question goes to the service.
func StartWindow(o Options, name string) error {
	if !validWindow(name) {
		return errUnknownWindow(name)
	}
	c, err := remote.Dial(o.DataDir)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := desktop.Check(); err != nil {
		return err
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("syncguard.png", assets.AppIcon()))
	u := newWindowUI(a, c)
	u.demo = o.Demo
	c.Subscribe(func(e app.Event) { u.do(func() { u.update(e) }) })
	go func() {
		<-c.Done()
		u.do(a.Quit)
	}()
	a.Lifecycle().SetOnStarted(func() {
		u.update(app.Event{Status: c.Status()})
		if shot := os.Getenv(screenshotEnv); shot != "" {
			u.screenshot(shot)
		} else {
			u.open(name)
		}
		u.startLayoutDump()
	})
	a.Run()
	return nil
}
