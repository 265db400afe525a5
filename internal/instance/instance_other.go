//go:build !windows

package instance

// Listen is a no-op outside Windows for now: there a second start still says "SyncGuard is
// already running" (the service channel of DESIGN.md §3 will carry the request later).
func Listen(dataDir string, show func()) (stop func(), err error) { return func() {}, nil }

// Signal reports that no instance can be asked to show itself.
func Signal(dataDir string) bool { return false }
