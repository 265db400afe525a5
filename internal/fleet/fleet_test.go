package fleet

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/findings"
)

var now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

const iphone = "2b6f0cc904d137be2e1730235f5664094b831186"

func self() File {
	return File{
		Workstation: Workstation{ID: "ws-self", Hostname: "WS-SELF", User: `FIRM\jane`, InteractionSync: true, AppVersion: "dev"},
		UpdatedAt:   now,
		Devices: []Device{
			{ID: iphone, Name: "Jane's iPhone", Model: "iPhone14,5", Software: "itunes"},
			{ID: "activesync:00000111", Name: "Jane HTC", Software: "activesync", SoftwareVersion: "4.5"},
			{ID: "palm-1", Name: "Treo", Model: "Treo 680", Software: "hotsync", SoftwareVersion: "6.2.2",
				Settings: map[string]string{"contacts-action": "synchronize"}},
		},
	}
}

// writeFile publishes f under name the way a workstation would.
func writeFile(t *testing.T, dir, name string, f File) {
	t.Helper()
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func ws(id string, syncs bool, updated time.Time, devs ...Device) File {
	return File{Workstation: Workstation{ID: id, Hostname: strings.ToUpper(id), User: "FIRM\\" + id, InteractionSync: syncs, AppVersion: "dev"}, UpdatedAt: updated, Devices: devs}
}

// buildFleet makes a fleet folder with good, stale, corrupt and hostile files.
func buildFleet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := Publish(context.Background(), dir, self(), time.Second); err != nil {
		t.Fatal(err)
	}
	// ws-b syncs with InterAction and has Jane's iPhone (same UDID): a danger.
	writeFile(t, dir, "ws-b.json", ws("ws-b", true, now.Add(-2*time.Hour),
		Device{ID: strings.ToUpper(iphone), Name: "iPhone (Jane)", Model: "iPhone14,5", Software: "itunes", SoftwareVersion: "12.13"}))
	// ws-c does not sync and has Jane's HTC under its own ActiveSync partnership id: a
	// warning, matched by the device's name.
	writeFile(t, dir, "ws-c.json", ws("ws-c", false, now.Add(-24*time.Hour),
		Device{ID: "activesync:00000222", Name: "jane htc", Software: "wmdc", SoftwareVersion: "6.1"}))
	// ws-d syncs but its devices are others: another iPhone (a different UDID, even if
	// named like Jane's), and a "Treo" without a model under a different id.
	writeFile(t, dir, "ws-d.json", ws("ws-d", true, now.Add(-time.Hour),
		Device{ID: "00008101-001E30D20C38001E", Name: "Jane's iPhone", Model: "iPhone14,5", Software: "itunes"},
		Device{ID: "x-17", Name: "Treo", Software: "hotsync", SoftwareVersion: "6.2.1",
			Settings: map[string]string{"Contacts-Action": "handheld-overwrites-desktop", "no-such-setting": "x"}}))
	// Stale: the palm on a workstation that has not published for 60 days.
	writeFile(t, dir, "ws-old.json", ws("ws-old", true, now.Add(-60*24*time.Hour), Device{ID: "palm-1", Name: "Treo"}))
	// Corrupt: cut off in the middle.
	if err := os.WriteFile(filepath.Join(dir, "ws-bad.json"), []byte("{\n  \"schema\": 1,\n  \"workstation\": {\"id\": \"ws-bad\""), 0o644); err != nil {
		t.Fatal(err)
	}
	// Hostile files.
	if linksWork {
		if err := os.Symlink("/etc/passwd", filepath.Join(dir, "ws-link.json")); err != nil {
			t.Fatal(err)
		}
	}
	huge, err := os.Create(filepath.Join(dir, "ws-huge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := huge.Truncate(50 << 20); err != nil { // 50 MB, sparse
		t.Fatal(err)
	}
	huge.Close()
	writeFile(t, dir, "évil name.json", ws("ws-e", true, now, Device{ID: "palm-1", Name: "Treo"}))
	if err := os.WriteFile(filepath.Join(dir, "ws-types.json"), []byte(`{"schema": 1, "workstation": {"id": "ws-types", "interaction_sync": "yes"}, "updated_at": "2026-11-25T08:00:00Z", "devices": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ws-list.json"), []byte(`[{"schema": 1}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	spoof := ws("ws-b", true, now, Device{ID: "palm-1", Name: "Treo"})
	writeFile(t, dir, "ws-spoof.json", spoof) // claims to be ws-b
	if err := os.WriteFile(filepath.Join(dir, "ws-esc.json"), []byte(`{"schema": 1, "workstation": {"id": "ws-esc", "interaction_sync": true}, "updated_at": "2026-11-25T08:00:00Z", "devices": [{"id": "palm-1", "name": "\u001b[2J\u001b[31mTreo"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ws-setesc.json"), []byte(`{"schema": 1, "workstation": {"id": "ws-setesc", "interaction_sync": true}, "updated_at": "2026-11-25T08:00:00Z", "devices": [{"id": "palm-1", "name": "Treo", "settings": {"contacts-action": "\u001b]0;pwned\u0007"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ws-settype.json"), []byte(`{"schema": 1, "workstation": {"id": "ws-settype", "interaction_sync": true}, "updated_at": "2026-11-25T08:00:00Z", "devices": [{"id": "palm-1", "name": "Treo", "settings": ["contacts-action"]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "ws-dir.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".ws-f.json.tmp123"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "desktop.ini"), []byte("[.ShellClassInfo]"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFleetFolderGivesExactlyTheRightFindings(t *testing.T) {
	t.Parallel()
	dir := buildFleet(t)
	v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 10 * time.Second, StaleDays: 30, Now: now, CacheFile: filepath.Join(t.TempDir(), "cache.json")})
	if v.FromCache || v.Offline || v.Problem != "" {
		t.Fatalf("view = %+v", v)
	}
	var ids []string
	for _, w := range v.Workstations {
		ids = append(ids, w.Workstation.ID)
	}
	if strings.Join(ids, ",") != "ws-b,ws-c,ws-d,ws-self" {
		t.Errorf("fresh workstations = %v", ids)
	}
	if len(v.Stale) != 1 || v.Stale[0].Workstation != "ws-old" {
		t.Errorf("stale = %+v", v.Stale)
	}
	skipped := map[string]string{}
	for _, s := range v.Skipped {
		skipped[s.File] = s.Reason
	}
	wantSkipped := map[string]string{
		"ws-bad.json":     "ends in the middle",
		"ws-link.json":    "a link",
		"ws-huge.json":    "52428800 bytes",
		"évil name.json":  "odd file name",
		"ws-types.json":   "workstation.interaction_sync is a JSON string, not a true or false",
		"ws-list.json":    "line 1",
		"ws-spoof.json":   `names workstation "ws-b"`,
		"ws-esc.json":     "control characters",
		"ws-setesc.json":  "devices[0].settings.contacts-action holds control characters",
		"ws-settype.json": "settings is a JSON array",
		"ws-dir.json":     "a folder",
		"notes.txt":       "not a workstation file",
	}
	if !linksWork {
		delete(wantSkipped, "ws-link.json")
	}
	for name, want := range wantSkipped {
		if !strings.Contains(skipped[name], want) {
			t.Errorf("skipped[%q] = %q, want it to mention %q", name, skipped[name], want)
		}
	}
	if len(skipped) != len(wantSkipped) {
		t.Errorf("skipped = %v", skipped)
	}

	fs := MultiWorkstation(self(), v, nil)
	got := map[string]findings.Finding{}
	for _, f := range fs {
		if f.Kind != findings.MultiWorkstation {
			t.Errorf("kind %s", f.Kind)
		}
		got[f.DeviceID] = f
	}
	if len(fs) != 2 {
		t.Fatalf("findings = %d, want exactly 2: %+v", len(fs), fs)
	}
	if f := got[iphone]; f.Severity != findings.Danger || !strings.Contains(f.Title, "ws-b") || f.Subject != iphone {
		t.Errorf("iPhone finding = %+v", f)
	}
	if f := got["activesync:00000111"]; f.Severity != findings.Warning || !strings.Contains(f.Title, "ws-c") || !strings.Contains(f.Explanation, "name and model") {
		t.Errorf("HTC finding = %+v", f)
	}

	cat, err := conduit.Load("")
	if err != nil {
		t.Fatal(err)
	}
	r := FirmReport(v, cat)
	if len(r.SharedDevices) != 2 || r.SharedDevices[0].Name != "iPhone (Jane)" || r.SharedDevices[1].Name != "jane htc" ||
		r.SharedDevices[1].Match != "name+model" || r.SharedDevices[0].Severity != "danger" || len(r.SharedDevices[0].Workstations) != 2 ||
		len(r.SharedDevices[0].IDs) != 1 {
		t.Errorf("shared devices = %+v", r.SharedDevices)
	}
	if len(r.Outdated) != 1 || r.Outdated[0].Workstation != "ws-d" || r.Outdated[0].Version != "6.2.1" || r.Outdated[0].Severity != "warning" {
		t.Errorf("outdated = %+v", r.Outdated)
	}
	if len(r.RiskySettings) != 1 || r.RiskySettings[0].Workstation != "ws-d" || r.RiskySettings[0].Setting != "contacts-action" ||
		r.RiskySettings[0].Value != "handheld-overwrites-desktop" || r.RiskySettings[0].Severity != "danger" ||
		!strings.Contains(r.RiskySettings[0].Reason, "Handheld overwrites Desktop") {
		t.Errorf("risky settings = %+v; want ws-d's Treo alone (ws-self's value is safe, an unknown key is no risk)", r.RiskySettings)
	}
	if r.Worst() != findings.Danger {
		t.Errorf("worst = %v", r.Worst())
	}
}

func TestSameDevice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b Device
		want string
	}{
		{Device{ID: "A1"}, Device{ID: "a1"}, "id"},
		{Device{ID: iphone, Name: "X", Model: "M"}, Device{ID: "00008101-001E30D20C38001E", Name: "X", Model: "M"}, ""},
		{Device{ID: "d1", Name: "Jane Treo", Model: "Treo 680"}, Device{ID: "d2", Name: "jane treo", Model: "TREO 680"}, "name+model"},
		{Device{ID: "d1", Name: "Jane Treo"}, Device{ID: "d2", Name: "Jane Treo"}, ""},
		{Device{ID: "activesync:1", Name: "Pocket_PC"}, Device{ID: "activesync:2", Name: "Pocket_PC"}, ""},
		{Device{ID: "activesync:1", Name: "Ren"}, Device{ID: "activesync:2", Name: "Ren"}, "name+model"},
		{Device{ID: "", Name: ""}, Device{ID: "", Name: ""}, ""},
	}
	for i, c := range cases {
		ok, how := SameDevice(c.a, c.b)
		if how != c.want || ok != (c.want != "") {
			t.Errorf("case %d: SameDevice = %v %q, want %q", i, ok, how, c.want)
		}
	}
}

// slowFS answers nothing until released: a file server that hangs.
type slowFS struct {
	fs.FS
	release chan struct{}
}

func (s slowFS) ReadDir(name string) ([]fs.DirEntry, error) {
	<-s.release
	return fs.ReadDir(s.FS, name)
}

// vanishingFS lists the folder, then the folder disappears before the files are read.
type vanishingFS struct {
	fs.FS
	dir string
}

func (v vanishingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(v.FS, name)
	if rerr := os.RemoveAll(v.dir); rerr != nil {
		return nil, rerr
	}
	return entries, err
}

func TestSlowAndVanishingFolderUseTheLastGoodView(t *testing.T) {
	t.Parallel()
	dir := buildFleet(t)
	cache := filepath.Join(t.TempDir(), "fleet-view.json")
	good := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 10 * time.Second, StaleDays: 30, Now: now, CacheFile: cache})
	if good.FromCache || len(good.Workstations) != 4 {
		t.Fatalf("first read = %+v", good)
	}

	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	later := now.Add(3 * time.Hour)
	slow := Read(context.Background(), ReadOptions{Folder: dir, FS: slowFS{os.DirFS(dir), release}, Timeout: 50 * time.Millisecond, StaleDays: 30, Now: later, CacheFile: cache})
	if !slow.FromCache || !strings.Contains(slow.Problem, "no answer within 50ms") || slow.Age != 3*time.Hour || len(slow.Workstations) != 4 {
		t.Fatalf("slow read = %+v", slow)
	}
	fs := MultiWorkstation(self(), slow, nil)
	if len(fs) != 2 || !strings.Contains(fs[0].Explanation, "3 hours old") {
		t.Errorf("findings from the cached view = %+v", fs)
	}

	gone := Read(context.Background(), ReadOptions{Folder: dir, FS: vanishingFS{os.DirFS(dir), dir}, Timeout: 10 * time.Second, StaleDays: 30, Now: later, CacheFile: cache})
	if !gone.FromCache || !strings.Contains(gone.Problem, "went away") || len(gone.Workstations) != 4 {
		t.Fatalf("vanishing read = %+v", gone)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the folder should be gone: %v", err)
	}
	// Now the folder is offline for good: the cache still answers; without it, Offline.
	off := Read(context.Background(), ReadOptions{Folder: dir, Timeout: time.Second, StaleDays: 30, Now: later, CacheFile: cache})
	if !off.FromCache {
		t.Errorf("offline read = %+v", off)
	}
	none := Read(context.Background(), ReadOptions{Folder: dir, Timeout: time.Second, StaleDays: 30, Now: later})
	if !none.Offline || none.FromCache || len(none.Workstations) != 0 || !strings.Contains(none.Problem, "no earlier view") {
		t.Errorf("no cache = %+v", none)
	}
	if err := Publish(context.Background(), dir, self(), time.Second); err == nil || !strings.Contains(err.Error(), "not reachable") {
		t.Errorf("publishing into a missing folder must fail, not create it: %v", err)
	}
}

func TestPublishedFileIsExactlyTheSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := self()
	ls := time.Date(2026, 11, 24, 17, 30, 0, 0, time.FixedZone("CET", 3600))
	f.Devices[0].LastSync = &ls
	if err := Publish(context.Background(), dir, f, time.Second); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ws-self.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) string {
		var k []string
		for x := range m {
			k = append(k, x)
		}
		sort.Strings(k)
		return strings.Join(k, ",")
	}
	if keys(m) != "devices,schema,updated_at,workstation" ||
		keys(m["workstation"].(map[string]any)) != "app_version,hostname,id,interaction_sync,user" {
		t.Errorf("top keys %s / workstation keys %s", keys(m), keys(m["workstation"].(map[string]any)))
	}
	devs := m["devices"].([]any)
	if keys(devs[0].(map[string]any)) != "id,last_sync,model,name,software,software_version" {
		t.Errorf("device keys %s", keys(devs[0].(map[string]any)))
	}
	// The one key beyond DESIGN.md §5, and only where a device has settings.
	if keys(devs[2].(map[string]any)) != "id,last_sync,model,name,settings,software,software_version" {
		t.Errorf("device keys %s", keys(devs[2].(map[string]any)))
	}
	if devs[0].(map[string]any)["last_sync"] != "2026-11-24T16:30:00Z" || devs[1].(map[string]any)["last_sync"] != nil {
		t.Errorf("last_sync = %v / %v", devs[0].(map[string]any)["last_sync"], devs[1].(map[string]any)["last_sync"])
	}
	back, err := Parse(data)
	if err != nil || !reflect.DeepEqual(back.Workstation, f.Workstation) || len(back.Devices) != 3 {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder must hold only the file, no temporary: %v", entries)
	}
}

func FuzzParseFleetFile(f *testing.F) {
	good, _ := self().Marshal()
	f.Add(good)
	f.Add([]byte(`{"schema": 1, "workstation": {"id": "a", "interaction_sync": false}, "updated_at": "2026-01-01T00:00:00Z", "devices": null}`))
	f.Add([]byte(`{"schema": 1, "workstation": {"id": "a", "interaction_sync": 1}}`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			return
		}
		// Whatever the parser accepts, the writer must be able to write back, and the
		// result must parse to the same workstation and devices.
		out, err := v.Marshal()
		if err != nil {
			t.Fatalf("accepted %q but cannot write it back: %v", data, err)
		}
		again, err := Parse(out)
		if err != nil || !reflect.DeepEqual(again.Workstation, v.Workstation) || len(again.Devices) != len(v.Devices) {
			t.Fatalf("round trip of %q: %+v, %v", data, again, err)
		}
	})
}

// A link in the fleet folder is a Unix attack (a file server exporting a link to a secret).
// On Windows, making a symbolic link takes administrator rights or Developer Mode, its
// target is a Windows path, and Wine does not report one as a link at all: the hostile link
// is tested where it can be made.
const linksWork = runtime.GOOS != "windows"
