//go:build windows

package workstation

import (
	"golang.org/x/sys/windows/registry"
)

// addinKey is where Outlook COM add-ins are registered, per user and per machine.
const addinKey = `Software\Microsoft\Office\Outlook\Addins`

// DetectAddin looks for the InterAction Outlook add-in's registration in HKCU and HKLM.
func DetectAddin() AddinResult {
	for _, root := range []struct {
		k    registry.Key
		name string
	}{{registry.CURRENT_USER, "HKCU"}, {registry.LOCAL_MACHINE, "HKLM"}} {
		k, err := registry.OpenKey(root.k, addinKey, registry.ENUMERATE_SUB_KEYS)
		if err != nil {
			continue
		}
		names, _ := k.ReadSubKeyNames(-1)
		k.Close()
		for _, prog := range names {
			sk, err := registry.OpenKey(root.k, addinKey+`\`+prog, registry.QUERY_VALUE)
			if err != nil {
				continue
			}
			friendly, _, _ := sk.GetStringValue("FriendlyName")
			desc, _, _ := sk.GetStringValue("Description")
			sk.Close()
			if addinMatches(prog, friendly, desc) {
				return AddinResult{Found: true, Where: root.name + `\` + addinKey + `\` + prog}
			}
		}
	}
	return AddinResult{}
}
