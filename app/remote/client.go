package remote

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sync"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/ipc"
)

// ErrGone is what a call returns (errors.Is) once the connection to the service is lost.
var ErrGone = errors.New("the SyncGuard service stopped")

// Client is the service as seen from another process. Its methods are app.API's, each a
// thin typed wrapper over one call (api.go); it is safe for concurrent use, and a slow
// call does not hold up the others.
type Client struct {
	dataDir string
	conn    net.Conn

	wmu sync.Mutex // one request written at a time
	enc *json.Encoder

	mu      sync.Mutex
	next    uint64
	pending map[uint64]chan response
	err     error // why the connection ended; set once
	done    chan struct{}
	subs    map[net.Conn]bool
}

var _ app.API = (*Client)(nil)

// Dial connects to the service for dataDir. Without a service it fails at once with an
// error that errors.Is ipc.ErrNoService.
func Dial(dataDir string) (*Client, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	conn, err := ipc.Dial(abs)
	if err != nil {
		return nil, err
	}
	c := &Client{dataDir: abs, conn: conn, enc: json.NewEncoder(conn),
		pending: map[uint64]chan response{}, done: make(chan struct{}), subs: map[net.Conn]bool{}}
	go c.read()
	return c, nil
}

// Done is closed when the connection to the service ends (the service stopped, or Close).
func (c *Client) Done() <-chan struct{} { return c.done }

// Err says why Done was closed.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close hangs up, ending the subscriptions too. It does not stop the service.
func (c *Client) Close() error {
	c.fail(ErrGone)
	return nil
}

func (c *Client) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	c.conn.Close()
	for s := range c.subs {
		s.Close()
	}
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	close(c.done)
}

func (c *Client) read() {
	dec := json.NewDecoder(c.conn)
	for {
		var r response
		if err := dec.Decode(&r); err != nil {
			c.fail(fmt.Errorf("%w: %v", ErrGone, err))
			return
		}
		c.mu.Lock()
		ch := c.pending[r.ID]
		delete(c.pending, r.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

// call sends method(args...) and decodes its results into results, pointers to variables
// of the method's result types in order. An error returned is the call's own (the service
// is gone, or did not understand): the method's error result, if any, is one of results.
func (c *Client) call(method string, args []any, results ...any) error {
	req := request{Method: method}
	for _, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("%s: %v", method, err)
		}
		req.Args = append(req.Args, b)
	}
	ch := make(chan response, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	c.next++
	req.ID = c.next
	c.pending[req.ID] = ch
	c.mu.Unlock()
	c.wmu.Lock()
	err := c.enc.Encode(req)
	c.wmu.Unlock()
	if err != nil {
		c.fail(fmt.Errorf("%w: %v", ErrGone, err))
	}
	r, ok := <-ch
	if !ok {
		return c.Err()
	}
	if r.Error != nil {
		return fromWire(r.Error)
	}
	if len(r.Results) != len(results) {
		return fmt.Errorf("%s: the service gave %d results, want %d (a service of another version?)", method, len(r.Results), len(results))
	}
	for i, p := range results {
		if err := decodeResult(r.Results[i], p); err != nil {
			return fmt.Errorf("%s: result %d: %v", method, i+1, err)
		}
	}
	return nil
}

func decodeResult(b json.RawMessage, p any) error {
	switch p := p.(type) {
	case *error:
		var w *wireError
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		*p = fromWire(w)
		return nil
	case *[]error:
		var ws []*wireError
		if err := json.Unmarshal(b, &ws); err != nil {
			return err
		}
		*p = nil
		for _, w := range ws {
			*p = append(*p, fromWire(w))
		}
		return nil
	}
	return json.Unmarshal(b, p)
}

// Subscribe calls f with every event the service publishes from now on, in order, on a
// goroutine of its own (f may block; later events wait). It uses a connection of its own,
// so that events never queue behind a slow call.
func (c *Client) Subscribe(f func(app.Event)) (unsubscribe func()) {
	conn, err := ipc.Dial(c.dataDir)
	if err != nil {
		c.fail(fmt.Errorf("%w: %v", ErrGone, err))
		return func() {}
	}
	dec := json.NewDecoder(conn)
	var ack response
	if err := json.NewEncoder(conn).Encode(request{Method: subscribeRPC}); err != nil || dec.Decode(&ack) != nil {
		conn.Close()
		c.fail(fmt.Errorf("%w: the subscription was refused", ErrGone))
		return func() {}
	}
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		conn.Close()
		return func() {}
	}
	c.subs[conn] = true
	c.mu.Unlock()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			c.mu.Lock()
			delete(c.subs, conn)
			c.mu.Unlock()
			conn.Close()
		})
	}
	go func() {
		for {
			var r response
			if err := dec.Decode(&r); err != nil {
				c.mu.Lock()
				mine := c.subs[conn]
				c.mu.Unlock()
				if mine { // not unsubscribed: the service went away
					c.fail(fmt.Errorf("%w: %v", ErrGone, err))
				}
				return
			}
			if r.Event != nil {
				f(*r.Event)
			}
		}
	}()
	return stop
}

// abs makes a path absolute before it is sent: the service resolves paths in its own
// working folder, not the caller's. "" stays "" (the service says what is missing).
func abs(p string) string {
	if p == "" {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
