// Package remote carries app.API over the per-user local channel of internal/ipc: the
// service process serves its *app.Service (Serve), and a window process or a command run
// while the service is up uses a *Client, which implements app.API, as if it held the
// service itself.
//
// The protocol is JSON lines. A request names a method of app.API and gives its arguments
// (a context.Context parameter is not sent: the service passes one that ends with the
// connection); the response gives every result, errors as their text and, for the
// sentinel errors callers test with errors.Is, their identity. Requests on one connection
// run concurrently and their responses carry the request's id. A connection whose first
// request is "Subscribe" receives every event from then on instead.
package remote

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/outlook"
)

type request struct {
	ID     uint64            `json:"id"`
	Method string            `json:"method"`
	Args   []json.RawMessage `json:"args,omitempty"`
}

type response struct {
	ID uint64 `json:"id"`
	// Results are the method's results in order; a result of type error is a *wireError
	// (null for nil), one of type []error a list of them.
	Results []json.RawMessage `json:"results,omitempty"`
	// Error is a failure of the call itself (unknown method, bad arguments, a panic).
	Error *wireError `json:"error,omitempty"`
	// Event is set on a subscription's connection.
	Event *app.Event `json:"event,omitempty"`
}

type wireError struct {
	Text string `json:"text"`
	Is   string `json:"is,omitempty"` // the name of the sentinel it wraps (Sentinels)
	// Type and Data: the typed error it wraps (Typed), so that errors.As finds it.
	Type string          `json:"type,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

// Sentinels are the errors whose identity crosses the channel: a caller's errors.Is(err,
// history.ErrDamaged) holds for an error the service returned as it would in process. A
// sentinel a caller newly tests for is added here, under a name both sides share.
var Sentinels = []struct {
	Name string
	Err  error
}{
	{"history.ErrAlreadyRunning", history.ErrAlreadyRunning},
	{"history.ErrDamaged", history.ErrDamaged},
	{"app.ErrNoFinding", app.ErrNoFinding},
	{"conduit.ErrNotFound", conduit.ErrNotFound},
	{"outlook.ErrUnsupported", outlook.ErrUnsupported},
	{"outlook.ErrNotInstalled", outlook.ErrNotInstalled},
	{"outlook.ErrNotRunning", outlook.ErrNotRunning},
	{"outlook.ErrAccessDenied", outlook.ErrAccessDenied},
	{"outlook.ErrClosed", outlook.ErrClosed},
	{"outlook.ErrFolder", outlook.ErrFolder},
	{"app.ErrNoSuchDevice", app.ErrNoSuchDevice},
	{"app.ErrNothingToRestore", app.ErrNothingToRestore},
	{"app.ErrNoExport", app.ErrNoExport},
	{"os.ErrNotExist", os.ErrNotExist},
	{"os.ErrPermission", os.ErrPermission},
	{"os.ErrExist", os.ErrExist},
	{"context.Canceled", context.Canceled},
	{"context.DeadlineExceeded", context.DeadlineExceeded},
}

// Typed are the error types whose fields cross the channel: a caller's errors.As(err,
// &target) finds them as it would in process (the command line words a refused device
// edit by its flag, a missing restore folder by --out).
var Typed = []struct {
	Name string
	New  func() error // a pointer to a zero value of the type
}{
	{"app.DeviceEditError", func() error { return &app.DeviceEditError{} }},
	{"app.FolderMissingError", func() error { return &app.FolderMissingError{} }},
}

func toWire(err error) *wireError {
	if err == nil {
		return nil
	}
	w := &wireError{Text: err.Error()}
	for _, s := range Sentinels {
		if errors.Is(err, s.Err) {
			w.Is = s.Name
			break
		}
	}
	for _, t := range Typed {
		target := reflect.New(reflect.TypeOf(t.New()))
		if errors.As(err, target.Interface()) {
			if b, jerr := json.Marshal(target.Elem().Interface()); jerr == nil {
				w.Type, w.Data = t.Name, b
			}
			break
		}
	}
	return w
}

// Error is an error the service returned: its text, and the sentinel it wraps when it
// wraps one of Sentinels.
type Error struct {
	Text     string
	Sentinel error
}

func (e *Error) Error() string { return e.Text }

// Unwrap lets errors.Is find the sentinel.
func (e *Error) Unwrap() error { return e.Sentinel }

func fromWire(w *wireError) error {
	if w == nil {
		return nil
	}
	e := &Error{Text: w.Text}
	for _, s := range Sentinels {
		if s.Name == w.Is {
			e.Sentinel = s.Err
			break
		}
	}
	for _, t := range Typed {
		if t.Name == w.Type && e.Sentinel == nil {
			v := t.New()
			if json.Unmarshal(w.Data, v) == nil {
				e.Sentinel = v // Unwrap hands it to errors.As
			}
			break
		}
	}
	return e
}
