package conduit

import (
	"fmt"
	"strings"
)

// PartnersKey is where ActiveSync and Windows Mobile Device Center record a PC partnership
// with a device, one subkey per partnership, under HKEY_CURRENT_USER. The layout
// (Partners\<device id>, with the per-device sync settings under
// Partners\<device id>\Services\Synchronization) is documented by Microsoft's CEUTIL
// reference (CESVC_DEVICES, CESVC_DEVICEX, CESVC_SYNC). Certain.
const PartnersKey = `Software\Microsoft\Windows CE Services\Partners`

// Value names read from a partnership key. Microsoft does not document the values, so
// these are the names the team knows from ActiveSync 4.x and WMDC installations; they are
// NOT certain, which is why a partnership whose values are missing is still reported (by
// its key) and the user completes it with `device set`.
const (
	regDisplayName = "DisplayName" // the device's name as the user set it on the device
	regPartnerID   = "PId"         // the partnership's id (a DWORD shared with the device)
)

// partnerSubkey returns the <id> of a key path directly under the Partners key, from
// HKEY_CURRENT_USER or from a user's hive under HKEY_USERS\<SID> (which is how IT exports
// another user's settings), and whether the path is one.
func partnerSubkey(path string) (string, bool) {
	p := strings.ToLower(path)
	var rest string
	switch {
	case strings.HasPrefix(p, `hkey_current_user\`):
		rest = path[len(`hkey_current_user\`):]
	case strings.HasPrefix(p, `hkcu\`):
		rest = path[len(`hkcu\`):]
	case strings.HasPrefix(p, `hkey_users\`):
		r := path[len(`hkey_users\`):]
		_, after, ok := strings.Cut(r, `\`)
		if !ok {
			return "", false
		}
		rest = after
	default:
		return "", false
	}
	prefix := strings.ToLower(PartnersKey) + `\`
	if !strings.HasPrefix(strings.ToLower(rest), prefix) {
		return "", false
	}
	id := rest[len(prefix):]
	if id == "" || strings.Contains(id, `\`) {
		return "", false
	}
	return id, true
}

// KeepPartners selects the Partners subtree in ReadRegFile.
func KeepPartners(path string) bool {
	p := strings.ToLower(path)
	return strings.Contains(p, strings.ToLower(PartnersKey))
}

// PartnershipsFromReg turns the partnership keys of a .reg export into devices. A key that
// the export deletes ([-key]) is not a partnership.
func PartnershipsFromReg(rf *RegFile) []Device {
	var out []Device
	for _, k := range rf.Keys {
		id, ok := partnerSubkey(k.Path)
		if !ok || k.Delete {
			continue
		}
		values := map[string]RegValue{}
		for _, v := range k.Values {
			values[strings.ToLower(v.Name)] = v
		}
		out = append(out, partnership(id, values, SourceRegFile, fmt.Sprintf("%s:%d [%s]", rf.Name, k.Line, k.Path)))
	}
	return out
}

// partnership builds the device record of one Partners\<id> key.
func partnership(keyID string, values map[string]RegValue, source, found string) Device {
	d := Device{
		ID:       "activesync:" + keyID,
		Name:     keyID,
		Software: "activesync",
		Source:   source,
		Found:    found,
	}
	if v, ok := values[strings.ToLower(regPartnerID)]; ok && v.Type == RegDWord {
		// The partnership id is what the device itself stores for this PC; the key name
		// is only the PC's slot for it.
		d.ID = fmt.Sprintf("activesync:%08x", v.Number)
	}
	if v, ok := values[strings.ToLower(regDisplayName)]; ok && strings.TrimSpace(v.String) != "" {
		d.Name = strings.TrimSpace(v.String)
	}
	return d
}
