package conduit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/findings"
)

// AddinsKey is where Outlook COM add-ins are registered, per user (HKCU) and per machine
// (HKLM, and its 32-bit view for 32-bit Office on 64-bit Windows).
const AddinsKey = `Software\Microsoft\Office\Outlook\Addins`

// OutlookAddin is one registered Outlook add-in.
type OutlookAddin struct {
	ProgID       string `json:"prog_id"`
	FriendlyName string `json:"friendly_name,omitempty"`
	Description  string `json:"description,omitempty"`
	Where        string `json:"where"` // the registry key, or the .reg file and key
}

// AddinMatch is a catalog program recognized by its Outlook add-in.
type AddinMatch struct {
	Software string       `json:"software"` // catalog id
	Name     string       `json:"name"`
	Addin    OutlookAddin `json:"addin"`
}

// KeepAddins selects the Outlook add-in registrations in ReadRegFile.
func KeepAddins(path string) bool {
	return strings.Contains(strings.ToLower(path), strings.ToLower(AddinsKey)+`\`)
}

// AddinsFromReg reads the add-in registrations of a .reg export: each subkey of
// ...\Office\Outlook\Addins is one add-in, named by its ProgID.
func AddinsFromReg(rf *RegFile) []OutlookAddin {
	var out []OutlookAddin
	for _, k := range rf.Keys {
		lower := strings.ToLower(k.Path)
		i := strings.Index(lower, strings.ToLower(AddinsKey)+`\`)
		if k.Delete || i < 0 {
			continue
		}
		prog := k.Path[i+len(AddinsKey)+1:]
		if prog == "" || strings.Contains(prog, `\`) {
			continue // a subkey of an add-in's key
		}
		a := OutlookAddin{ProgID: prog, Where: rf.Name + ": " + k.Path}
		if v, ok := k.Value("FriendlyName"); ok {
			a.FriendlyName = v.String
		}
		if v, ok := k.Value("Description"); ok {
			a.Description = v.String
		}
		out = append(out, a)
	}
	return out
}

// MatchAddins finds the catalog programs whose Outlook add-in is registered: an entry of
// recognize.outlook_addins equal to the ProgID, or contained (ignoring case) in the
// ProgID, FriendlyName or Description.
func MatchAddins(cat *Catalog, addins []OutlookAddin) []AddinMatch {
	var out []AddinMatch
	for _, sw := range cat.Software {
		for _, a := range addins {
			if addinIs(a, sw.Recognize.OutlookAddins) {
				out = append(out, AddinMatch{Software: sw.ID, Name: sw.Name, Addin: a})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Software < out[j].Software })
	return out
}

func addinIs(a OutlookAddin, names []string) bool {
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		for _, s := range []string{a.ProgID, a.FriendlyName, a.Description} {
			if strings.Contains(strings.ToLower(s), n) {
				return true
			}
		}
	}
	return false
}

// DetectAddins lists the catalog programs whose Outlook add-in is registered on this
// workstation (opt.Live, Windows) or in the .reg exports of opt.RegFiles.
func DetectAddins(opt DetectOptions, cat *Catalog) ([]AddinMatch, []error) {
	var addins []OutlookAddin
	var errs []error
	if opt.Live {
		addins = append(addins, LiveOutlookAddins()...)
	}
	for _, f := range opt.RegFiles {
		rf, err := ReadRegFile(f, KeepAddins)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		addins = append(addins, AddinsFromReg(rf)...)
	}
	return MatchAddins(cat, addins), errs
}

// CheckAddins turns the programs found by their Outlook add-in into findings: each of the
// catalog's risks for the program (the iCloud add-in moving contacts out of the mailbox),
// or, for a program without risks, an info that it syncs Outlook here.
func CheckAddins(cat *Catalog, ms []AddinMatch) []findings.Finding {
	var out []findings.Finding
	for _, m := range ms {
		sw, ok := cat.Lookup(m.Software)
		if !ok {
			continue
		}
		d := Device{ID: "outlook-addin:" + sw.ID} // no name: the title is the program's
		fs := CheckRisks(d, sw)
		for i := range fs {
			fs[i].Explanation = strings.TrimSpace(fmt.Sprintf("Found because its add-in is registered in Outlook on this computer. %s", fs[i].Explanation))
			fs[i].ForIT = strings.TrimSpace("add-in " + m.Addin.ProgID + " at " + m.Addin.Where + "; " + fs[i].ForIT)
		}
		if len(fs) == 0 {
			fs = append(fs, findings.Finding{
				Kind:        findings.ConduitSetting,
				Severity:    findings.Info,
				Title:       fmt.Sprintf("%s syncs Outlook on this computer (its Outlook add-in is installed)", sw.Name),
				Explanation: "The add-in's registration suggests that this program exchanges contacts with Outlook here; it is a sign, not a proof.",
				Advice:      "Check the device setup for the device this program syncs.",
				ForIT:       "add-in " + m.Addin.ProgID + " at " + m.Addin.Where,
				DeviceID:    d.ID,
				Subject:     d.ID + "/addin",
				Actions:     []findings.Action{findings.ActWizard},
			})
		}
		out = append(out, fs...)
	}
	return out
}
