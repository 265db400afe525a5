//go:build windows

package workstation

import (
	"golang.org/x/sys/windows/registry"

	"github.com/syncguard/syncguard/internal/conduit"
)

// profileRoots are where Outlook keeps its profiles: per Office version from Outlook
// 2013 (15.0) on, in the Windows Messaging Subsystem before (see AccountsGUID).
func profileRoots() []string {
	roots := []string{`Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles`}
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Office`, registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return roots
	}
	defer k.Close()
	vers, _ := k.ReadSubKeyNames(-1)
	for _, v := range vers {
		roots = append(roots, `Software\Microsoft\Office\`+v+`\Outlook\Profiles`)
	}
	return roots
}

// liveMailboxes reads the accounts of every Outlook profile of the current user.
func liveMailboxes() ([]Mailbox, error) { return profileMailboxes(profileRoots()), nil }

// profileMailboxes reads the accounts of the profiles under each root (a key path in
// HKCU): the live roots, or a test's own key.
func profileMailboxes(roots []string) []Mailbox {
	var out []Mailbox
	for _, root := range roots {
		pk, err := registry.OpenKey(registry.CURRENT_USER, root, registry.ENUMERATE_SUB_KEYS)
		if err != nil {
			continue // no profiles under this version
		}
		profiles, _ := pk.ReadSubKeyNames(-1)
		pk.Close()
		for _, prof := range profiles {
			base := root + `\` + prof + `\` + AccountsGUID
			ak, err := registry.OpenKey(registry.CURRENT_USER, base, registry.ENUMERATE_SUB_KEYS)
			if err != nil {
				continue
			}
			accounts, _ := ak.ReadSubKeyNames(-1)
			ak.Close()
			for _, acc := range accounts {
				k, err := registry.OpenKey(registry.CURRENT_USER, base+`\`+acc, registry.QUERY_VALUE)
				if err != nil {
					continue
				}
				vals := map[string]string{}
				for _, name := range []string{"Email", "Account Name"} {
					if s, _, err := k.GetStringValue(name); err == nil {
						vals[name] = s
					} else if b, _, err := k.GetBinaryValue(name); err == nil {
						vals[name] = regString(conduit.RegValue{Type: conduit.RegBinary, Data: b})
					}
				}
				k.Close()
				if a, ok := accountAddress(vals); ok {
					out = append(out, Mailbox{Address: a, Source: "outlook profile", Detail: `HKCU\` + base + `\` + acc + " (profile " + prof + ")"})
				}
			}
		}
	}
	return out
}
