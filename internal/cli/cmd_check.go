package cli

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/user"
	"runtime/debug"
	"sort"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
)

func init() {
	register(&Command{
		Name: "check",
		Usage: "check [--json] [--fleet DIR] [--export PATH] [--reg FILE]... " +
			"[--apple-lockdown DIR]... [--apple-backups DIR]... [--no-detect]",
		Summary: "run every device setup check, publish this workstation's fleet file, exit 0/1/2 by the worst finding",
		Run:     runCheck,
	})
}

// fleetStatus is the fleet part of `check --json`.
type fleetStatus struct {
	Folder       string          `json:"folder"`
	Published    bool            `json:"published"`
	PublishError string          `json:"publish_error,omitempty"`
	ReadAt       time.Time       `json:"read_at"`
	FromCache    bool            `json:"from_cache"`
	Age          string          `json:"age,omitempty"`
	Problem      string          `json:"problem,omitempty"`
	Others       int             `json:"other_workstations"` // fresh files of other workstations
	Stale        []fleet.Stale   `json:"stale"`
	Skipped      []fleet.Skipped `json:"skipped"`
}

// contactsStatus says which export the category check read.
type contactsStatus struct {
	Location string `json:"location,omitempty"`
	Count    int    `json:"count"`
	Error    string `json:"error,omitempty"`
}

// checkOutput is the public JSON of `check --json`.
type checkOutput struct {
	Workstation workstationInfo    `json:"workstation"`
	Devices     []conduit.Device   `json:"devices"`
	Findings    []findings.Finding `json:"findings"`
	Worst       string             `json:"worst"` // "none", "info", "warning" or "danger"
	Detection   []string           `json:"detection_errors"`
	Contacts    contactsStatus     `json:"contacts"`
	Fleet       *fleetStatus       `json:"fleet"` // null when no fleet folder is configured
	// Saved says whether the findings went into the history, where `findings`, the tray
	// and its popups see them; SaveError says why not (the tray app holds the history:
	// it runs the same check itself).
	Saved     bool   `json:"saved"`
	SaveError string `json:"save_error,omitempty"`
}

// fleetFS lets tests put a slow or vanishing folder behind `check`; nil means the real one.
var fleetFS func(folder string) fleet.FS

