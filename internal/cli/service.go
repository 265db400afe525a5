package cli

import (
	"fmt"
	"path/filepath"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

// service is what the commands ask of the application: the workflows live once, in app,
// and a command only turns its flags into a request and prints the answer. Every method
// takes and returns plain data, so that the running tray's service can answer them over
// its local channel as well as a service this command opens itself.
type service interface {
	Check(req app.CheckRequest) (app.CheckResult, error)
	WorkstationInfo(opt workstation.MailboxOptions) (app.WorkstationInfo, error)
	Snapshots() ([]history.Snapshot, error)
	Diff(from, to uint64) (diff.Change, error)
	FindContacts(query string, histories bool) (app.ContactMatches, error)
	Findings(all bool) ([]findings.Finding, error)
	Finding(id string) (findings.Finding, error)
	Acknowledge(id string) (findings.Finding, error)
	Reopen(id string) (findings.Finding, error)
	FleetReport(folder string) (app.FleetReport, error)
	Duplicates(path string) (app.Duplicates, error)
	PolicyReport() (app.PolicyReport, error)
	DeviceList(detect *conduit.DetectOptions) (app.DeviceList, error)
	DeclareDevice(id string, e app.DeviceEdit) error
	EditDevice(id string, e app.DeviceEdit, detect *conduit.DetectOptions) error
	RemoveDevice(id string) error
	SetWorkstation(e app.WorkstationEdit) error
	RestoreTo(req app.RestoreRequest) (app.RestoreResult, error)
	Snapshot(path string, force, details bool) (*app.SnapshotResult, error)
	Close() error
}

// open gives a command the application service. It is the one place commands get it
// from: today it opens the history in --data DIR itself, as a service that does not
// watch (no tray is started, nothing pops up), with the policy this command was given.
//
// While the tray's service runs on the same data folder it owns the history, so the
// command goes through it (remote.Dial, over the per-user channel) and sees what the tray
// shows; the service's policy is then the one in force. With no service running, the
// command opens the history itself.
func (env *Env) open() (service, error) {
	dir, err := filepath.Abs(env.DataDir)
	if err != nil {
		return nil, err
	}
	// --policy asks for that policy: the running service has its own, so the command
	// then opens the history itself (and says "already running" where it must).
	if env.PolicyFile == "" {
		if c, err := remote.Dial(dir); err == nil {
			return c, nil
		}
	}
	p, err := loadPolicy(env)
	if err != nil {
		return nil, err
	}
	opt := app.Options{DataDir: dir, Policy: p, NoLiveDetect: true, HistoryHeldOK: true,
		Warn: func(msg string) { fmt.Fprintf(env.Stderr, "syncguard: warning: %s\n", msg) }}
	if fleetFS != nil {
		opt.FleetFS = fleetFS
	}
	return app.New(opt)
}

// fleetFS lets tests put a slow or vanishing folder behind `check` and `fleet`; nil means
// the real one.
var fleetFS func(folder string) fleet.FS

// absAll makes paths given on the command line absolute: the service may run in
// another folder.
func absAll(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, absPath(p))
	}
	return out
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
