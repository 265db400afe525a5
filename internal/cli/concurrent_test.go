package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentDeviceAddsAndWorkstationSetsAreAllKept: twelve `device add` at once each
// printed "saved" while `device list` showed six, and of two `workstation set` at once
// one was lost. Each command here runs on its own goroutine with its own output, as
// twelve processes would.
func TestConcurrentDeviceAddsAndWorkstationSetsAreAllKept(t *testing.T) {
	data := t.TempDir()
	pol := policyFile(t, "") // never the machine's policy
	const n = 12
	var wg sync.WaitGroup
	outs := make([]string, n)
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			outs[i], _, codes[i] = runIn(t, data, "device", "add", "--id", fmt.Sprintf("dev-%02d", i), "--name", fmt.Sprintf("Device %d", i), "--software", "hotsync")
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != 0 || !strings.Contains(outs[i], "saved") {
			t.Errorf("device add %d: rc %d, %q", i, codes[i], outs[i])
		}
	}
	out, _, code := runIn(t, data, "device", "list", "--json", "--no-detect")
	var list struct {
		Devices []struct{ ID string } `json:"devices"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("device list: rc %d %s", code, out)
	}
	if len(list.Devices) != n {
		t.Errorf("device list shows %d devices after %d saved: %+v", len(list.Devices), n, list.Devices)
	}

	for round := range 10 {
		id := fmt.Sprintf("ws-%d", round)
		sync := fmt.Sprintf("--interaction-sync=%v", round%2 == 0)
		wg.Go(func() { runIn(t, data, append(pol, "workstation", "set", "--id", id)...) })
		wg.Go(func() { runIn(t, data, append(pol, "workstation", "set", sync)...) })
		wg.Wait()
		out, _, _ := runIn(t, data, append(pol, "workstation", "show", "--json")...)
		var ws workstationInfo
		if err := json.Unmarshal([]byte(out), &ws); err != nil {
			t.Fatalf("workstation show: %v %s", err, out)
		}
		if ws.ID != id || ws.InteractionSync.Source != "user" || ws.InteractionSync.Value != (round%2 == 0) {
			t.Fatalf("round %d: %+v, want id %s and %s: one `workstation set` was lost", round, ws, id, sync)
		}
	}
}
