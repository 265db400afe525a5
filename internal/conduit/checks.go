package conduit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
)

// Advice shared by the checks. It is read by a lawyer in the windows, so it names the
// wizard's button, never a command line (IT finds the commands in 'syncguard help').
const (
	adviceDeviceSet      = "Look up the version in the sync software's Help > About window and give it in Check my device setup."
	adviceManageCategory = "In InterAction, open Manage Categories and choose which category goes to the device for contacts with several; or give these contacts one category before they reach the device."
)

// CheckDevice runs every check of one device against the catalog. contacts is the
// current Outlook export; nil means it is not known (no export configured), which the
// category check reports instead of passing silently.
func CheckDevice(cat *Catalog, d Device, cs []*contacts.Contact) []findings.Finding {
	sw, ok := cat.Lookup(d.Software)
	if !ok {
		what := "no sync software"
		if d.Software != "" {
			what = fmt.Sprintf("sync software %q, which the catalog does not know", d.Software)
		}
		return []findings.Finding{{
			Kind:        findings.OutdatedSoftware,
			Severity:    findings.Info,
			Title:       fmt.Sprintf("%s: %s", d.Name, what),
			Explanation: "Without knowing the sync software SyncGuard cannot check its version or settings.",
			Advice:      "Choose the device's sync software in Check my device setup; if it is not in the list, ask IT to add it to SyncGuard's catalog.",
			DeviceID:    d.ID,
			Subject:     d.ID + "/software",
			Actions:     []findings.Action{findings.ActWizard},
		}}
	}
	var out []findings.Finding
	out = append(out, CheckVersion(d, sw)...)
	out = append(out, CheckSettings(d, sw)...)
	out = append(out, CheckCategoryLimit(d, sw, cs)...)
	return out
}

// CheckVersion compares the device's sync software version with the catalog: below the
// minimum safe version is a danger, below a confirmed latest a warning, below a latest the
// catalog is not sure of an info, and a version that cannot be compared is "unknown" (info)
// rather than a guess.
func CheckVersion(d Device, sw *Software) []findings.Finding {
	f := findings.Finding{
		Kind:     findings.OutdatedSoftware,
		DeviceID: d.ID,
		Subject:  d.ID + "/version",
		Actions:  []findings.Action{findings.ActWizard},
	}
	if strings.TrimSpace(d.Version) == "" {
		f.Severity = findings.Info
		f.Title = fmt.Sprintf("%s: the version of %s is unknown", d.Name, sw.Name)
		f.Explanation = "SyncGuard cannot tell whether the sync software is current."
		f.Advice = adviceDeviceSet
		return []findings.Finding{f}
	}
	have, err := version.NewVersion(strings.TrimSpace(d.Version))
	if err != nil {
		f.Severity = findings.Info
		f.Title = fmt.Sprintf("%s: %s version %q is unknown to SyncGuard", d.Name, sw.Name, d.Version)
		f.Explanation = "It is not a version number SyncGuard can compare."
		f.Advice = adviceDeviceSet
		return []findings.Finding{f}
	}
	source := func(vf VersionFact) string {
		s := vf.Source
		if s == "" {
			s = "no public source"
		}
		if vf.KnownAt != "" {
			s = vf.KnownAt + ", " + s
		}
		return s
	}
	if ms := sw.MinimumSafe; ms.Version != "" {
		if min, err := version.NewVersion(ms.Version); err == nil && have.LessThan(min) {
			f.Severity = findings.Danger
			f.Title = fmt.Sprintf("%s: %s %s is older than the minimum safe version %s", d.Name, sw.Name, d.Version, ms.Version)
			f.Explanation = fmt.Sprintf("Versions before %s are known to lose or duplicate contacts (%s). %s", ms.Version, source(ms), ms.Note)
			f.Advice = fmt.Sprintf("Update %s before the next sync; InterAction's guidance is to use the latest version.", sw.Name)
			return []findings.Finding{f}
		}
	}
	lt := sw.Latest
	if lt.Version == "" {
		f.Severity = findings.Info
		f.Title = fmt.Sprintf("%s: whether %s %s is current is unknown", d.Name, sw.Name, d.Version)
		f.Explanation = "The catalog records no confirmed latest version of this software. " + lt.Note
		f.Advice = fmt.Sprintf("Check the vendor's site for updates; InterAction's guidance is to use the latest version of %s.", sw.Name)
		return []findings.Finding{f}
	}
	latest, err := version.NewVersion(lt.Version)
	if err != nil || !have.LessThan(latest) {
		return nil
	}
	f.Title = fmt.Sprintf("%s: %s %s is older than %s", d.Name, sw.Name, d.Version, lt.Version)
	f.Advice = fmt.Sprintf("Update %s to %s or later; InterAction's guidance is to use the latest version of the sync software.", sw.Name, lt.Version)
	if lt.Certain {
		f.Severity = findings.Warning
		f.Explanation = fmt.Sprintf("The latest version is %s (%s).", lt.Version, source(lt))
	} else {
		f.Severity = findings.Info
		f.Explanation = fmt.Sprintf("The newest version the catalog knows is %s (%s), but that is not confirmed. %s", lt.Version, source(lt), lt.Note)
	}
	return []findings.Finding{f}
}

