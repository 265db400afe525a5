package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"reflect"
	"sync"

	"github.com/syncguard/syncguard/app"
)

var (
	apiType      = reflect.TypeFor[app.API]()
	contextType  = reflect.TypeFor[context.Context]()
	errorType    = reflect.TypeFor[error]()
	errorsType   = reflect.TypeFor[[]error]()
	subscribeRPC = "Subscribe"
)

// Serve answers clients on l with svc until l is closed; then it closes every connection
// still open, so that the window process sees the service go. Only the methods of app.API
// are served: a client cannot close the service or reach its store.
func Serve(l net.Listener, svc *app.Service) error {
	methods := map[string]reflect.Value{}
	v := reflect.ValueOf(svc)
	for i := range apiType.NumMethod() {
		name := apiType.Method(i).Name
		if name != subscribeRPC {
			methods[name] = v.MethodByName(name)
		}
	}
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	defer func() {
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		mu.Lock()
		conns[c] = true
		mu.Unlock()
		go func() {
			serveConn(c, svc, methods)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
		}()
	}
}

func serveConn(c net.Conn, svc *app.Service, methods map[string]reflect.Value) {
	defer c.Close()
	// The context of the calls on this connection: a client that goes away cancels what
	// it started (a wizard's device check).
	ctx, cancel := context.WithCancel(context.Background())
	dec := json.NewDecoder(c)
	var wmu sync.Mutex
	enc := json.NewEncoder(c)
	send := func(r response) {
		wmu.Lock()
		defer wmu.Unlock()
		enc.Encode(r) // a write error ends the connection: the next Decode fails
	}
	var calls sync.WaitGroup
	// Cancel first, then wait: the calls still running see the client gone and stop.
	defer func() {
		cancel()
		calls.Wait()
	}()
	for first := true; ; first = false {
		var req request
		if err := dec.Decode(&req); err != nil {
			return
		}
		if req.Method == subscribeRPC && first {
			serveEvents(c, dec, svc, send)
			return
		}
		m, ok := methods[req.Method]
		if !ok {
			send(response{ID: req.ID, Error: &wireError{Text: fmt.Sprintf("the service has no method %q", req.Method)}})
			continue
		}
		calls.Add(1)
		go func() {
			defer calls.Done()
			send(call(ctx, req, m))
		}()
	}
}

// call runs one method: arguments decoded into the method's parameter types (a context
// is the connection's), results encoded in order.
func call(ctx context.Context, req request, m reflect.Value) (resp response) {
	resp.ID = req.ID
	defer func() {
		if r := recover(); r != nil {
			resp = response{ID: req.ID, Error: &wireError{Text: fmt.Sprintf("internal error in %s: %v", req.Method, r)}}
		}
	}()
	mt := m.Type()
	in := make([]reflect.Value, mt.NumIn())
	args := req.Args
	for i := range in {
		t := mt.In(i)
		if t == contextType {
			in[i] = reflect.ValueOf(ctx)
			continue
		}
		if len(args) == 0 {
			return response{ID: req.ID, Error: &wireError{Text: fmt.Sprintf("%s: too few arguments", req.Method)}}
		}
		p := reflect.New(t)
		if err := json.Unmarshal(args[0], p.Interface()); err != nil {
			return response{ID: req.ID, Error: &wireError{Text: fmt.Sprintf("%s: argument %d: %v", req.Method, i+1, err)}}
		}
		in[i] = p.Elem()
		args = args[1:]
	}
	for i, out := range m.Call(in) {
		var x any
		switch mt.Out(i) {
		case errorType:
			err, _ := out.Interface().(error)
			x = toWire(err)
		case errorsType:
			errs := out.Interface().([]error)
			ws := make([]*wireError, len(errs))
			for j, e := range errs {
				ws[j] = toWire(e)
			}
			x = ws
		default:
			x = out.Interface()
		}
		b, err := json.Marshal(x)
		if err != nil {
			return response{ID: req.ID, Error: &wireError{Text: fmt.Sprintf("%s: result %d: %v", req.Method, i+1, err)}}
		}
		resp.Results = append(resp.Results, b)
	}
	return resp
}

// serveEvents sends every event of svc on c, in order, until the client hangs up. The
// service's subscribers must not block, so events queue here while the connection is slow.
func serveEvents(c net.Conn, dec *json.Decoder, svc *app.Service, send func(response)) {
	var mu sync.Mutex
	var queue []app.Event
	wake := make(chan struct{}, 1)
	unsubscribe := svc.Subscribe(func(e app.Event) {
		mu.Lock()
		queue = append(queue, e)
		mu.Unlock()
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	defer unsubscribe()
	gone := make(chan struct{})
	go func() {
		// The client sends nothing more; a read ends when it hangs up.
		var discard json.RawMessage
		for dec.Decode(&discard) == nil {
		}
		close(gone)
	}()
	send(response{}) // the subscription is in place: events from now on reach the client
	for {
		select {
		case <-gone:
			return
		case <-wake:
		}
		mu.Lock()
		q := queue
		queue = nil
		mu.Unlock()
		for i := range q {
			send(response{Event: &q[i]})
		}
	}
}
