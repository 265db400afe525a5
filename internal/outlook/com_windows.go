//go:build windows

package outlook

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// Attach is the real Connector: it attaches to the Outlook that is running in this user's
// session through COM's running object table. It never creates an Outlook.Application,
// which would start Outlook (invisibly, against the user's will).
func Attach() (Session, error) {
	t := newCOMThread()
	var s *comSession
	err := t.do(func() error {
		if _, err := oleutil.ClassIDFrom("Outlook.Application"); err != nil {
			return ErrNotInstalled
		}
		unk, err := oleutil.GetActiveObject("Outlook.Application")
		if err != nil {
			return classify(err, ErrNotRunning)
		}
		defer unk.Release()
		app, err := unk.QueryInterface(ole.IID_IDispatch)
		if err != nil {
			return classify(err, ErrNotRunning)
		}
		nsv, err := oleutil.CallMethod(app, "GetNamespace", "MAPI")
		if err != nil {
			app.Release()
			return classify(err, ErrNotRunning)
		}
		s = &comSession{t: t, app: app, ns: nsv.ToIDispatch()}
		return nil
	})
	if err != nil {
		t.stop()
		return nil, err
	}
	return s, nil
}

// comThread runs every COM call of one session on one locked OS thread, as COM's
// single-threaded apartment requires (a goroutine may otherwise move between threads).
type comThread struct{ work chan func() }

func newCOMThread() *comThread {
	t := &comThread{work: make(chan func())}
	ready := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		// COINIT_APARTMENTTHREADED: Outlook's object model expects an STA caller.
		_ = ole.CoInitializeEx(0, ole.COINIT_APARTMENTTHREADED)
		defer ole.CoUninitialize()
		close(ready)
		for f := range t.work {
			f()
		}
	}()
	<-ready
	return t
}

func (t *comThread) do(f func() error) (err error) {
	done := make(chan struct{})
	t.work <- func() {
		defer close(done)
		defer func() {
			// A COM call that faults (Outlook gone mid-call) is a failed read, never a crash.
			if r := recover(); r != nil {
				err = fmt.Errorf("%w: %v", ErrClosed, r)
			}
		}()
		err = f()
	}
	<-done
	return err
}

func (t *comThread) stop() { close(t.work) }

type comSession struct {
	t   *comThread
	app *ole.IDispatch
	ns  *ole.IDispatch
	own []*ole.IDispatch
}

func (s *comSession) Close() error {
	_ = s.t.do(func() error {
		for _, d := range s.own {
			d.Release()
		}
		s.ns.Release()
		s.app.Release() // releases our reference; Outlook keeps running
		return nil
	})
	s.t.stop()
	return nil
}

// olFolderContacts is OlDefaultFolders.olFolderContacts.
const olFolderContacts = 10

