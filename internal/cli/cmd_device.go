package cli

import (
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/conduit"
)

func init() {
	register(&Command{
		Name: "device",
		Usage: "device add --id ID --name NAME --software CATALOG-ID [--version V] [--model M] [--setting KEY=VALUE]... | " +
			"device set --id ID [...] | device remove --id ID | device list [--json] [--reg FILE]...",
		Summary: "declare the devices paired with this workstation, their sync software, version and settings",
		Run:     runDevice,
	})
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// deviceFlags are the fields add and set share.
type deviceFlags struct {
	id, name, model, software, version, lastSync *string
	settings                                     multiFlag
}

func addDeviceFlags(fs *flag.FlagSet) *deviceFlags {
	d := &deviceFlags{
		id:       fs.String("id", "", "the device's id (an Apple UDID, an ActiveSync partnership, or any id IT uses)"),
		name:     fs.String("name", "", "the device's name"),
		model:    fs.String("model", "", "the device's model"),
		software: fs.String("software", "", "the sync software: a catalog id (syncguard catalog)"),
		version:  fs.String("version", "", "the sync software's version"),
		lastSync: fs.String("last-sync", "", "when the device last synced (2026-11-24 or RFC 3339)"),
	}
	fs.Var(&d.settings, "setting", "a sync setting as KEY=VALUE (repeatable; KEY= removes it)")
	return d
}

// edit is the change the given flags make, as the service takes it.
func (f *deviceFlags) edit(fs *flag.FlagSet) (app.DeviceEdit, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var e app.DeviceEdit
	if given["name"] {
		e.Name = f.name
	}
	if given["model"] {
		e.Model = f.model
	}
	if given["version"] {
		e.Version = f.version
	}
	if given["software"] {
		e.Software = f.software
	}
	if given["last-sync"] {
		t, err := parseTime(*f.lastSync)
		if err != nil {
			return e, fmt.Errorf("--last-sync: %v", err)
		}
		e.LastSync = &t
	}
	e.Settings = f.settings
	return e, nil
}

// editError words what the catalog refused by the flag that gave it.
func editError(err error) error {
	var e *app.DeviceEditError
	if !errors.As(err, &e) {
		return err
	}
	return errors.New(e.Say(app.EditWords{Software: "--software", Setting: "--setting", SoftwareFirst: "give --software first"}))
}

func runDevice(env *Env, args []string) int {
	c := commands["device"]
	if len(args) == 0 {
		newFlags(env, c).Usage()
		return ExitFailed
	}
	if isHelp(args[0]) {
		newFlags(env, c).Usage()
		return ExitOK
	}
	fs := newFlags(env, c)
	store := conduit.OpenStore(env.DataDir)
	switch args[0] {
	case "add", "set":
		df := addDeviceFlags(fs)
		var detect detectFlags
		if args[0] == "set" {
			detect.register(fs)
		}
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		if *df.id == "" {
			return failf(env, "device %s: --id is required", args[0])
		}
		e, err := df.edit(fs)
		if err != nil {
			return failf(env, "device %s: %v", args[0], err)
		}
		if args[0] == "add" && (*df.name == "" || *df.software == "") {
			return failf(env, "device add: --name and --software are required")
		}
		svc, err := env.open()
		if err != nil {
			return failf(env, "%v", err)
		}
		defer svc.Close()
		if args[0] == "add" {
			err = svc.DeclareDevice(*df.id, e)
		} else {
			o := detect.options()
			err = svc.EditDevice(*df.id, e, &o)
		}
		var editErr *app.DeviceEditError
		switch {
		case errors.As(err, &editErr):
			return failf(env, "device %s: %v", args[0], editError(err))
		case errors.Is(err, app.ErrNoSuchDevice):
			return failf(env, "device set: no device %q is declared or detected here; 'device list' shows them, and 'device add' declares a new one", *df.id)
		case err != nil:
			return failf(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "device %s saved in %s\n", *df.id, store.Path())
		return ExitOK
	case "remove":
		id := fs.String("id", "", "the device's id")
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		if *id == "" {
			return failf(env, "device remove: --id is required")
		}
		svc, err := env.open()
		if err != nil {
			return failf(env, "%v", err)
		}
		defer svc.Close()
		if err := svc.RemoveDevice(*id); err != nil {
			return failf(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "device %s removed\n", *id)
		return ExitOK
	case "list":
		asJSON := fs.Bool("json", false, "print JSON for scripts")
		var opt detectFlags
		opt.register(fs)
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		svc, err := env.open()
		if err != nil {
			return failf(env, "%v", err)
		}
		defer svc.Close()
		o := opt.options()
		list, err := svc.DeviceList(&o)
		if err != nil {
			return failf(env, "%v", err)
		}
		if *asJSON {
			if err := writeJSON(env, list); err != nil {
				return failf(env, "cannot write the output: %v", err)
			}
			return ExitOK
		}
		printDevices(env, list.Devices)
		for _, e := range list.Errors {
			fmt.Fprintf(env.Stderr, "syncguard: %v\n", e)
		}
		return ExitOK
	}
	return failf(env, "device: unknown action %q; use add, set, remove or list", args[0])
}

// detectFlags are the detection sources check and device list share.
type detectFlags struct {
	regs, lockdown, backups multiFlag
	noLive                  *bool
}

func (d *detectFlags) register(fs *flag.FlagSet) {
	fs.Var(&d.regs, "reg", "a .reg export of HKCU\\Software\\Microsoft\\Windows CE Services\\Partners, or of HKCU\\Software\\Microsoft\\Office for the Outlook profile's mailboxes (repeatable)")
	fs.Var(&d.lockdown, "apple-lockdown", "a folder of Apple pairing records (<UDID>.plist) to read (repeatable)")
	fs.Var(&d.backups, "apple-backups", "a folder of Apple device backups (each with an Info.plist) to read (repeatable)")
	d.noLive = fs.Bool("no-detect", false, "do not look at this workstation's registry and Apple folders")
}

// options are the detection sources as the service takes them, paths made absolute.
func (d *detectFlags) options() conduit.DetectOptions {
	return conduit.DetectOptions{Live: !*d.noLive, RegFiles: absAll(d.regs), AppleLockdown: absAll(d.lockdown), AppleBackups: absAll(d.backups)}
}

func printDevices(env *Env, devs []conduit.Device) {
	if len(devs) == 0 {
		fmt.Fprintln(env.Stdout, "No devices found or declared. Declare one with: syncguard device add --id ID --name NAME --software CATALOG-ID")
		return
	}
	for _, d := range devs {
		fmt.Fprintf(env.Stdout, "%s  %s", d.ID, d.Name)
		if d.Model != "" {
			fmt.Fprintf(env.Stdout, " (%s)", d.Model)
		}
		fmt.Fprintln(env.Stdout)
		sw := d.Software
		if sw == "" {
			sw = "unknown software"
		}
		if d.Version != "" {
			sw += " " + d.Version
		}
		fmt.Fprintf(env.Stdout, "  %s; from %s", sw, d.Source)
		if !d.LastSync.IsZero() {
			fmt.Fprintf(env.Stdout, "; last sync %s", d.LastSync.Local().Format(time.DateTime))
		}
		fmt.Fprintln(env.Stdout)
		keys := make([]string, 0, len(d.Settings))
		for k := range d.Settings {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(env.Stdout, "  %s = %q\n", k, d.Settings[k])
		}
	}
}
