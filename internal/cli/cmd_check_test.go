package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
)

// policyFile writes a policy for the test and returns the --policy arguments, so that no
// test reads the machine's policy.
func policyFile(t *testing.T, text string) []string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--policy", f}
}

type checkJSON struct {
	Workstation struct {
		ID              string `json:"id"`
		InteractionSync struct {
			Known  bool   `json:"known"`
			Value  bool   `json:"value"`
			Source string `json:"source"`
		} `json:"interaction_sync"`
	} `json:"workstation"`
	Devices []struct {
		ID, Name, Software, Version, Source string
	} `json:"devices"`
	Findings []struct {
		Kind     string `json:"kind"`
		Severity string `json:"severity"`
		Title    string `json:"title"`
		Device   string `json:"device"`
		ID       string `json:"id"`
		State    string `json:"state"`
		Contacts []struct {
			Name   string `json:"name"`
			Detail string `json:"detail"`
		} `json:"contacts"`
	} `json:"findings"`
	Worst     string   `json:"worst"`
	Detection []string `json:"detection_errors"`
	Contacts  struct {
		Location string `json:"location"`
		Count    int    `json:"count"`
		Error    string `json:"error"`
	} `json:"contacts"`
	Fleet *struct {
		Folder    string          `json:"folder"`
		Published bool            `json:"published"`
		FromCache bool            `json:"from_cache"`
		Age       string          `json:"age"`
		Problem   string          `json:"problem"`
		Others    int             `json:"other_workstations"`
		Stale     []fleet.Stale   `json:"stale"`
		Skipped   []fleet.Skipped `json:"skipped"`
	} `json:"fleet"`
}

func decodeCheck(t *testing.T, out string) checkJSON {
	t.Helper()
	var c checkJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("check --json printed no JSON: %v\n%s", err, out)
	}
	return c
}

