package cli

import (
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

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

// apply copies the flags that were given onto dev, checking software and settings against
// the catalog so that a typo in an IT script fails loudly instead of never matching.
func (f *deviceFlags) apply(fs *flag.FlagSet, cat *conduit.Catalog, dev *conduit.Device) error {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if given["name"] {
		dev.Name = *f.name
	}
	if given["model"] {
		dev.Model = *f.model
	}
	if given["version"] {
		dev.Version = *f.version
	}
	if given["software"] {
		sw, ok := cat.Lookup(*f.software)
		if !ok {
			return fmt.Errorf("--software %q is not in the catalog; use one of: %s", *f.software, strings.Join(cat.IDs(), ", "))
		}
		dev.Software = sw.ID
	}
	if given["last-sync"] {
		t, err := parseTime(*f.lastSync)
		if err != nil {
			return fmt.Errorf("--last-sync: %v", err)
		}
		dev.LastSync = t.UTC()
	}
	for _, kv := range f.settings {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return fmt.Errorf("--setting %q: write KEY=VALUE", kv)
		}
		sw, found := cat.Lookup(dev.Software)
		if !found {
			return fmt.Errorf("--setting %s: give --software first, so the setting can be checked", k)
		}
		st, found := sw.Setting(k)
		if !found {
			keys := make([]string, len(sw.Settings))
			for i, s := range sw.Settings {
				keys[i] = s.Key
			}
			return fmt.Errorf("--setting %s: %s has no such setting; use one of: %s", k, sw.ID, strings.Join(keys, ", "))
		}
		if dev.Settings == nil {
			dev.Settings = map[string]string{}
		}
		if v == "" && !hasEmptyValue(st) {
			delete(dev.Settings, st.Key)
			continue
		}
		if _, ok := st.Match(v); !ok && len(st.Values) > 0 {
			vals := make([]string, 0, len(st.Values))
			for _, sv := range st.Values {
				vals = append(vals, fmt.Sprintf("%q", sv.Value))
			}
			return fmt.Errorf("--setting %s=%s: not a value of %q; use one of: %s", st.Key, v, st.Label, strings.Join(vals, ", "))
		}
		if sv, ok := st.Match(v); ok && sv.Value != "*" {
			v = sv.Value // store the catalog's value, whichever spelling was given
		}
		dev.Settings[st.Key] = v
	}
	return nil
}

func hasEmptyValue(st *conduit.Setting) bool {
	for _, v := range st.Values {
		if v.Value == "" {
			return true
		}
	}
	return false
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
		cat, err := loadCatalog(env)
		if err != nil {
			return failf(env, "%v", err)
		}
		if args[0] == "add" {
			if *df.name == "" || *df.software == "" {
				return failf(env, "device add: --name and --software are required")
			}
			dev := conduit.Device{ID: *df.id, Source: conduit.SourceDeclared}
			if err := df.apply(fs, cat, &dev); err != nil {
				return failf(env, "device add: %v", err)
			}
			if err := store.Add(dev); err != nil {
				return failf(env, "%v", err)
			}
		} else {
			var applyErr error
			err := store.Update(*df.id, func(d *conduit.Device) { applyErr = df.apply(fs, cat, d) })
			if applyErr != nil {
				return failf(env, "device set: %v", applyErr)
			}
			if err != nil && !errors.Is(err, conduit.ErrNotFound) {
				return failf(env, "%v", err)
			}
			if err != nil {
				// A detected device (a partnership, an Apple pairing) is declared on its
				// first `set`, so the user can complete what detection cannot see. Any other
				// id is a typo: declaring it would add a device nobody has.
				found, ok := detectedDevice(*df.id, detect)
				if !ok {
					return failf(env, "device set: no device %q is declared or detected here; 'device list' shows them, and 'device add' declares a new one", *df.id)
				}
				dev := found
				dev.ID, dev.Source = *df.id, conduit.SourceDeclared
				if err2 := df.apply(fs, cat, &dev); err2 != nil {
					return failf(env, "device set: %v", err2)
				}
				if err := store.Add(dev); err != nil {
					return failf(env, "%v", err)
				}
			}
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
		if err := store.Remove(*id); err != nil {
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
		devs, errs, err := allDevices(env, opt)
		if err != nil {
			return failf(env, "%v", err)
		}
		if *asJSON {
			out := struct {
				Devices []conduit.Device `json:"devices"`
				Errors  []string         `json:"errors"`
			}{devs, errStrings(errs)}
			if err := writeJSON(env, out); err != nil {
				return failf(env, "cannot write the output: %v", err)
			}
			return ExitOK
		}
		printDevices(env, devs)
		for _, e := range errs {
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

// allDevices merges detected and declared devices.
func allDevices(env *Env, d detectFlags) ([]conduit.Device, []error, error) {
	declared, err := conduit.OpenStore(env.DataDir).List()
	if err != nil {
		return nil, nil, err
	}
	detected, errs := conduit.Detect(conduit.DetectOptions{
		Live: !*d.noLive, RegFiles: d.regs, AppleLockdown: d.lockdown, AppleBackups: d.backups,
	})
	devs := conduit.Merge(detected, declared)
	if devs == nil {
		devs = []conduit.Device{}
	}
	return devs, errs, nil
}

func errStrings(errs []error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
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

// detectedDevice finds the device with the id among those detected here.
func detectedDevice(id string, d detectFlags) (conduit.Device, bool) {
	detected, _ := conduit.Detect(conduit.DetectOptions{
		Live: !*d.noLive, RegFiles: d.regs, AppleLockdown: d.lockdown, AppleBackups: d.backups,
	})
	for _, dev := range detected {
		if strings.EqualFold(dev.ID, id) {
			return dev, true
		}
	}
	return conduit.Device{}, false
}
