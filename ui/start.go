//go:build cgo

package ui

import (
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/desktop"
)

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
		} else if p := handedPopup(name); p != nil {
			u.showPopup(p)
		} else {
			u.open(name)
		}
		u.startLayoutDump()
	})
	a.Run()
	return nil
}
