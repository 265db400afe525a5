package fleet

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// genericNames are the names devices ship with. Two devices both called "iPhone" are not
// the same device, so such names never match on their own.
var genericNames = map[string]bool{
	"pocket_pc": true, "pocket pc": true, "pocketpc": true, "smartphone": true, "iphone": true,
	"ipad": true, "ipod": true, "android": true, "palm": true, "blackberry": true,
	"windows mobile": true, "device": true, "phone": true, "handheld": true,
}

func norm(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// SameDevice decides whether two fleet entries are one device, and how ("id" or
// "name+model").
//
// The id decides first. The fallback on the device's name exists because ActiveSync gives
// each PC partnership its own id, so one Windows Mobile device paired with two PCs shows
// two different ids, and the name the user gave the device is the only thing both PCs
// see. The fallback is kept narrow so that it does not invent sharing:
//   - two global ids (Apple UDIDs) that differ are two devices, whatever their names;
//   - a factory name ("iPhone", "Pocket_PC") never matches;
//   - the models must agree, and may both be empty only for ActiveSync partnerships,
//     whose registry record has no model.
func SameDevice(a, b Device) (bool, string) {
	ida, idb := strings.ToLower(strings.TrimSpace(a.ID)), strings.ToLower(strings.TrimSpace(b.ID))
	if ida != "" && ida == idb {
		return true, "id"
	}
	if conduit.IsAppleUDID(ida) && conduit.IsAppleUDID(idb) {
		return false, ""
	}
	na, nb := norm(a.Name), norm(b.Name)
	if na == "" || na != nb || genericNames[na] {
		return false, ""
	}
	ma, mb := norm(a.Model), norm(b.Model)
	if ma != mb {
		return false, ""
	}
	if ma == "" && !(strings.HasPrefix(ida, "activesync:") && strings.HasPrefix(idb, "activesync:")) {
		return false, ""
	}
	return true, "name+model"
}

// Sharing is one other workstation that has one of this workstation's devices.
type Sharing struct {
	Workstation Workstation `json:"workstation"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Device      Device      `json:"device"`
	Match       string      `json:"match"` // "id" or "name+model"
}

// MultiWorkstation raises one multi-workstation finding per device of self that appears
// on another fresh workstation of the view: a danger when any of those workstations syncs
// with InterAction (InterAction's first rule: their different sync configurations
// overwrite each other's data), a warning when none does (the device still carries one
// workstation's changes into the other's Outlook).
//
// The other workstations' devices are indexed by id and by name once, so that a device is
// compared only with those that can be it: a workstation with 500 devices in a folder of
// 40 such files makes thousands of comparisons, not ten million.
//
// list is IT's list of InterAction-synced mailboxes (the policy's): a workstation that
// publishes one of them counts as syncing with InterAction whatever its file's
// interaction_sync says (an older SyncGuard, or one whose user answered "no"). And a
// mailbox that this workstation and the other both open is named: the same contact list
// synced with one device from two workstations is the case InterAction's rule is about.
func MultiWorkstation(self File, v View, list []string) []findings.Finding {
	listed := addressSet(list)
	type at struct{ w, d int }
	byID, byNameKey := map[string][]at{}, map[string][]at{}
	for wi, w := range v.Workstations {
		if strings.EqualFold(w.Workstation.ID, self.Workstation.ID) {
			continue
		}
		for di, od := range w.Devices {
			k := keysOf(od)
			if k.id != "" {
				byID[k.id] = append(byID[k.id], at{wi, di})
			}
			if k.name != "" {
				byNameKey[k.name] = append(byNameKey[k.name], at{wi, di})
			}
		}
	}
	var out []findings.Finding
	for _, d := range self.Devices {
		// Per workstation, its first device (in its file's order) that is this one.
		first := map[int]int{}
		k := keysOf(d)
		for _, c := range append(append([]at{}, byID[k.id]...), byNameKey[k.name]...) {
			if prev, ok := first[c.w]; ok && prev <= c.d {
				continue
			}
			if ok, _ := SameDevice(d, v.Workstations[c.w].Devices[c.d]); ok {
				first[c.w] = c.d
			}
		}
		wss := make([]int, 0, len(first))
		for wi := range first {
			wss = append(wss, wi)
		}
		sort.Ints(wss)
		var shares []Sharing
		for _, wi := range wss {
			w := v.Workstations[wi]
			od := w.Devices[first[wi]]
			_, how := SameDevice(d, od)
			shares = append(shares, Sharing{Workstation: w.Workstation, UpdatedAt: w.UpdatedAt, Device: od, Match: how})
		}
		if len(shares) == 0 {
			continue
		}
		out = append(out, sharingFinding(self, d, shares, v, listed))
	}
	return out
}

// addressSet is a set of mailbox addresses, normalized.
func addressSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, a := range list {
		m[policy.NormalizeAddress(a)] = true
	}
	return m
}

// syncsWithInterAction says whether a workstation syncs with InterAction: its own word,
// or one of its published mailboxes in IT's list (then the mailbox says why).
func syncsWithInterAction(w Workstation, listed map[string]bool) (bool, string) {
	for _, m := range w.Mailboxes {
		if listed[policy.NormalizeAddress(m)] {
			return true, policy.NormalizeAddress(m)
		}
	}
	return w.InteractionSync, ""
}

// commonMailboxes lists the mailboxes both workstations open, sorted.
func commonMailboxes(a, b Workstation) []string {
	mine := addressSet(a.Mailboxes)
	var out []string
	seen := map[string]bool{}
	for _, m := range b.Mailboxes {
		m = policy.NormalizeAddress(m)
		if mine[m] && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}

func sharingFinding(self File, d Device, shares []Sharing, v View, listed map[string]bool) findings.Finding {
	sev := findings.Warning
	var lines []string
	var shared []string
	byName := false
	for _, s := range shares {
		syncs := "does not sync with InterAction"
		if ok, via := syncsWithInterAction(s.Workstation, listed); ok {
			syncs = "syncs with InterAction"
			if via != "" {
				syncs += " (its mailbox " + via + " is in IT's list of InterAction mailboxes)"
			}
			sev = findings.Danger
		}
		if common := commonMailboxes(self.Workstation, s.Workstation); len(common) > 0 {
			syncs += " and opens the same mailbox " + strings.Join(common, ", ")
			shared = append(shared, common...)
			sev = findings.Danger
		}
		who := s.Workstation.ID
		if s.Workstation.User != "" {
			who += " (" + s.Workstation.User + ")"
		}
		lines = append(lines, fmt.Sprintf("%s, which %s, published %s", who, syncs, s.UpdatedAt.UTC().Format("2006-01-02 15:04 MST")))
		byName = byName || s.Match != "id"
	}
	name := d.Name
	if name == "" {
		name = d.ID
	}
	f := findings.Finding{
		Kind:     findings.MultiWorkstation,
		Severity: sev,
		DeviceID: d.ID,
		Subject:  d.ID,
		Actions:  []findings.Action{findings.ActWizard},
	}
	others := make([]string, len(shares))
	for i, s := range shares {
		others[i] = s.Workstation.ID
	}
	f.Title = fmt.Sprintf("%s is also paired with %s", name, strings.Join(others, ", "))
	f.Explanation = "The device is paired with this workstation and with " + strings.Join(lines, "; ") + "."
	if ok, _ := syncsWithInterAction(self.Workstation, listed); ok {
		f.Explanation += " This workstation syncs with InterAction."
	}
	if len(shared) > 0 {
		sort.Strings(shared)
		f.Explanation += " The same mailbox (" + strings.Join(dedupe(shared), ", ") + ") is synced with this device from two workstations: each workstation's sync settings overwrite the other's changes in that mailbox's contacts, and InterAction takes every change."
	}
	if sev == findings.Danger {
		f.Explanation += " InterAction's guidance: never synchronize a device with several workstations that synchronize with InterAction; their different sync configurations overwrite and lose data."
	}
	if byName {
		f.Explanation += " (Matched by the device's name and model, because ActiveSync gives each PC partnership its own id.)"
	}
	if v.FromCache {
		f.Explanation += fmt.Sprintf(" This comes from the fleet view of %s (%s old): %s.", v.ReadAt.UTC().Format("2006-01-02 15:04 MST"), roundAge(v.Age), v.Problem)
	}
	f.Advice = "Keep the device's partnership on one workstation only: remove it on the others (in their sync software), or stop syncing contacts there."
	return f
}

func dedupe(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func roundAge(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d >= time.Minute:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return "less than a minute"
}

// RoundAge says how old a view is in words.
func RoundAge(d time.Duration) string { return roundAge(d) }

// SharedDevice is one device that appears on several workstations of the firm.
type SharedDevice struct {
	// Mailboxes are opened by two or more of the workstations that sync this device: the
	// same contact list synced with the device from several workstations (a danger).
	Mailboxes    []string   `json:"mailboxes,omitempty"`
	Name         string     `json:"name"`
	Model        string     `json:"model"`
	IDs          []string   `json:"ids"`
	Match        string     `json:"match"` // "id" when every pair matched by id
	Severity     string     `json:"severity"`
	Workstations []WSDevice `json:"workstations"`
}

// WSDevice is a workstation and its record of a device.
type WSDevice struct {
	Workstation     string    `json:"workstation"`
	User            string    `json:"user"`
	InteractionSync bool      `json:"interaction_sync"`
	UpdatedAt       time.Time `json:"updated_at"`
	DeviceID        string    `json:"device_id"`
	Software        string    `json:"software"`
	SoftwareVersion string    `json:"software_version"`
}

// Outdated is a workstation whose device uses sync software the catalog calls old.
type Outdated struct {
	Workstation string `json:"workstation"`
	User        string `json:"user"`
	Device      string `json:"device"`
	Software    string `json:"software"`
	Version     string `json:"version"`
	Severity    string `json:"severity"`
	Reason      string `json:"reason"`
}

// Report is the admin's firm-wide view.
type Report struct {
	Folder        string         `json:"folder"`
	ReadAt        time.Time      `json:"read_at"`
	FromCache     bool           `json:"from_cache"`
	Age           string         `json:"age,omitempty"`
	Problem       string         `json:"problem,omitempty"`
	Workstations  int            `json:"workstations"`
	SharedDevices []SharedDevice `json:"shared_devices"`
	Outdated      []Outdated     `json:"outdated_software"`
	RiskySettings []RiskySetting `json:"risky_settings"`
	Stale         []Stale        `json:"stale"`
	Skipped       []Skipped      `json:"skipped"`
	// Suspect lists files whose owner is not the user they name (a warning each): someone
	// may have taken a workstation's name in the folder.
	Suspect []Suspect `json:"suspect"`
	// DirectDevices are the phones of IT's mobile-devices.csv (syncing directly with
	// Exchange), each with whether its mailbox is InterAction-synced and which
	// workstations open the mailbox too.
	DirectDevices []DirectReport `json:"direct_devices"`
}

// DirectReport is one phone syncing a mailbox directly with Exchange.
type DirectReport struct {
	DirectDevice
	InteractionSync bool     `json:"interaction_sync"` // the mailbox is in IT's InterAction list
	Workstations    []string `json:"workstations"`     // workstations whose Outlook opens the mailbox
}

// RiskySetting is a device's conduit setting that the catalog rates a warning or a danger,
// as its workstation published it.
type RiskySetting struct {
	Workstation string `json:"workstation"`
	User        string `json:"user"`
	Device      string `json:"device"`
	Software    string `json:"software"`
	Setting     string `json:"setting"` // the catalog key
	Value       string `json:"value"`   // as published
	Severity    string `json:"severity"`
	Reason      string `json:"reason"`
}

// Worst is the highest severity the report holds.
func (r Report) Worst() findings.Severity {
	w := findings.Info
	up := func(s string) {
		if v, err := findings.ParseSeverity(s); err == nil && v > w {
			w = v
		}
	}
	for _, s := range r.SharedDevices {
		up(s.Severity)
	}
	for _, o := range r.Outdated {
		up(o.Severity)
	}
	for _, rs := range r.RiskySettings {
		up(rs.Severity)
	}
	if len(r.Suspect) > 0 {
		up("warning")
	}
	return w
}

// FirmReport builds the admin's report from a view: every device on several workstations
// (grouped across all pairs, so a device on three workstations is one entry), every
// device whose software is older than the catalog's latest, and the stale and skipped
// files.
func FirmReport(v View, cat *conduit.Catalog) Report {
	r, _ := FirmReportContext(context.Background(), v, cat)
	return r
}

// FirmReportContext is FirmReport that gives up when ctx ends (fleet.timeout), with the
// error saying how far it got. Its work grows with the number of devices, never with
// their pairs: 40 files of 500 devices took 91 s when every pair was compared.
func FirmReportContext(ctx context.Context, v View, cat *conduit.Catalog) (Report, error) {
	return FirmReportList(ctx, v, cat, nil)
}

// FirmReportList is FirmReportContext that also judges the workstations' published
// mailboxes against IT's list of InterAction-synced mailboxes (the policy's): a
// workstation opening one counts as syncing with InterAction, and a mailbox opened on two
// workstations that sync one device is named and makes it a danger.
func FirmReportList(ctx context.Context, v View, cat *conduit.Catalog, list []string) (Report, error) {
	listed := addressSet(list)
	r := Report{
		Folder: v.Folder, ReadAt: v.ReadAt, FromCache: v.FromCache, Problem: v.Problem,
		Workstations: len(v.Workstations), SharedDevices: []SharedDevice{}, Outdated: []Outdated{},
		RiskySettings: []RiskySetting{}, Stale: v.Stale, Skipped: v.Skipped, Suspect: v.Suspect,
	}
	if r.Suspect == nil {
		r.Suspect = []Suspect{}
	}
	if v.FromCache {
		r.Age = roundAge(v.Age)
	}
	r.DirectDevices = []DirectReport{}
	if len(v.DirectDevices) > 0 {
		opens := map[string][]string{} // mailbox -> workstations
		for _, w := range v.Workstations {
			for _, m := range w.Workstation.Mailboxes {
				m = policy.NormalizeAddress(m)
				opens[m] = append(opens[m], w.Workstation.ID)
			}
		}
		for _, d := range v.DirectDevices {
			dr := DirectReport{DirectDevice: d, InteractionSync: listed[d.Mailbox], Workstations: opens[d.Mailbox]}
			if dr.Workstations == nil {
				dr.Workstations = []string{}
			}
			r.DirectDevices = append(r.DirectDevices, dr)
		}
	}
	var items []item
	for _, w := range v.Workstations {
		for _, d := range w.Devices {
			items = append(items, item{w.Workstation, w.UpdatedAt, d})
		}
	}
	cut := func(what string) error {
		return fmt.Errorf("the report was not finished within fleet.timeout: %s of %d devices from %d workstation files", what, len(items), len(v.Workstations))
	}
	groups, byName, err := sharedGroups(ctx, items)
	if err != nil {
		return r, cut("grouping")
	}
	for _, g := range groups {
		ws := map[string]bool{}
		for _, i := range g {
			ws[items[i].w.ID] = true
		}
		if len(ws) < 2 {
			continue
		}
		sd := SharedDevice{Match: "id", Severity: "warning"}
		ids := map[string]bool{}
		syncing := 0
		// mailbox -> the workstations of this group that open it, counted once each.
		mailboxWS := map[string]map[string]bool{}
		// Name the device as the first workstation (by id) does, for a stable report.
		sort.SliceStable(g, func(a, b int) bool { return items[g[a]].w.ID < items[g[b]].w.ID })
		for _, i := range g {
			it := items[i]
			if sd.Name == "" {
				sd.Name, sd.Model = it.d.Name, it.d.Model
			}
			if id := strings.ToLower(it.d.ID); !ids[id] {
				ids[id] = true
				sd.IDs = append(sd.IDs, id)
			}
			if byName[i] {
				sd.Match = "name+model"
			}
			syncs, _ := syncsWithInterAction(it.w, listed)
			if syncs {
				syncing++
			}
			for _, m := range it.w.Mailboxes {
				m = policy.NormalizeAddress(m)
				if mailboxWS[m] == nil {
					mailboxWS[m] = map[string]bool{}
				}
				mailboxWS[m][it.w.ID] = true
			}
			sd.Workstations = append(sd.Workstations, WSDevice{
				Workstation: it.w.ID, User: it.w.User, InteractionSync: syncs, UpdatedAt: it.u,
				DeviceID: it.d.ID, Software: it.d.Software, SoftwareVersion: it.d.SoftwareVersion,
			})
		}
		// The same rule as each workstation's own check: a workstation that sees one of its
		// devices on a peer that syncs with InterAction has a danger, so the firm does.
		if syncing >= 1 {
			sd.Severity = "danger"
		}
		for m, wss := range mailboxWS {
			if len(wss) >= 2 {
				sd.Mailboxes = append(sd.Mailboxes, m)
				sd.Severity = "danger"
			}
		}
		sort.Strings(sd.Mailboxes)
		sort.Strings(sd.IDs)
		sort.SliceStable(sd.Workstations, func(a, b int) bool { return sd.Workstations[a].Workstation < sd.Workstations[b].Workstation })
		r.SharedDevices = append(r.SharedDevices, sd)
	}
	sort.Slice(r.SharedDevices, func(a, b int) bool {
		if r.SharedDevices[a].Name != r.SharedDevices[b].Name {
			return r.SharedDevices[a].Name < r.SharedDevices[b].Name
		}
		return r.SharedDevices[a].IDs[0] < r.SharedDevices[b].IDs[0]
	})
	if cat != nil {
		for n, it := range items {
			if n%1024 == 0 && ctx.Err() != nil {
				return r, cut(fmt.Sprintf("software and settings judged for %d", n))
			}
			sw, ok := cat.Lookup(it.d.Software)
			if !ok {
				continue
			}
			dev := conduit.Device{ID: it.d.ID, Name: it.d.Name, Software: sw.ID, Version: it.d.SoftwareVersion}
			keys := make([]string, 0, len(it.d.Settings))
			for k := range it.d.Settings {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys { // one at a time, so each finding comes with its key and value
				one := dev
				one.Settings = map[string]string{k: it.d.Settings[k]}
				for _, f := range conduit.CheckSettings(one, sw) {
					if f.Severity < findings.Warning {
						continue // unknown keys and values: the workstation's own check names them
					}
					r.RiskySettings = append(r.RiskySettings, RiskySetting{
						Workstation: it.w.ID, User: it.w.User, Device: it.d.Name, Software: sw.Name,
						Setting: strings.ToLower(k), Value: it.d.Settings[k], Severity: f.Severity.String(), Reason: f.Title,
					})
				}
			}
			for _, f := range conduit.CheckVersion(dev, sw) {
				if f.Severity < findings.Warning {
					continue // "unknown" versions would bury the real ones in an admin's list
				}
				r.Outdated = append(r.Outdated, Outdated{
					Workstation: it.w.ID, User: it.w.User, Device: it.d.Name, Software: sw.Name,
					Version: it.d.SoftwareVersion, Severity: f.Severity.String(), Reason: f.Title,
				})
			}
		}
	}
	return r, nil
}

// item is one device as one workstation published it.
type item struct {
	w Workstation
	u time.Time
	d Device
}

// deviceKeys are the keys SameDevice compares, worked out once per device: two devices
// can only be one if they share the id key or the name key.
type deviceKeys struct {
	id   string // lower-case, trimmed; "" when the device has none
	udid bool   // the id is an Apple UDID
	name string // normalized name and model; "" when the name may not match on its own
}

func keysOf(d Device) deviceKeys {
	k := deviceKeys{id: strings.ToLower(strings.TrimSpace(d.ID))}
	k.udid = conduit.IsAppleUDID(k.id)
	n, m := norm(d.Name), norm(d.Model)
	// SameDevice's name rule: a name that is not a factory name, the same model, and no
	// model only between two ActiveSync partnerships.
	if n != "" && !genericNames[n] && (m != "" || strings.HasPrefix(k.id, "activesync:")) {
		k.name = n + "\x00" + m
	}
	return k
}

// sharedGroups joins the devices that are one device on different workstations, exactly
// as comparing every pair with SameDevice and joining the matches transitively would, in
// time linear in the devices: the devices are bucketed by id and by name, and each
// bucket is joined as a whole. byName[i] says that device i matched a device of another
// workstation by its name and model (not by id).
//
// Why a bucket can be joined whole: within an id bucket every two devices on different
// workstations match, so the bucket is one group as soon as it spans two workstations
// (two on one workstation are joined through one on another). Within a name bucket every
// two devices on different workstations match too, except two different Apple UDIDs; so
// when the devices without a UDID span two workstations, everything joins through them;
// when they are all on one workstation W, they join with the UDID devices of the other
// workstations, and the UDID devices on W stay out; with none, nothing joins.
func sharedGroups(ctx context.Context, items []item) (groups [][]int, byName []bool, err error) {
	keys := make([]deviceKeys, len(items))
	byID, byNameKey := map[string][]int{}, map[string][]int{}
	for i, it := range items {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		k := keysOf(it.d)
		keys[i] = k
		if k.id != "" {
			byID[k.id] = append(byID[k.id], i)
		}
		if k.name != "" {
			byNameKey[k.name] = append(byNameKey[k.name], i)
		}
	}
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if a, b = find(a), find(b); a != b {
			parent[b] = a
		}
	}
	joinAll := func(g []int) {
		for _, i := range g[1:] {
			union(g[0], i)
		}
	}
	for _, g := range byID {
		if len(g) > 1 && spansTwo(items, g) {
			joinAll(g)
		}
	}
	byName = make([]bool, len(items))
	for _, g := range byNameKey {
		if len(g) < 2 {
			continue
		}
		var plain, udids []int
		for _, i := range g {
			if keys[i].udid {
				udids = append(udids, i)
			} else {
				plain = append(plain, i)
			}
		}
		switch {
		case len(plain) == 0:
		case spansTwo(items, plain):
			joinAll(g)
		default:
			joined := false
			for _, i := range udids {
				if items[i].w.ID != items[plain[0]].w.ID {
					union(plain[0], i)
					joined = true
				}
			}
			if joined {
				joinAll(plain)
			}
		}
		markByName(items, keys, g, len(plain), byName)
	}
	members := map[int][]int{}
	for i := range items {
		r := find(i)
		members[r] = append(members[r], i)
	}
	for i := range items { // in the order of the items, so the report is the same every time
		if g := members[i]; len(g) > 1 {
			groups = append(groups, g)
		}
	}
	return groups, byName, nil
}

// spansTwo says whether the devices g are on at least two workstations.
func spansTwo(items []item, g []int) bool {
	for _, i := range g[1:] {
		if items[i].w.ID != items[g[0]].w.ID {
			return true
		}
	}
	return false
}

// markByName sets byName for each device of the name bucket g that matches another of
// g by name: one on another workstation, not both Apple UDIDs, and not the same id (that
// is a match by id). It counts instead of comparing pairs: the devices on another
// workstation, less those with the same id (on another workstation).
func markByName(items []item, keys []deviceKeys, g []int, plain int, byName []bool) {
	type wsID struct{ ws, id string }
	perWS, perID, perWSID, plainPerWS := map[string]int{}, map[string]int{}, map[wsID]int{}, map[string]int{}
	for _, i := range g {
		ws, id := items[i].w.ID, keys[i].id
		perWS[ws]++
		perID[id]++
		perWSID[wsID{ws, id}]++
		if !keys[i].udid {
			plainPerWS[ws]++
		}
	}
	for _, i := range g {
		ws, id := items[i].w.ID, keys[i].id
		var others int
		if keys[i].udid {
			// Only devices without a UDID can match it by name, and their ids differ from it.
			others = plain - plainPerWS[ws]
		} else {
			others = len(g) - perWS[ws]
			if id != "" {
				others -= perID[id] - perWSID[wsID{ws, id}]
			}
		}
		if others > 0 {
			byName[i] = true
		}
	}
}