func TestCatalogJSON(t *testing.T) {
	t.Parallel()
	out, _, code := run(t, "catalog", "--json")
	var c struct {
		Software []struct {
			ID     string `json:"id"`
			Latest struct {
				Version string `json:"version"`
				Source  string `json:"source"`
				Certain bool   `json:"certain"`
			} `json:"latest"`
			Path  string `json:"path"`
			Risks []struct {
				Key    string `json:"key"`
				Source string `json:"source"`
			} `json:"risks"`
		} `json:"software"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil || code != ExitOK || len(c.Software) != 12 {
		t.Fatalf("catalog --json: code %d, %v, %s", code, err, out)
	}
	// Today's phone paths are listed, each with the source of its risks.
	paths := map[string]string{}
	for _, s := range c.Software {
		if s.Path != "" {
			paths[s.ID] = s.Path
			for _, r := range s.Risks {
				if r.Source == "" {
					t.Errorf("%s: risk %s without a source", s.ID, r.Key)
				}
			}
		}
	}
	if paths["exchange-direct"] != "exchange-direct" || paths["outlook-mobile"] != "phone-app" || paths["icloud-outlook"] != "outlook-add-in" || paths["gwsmo"] != "outlook-add-in" {
		t.Errorf("phone paths in catalog --json: %v", paths)
	}
	text, _, code := run(t, "catalog")
	if code != ExitOK || !strings.Contains(text, "Handheld overwrites Desktop") || !strings.Contains(text, "not certain") {
		t.Errorf("catalog text:\n%s", text)
	}
}

func TestDeviceCommands(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	pol := policyFile(t, "")
	args := func(a ...string) []string { return append(append([]string{}, pol...), a...) }
	_, errOut, code := runIn(t, data, args("device", "add", "--id", "p1", "--name", "Treo", "--software", "palm")...)
	if code != ExitFailed || !strings.Contains(errOut, "hotsync") {
		t.Errorf("an unknown software must fail and list the catalog ids: %d %s", code, errOut)
	}
	_, errOut, code = runIn(t, data, args("device", "add", "--id", "p1", "--name", "Treo", "--software", "HotSync", "--setting", "contacts-action=sometimes")...)
	if code != ExitFailed || !strings.Contains(errOut, `"handheld-overwrites-desktop"`) {
		t.Errorf("an unknown setting value must fail and list the values: %d %s", code, errOut)
	}
	_, errOut, code = runIn(t, data, args("device", "add", "--id", "p1", "--name", "Treo", "--software", "HotSync", "--version", "6.2.2",
		"--setting", "contacts-action=Handheld overwrites Desktop", "--last-sync", "2026-11-24")...)
	if code != ExitOK {
		t.Fatalf("device add: %d %s", code, errOut)
	}
	_, _, code = runIn(t, data, args("device", "set", "--id", "p1", "--model", "Treo 680")...)
	if code != ExitOK {
		t.Fatalf("device set: %d", code)
	}
	out, _, code := runIn(t, data, args("device", "list", "--json", "--no-detect")...)
	var l struct {
		Devices []struct {
			ID, Name, Model, Software, Version, Source string
			Settings                                   map[string]string
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil || code != ExitOK || len(l.Devices) != 1 {
		t.Fatalf("device list: %d %v %s", code, err, out)
	}
	d := l.Devices[0]
	if d.Software != "hotsync" || d.Model != "Treo 680" || d.Settings["contacts-action"] != "handheld-overwrites-desktop" || d.Source != "declared" {
		t.Errorf("device = %+v", d)
	}
	datadir.ExpectPrivate(t, filepath.Join(data, "devices.json"))
	datadir.ExpectPrivate(t, data)
	if _, _, code := runIn(t, data, args("device", "remove", "--id", "p1")...); code != ExitOK {
		t.Errorf("remove: %d", code)
	}
	if _, _, code := runIn(t, data, args("device", "remove", "--id", "p1")...); code != ExitFailed {
		t.Errorf("removing twice must fail: %d", code)
	}
}

const multiCategoryVCards = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Able\r\nN:Able;Ann;;;\r\nCATEGORIES:Clients,VIP\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Baker\r\nN:Baker;Bob;;;\r\nCATEGORIES:Clients\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Cole\r\nN:Cole;Cy;;;\r\nCATEGORIES:Bar Association,Clients,Holiday Cards\r\nEND:VCARD\r\n"

func TestCheckDevicesRegExportAndExport(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	pol := policyFile(t, "")
	export := filepath.Join(t.TempDir(), "contacts.vcf")
	if err := os.WriteFile(export, []byte(multiCategoryVCards), 0o600); err != nil {
		t.Fatal(err)
	}
	a := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	if _, e, c := runIn(t, data, a("device", "add", "--id", "palm-1", "--name", "Treo", "--software", "hotsync", "--version", "6.2.2",
		"--setting", "contacts-action=handheld-overwrites-desktop")...); c != ExitOK {
		t.Fatal(e)
	}
	// The user completes a partnership that the .reg export shows (set finds it there).
	if _, e, c := runIn(t, data, a("device", "set", "--id", "activesync:0badf00d", "--software", "wmdc", "--version", "6.1", "--setting", "category-filter=Clients",
		"--no-detect", "--reg", "../conduit/testdata/partners-v5.reg")...); c != ExitOK {
		t.Fatal(e)
	}
	out, errOut, code := runIn(t, data, a("check", "--json", "--no-detect", "--reg", "../conduit/testdata/partners-v5.reg", "--export", export)...)
	if code != ExitDanger {
		t.Fatalf("check exit %d, want %d (a danger)\n%s\n%s", code, ExitDanger, out, errOut)
	}
	c := decodeCheck(t, out)
	if len(c.Devices) != 3 || c.Worst != "danger" || c.Fleet != nil || c.Contacts.Count != 3 {
		t.Fatalf("check = %+v", c)
	}
	kinds := map[string]string{}
	for _, f := range c.Findings {
		kinds[f.Device+" "+f.Kind] = f.Severity
		if f.State != "open" || f.ID == "" {
			t.Errorf("finding not normalized: %+v", f)
		}
		if f.Kind == "category-device-limit" && (len(f.Contacts) != 2 || !strings.Contains(f.Title, "2 contacts")) {
			t.Errorf("category finding = %+v", f)
		}
	}
	want := map[string]string{
		"palm-1 conduit-setting":                "danger",
		"palm-1 category-device-limit":          "warning",
		"activesync:0badf00d conduit-setting":   "warning",
		"activesync:3a7f0c21 outdated-software": "info", // version unknown
	}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("finding %s = %q, want %q (all: %v)", k, kinds[k], v, kinds)
		}
	}
	if _, ok := kinds["palm-1 outdated-software"]; ok {
		t.Errorf("6.2.2 is the latest HotSync: no outdated finding expected")
	}

	text, _, code := runIn(t, data, a("check", "--no-detect", "--export", export)...)
	if code != ExitDanger || !strings.Contains(text, "[danger] Treo: HotSync Action") || !strings.Contains(text, "Manage Categories") {
		t.Errorf("check text (exit %d):\n%s", code, text)
	}
}

func TestCheckWithoutDevicesIsOK(t *testing.T) {
	t.Parallel()
	out, _, code := runIn(t, t.TempDir(), append(policyFile(t, ""), "check", "--json", "--no-detect")...)
	c := decodeCheck(t, out)
	if code != ExitOK || c.Worst != "none" || len(c.Findings) != 0 {
		t.Errorf("exit %d: %s", code, out)
	}
}

// otherWorkstation writes another workstation's fleet file.
func otherWorkstation(t *testing.T, dir, id string, syncs bool, devs ...fleet.Device) {
	t.Helper()
	f := fleet.File{Workstation: fleet.Workstation{ID: id, Hostname: id, User: "FIRM\\" + id, InteractionSync: syncs, AppVersion: "dev"},
		UpdatedAt: time.Now().Add(-time.Hour), Devices: devs}
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckFleetPublishesAndFindsSharedDevices(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	folder := t.TempDir()
	pol := policyFile(t, "[fleet]\ntimeout = \"2s\"\nstale_days = 30\n")
	a := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	if _, e, c := runIn(t, data, a("workstation", "set", "--id", "ws-jane", "--interaction-sync=true")...); c != ExitOK {
		t.Fatal(e)
	}
	if _, e, c := runIn(t, data, a("device", "add", "--id", "udid-1", "--name", "Jane's iPhone", "--software", "itunes")...); c != ExitOK {
		t.Fatal(e)
	}
	otherWorkstation(t, folder, "ws-assistant", true, fleet.Device{ID: "UDID-1", Name: "iPhone"})
	otherWorkstation(t, folder, "ws-home", false, fleet.Device{ID: "other", Name: "Tablet"})
	links := 0
	if linksWork {
		if err := os.Symlink("/etc/passwd", filepath.Join(folder, "ws-link.json")); err != nil {
			t.Fatal(err)
		}
		links = 1
	}
	out, errOut, code := runIn(t, data, a("check", "--json", "--no-detect", "--fleet", folder)...)
	if code != ExitDanger {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	c := decodeCheck(t, out)
	if c.Fleet == nil || !c.Fleet.Published || c.Fleet.FromCache || c.Fleet.Others != 2 || len(c.Fleet.Skipped) != links {
		t.Fatalf("fleet = %+v", c.Fleet)
	}
	var multi []string
	for _, f := range c.Findings {
		if f.Kind == "multi-workstation" {
			multi = append(multi, f.Device+"/"+f.Severity)
		}
	}
	if strings.Join(multi, ",") != "udid-1/danger" {
		t.Errorf("multi-workstation findings = %v", multi)
	}
	// The published file is this workstation's, in the schema, with no contact data.
	pub, err := os.ReadFile(filepath.Join(folder, "ws-jane.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := fleet.Parse(pub)
	if err != nil || !f.Workstation.InteractionSync || len(f.Devices) != 1 || f.Devices[0].ID != "udid-1" {
		t.Errorf("published %s: %+v %v", pub, f, err)
	}

	// The admin's report sees the same device on two workstations.
	out, _, code = runIn(t, data, a("fleet", "--json", "--fleet", folder)...)
	var r struct {
		Workstations  int `json:"workstations"`
		SharedDevices []struct {
			Severity     string `json:"severity"`
			Workstations []struct {
				Workstation string `json:"workstation"`
			} `json:"workstations"`
		} `json:"shared_devices"`
		Skipped []fleet.Skipped `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitDanger || r.Workstations != 3 || len(r.SharedDevices) != 1 ||
		r.SharedDevices[0].Severity != "danger" || len(r.Skipped) != links {
		t.Errorf("fleet --json: exit %d %v\n%s", code, err, out)
	}
	text, _, _ := runIn(t, data, a("fleet", "--fleet", folder)...)
	if !strings.Contains(text, "ws-assistant") || (linksWork && !strings.Contains(text, `"ws-link.json": a link`)) {
		t.Errorf("fleet text:\n%s", text)
	}
}

// hangingFS is a fleet folder whose server stops answering.
type hangingFS struct {
	fs.FS
	release chan struct{}
}

func (h hangingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	<-h.release
	return fs.ReadDir(h.FS, name)
}

func TestCheckDoesNotStallOnASlowFleetFolder(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	folder := t.TempDir()
	pol := policyFile(t, "[fleet]\ntimeout = \"100ms\"\n[workstation]\ninteraction_sync = true\n")
	a := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	if _, e, c := runIn(t, data, a("device", "add", "--id", "udid-1", "--name", "Jane's iPhone", "--software", "itunes")...); c != ExitOK {
		t.Fatal(e)
	}
	otherWorkstation(t, folder, "ws-assistant", true, fleet.Device{ID: "udid-1", Name: "iPhone"})
	// A first check sees the folder and caches the view. It has time to: a 100 ms bound on a
	// real folder fails on a busy machine (and under Wine), and this check is not about it.
	patient := append(policyFile(t, "[fleet]\ntimeout = \"1m\"\n[workstation]\ninteraction_sync = true\n"), "check", "--json", "--no-detect", "--fleet", folder)
	if out, _, code := runIn(t, data, patient...); code != ExitDanger || decodeCheck(t, out).Fleet.FromCache {
		t.Fatalf("first check: %d %s", code, out)
	}
	// Then the file server hangs: check must come back on its timeout with the last good
	// view, say so, and still raise the finding from it.
	release := make(chan struct{})
	defer close(release)
	savedFS := fleetFS
	fleetFS = func(dir string) fleet.FS { return hangingFS{os.DirFS(dir), release} }
	defer func() { fleetFS = savedFS }()
	out, _, code := runIn(t, data, a("check", "--json", "--no-detect", "--fleet", folder)...)
	c := decodeCheck(t, out)
	if code != ExitDanger || c.Fleet == nil || !c.Fleet.FromCache || !strings.Contains(c.Fleet.Problem, "no answer within 100ms") || c.Fleet.Age == "" {
		t.Fatalf("slow check: exit %d, fleet %+v", code, c.Fleet)
	}
	found := false
	for _, f := range c.Findings {
		found = found || (f.Kind == "multi-workstation" && f.Severity == "danger")
	}
	if !found {
		t.Errorf("the cached view must still give the finding: %+v", c.Findings)
	}
	// fleet without any cache and a hanging folder fails rather than claiming an all-clear.
	_, _, code = runIn(t, t.TempDir(), a("fleet", "--json", "--fleet", folder)...)
	if code != ExitFailed {
		t.Errorf("fleet with nothing readable: exit %d", code)
	}
}

func TestWorkstationCommands(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	pol := policyFile(t, "")
	a := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	if _, _, code := runIn(t, data, a("workstation", "set", "--id", "évil")...); code != ExitFailed {
		t.Errorf("an id that is not a portable file name must fail")
	}
	if _, _, code := runIn(t, data, a("workstation", "set")...); code != ExitFailed {
		t.Errorf("set with nothing must fail")
	}
	if _, e, code := runIn(t, data, a("workstation", "set", "--id", "ws-7", "--interaction-sync=false")...); code != ExitOK {
		t.Fatal(e)
	}
	out, _, _ := runIn(t, data, a("workstation", "show", "--json")...)
	var w workstationInfo
	if err := json.Unmarshal([]byte(out), &w); err != nil || w.ID != "ws-7" || !w.InteractionSync.Known || w.InteractionSync.Value || w.InteractionSync.Source != "user" {
		t.Errorf("show: %+v %v", w, err)
	}
	// The policy outranks the user.
	out, _, _ = runIn(t, data, append(policyFile(t, "[workstation]\ninteraction_sync = true\n"), "workstation", "show", "--json")...)
	if err := json.Unmarshal([]byte(out), &w); err != nil || !w.InteractionSync.Value || w.InteractionSync.Source != "policy" {
		t.Errorf("show with policy: %+v %v", w, err)
	}
}

func TestPolicyCatalogFileReplacesTheEmbeddedOne(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.json")
	text := `{"schema": 1, "software": [{"id": "firmsync", "name": "FirmSync", "recognize": {"windows_uninstall": [], "windows_processes": [], "macos_bundle_ids": [], "partnerships": "", "source": "", "certain": false},
	 "latest": {"version": "3.1", "known_at": "2026-10-01", "source": "https://intranet.example/firmsync", "certain": true},
	 "minimum_safe": {"version": "3.0", "source": "https://intranet.example/firmsync", "certain": true},
	 "one_category_per_contact": {"value": false, "source": "", "certain": false}, "settings": []}]}`
	if err := os.WriteFile(cat, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	pol := policyFile(t, "[devices]\ncatalog_file = '"+cat+"'\n")
	data := t.TempDir()
	out, _, code := runIn(t, data, append(pol, "catalog", "--json")...)
	if code != ExitOK || !strings.Contains(out, `"firmsync"`) || strings.Contains(out, `"hotsync"`) {
		t.Fatalf("catalog from the policy: %d\n%s", code, out)
	}
	if _, e, c := runIn(t, data, append(pol, "device", "add", "--id", "d1", "--name", "Phone", "--software", "firmsync", "--version", "2.9")...); c != ExitOK {
		t.Fatal(e)
	}
	out, _, code = runIn(t, data, append(pol, "check", "--json", "--no-detect")...)
	c := decodeCheck(t, out)
	if code != ExitDanger || len(c.Findings) != 1 || c.Findings[0].Kind != "outdated-software" || !strings.Contains(c.Findings[0].Title, "minimum safe") {
		t.Errorf("check with the firm's catalog: exit %d %+v", code, c.Findings)
	}
	if err := os.WriteFile(cat, []byte("{\n\"schema\": 1,\n\"software\": [}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runIn(t, data, append(pol, "catalog")...)
	if code != ExitFailed || !strings.Contains(errOut, cat+": line 3") {
		t.Errorf("a broken catalog must fail naming file and line: %d %s", code, errOut)
	}
}

// TestCheckSavesItsFindings: what `check` finds goes into the history, where `findings` and
// the tray see it; a second check updates rather than repeats; a fixed setting resolves its
// finding; and while the tray app holds the history the check still runs and says why its
// findings were not saved.
func TestCheckSavesItsFindings(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	args := func(a ...string) []string { return append(policyFile(t, ""), a...) }
	if _, e, code := runIn(t, data, args("device", "add", "--id", "p1", "--name", "Treo", "--software", "hotsync", "--version", "6.2.2",
		"--setting", "contacts-action=handheld-overwrites-desktop")...); code != ExitOK {
		t.Fatal(e)
	}
	openKinds := func() []string {
		out, _, _ := runIn(t, data, args("findings", "--json")...)
		var got struct {
			Findings []struct{ Kind, State string } `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var kinds []string
		for _, f := range got.Findings {
			kinds = append(kinds, f.Kind)
		}
		return kinds
	}
	for i := 0; i < 2; i++ {
		out, _, code := runIn(t, data, args("check", "--json", "--no-detect")...)
		if code != ExitDanger || !strings.Contains(out, `"saved": true`) {
			t.Fatalf("check %d: code %d\n%s", i, code, out)
		}
		// The Palm keeps one category per contact: an info finding, as no export is set.
		if k := openKinds(); strings.Join(k, ",") != "conduit-setting,category-device-limit" {
			t.Errorf("after check %d: open findings %v, want one conduit-setting and one category-device-limit", i, k)
		}
	}
	runIn(t, data, args("device", "set", "--id", "p1", "--setting", "contacts-action=synchronize")...)
	if _, _, code := runIn(t, data, args("check", "--no-detect")...); code != ExitOK {
		t.Errorf("a safe setting: code %d", code)
	}
	if k := openKinds(); strings.Join(k, ",") != "category-device-limit" {
		t.Errorf("the fixed setting's finding is still open: %v", k)
	}

	st, err := history.Open(data, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out, _, code := runIn(t, data, args("check", "--no-detect")...)
	if code != ExitOK || !strings.Contains(out, "Not saved to the history") || !strings.Contains(out, "already running") {
		t.Errorf("with the history held: code %d\n%s", code, out)
	}
}

// A link in the fleet folder is a Unix attack (a file server exporting a link to a secret).
// On Windows, making a symbolic link takes administrator rights or Developer Mode, its
// target is a Windows path, and Wine does not report one as a link at all: the hostile link
// is tested where it can be made.
const linksWork = runtime.GOOS != "windows"
