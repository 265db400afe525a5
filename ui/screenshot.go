package ui

import (
	"strconv"
	"strings"
	"time"
)

// screenshotEnv names the environment variable that make screenshots sets to open one
// window at start, since a script cannot click through the tray reliably:
//
//	status     the status window
//	status-accepted  the status window scrolled down to the findings accepted as intended
//	paused     warnings paused for an hour (the script then opens the tray menu)
//	wizard-N   the wizard at step N (1-7), answered as the demo's device
//	popup      the popup of the worst open finding
//	history    the history window on its newest change
//	restore    the history window's Restore tab
//	settings   the settings window
const screenshotEnv = "SYNCGUARD_SCREENSHOT"

func (u *ui) screenshot(what string) {
	switch {
	case what == "status":
		u.showStatus()
	case what == "status-accepted":
		u.showStatus()
		// Once the first events have filled and laid out the window.
		u.after(3*time.Second, func() { u.status.scroll.ScrollToBottom() })
	case what == "paused":
		go u.svc.Pause(time.Hour)
	case what == "history":
		u.showHistory()
	case what == "restore":
		u.showRestore()
	case what == "settings":
		u.showSettings()
	case what == "popup":
		u.showOpenPopup()
	case strings.HasPrefix(what, "wizard-"):
		n, _ := strconv.Atoi(strings.TrimPrefix(what, "wizard-"))
		u.showWizard()
		u.wizard.others.SetSelected(othersYes)
		u.wizard.othersIA.SetChecked(true)
		u.wizard.stepContent(2) // builds the settings' choices, set as the device declares them
		if n >= 7 {
			u.wizard.finish()
			return
		}
		if n >= 6 {
			u.wizard.count()
		}
		u.wizard.goTo(max(n-1, 0))
	}
}

// showOpenPopup shows the popup the service would show for the open findings, worst
// first; the status window when there is no popup to show: none is open, every open one
// is only information (PopupFor has no popup for those), or the service could not be
// asked (the remote client's PopupFor is nil then).
func (u *ui) showOpenPopup() {
	st := u.svc.Status()
	if len(st.Open) == 0 {
		u.showStatus()
		return
	}
	p := u.svc.PopupFor(st.Open)
	if p == nil {
		u.showStatus()
		return
	}
	u.showPopup(p)
}
