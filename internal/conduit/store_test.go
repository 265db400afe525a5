package conduit

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentChangesOfTheDeviceListAreAllKept: twelve `device add` at once used to
// each print "saved" while the list kept six. Every change is a read-modify-write of
// devices.json under its lock, so every one of them lands, and so do changes and removals
// that run at the same time as the additions.
func TestConcurrentChangesOfTheDeviceListAreAllKept(t *testing.T) {
	dir := t.TempDir()
	seed := OpenStore(dir)
	for _, id := range []string{"keep", "gone"} {
		if err := seed.Add(Device{ID: id, Name: id, Software: "hotsync"}); err != nil {
			t.Fatal(err)
		}
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n+2)
	for i := range n {
		wg.Go(func() {
			// Each goroutine opens its own store, as each `device add` process does.
			errs <- OpenStore(dir).Add(Device{ID: fmt.Sprintf("dev-%02d", i), Name: fmt.Sprintf("Device %d", i), Software: "hotsync"})
		})
	}
	wg.Go(func() { errs <- OpenStore(dir).Update("keep", func(d *Device) { d.Version = "6.2.2" }) })
	wg.Go(func() { errs <- OpenStore(dir).Remove("gone") })
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	devs, err := OpenStore(dir).List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Device{}
	for _, d := range devs {
		got[d.ID] = d
	}
	for i := range n {
		if _, ok := got[fmt.Sprintf("dev-%02d", i)]; !ok {
			t.Errorf("dev-%02d was reported saved but is not in the list", i)
		}
	}
	if got["keep"].Version != "6.2.2" {
		t.Errorf("the change of 'keep' was lost: %+v", got["keep"])
	}
	if _, ok := got["gone"]; ok {
		t.Error("the removal of 'gone' was lost")
	}
	if len(devs) != n+1 {
		t.Errorf("list has %d devices, want %d", len(devs), n+1)
	}
}
