//go:build cgo

package ui

import (
	"errors"
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/internal/desktop"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/instance"
)

// StartTray starts the tray app and returns when the user quits. A second start on the
// same data folder asks the first to bring its window forward and returns nil, where the
// platform can carry that request (Windows); elsewhere it returns "already running".
func StartTray(env *cli.Env, _ []string) error {
	// The demo's sandbox reads no paired devices from this computer's registry.
	svc, err := app.New(app.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile, NoLiveDetect: env.Demo})
	if errors.Is(err, history.ErrAlreadyRunning) && instance.Signal(env.DataDir) {
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
	u.demo = env.Demo
	if stop, err := instance.Listen(env.DataDir, func() { u.do(u.bringForward) }); err == nil {
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
