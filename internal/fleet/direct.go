package fleet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/policy"
)

// MobileDevicesFile is the optional file in the fleet folder where IT lists the phones
// that sync directly with Exchange / Microsoft 365, from Exchange's list of mobile devices
// per mailbox. Such a phone has no partnership on any workstation, so no workstation can
// publish it; IT's list is how the fleet knows about it.
//
// Format: CSV (',' or ';'), a header row, one phone a row. Columns, by header name
// (ignoring case; other columns are ignored, so an export with more columns works):
//   - mailbox (also "e-mail", "email", "primarysmtpaddress", "user"): the mailbox's address;
//   - device (also "devicename", "friendlyname", "deviceid", "name"): the phone;
//   - model (also "devicemodel"), optional.
const MobileDevicesFile = "mobile-devices.csv"

// maxMobileDevicesFile bounds IT's list: tens of thousands of phones fit in 4 MB.
const maxMobileDevicesFile = 4 << 20

// DirectDevice is one phone syncing a mailbox directly with Exchange, as IT listed it.
type DirectDevice struct {
	Mailbox string `json:"mailbox"`
	Device  string `json:"device"`
	Model   string `json:"model,omitempty"`
	Line    int    `json:"line"`
}

var directColumns = map[string][]string{
	"mailbox": {"mailbox", "e-mail", "email", "e-mail address", "primarysmtpaddress", "primary smtp address", "user"},
	"device":  {"device", "devicename", "device name", "friendlyname", "friendly name", "deviceid", "device id", "name"},
	"model":   {"model", "devicemodel", "device model"},
}

// ParseMobileDevices reads IT's mobile-devices.csv. A file it cannot use at all (no
// header with the two columns) is one skipped entry; a bad row is a skipped entry naming
// its line, and the other rows are still read.
func ParseMobileDevices(name string, data []byte) ([]DirectDevice, []Skipped) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, []Skipped{{File: name, Reason: "not UTF-8 text; save the list as CSV UTF-8"}}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	head, err := r.Read()
	if err != nil {
		return nil, []Skipped{{File: name, Reason: fmt.Sprintf("line 1: cannot read the header row: %v", err)}}
	}
	col := map[string]int{}
	for key, names := range directColumns {
		col[key] = -1
		for i, h := range head {
			h = strings.ToLower(strings.TrimSpace(h))
			for _, n := range names {
				if h == n && col[key] < 0 {
					col[key] = i
				}
			}
		}
	}
	if col["mailbox"] < 0 || col["device"] < 0 {
		return nil, []Skipped{{File: name, Reason: "line 1: the header row needs a \"mailbox\" and a \"device\" column (see the README's fleet folder section)"}}
	}
	var out []DirectDevice
	var bad []Skipped
	field := func(rec []string, key string) string {
		if i := col[key]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			bad = append(bad, Skipped{File: name, Reason: fmt.Sprintf("line %d: %v", line, err)})
			if len(bad) > 20 {
				break // a file that is not CSV at all: twenty reasons say enough
			}
			continue
		}
		d := DirectDevice{Mailbox: policy.NormalizeAddress(field(rec, "mailbox")), Device: field(rec, "device"), Model: field(rec, "model"), Line: line}
		if d.Mailbox == "" && d.Device == "" {
			continue
		}
		switch {
		case !policy.LooksLikeAddress(d.Mailbox):
			bad = append(bad, Skipped{File: name, Reason: fmt.Sprintf("line %d: the mailbox is not an e-mail address", line)})
			continue
		case d.Device == "" || len(d.Device) > maxFieldBytes || len(d.Model) > maxFieldBytes ||
			strings.IndexFunc(d.Device+d.Model, unicode.IsControl) >= 0:
			bad = append(bad, Skipped{File: name, Reason: fmt.Sprintf("line %d: the device is empty, longer than %d bytes or holds control characters", line, maxFieldBytes)})
			continue
		}
		out = append(out, d)
	}
	return out, bad
}

// DirectSync raises a finding for each phone IT lists as syncing one of this
// workstation's mailboxes directly with Exchange: SyncGuard cannot see those syncs, only
// their result in the export. A phone that is also paired with this workstation (same
// name) syncs the mailbox's contacts by two paths at once: a warning.
func DirectSync(self File, v View) []findings.Finding {
	mine := addressSet(self.Workstation.Mailboxes)
	names := map[string]bool{}
	for _, d := range self.Devices {
		if n := norm(d.Name); n != "" && !genericNames[n] {
			names[n] = true
		}
	}
	var out []findings.Finding
	for _, d := range v.DirectDevices {
		if !mine[d.Mailbox] {
			continue
		}
		f := findings.Finding{
			Kind:     findings.MultiWorkstation,
			Severity: findings.Info,
			Subject:  "direct:" + d.Mailbox + "/" + d.Device,
			Title:    fmt.Sprintf("%s syncs the mailbox %s directly with Exchange", d.Device, d.Mailbox),
			Explanation: "IT's list of mobile devices says this phone syncs with the mailbox on the server, not through this computer. " +
				"SyncGuard cannot see or stop those syncs; it still catches their damage (deleted, rewritten or duplicated contacts) in the next export, before InterAction's next sync.",
			Advice: "Keep the Outlook export current (or let SyncGuard read Outlook), so that a bad sync from the phone is caught.",
			ForIT:  fmt.Sprintf("%s line %d", MobileDevicesFile, d.Line),
		}
		if names[norm(d.Device)] {
			f.Severity = findings.Warning
			f.Explanation = "IT's list of mobile devices says this phone syncs with the mailbox on the server, and it is also paired with this computer: " +
				"the same contacts are synced by two paths, and each can overwrite the other's changes (an inference from InterAction's rule against syncing a device from several places)."
			f.Advice = "Keep one way of syncing the phone: either directly with the mailbox, or with this computer. Open the device check to remove the pairing here."
			f.Actions = []findings.Action{findings.ActWizard}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	return out
}