func (s *comSession) Folders(names []string) ([]Folder, error) {
	var out []Folder
	err := s.t.do(func() error {
		v, err := oleutil.CallMethod(s.ns, "GetDefaultFolder", olFolderContacts)
		if err != nil {
			return classify(err, ErrFolder)
		}
		root := v.ToIDispatch()
		s.own = append(s.own, root)
		out = append(out, &comFolder{s: s, d: root, path: "Contacts"})
		for _, n := range names {
			d := root
			path := "Contacts"
			for _, part := range strings.Split(strings.Trim(n, `/\`), "/") {
				fv, err := oleutil.GetProperty(d, "Folders")
				if err != nil {
					return classify(err, ErrFolder)
				}
				fs := fv.ToIDispatch()
				sub, err := oleutil.CallMethod(fs, "Item", part)
				fs.Release()
				path += "/" + part
				if err != nil {
					return fmt.Errorf("%q: %w", path, ErrFolder)
				}
				d = sub.ToIDispatch()
				s.own = append(s.own, d)
			}
			out = append(out, &comFolder{s: s, d: d, path: path})
		}
		return nil
	})
	return out, err
}

type comFolder struct {
	s    *comSession
	d    *ole.IDispatch
	path string
}

func (f *comFolder) Path() string { return f.path }

// Stamps reads the folder's Table (Outlook 2007 and later), which lists EntryID and
// LastModificationTime of every item without opening any: the cheap part of a read.
func (f *comFolder) Stamps(ctx context.Context) ([]Stamp, error) {
	var out []Stamp
	err := f.s.t.do(func() error {
		tv, err := oleutil.CallMethod(f.d, "GetTable", "[MessageClass] >= 'IPM.Contact' AND [MessageClass] < 'IPM.Contact{'")
		if err != nil {
			return classify(err, ErrFolder)
		}
		tbl := tv.ToIDispatch()
		defer tbl.Release()
		cv, err := oleutil.GetProperty(tbl, "Columns")
		if err != nil {
			return classify(err, ErrFolder)
		}
		cols := cv.ToIDispatch()
		defer cols.Release()
		if _, err := oleutil.CallMethod(cols, "RemoveAll"); err != nil {
			return classify(err, ErrFolder)
		}
		for _, c := range []string{"EntryID", "LastModificationTime"} {
			if _, err := oleutil.CallMethod(cols, "Add", c); err != nil {
				return classify(err, ErrFolder)
			}
		}
		for {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			eof, err := oleutil.GetProperty(tbl, "EndOfTable")
			if err != nil {
				return classify(err, ErrClosed)
			}
			if b, _ := eof.Value().(bool); b {
				return nil
			}
			rv, err := oleutil.CallMethod(tbl, "GetNextRow")
			if err != nil {
				return classify(err, ErrClosed)
			}
			row := rv.ToIDispatch()
			id, err1 := oleutil.CallMethod(row, "Item", 1)
			mod, err2 := oleutil.CallMethod(row, "Item", 2)
			row.Release()
			if err1 != nil || err2 != nil {
				return classify(errors.Join(err1, err2), ErrClosed)
			}
			st := Stamp{EntryID: fmt.Sprint(id.Value())}
			if t, ok := mod.Value().(time.Time); ok {
				st.Modified = t.UTC()
			}
			out = append(out, st)
		}
	})
	return out, err
}

// Items opens each item by its EntryID and reads the properties SyncGuard maps.
func (f *comFolder) Items(ctx context.Context, ids []string) ([]Item, error) {
	var out []Item
	props := Props()
	err := f.s.t.do(func() error {
		for _, id := range ids {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			iv, err := oleutil.CallMethod(f.s.ns, "GetItemFromID", id)
			if err != nil {
				if isNotFound(err) {
					continue // deleted since it was listed
				}
				return classify(err, ErrClosed)
			}
			d := iv.ToIDispatch()
			it := Item{EntryID: id, Props: make(map[string]string, len(props))}
			for _, p := range props {
				v, err := oleutil.GetProperty(d, p)
				if err != nil {
					d.Release()
					return classify(err, ErrClosed)
				}
				it.Props[p] = text(v)
			}
			if v, err := oleutil.GetProperty(d, "LastModificationTime"); err == nil {
				if t, ok := v.Value().(time.Time); ok {
					it.Modified = t.UTC()
				}
			}
			d.Release()
			out = append(out, it)
		}
		return nil
	})
	return out, err
}

// text formats a property as the CSV export writes it: dates as YYYY-MM-DD, numbers as
// digits, text as is.
func text(v *ole.VARIANT) string {
	switch x := v.Value().(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		return x.Format("2006-01-02")
	case bool:
		if x {
			return "True"
		}
		return "False"
	default:
		return fmt.Sprint(x)
	}
}

// HRESULTs that say what went wrong.
const (
	hrUnavailable   = 0x800401E3 // MK_E_UNAVAILABLE: not in the running object table
	hrAccessDenied  = 0x80070005 // E_ACCESSDENIED
	hrAbort         = 0x80004004 // E_ABORT: the security prompt answered "Deny"
	hrDisconnected  = 0x80010108 // RPC_E_DISCONNECTED
	hrServerGone    = 0x800706BA // RPC_S_SERVER_UNAVAILABLE
	hrCallFailed    = 0x800706BE // RPC_S_CALL_FAILED
	hrNotConnected  = 0x800401FD // CO_E_OBJNOTCONNECTED
	hrMAPINotFound  = 0x8004010F // MAPI_E_NOT_FOUND
	hrClassNotReg   = 0x80040154 // REGDB_E_CLASSNOTREG
	hrInvalidClsStr = 0x800401F3 // CO_E_CLASSSTRING
)

func hresult(err error) uint32 {
	var oe *ole.OleError
	if errors.As(err, &oe) {
		if c := uint32(oe.Code()); c != 0x80020009 { // DISP_E_EXCEPTION: look inside
			return c
		}
		if ex, ok := oe.SubError().(ole.EXCEPINFO); ok {
			return uint32(ex.SCODE())
		}
	}
	return 0
}

func isNotFound(err error) bool { return hresult(err) == hrMAPINotFound }

// classify turns a COM error into one of the package's errors; def when it says nothing
// more precise.
func classify(err error, def error) error {
	switch hresult(err) {
	case hrUnavailable:
		return fmt.Errorf("%w (%v)", ErrNotRunning, err)
	case hrAccessDenied, hrAbort:
		return fmt.Errorf("%w (%v)", ErrAccessDenied, err)
	case hrDisconnected, hrServerGone, hrCallFailed, hrNotConnected:
		return fmt.Errorf("%w (%v)", ErrClosed, err)
	case hrClassNotReg, hrInvalidClsStr:
		return fmt.Errorf("%w (%v)", ErrNotInstalled, err)
	}
	return fmt.Errorf("%w (%v)", def, err)
}
