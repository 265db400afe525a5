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

// Status, when the service cannot be reached, is an error status: never "All good".
func (c *Client) Status() (st app.Status) {
	if err := c.call("Status", nil, &st); err != nil {
		return app.Status{State: app.StateDanger, Icon: string(app.StateDanger),
			Sentence: "SyncGuard cannot reach its service: " + err.Error(), Line: "Not running",
			HistoryError: err.Error()}
	}
	return st
}

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
