package remote

import (
	"context"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/workstation"
)

// One method per method of app.API: the call by name, the arguments (paths made absolute,
// no context), a pointer to each result. A call that cannot reach the service returns that
// error where the method has an error result; where it has none, the methods below say.

func args(a ...any) []any { return a }

// Status, when the service cannot be reached, is an error status: never "All good". The
// sentence is plain words for the user; the transport's own error ("read unix …: EOF") is
// kept in HistoryError, for IT. The icon is the danger one, as for every error status.
func (c *Client) Status() (st app.Status) {
	if err := c.call("Status", nil, &st); err != nil {
		return app.Status{State: app.StateError, Icon: string(app.StateDanger),
			Sentence: ServiceGone, Line: "SyncGuard's background service is not running",
			HistoryError: err.Error()}
	}
	return st
}

// ServiceGone is the status sentence when the service cannot be reached.
const ServiceGone = "SyncGuard's background service is not running. Start SyncGuard again (from the Start menu on Windows)."

func (c *Client) PopupFor(open []findings.Finding) (p *app.Popup) {
	c.call("PopupFor", args(open), &p)
	return p
}

func (c *Client) Pause(d time.Duration) { c.call("Pause", args(d)) }

func (c *Client) ScanNow() { c.call("ScanNow", nil) }

func (c *Client) ShowWindow(name string) { c.call("ShowWindow", args(name)) }

func (c *Client) Finding(id string) (f findings.Finding, err error) {
	if e := c.call("Finding", args(id), &f, &err); e != nil {
		return f, e
	}
	return f, err
}

func (c *Client) Acknowledge(id string) (f findings.Finding, err error) {
	if e := c.call("Acknowledge", args(id), &f, &err); e != nil {
		return f, e
	}
	return f, err
}

func (c *Client) Reopen(id string) (f findings.Finding, err error) {
	if e := c.call("Reopen", args(id), &f, &err); e != nil {
		return f, e
	}
	return f, err
}

func (c *Client) Snapshots() (ss []history.Snapshot, err error) {
	if e := c.call("Snapshots", nil, &ss, &err); e != nil {
		return nil, e
	}
	return ss, err
}

func (c *Client) Diff(from, to uint64) (ch diff.Change, err error) {
	if e := c.call("Diff", args(from, to), &ch, &err); e != nil {
		return ch, e
	}
	return ch, err
}

func (c *Client) Versions(key string) (vs []history.Version, err error) {
	if e := c.call("Versions", args(key), &vs, &err); e != nil {
		return nil, e
	}
	return vs, err
}

func (c *Client) Restore(snap uint64, sel history.Selection, keys []string, path string, f app.Format) (n int, err error) {
	if e := c.call("Restore", args(snap, sel, keys, abs(path), f), &n, &err); e != nil {
		return 0, e
	}
	return n, err
}

func (c *Client) RestoreRemovedIn(snap uint64, path string, f app.Format) (n int, err error) {
	if e := c.call("RestoreRemovedIn", args(snap, abs(path), f), &n, &err); e != nil {
		return 0, e
	}
	return n, err
}

func (c *Client) RestoreFinding(id, path string, f app.Format) (n int, err error) {
	if e := c.call("RestoreFinding", args(id, abs(path), f), &n, &err); e != nil {
		return 0, e
	}
	return n, err
}

func (c *Client) Settings() (e app.Effective) {
	c.call("Settings", nil, &e)
	return e
}

// DataDir is the service's data folder (the one dialed, when the service cannot say).
func (c *Client) DataDir() string {
	var d string
	if c.call("DataDir", nil, &d) != nil {
		return c.dataDir
	}
	return d
}

func (c *Client) Export() (p string) {
	c.call("Export", nil, &p)
	return p
}

func (c *Client) ExportLocked() (locked bool) {
	c.call("ExportLocked", nil, &locked)
	return locked
}

func (c *Client) SetExport(path string) (err error) {
	if e := c.call("SetExport", args(abs(path)), &err); e != nil {
		return e
	}
	return err
}

func (c *Client) SetFleetFolder(dir string) (err error) {
	if e := c.call("SetFleetFolder", args(abs(dir)), &err); e != nil {
		return e
	}
	return err
}

func (c *Client) SetNotifications(on bool) (err error) {
	if e := c.call("SetNotifications", args(on), &err); e != nil {
		return e
	}
	return err
}

func (c *Client) SetStartAtLogin(on bool) (err error) {
	if e := c.call("SetStartAtLogin", args(on), &err); e != nil {
		return e
	}
	return err
}

func (c *Client) SetSource(src string) (err error) {
	if e := c.call("SetSource", args(src), &err); e != nil {
		return e
	}
	return err
}

// Catalog is the service's catalog of sync software (empty when it cannot be reached).
func (c *Client) Catalog() *conduit.Catalog {
	var cat conduit.Catalog
	c.call("Catalog", nil, &cat)
	return &cat
}

