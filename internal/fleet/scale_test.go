package fleet

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/conduit"
)

// pairwiseShared is the report's grouping done the obvious way: every pair of devices on
// different workstations compared with SameDevice, joined transitively. It is what the
// firm's report must find, and took 91 s for 40 files of 500 devices; the report groups
// by key instead and must find exactly the same. The result is one line per shared device:
// its match and its sorted workstation/device pairs.
func pairwiseShared(v View) []string {
	type item struct{ ws, id string }
	var items []item
	var devs []Device
	for _, w := range v.Workstations {
		for _, d := range w.Devices {
			items = append(items, item{w.Workstation.ID, d.ID})
			devs = append(devs, d)
		}
	}
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	byName := make([]bool, len(items))
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if items[i].ws == items[j].ws {
				continue
			}
			if ok, how := SameDevice(devs[i], devs[j]); ok {
				parent[find(j)] = find(i)
				if how != "id" {
					byName[i], byName[j] = true, true
				}
			}
		}
	}
	groups := map[int][]int{}
	for i := range items {
		groups[find(i)] = append(groups[find(i)], i)
	}
	var out []string
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		match := "id"
		var members []string
		for _, i := range g {
			if byName[i] {
				match = "name+model"
			}
			members = append(members, items[i].ws+"/"+items[i].id)
		}
		sort.Strings(members)
		out = append(out, match+" "+strings.Join(members, " "))
	}
	sort.Strings(out)
	return out
}

func reportShared(r Report) []string {
	var out []string
	for _, s := range r.SharedDevices {
		var members []string
		for _, w := range s.Workstations {
			members = append(members, w.Workstation+"/"+w.DeviceID)
		}
		sort.Strings(members)
		out = append(out, s.Match+" "+strings.Join(members, " "))
	}
	sort.Strings(out)
	return out
}

// randomFleet draws workstations whose devices collide in every way SameDevice knows: the
// same id in other cases and spaces, two Apple ids under one name, ActiveSync partnerships
// without a model, factory names, empty ids and names, and the same device twice on one
// workstation.
func randomFleet(r *rand.Rand) View {
	ids := []string{"", "", "a1", "A1", " a1 ", "activesync:1", "activesync:2", "activesync:3", iphone, strings.ToUpper(iphone),
		"00008101-001E30D20C38001E", "00008030-000A1B2C3D4E5F60", "x", "y"}
	names := []string{"", "Treo", "treo ", "iPhone", "Jane HTC", "jane  htc", "Pocket_PC", "Ren"}
	models := []string{"", "", "Treo 680", "TREO 680", "M"}
	v := View{}
	for w := range 2 + r.IntN(10) {
		f := File{Workstation: Workstation{ID: fmt.Sprintf("ws-%d", w), InteractionSync: r.IntN(2) == 0}}
		for d := range r.IntN(7) {
			f.Devices = append(f.Devices, Device{ID: ids[r.IntN(len(ids))], Name: names[r.IntN(len(names))], Model: models[r.IntN(len(models))]})
			if f.Devices[d].ID == "" && f.Devices[d].Name == "" {
				f.Devices[d].Name = "Ren"
			}
		}
		v.Workstations = append(v.Workstations, f)
	}
	return v
}

