//go:build windows

package workstation

import (
	"golang.org/x/sys/windows/registry"
)

// addinKey is where Outlook COM add-ins are registered, per user and per machine.
const addinKey = `Software\Microsoft\Office\Outlook\Addins`

// DetectAddin looks for the InterAction Outlook add-in's registration in HKCU and HKLM.
func DetectAddin() AddinResult {
	// 32-bit Office on 64-bit Windows registers machine-wide add-ins in the 32-bit view
	// (WOW6432Node), which a 64-bit SyncGuard sees only when it asks for it.
	for _, root := range []struct {
		k    registry.Key
		view uint32
		name string
	}{
		{registry.CURRENT_USER, 0, "HKCU"},
		{registry.LOCAL_MACHINE, 0, "HKLM"},
		{registry.LOCAL_MACHINE, registry.WOW64_32KEY, `HKLM (32-bit view)`},
	} {
		k, err := registry.OpenKey(root.k, addinKey, registry.ENUMERATE_SUB_KEYS|root.view)
		if err != nil {
			continue
		}
		names, _ := k.ReadSubKeyNames(-1)
		k.Close()
		for _, prog := range names {
			sk, err := registry.OpenKey(root.k, addinKey+`\`+prog, registry.QUERY_VALUE|root.view)
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