func (c *Client) Devices() (ds []conduit.Device, errs []error) {
	if e := c.call("Devices", nil, &ds, &errs); e != nil {
		return nil, []error{e}
	}
	return ds, errs
}

func (c *Client) DeviceWords(d conduit.Device) (w string) {
	c.call("DeviceWords", args(d), &w)
	return w
}

func (c *Client) Workstation() (id string, sync workstation.Sync) {
	c.call("Workstation", nil, &id, &sync)
	return id, sync
}

func (c *Client) ExportPreview(path string) (n int, loc exports.Location, err error) {
	if e := c.call("ExportPreview", args(abs(path)), &n, &loc, &err); e != nil {
		return 0, loc, e
	}
	return n, loc, err
}

func (c *Client) CategoryCount(path string) (multi, total int, err error) {
	if e := c.call("CategoryCount", args(abs(path)), &multi, &total, &err); e != nil {
		return 0, 0, e
	}
	return multi, total, err
}

func (c *Client) Evaluate(a app.Answers) (cl app.Checklist) {
	c.call("Evaluate", args(a), &cl)
	return cl
}

// Apply: the context stays here; the service's ends when this client hangs up.
func (c *Client) Apply(_ context.Context, a app.Answers) (err error) {
	a.Export = abs(a.Export)
	if e := c.call("Apply", args(a), &err); e != nil {
		return e
	}
	return err
}

// The command line's workflows. The commands make their paths absolute already; the
// client does it again so that any caller may send relative ones.

func absDetect(d *conduit.DetectOptions) *conduit.DetectOptions {
	if d == nil {
		return nil
	}
	o := *d
	o.RegFiles = absEach(o.RegFiles)
	o.AppleLockdown = absEach(o.AppleLockdown)
	o.AppleBackups = absEach(o.AppleBackups)
	return &o
}

func absEach(ps []string) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = abs(p)
	}
	return out
}

func (c *Client) Check(req app.CheckRequest) (r app.CheckResult, err error) {
	req.Fleet, req.Export, req.Detect = abs(req.Fleet), abs(req.Export), absDetect(req.Detect)
	if e := c.call("Check", args(req), &r, &err); e != nil {
		return r, e
	}
	return r, err
}

func (c *Client) WorkstationInfo(opt workstation.MailboxOptions) (w app.WorkstationInfo, err error) {
	opt.RegFiles = absEach(opt.RegFiles)
	if e := c.call("WorkstationInfo", args(opt), &w, &err); e != nil {
		return w, e
	}
	return w, err
}

func (c *Client) FindContacts(query string, histories bool) (m app.ContactMatches, err error) {
	if e := c.call("FindContacts", args(query, histories), &m, &err); e != nil {
		return m, e
	}
	return m, err
}

func (c *Client) Findings(all bool) (fs []findings.Finding, err error) {
	if e := c.call("Findings", args(all), &fs, &err); e != nil {
		return nil, e
	}
	return fs, err
}

func (c *Client) FleetReport(folder string) (r app.FleetReport, err error) {
	if e := c.call("FleetReport", args(abs(folder)), &r, &err); e != nil {
		return r, e
	}
	return r, err
}

func (c *Client) Duplicates(path string) (d app.Duplicates, err error) {
	if e := c.call("Duplicates", args(abs(path)), &d, &err); e != nil {
		return d, e
	}
	return d, err
}

func (c *Client) PolicyReport() (r app.PolicyReport, err error) {
	if e := c.call("PolicyReport", nil, &r, &err); e != nil {
		return r, e
	}
	return r, err
}

func (c *Client) DeviceList(detect *conduit.DetectOptions) (l app.DeviceList, err error) {
	if e := c.call("DeviceList", args(absDetect(detect)), &l, &err); e != nil {
		return l, e
	}
	return l, err
}

func (c *Client) DeclareDevice(id string, e app.DeviceEdit) (err error) {
	if ce := c.call("DeclareDevice", args(id, e), &err); ce != nil {
		return ce
	}
	return err
}

func (c *Client) EditDevice(id string, e app.DeviceEdit, detect *conduit.DetectOptions) (err error) {
	if ce := c.call("EditDevice", args(id, e, absDetect(detect)), &err); ce != nil {
		return ce
	}
	return err
}

func (c *Client) RemoveDevice(id string) (err error) {
	if e := c.call("RemoveDevice", args(id), &err); e != nil {
		return e
	}
	return err
}

func (c *Client) SetWorkstation(e app.WorkstationEdit) (err error) {
	if ce := c.call("SetWorkstation", args(e), &err); ce != nil {
		return ce
	}
	return err
}

func (c *Client) RestoreTo(req app.RestoreRequest) (r app.RestoreResult, err error) {
	req.Path = abs(req.Path)
	if e := c.call("RestoreTo", args(req), &r, &err); e != nil {
		return r, e
	}
	return r, err
}

func (c *Client) Snapshot(path string, force, details bool) (r *app.SnapshotResult, err error) {
	if e := c.call("Snapshot", args(abs(path), force, details), &r, &err); e != nil {
		return nil, e
	}
	return r, err
}
