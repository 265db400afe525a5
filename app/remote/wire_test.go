package remote

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/ipc"
)

// TestEveryClientMethodAsksForItself calls each method of app.API on a Client and reads
// the request that reaches the socket: it names that method, with one argument for each
// parameter but a context. A method wired to another's name (a copy and paste) fails here.
func TestEveryClientMethodAsksForItself(t *testing.T) {
	dir := t.TempDir()
	l, err := ipc.Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan request, 1)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				dec, enc := json.NewDecoder(conn), json.NewEncoder(conn)
				for {
					var r request
					if dec.Decode(&r) != nil {
						return
					}
					got <- r
					enc.Encode(response{ID: r.ID, Error: &wireError{Text: "recorded"}})
				}
			}()
		}
	}()
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cv := reflect.ValueOf(c)
	for i := range apiType.NumMethod() {
		m := apiType.Method(i)
		if m.Name == subscribeRPC {
			continue
		}
		mt := m.Type
		in := make([]reflect.Value, mt.NumIn())
		want := 0
		for j := range in {
			if mt.In(j) == contextType {
				in[j] = reflect.ValueOf(context.Background())
				continue
			}
			in[j] = reflect.Zero(mt.In(j))
			want++
		}
		cv.MethodByName(m.Name).Call(in)
		r := <-got
		if r.Method != m.Name || len(r.Args) != want {
			t.Errorf("Client.%s sent %s with %d arguments, want %s with %d", m.Name, r.Method, len(r.Args), m.Name, want)
		}
	}
	var _ app.API = c
}