// TestFirmReportGroupsAsEveryPairWould: on 1,000 random fleets the report finds exactly
// the shared devices that comparing every pair finds, with the same match.
func TestFirmReportGroupsAsEveryPairWould(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 1000 {
		v := randomFleet(r)
		want, got := pairwiseShared(v), reportShared(FirmReport(v, nil))
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("fleet %d: %+v\nreport:\n%s\nevery pair:\n%s", i, v.Workstations, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// bigFleet is nws workstations of ndev devices each, every tenth device of each pair of
// workstations on both (by id, or by name and model for ActiveSync partnerships), with software and
// settings the catalog judges, as a large firm's folder would hold.
func bigFleet(nws, ndev int) View {
	v := View{}
	for w := range nws {
		f := File{Workstation: Workstation{ID: fmt.Sprintf("ws-%05d", w), User: fmt.Sprintf("FIRM\\u%d", w), InteractionSync: w%2 == 0}}
		for d := range ndev {
			owner := w
			if d%10 == 0 {
				owner = w - w%2
			}
			dev := Device{ID: fmt.Sprintf("palm-%05d-%03d", owner, d), Name: fmt.Sprintf("Treo %d-%d", owner, d), Model: "Treo 680",
				Software: "hotsync", SoftwareVersion: "6.2.1", Settings: map[string]string{"contacts-action": "synchronize"}}
			if d%3 == 1 {
				dev.ID = fmt.Sprintf("activesync:%05d%03d", w, d) // each PC's own partnership id
				dev.Name, dev.Model, dev.Software, dev.Settings = fmt.Sprintf("HTC %d-%d", owner, d), "", "activesync", nil
			}
			f.Devices = append(f.Devices, dev)
		}
		v.Workstations = append(v.Workstations, f)
	}
	return v
}

// TestFirmReportWorkGrowsLinearly: twice the devices may cost twice the work, not four
// times (every pair compared). Allocations count the work, whatever the machine's load.
func TestFirmReportWorkGrowsLinearly(t *testing.T) {
	cat, err := conduit.Load("")
	if err != nil {
		t.Fatal(err)
	}
	small, large := bigFleet(20, 40), bigFleet(40, 40)
	if r := FirmReport(large, cat); len(r.SharedDevices) != 20*4 || len(r.Outdated) == 0 {
		t.Fatalf("the large fleet gives %d shared devices, %d outdated; want 80 and some", len(r.SharedDevices), len(r.Outdated))
	}
	a := testing.AllocsPerRun(1, func() { FirmReport(small, cat) })
	b := testing.AllocsPerRun(1, func() { FirmReport(large, cat) })
	if b > 2.5*a {
		t.Errorf("800 devices cost %.0f allocations, 1,600 cost %.0f (%.1fx): the report does not grow linearly", a, b, b/a)
	}
	t.Logf("allocations: 800 devices %.0f, 1,600 devices %.0f (%.2fx)", a, b, b/a)
}

// BenchmarkFirmReport is the 40 files of 500 devices (91.6 s before).
func BenchmarkFirmReport(b *testing.B) {
	cat, err := conduit.Load("")
	if err != nil {
		b.Fatal(err)
	}
	v := bigFleet(40, 500)
	for b.Loop() {
		FirmReport(v, cat)
	}
}

// TestMultiWorkstationFindsWhatEveryPairWould: a workstation's own check looks its devices
// up by key; on random fleets it raises exactly the findings that comparing each of its
// devices with every device of the others raises.
func TestMultiWorkstationFindsWhatEveryPairWould(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 1000 {
		v := randomFleet(r)
		self := v.Workstations[0]
		var want []string
		for _, d := range self.Devices {
			var shares []Sharing
			for _, w := range v.Workstations[1:] {
				for _, od := range w.Devices {
					if ok, how := SameDevice(d, od); ok {
						shares = append(shares, Sharing{Workstation: w.Workstation, UpdatedAt: w.UpdatedAt, Device: od, Match: how})
						break
					}
				}
			}
			if len(shares) > 0 {
				f := sharingFinding(self, d, shares, v, nil)
				want = append(want, f.Severity.String()+" "+f.Title+" "+f.Explanation)
			}
		}
		var got []string
		for _, f := range MultiWorkstation(self, v, nil) {
			got = append(got, f.Severity.String()+" "+f.Title+" "+f.Explanation)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("fleet %d: %+v\nfound:\n%s\nevery pair:\n%s", i, v.Workstations, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestFirmReportStopsWhenItsTimeIsUp: fleet.timeout bounds the report too; one that runs
// out says so instead of running on.
func TestFirmReportStopsWhenItsTimeIsUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := FirmReportContext(ctx, bigFleet(4, 10), nil)
	if err == nil || !strings.Contains(err.Error(), "fleet.timeout") || !strings.Contains(err.Error(), "40 devices from 4 workstation files") {
		t.Errorf("err = %v", err)
	}
	if _, err := FirmReportContext(context.Background(), bigFleet(4, 10), nil); err != nil {
		t.Errorf("with time left: %v", err)
	}
}
