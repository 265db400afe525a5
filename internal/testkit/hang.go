package testkit

import (
	"testing"
	"time"
)

// NoHang runs f and fails the test if it has not returned within a minute: a guard against
// a read that blocks forever (a FIFO, a device) or runs away, never a measure of speed.
func NoHang(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s did not return: it blocks", what)
	}
}
