package autostart

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// TestStartAtLoginWritesAndRemovesTheRunValue runs against the real registry (Wine's, under
// make test-windows), in a key of its own instead of the Run key, so that running the tests
// never makes the machine start anything at login.
func TestStartAtLoginWritesAndRemovesTheRunValue(t *testing.T) {
	key := fmt.Sprintf(`Software\SyncGuardTest\%d\Run`, os.Getpid())
	t.Cleanup(func() {
		registry.DeleteKey(registry.CURRENT_USER, key)
		registry.DeleteKey(registry.CURRENT_USER, fmt.Sprintf(`Software\SyncGuardTest\%d`, os.Getpid()))
	})
	e := Entry{ID: "io.github.syncguard", Name: "SyncGuard", Exec: `C:\Program Files\SyncGuard\SyncGuard.exe`,
		Args: []string{"--data", `D:\Sync Data`}, RunKey: key}
	if e.Enabled() {
		t.Fatal("enabled before Enable")
	}
	if err := e.Enable(); err != nil {
		t.Fatal(err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("the Run key was not written: %v", err)
	}
	v, typ, err := k.GetStringValue("SyncGuard")
	k.Close()
	// Windows runs the value as a command line: the path with spaces must be quoted.
	if want := `"C:\Program Files\SyncGuard\SyncGuard.exe" --data "D:\Sync Data"`; err != nil || v != want || typ != registry.SZ {
		t.Errorf("Run value = %q (type %d, %v), want %q", v, typ, err, want)
	}
	if !e.Enabled() {
		t.Error("not enabled after Enable")
	}
	if err := e.Disable(); err != nil || e.Enabled() {
		t.Errorf("after Disable: %v, enabled %v", err, e.Enabled())
	}
	k, _ = registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if _, _, err := k.GetStringValue("SyncGuard"); err != registry.ErrNotExist {
		t.Errorf("the value is still there after Disable: %v", err)
	}
	k.Close()
	if err := e.Disable(); err != nil {
		t.Errorf("disabling twice: %v", err)
	}
}
