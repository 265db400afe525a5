//go:build windows

package conduit

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// LivePartnerships reads the ActiveSync / Windows Mobile Device Center partnerships of
// the current user from the registry.
func LivePartnerships() ([]Device, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, PartnersKey, registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil // no ActiveSync or WMDC here: nothing to report
	}
	if err != nil {
		return nil, fmt.Errorf(`HKCU\%s: cannot open: %v`, PartnersKey, err)
	}
	defer k.Close()
	names, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return nil, fmt.Errorf(`HKCU\%s: cannot list the partnerships: %v`, PartnersKey, err)
	}
	var out []Device
	for _, name := range names {
		path := PartnersKey + `\` + name
		sk, err := registry.OpenKey(registry.CURRENT_USER, path, registry.QUERY_VALUE)
		if err != nil {
			continue // a partnership being deleted while we look
		}
		values := map[string]RegValue{}
		if s, _, err := sk.GetStringValue(regDisplayName); err == nil {
			values[strings.ToLower(regDisplayName)] = RegValue{Name: regDisplayName, Type: RegSZ, String: s}
		}
		if n, _, err := sk.GetIntegerValue(regPartnerID); err == nil {
			values[strings.ToLower(regPartnerID)] = RegValue{Name: regPartnerID, Type: RegDWord, Number: n}
		}
		sk.Close()
		out = append(out, partnership(name, values, SourceActiveSync, `HKCU\`+path))
	}
	return out, nil
}

// LiveOutlookAddins lists the Outlook add-ins registered for this user and machine-wide.
// 32-bit Office on 64-bit Windows registers machine-wide add-ins in the 32-bit view
// (WOW6432Node), which a 64-bit SyncGuard sees only when it asks for it.
func LiveOutlookAddins() []OutlookAddin {
	var out []OutlookAddin
	for _, root := range []struct {
		k    registry.Key
		view uint32
		name string
	}{
		{registry.CURRENT_USER, 0, "HKCU"},
		{registry.LOCAL_MACHINE, 0, "HKLM"},
		{registry.LOCAL_MACHINE, registry.WOW64_32KEY, "HKLM (32-bit view)"},
	} {
		k, err := registry.OpenKey(root.k, AddinsKey, registry.ENUMERATE_SUB_KEYS|root.view)
		if err != nil {
			continue
		}
		names, _ := k.ReadSubKeyNames(-1)
		k.Close()
		for _, prog := range names {
			a := OutlookAddin{ProgID: prog, Where: root.name + `\` + AddinsKey + `\` + prog}
			if sk, err := registry.OpenKey(root.k, AddinsKey+`\`+prog, registry.QUERY_VALUE|root.view); err == nil {
				a.FriendlyName, _, _ = sk.GetStringValue("FriendlyName")
				a.Description, _, _ = sk.GetStringValue("Description")
				sk.Close()
			}
			out = append(out, a)
		}
	}
	return out
}