func runCheck(env *Env, args []string) int {
	fs := newFlags(env, commands["check"])
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	fleetDir := fs.String("fleet", "", "the fleet folder (overrides the policy's fleet.folder)")
	export := fs.String("export", "", "the Outlook export to count multi-category contacts in (default: the policy's export.location)")
	var det detectFlags
	det.register(fs)
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	p, err := loadPolicy(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	cat, err := conduit.Load(p.Devices.CatalogFile)
	if err != nil {
		return failf(env, "%v", err)
	}
	ws, err := resolveWorkstation(env)
	if err != nil {
		return failf(env, "%v", err)
	}
	devs, detErrs, err := allDevices(env, det)
	if err != nil {
		return failf(env, "%v", err)
	}
	out := checkOutput{Workstation: ws, Devices: devs, Findings: []findings.Finding{}, Detection: errStrings(detErrs)}

	// The category check needs the contacts; no export configured is reported by the
	// check itself, not treated as "no contacts with several categories".
	var cs []*contacts.Contact
	loc, folder := *export, *fleetDir
	if loc == "" || folder == "" {
		setExport, setFleet, err := locations(env, p)
		if err != nil {
			return failf(env, "%v", err)
		}
		loc, folder = cmp.Or(loc, setExport), cmp.Or(folder, setFleet)
	}
	if loc != "" && len(devs) > 0 {
		out.Contacts.Location = loc
		_, res, err := exports.Read(loc)
		switch {
		case err != nil:
			out.Contacts.Error = err.Error()
		case res.Unreadable():
			out.Contacts.Error = "the export could not be read completely; run 'syncguard scan " + loc + "' for details"
		default:
			cs = res.Contacts
			out.Contacts.Count = len(cs)
		}
	}
	for _, d := range devs {
		out.Findings = append(out.Findings, conduit.CheckDevice(cat, d, cs)...)
	}

	if folder != "" {
		st, fs := checkFleet(env, p, folder, ws, devs)
		out.Fleet = st
		out.Findings = append(out.Findings, fs...)
	}
	out.Findings = conduit.WithDeclaredOthers(out.Findings, devs, ws.InteractionSync.Known && ws.InteractionSync.Value)

	now := time.Now()
	for i := range out.Findings {
		out.Findings[i].Normalize(now)
	}
	sort.SliceStable(out.Findings, func(i, j int) bool { return out.Findings[i].Severity > out.Findings[j].Severity })
	out.Worst = "none"
	if w, any := findings.Worst(out.Findings); any {
		out.Worst = w.String()
	}
	if err := saveCheckFindings(env, out.Findings, now); err != nil {
		out.SaveError = err.Error()
	} else {
		out.Saved = true
	}
	if *asJSON {
		if err := writeJSON(env, out); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
	} else {
		printCheck(env, out)
	}
	return exitFor(out.Findings)
}

// saveCheckFindings stores the check's findings in the history: a finding seen before is
// updated, not repeated, and device findings the check no longer sees are resolved.
func saveCheckFindings(env *Env, fs []findings.Finding, now time.Time) error {
	st, err := openStore(env)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.SaveFindings(fs, findings.DeviceKinds, now); err != nil {
		return err
	}
	return st.AddEvent(history.Event{Time: now, Kind: history.EventCheck,
		Message: "device check from the command line: " + findings.Plural(len(fs), "finding", "findings")})
}

// checkFleet publishes this workstation's file and reads the others', each within the
// policy's fleet.timeout, and raises the multi-workstation findings.
func checkFleet(env *Env, p *policy.Policy, folder string, ws workstationInfo, devs []conduit.Device) (*fleetStatus, []findings.Finding) {
	self := fleet.File{
		Workstation: fleet.Workstation{
			ID: ws.ID, Hostname: hostname(), User: userName(),
			InteractionSync: ws.InteractionSync.Known && ws.InteractionSync.Value, AppVersion: appVersion(),
		},
		UpdatedAt: time.Now(),
	}
	for _, d := range devs {
		self.Devices = append(self.Devices, fleet.DeviceOf(d))
	}
	st := &fleetStatus{Folder: folder}
	ctx := context.Background()
	// Publish and read at the same time, so that a hanging file server costs one
	// fleet.timeout, not two.
	published := make(chan error, 1)
	go func() { published <- fleet.Publish(ctx, folder, self, p.Fleet.Timeout.Duration) }()
	opt := fleet.ReadOptions{Folder: folder, Timeout: p.Fleet.Timeout.Duration, StaleDays: p.Fleet.StaleDays, CacheFile: fleet.CacheFile(env.DataDir)}
	if fleetFS != nil {
		opt.FS = fleetFS(folder)
	}
	v := fleet.Read(ctx, opt)
	if err := <-published; err != nil {
		st.PublishError = err.Error()
	} else {
		st.Published = true
	}
	st.ReadAt, st.FromCache, st.Problem = v.ReadAt, v.FromCache, v.Problem
	st.Stale, st.Skipped = v.Stale, v.Skipped
	for _, w := range v.Workstations {
		if w.Workstation.ID != ws.ID {
			st.Others++ // this workstation's own file may be read before or after it is rewritten
		}
	}
	if v.FromCache {
		st.Age = fleet.RoundAge(v.Age)
	}
	fs := fleet.MultiWorkstation(self, v)
	if v.Offline {
		fs = append(fs, findings.Finding{
			Kind: findings.MultiWorkstation, Severity: findings.Info, Subject: "fleet-unreachable",
			Title:       "The fleet folder could not be read: shared devices were not checked",
			Explanation: v.Problem,
			Advice:      "Check that the file server is reachable; SyncGuard checks again at the next run.",
		})
	}
	if !ws.InteractionSync.Known {
		fs = append(fs, findings.Finding{
			Kind: findings.MultiWorkstation, Severity: findings.Info, Subject: "interaction-sync-unknown",
			Title:       "Whether this workstation syncs with InterAction is unknown",
			Explanation: "The fleet file says it does not, so other workstations sharing a device see a warning rather than a danger.",
			Advice:      "Set it with: syncguard workstation set --interaction-sync=true|false (or the policy key workstation.interaction_sync).",
			Actions:     []findings.Action{findings.ActWizard},
		})
	}
	return st, fs
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func userName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// appVersion is the module version the binary was built from ("dev" for a local build).
func appVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func printCheck(env *Env, out checkOutput) {
	w := env.Stdout
	fmt.Fprintf(w, "Workstation %s; InterAction sync: %s\n", out.Workstation.ID, describeSync(out.Workstation.InteractionSync))
	fmt.Fprintln(w, findings.Plural(len(out.Devices), "device", "devices"))
	for _, e := range out.Detection {
		fmt.Fprintf(w, "  could not read: %s\n", e)
	}
	if out.Contacts.Error != "" {
		fmt.Fprintf(w, "Export %s: %s\n", out.Contacts.Location, out.Contacts.Error)
	}
	if f := out.Fleet; f != nil {
		fmt.Fprintf(w, "Fleet folder %s: %s", f.Folder, findings.Plural(f.Others, "other workstation", "other workstations"))
		if f.FromCache {
			fmt.Fprintf(w, " (last good view, %s old: %s)", f.Age, f.Problem)
		} else if f.Problem != "" {
			fmt.Fprintf(w, " (%s)", f.Problem)
		}
		fmt.Fprintf(w, ", %d stale, %d skipped\n", len(f.Stale), len(f.Skipped))
		if f.PublishError != "" {
			fmt.Fprintf(w, "  not published: %s\n", f.PublishError)
		}
	}
	if out.SaveError != "" {
		fmt.Fprintf(w, "Not saved to the history: %s\n", out.SaveError)
	}
	if len(out.Findings) == 0 {
		fmt.Fprintln(w, "No findings: the device setup looks safe.")
		return
	}
	fmt.Fprintf(w, "\n%s (worst: %s):\n", findings.Plural(len(out.Findings), "finding", "findings"), out.Worst)
	for _, f := range out.Findings {
		fmt.Fprintf(w, "\n[%s] %s (%s)\n", f.Severity, f.Title, f.Kind)
		if f.Explanation != "" {
			fmt.Fprintf(w, "  %s\n", f.Explanation)
		}
		for _, c := range f.Contacts {
			fmt.Fprintf(w, "    %s: %s\n", c.Name, c.Detail)
		}
		if f.Advice != "" {
			fmt.Fprintf(w, "  What to do: %s\n", f.Advice)
		}
	}
}
