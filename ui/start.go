//go:build cgo

package ui

import (
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/cli"
)

// StartTray starts the tray app and returns when the user quits.
func StartTray(env *cli.Env, _ []string) error {
	svc, err := app.New(app.Options{DataDir: env.DataDir, PolicyFile: env.PolicyFile})
	if err != nil {
		return err
	}
	defer svc.Close()
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("syncguard.png", assets.AppIcon()))
	u := newUI(a, svc)
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
