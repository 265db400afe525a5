package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/settings"
	"github.com/syncguard/syncguard/internal/workstation"
)

func init() {
	register(&Command{
		Name:  "demo",
		Usage: "demo [--dir DIR] [--after DURATION] [--no-tray]",
		Summary: "start the tray app on a sandbox: a generated address book, a device sync that deletes contacts " +
			"and collapses categories, and a phone paired with another InterAction workstation",
		Run: runDemo,
	})
}

// The demo's device: a phone whose sync software keeps one category per contact, set to
// overwrite Outlook, and paired with another workstation that syncs with InterAction.
const (
	demoDeviceID = "palm-treo-680-anna"
	demoSize     = 400
	demoDeleted  = 40
	demoCollapse = 15
)

func runDemo(env *Env, args []string) int {
	fs := newFlags(env, commands["demo"])
	dir := fs.String("dir", "", "the sandbox folder (default: a new temporary folder)")
	after := fs.Duration("after", 15*time.Second, "when the simulated device sync happens after the tray starts (0: before)")
	noTray := fs.Bool("no-tray", false, "build the sandbox, make the sync and print where it is; do not start the tray")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	if env.StartTray == nil && !*noTray {
		return failf(env, "this build has no tray app; run 'syncguard demo --no-tray'")
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "syncguard-demo-")
		if err != nil {
			return failf(env, "%v", err)
		}
		*dir = d
	}
	sb, err := buildSandbox(*dir)
	if err != nil {
		return failf(env, "demo: %v", err)
	}
	fmt.Fprintf(env.Stdout, "SyncGuard demo in %s\n  export: %s\n  fleet folder: %s\n", *dir, sb.export, sb.fleet)
	// The demo runs on its own data and policy, never on the user's.
	env.DataDir, env.PolicyFile, env.Demo = sb.data, sb.policy, true
	if *noTray || *after <= 0 {
		if err := sb.deviceSync(); err != nil {
			return failf(env, "demo: %v", err)
		}
		fmt.Fprintf(env.Stdout, "  the device sync deleted %d contacts and collapsed the categories of %d\n", demoDeleted, demoCollapse)
	} else {
		fmt.Fprintf(env.Stdout, "  in %s a device sync deletes %d contacts and collapses the categories of %d: watch the tray\n", *after, demoDeleted, demoCollapse)
		go func() {
			time.Sleep(*after)
			if err := sb.deviceSync(); err != nil {
				fmt.Fprintln(env.Stderr, "demo:", err)
			}
		}()
	}
	if *noTray {
		fmt.Fprintf(env.Stdout, "Start the tray on it with: syncguard --data %s --policy %s\n", sb.data, sb.policy)
		return ExitOK
	}
	if err := env.StartTray(env, nil); err != nil {
		return failf(env, "%v", err)
	}
	return ExitOK
}

type sandbox struct {
	dir, data, export, fleet, policy string
	book                             []*contacts.Contact
}

// buildSandbox writes the demo's world: an Outlook CSV export with its first snapshot, a
// declared device with a risky setup, this workstation syncing with InterAction, and a
// fleet folder where another InterAction workstation pairs the same phone.
func buildSandbox(dir string) (*sandbox, error) {
	sb := &sandbox{dir: dir, data: filepath.Join(dir, "data"), fleet: filepath.Join(dir, "fleet"),
		export: filepath.Join(dir, "export", "contacts.csv"), policy: filepath.Join(dir, "policy.toml")}
	for _, d := range []string{sb.data, sb.fleet, filepath.Dir(sb.export)} {
		if err := datadir.Ensure(d); err != nil {
			return nil, err
		}
	}
	// IT's policy names the fleet folder: the settings window shows it locked.
	pol := fmt.Sprintf("[fleet]\nfolder = %q\n", sb.fleet)
	if err := os.WriteFile(sb.policy, []byte(pol), 0o600); err != nil {
		return nil, err
	}
	sb.book = gen.Book(7, demoSize)
	if err := writeCSV(sb.export, sb.book, time.Now().Add(-time.Hour)); err != nil {
		return nil, err
	}
	st, err := history.Open(sb.data, history.Options{})
	if err != nil {
		return nil, err
	}
	p, err := policy.Load(sb.policy)
	if err == nil {
		_, err = app.SnapshotExport(st, sb.export, app.SnapshotOptions{Policy: p, Now: time.Now().Add(-50 * time.Minute)})
	}
	st.Close()
	if err != nil {
		return nil, err
	}
	if err := settings.Save(sb.data, settings.Settings{Export: sb.export}); err != nil {
		return nil, err
	}
	yes := true
	if err := workstation.Save(sb.data, workstation.Config{ID: "ws-anna", InteractionSync: &yes}); err != nil {
		return nil, err
	}
	devs := conduit.OpenStore(sb.data)
	if _, err := os.Stat(devs.Path()); err != nil {
		err = devs.Add(conduit.Device{ID: demoDeviceID, Name: "Anna's Treo 680", Model: "Treo 680", Software: "hotsync", Version: "4.1",
			Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}, Source: conduit.SourceDeclared,
			LastSync: time.Now().Add(-26 * time.Hour)})
		if err != nil {
			return nil, err
		}
	}
	last := time.Now().Add(-3 * time.Hour)
	other := fleet.File{Schema: fleet.Schema, UpdatedAt: time.Now().Add(-2 * time.Hour),
		Workstation: fleet.Workstation{ID: "ws-reception", Hostname: "RECEPTION-PC", User: "mkeller", InteractionSync: true, AppVersion: "dev"},
		Devices: []fleet.Device{{ID: demoDeviceID, Name: "Anna's Treo 680", Model: "Treo 680", Software: "hotsync", SoftwareVersion: "4.1", LastSync: &last,
			Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}}}}
	data, err := other.Marshal()
	if err != nil {
		return nil, err
	}
	return sb, datadir.WriteFileAtomic(filepath.Join(sb.fleet, "ws-reception.json"), data, 0o600)
}

// deviceSync rewrites the export as a bad sync leaves it: contacts deleted, and contacts
// that had several categories reduced to one (the device keeps one per contact).
func (sb *sandbox) deviceSync() error {
	var after []*contacts.Contact
	collapsed := 0
	for i, c := range sb.book {
		if i%(demoSize/demoDeleted) == 3 {
			continue // deleted on the device
		}
		if collapsed < demoCollapse && len(c.Categories) >= 2 {
			c = c.Clone()
			c.Categories = c.Categories[:1]
			collapsed++
		}
		after = append(after, c)
	}
	return writeCSV(sb.export, after, time.Now().Add(-2*time.Second))
}

// writeCSV writes an Outlook CSV export the way Outlook does: beside the old one, then a
// rename, so the watcher never reads half a file.
func writeCSV(path string, cs []*contacts.Contact, mod time.Time) error {
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, cs); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return err
	}
	// A time in the past: the history reads a file only once it has held still.
	os.Chtimes(tmp, mod, mod)
	return os.Rename(tmp, path)
}
