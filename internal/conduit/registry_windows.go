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