// CheckSettings judges each declared setting against the catalog's risks.
func CheckSettings(d Device, sw *Software) []findings.Finding {
	keys := make([]string, 0, len(d.Settings))
	for k := range d.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []findings.Finding
	for _, k := range keys {
		val := d.Settings[k]
		f := findings.Finding{
			Kind:     findings.ConduitSetting,
			DeviceID: d.ID,
			Subject:  d.ID + "/setting/" + strings.ToLower(k),
			Actions:  []findings.Action{findings.ActWizard},
		}
		st, ok := sw.Setting(k)
		if !ok {
			f.Severity = findings.Info
			f.Title = fmt.Sprintf("%s: setting %q is not one SyncGuard knows for %s", d.Name, k, sw.Name)
			f.Explanation = "Its risk cannot be judged."
			f.Advice = "Answer the settings again in Check my device setup, choosing from the options it shows."
			out = append(out, f)
			continue
		}
		sv, ok := st.Match(val)
		if !ok {
			if len(st.Values) == 0 {
				continue // the catalog records the setting but rates no value of it
			}
			f.Severity = findings.Info
			f.Title = fmt.Sprintf("%s: %s = %q is not a value SyncGuard knows", d.Name, st.Label, val)
			f.Explanation = "Its risk cannot be judged."
			f.Advice = "Answer this setting again in Check my device setup, choosing from the options it shows."
			out = append(out, f)
			continue
		}
		if sv.Severity == "" {
			continue // a safe value
		}
		sev, _ := findings.ParseSeverity(sv.Severity)
		shown := sv.Label
		if sv.Value == "*" {
			shown = val
		}
		f.Severity = sev
		f.Title = fmt.Sprintf("%s: %s is set to %q", d.Name, st.Label, shown)
		f.Explanation = sv.Explanation
		if sv.Risk != "" {
			f.Explanation += " (risk: " + sv.Risk + ")"
		}
		if !st.Certain {
			f.Explanation += " The option's exact name is not confirmed for every version of " + sw.Name + "."
		}
		f.Advice = fmt.Sprintf("In %s, %s: choose %s, then give the same answer in Check my device setup.", sw.Name, st.Where, safeChoices(st))
		out = append(out, f)
	}
	return out
}

// safeChoices names the setting's options that neither lose nor duplicate contacts, as
// the software shows them.
func safeChoices(st *Setting) string {
	var safe []string
	for _, v := range st.Values {
		if v.Severity == "" && v.Value != "*" {
			safe = append(safe, "\u201c"+v.Label+"\u201d")
		}
	}
	switch len(safe) {
	case 0:
		return "an option that neither overwrites nor duplicates contacts"
	case 1:
		return safe[0]
	}
	return strings.Join(safe[:len(safe)-1], ", ") + " or " + safe[len(safe)-1]
}

// maxRefs bounds the contacts a finding lists; the count says how many there are.
const maxRefs = 25

// CheckCategoryLimit raises category-device-limit when the device keeps one category per
// contact and contacts here have several: on the next two-way sync the others are lost on
// the device and may be written back to Outlook and InterAction.
func CheckCategoryLimit(d Device, sw *Software, cs []*contacts.Contact) []findings.Finding {
	oc := sw.OneCategory
	if oc.Value != nil && !*oc.Value {
		return nil
	}
	f := findings.Finding{
		Kind:     findings.CategoryDeviceLimit,
		DeviceID: d.ID,
		Subject:  d.ID + "/categories",
		Actions:  []findings.Action{findings.ActReview, findings.ActWizard},
	}
	if cs == nil {
		if oc.Value == nil {
			return nil // neither the limit nor the contacts are known: nothing to say
		}
		f.Severity = findings.Info
		f.Title = fmt.Sprintf("%s keeps one category per contact; SyncGuard has no export to check", d.Name)
		f.Explanation = "Without the Outlook export SyncGuard cannot count the contacts that have several categories."
		f.Advice = "Choose the Outlook export in Check my device setup (its last step), so SyncGuard can count them."
		return []findings.Finding{f}
	}
	var multi []*contacts.Contact
	for _, c := range cs {
		if len(nonEmpty(c.Categories)) >= 2 {
			multi = append(multi, c)
		}
	}
	if len(multi) == 0 {
		return nil
	}
	kept := oc.Kept
	if kept == "" {
		kept = "one of them"
	}
	for i, c := range multi {
		if i == maxRefs {
			break
		}
		f.Contacts = append(f.Contacts, findings.ContactRef{
			Name:   c.Name,
			Detail: strings.Join(nonEmpty(c.Categories), "; ") + " -> one category on the device",
		})
	}
	if oc.Value == nil {
		f.Severity = findings.Info
		f.Title = fmt.Sprintf("%d contacts have several categories; whether %s keeps them all is unknown", len(multi), d.Name)
		f.Explanation = fmt.Sprintf("The catalog does not know whether %s keeps several categories per contact. %s", sw.Name, oc.Note)
		f.Advice = "Check on the device whether a contact keeps all its categories after a sync. " + adviceManageCategory
		return []findings.Finding{f}
	}
	f.Severity = findings.Warning
	f.Title = fmt.Sprintf("%s keeps one category per contact; %d contacts here have several", d.Name, len(multi))
	f.Explanation = fmt.Sprintf("The device keeps %s for each of these %d contacts; the other categories are lost on the device and, on a two-way sync, can be lost in Outlook and InterAction too. %s", kept, len(multi), oc.Note)
	f.Advice = adviceManageCategory
	return []findings.Finding{f}
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}
