package workstation

import (
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/policy"
)

// AccountsGUID is the subkey of an Outlook profile that holds its e-mail accounts, one
// numbered subkey each ("00000001", "00000002", ...), under
// HKCU\Software\Microsoft\Office\<version>\Outlook\Profiles\<profile>\ (Outlook 2013 and
// later; Outlook 2010 and earlier kept the profiles under HKCU\Software\Microsoft\Windows
// NT\CurrentVersion\Windows Messaging Subsystem\Profiles). Each account key has the
// values "Account Name" (for an Exchange / Microsoft 365 account, the mailbox's primary
// address) and, for Internet accounts, "Email", both usually REG_BINARY holding a
// UTF-16LE string with its terminating NUL.
//
// Microsoft does not document these keys for third parties. The layout is the one the
// profile tools of others rely on: the MAPI profile location is described in gromox's
// notes (https://github.com/grommunio/gromox/wiki/Windows: "MAPI profiles are stored in
// HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles"), and Exclaimer's
// published signature-agent script reads the "Account Name" value of
// ...\Profiles\<profile>\9375CFF0413111d3B88A00104B2A6676\00000002 as the mailbox address;
// the binary values are read as UTF-16LE by every such tool. So SyncGuard reads them as a
// best effort: an address that is not found is never taken as "no mailbox", and the
// user's or IT's declaration (`workstation set --mailbox`) always counts too.
const AccountsGUID = "9375CFF0413111d3B88A00104B2A6676"

// Mailbox is one mailbox this workstation's Outlook opens, with where that was learned.
type Mailbox struct {
	Address string `json:"address"` // lower-case
	Source  string `json:"source"`  // "outlook profile", "registry export", "user"
	Detail  string `json:"detail,omitempty"`
}

// MailboxOptions say where to learn the mailboxes: the live registry (Windows) and .reg
// exports of HKCU\Software\Microsoft\Office (any system, for tests and for IT).
type MailboxOptions struct {
	Live     bool
	RegFiles []string
}

// keepProfiles selects the Outlook profile accounts of a .reg export.
func keepProfiles(path string) bool {
	p := strings.ToLower(path)
	return strings.Contains(p, `\outlook\profiles\`) || strings.Contains(p, `\windows messaging subsystem\profiles\`)
}

// MailboxesFromReg reads the Outlook profile accounts of a .reg export.
func MailboxesFromReg(rf *conduit.RegFile) []Mailbox {
	var out []Mailbox
	for _, k := range rf.Keys {
		if k.Delete || !isAccountKey(k.Path) {
			continue
		}
		vals := map[string]string{}
		for _, name := range []string{"Email", "Account Name"} {
			if v, ok := k.Value(name); ok {
				vals[name] = regString(v)
			}
		}
		if a, ok := accountAddress(vals); ok {
			out = append(out, Mailbox{Address: a, Source: "registry export", Detail: rf.Name + ": " + k.Path})
		}
	}
	return out
}

// isAccountKey says whether a key path is <...>\Profiles\<profile>\9375CFF0...\<account>.
func isAccountKey(path string) bool {
	parts := strings.Split(path, `\`)
	n := len(parts)
	return n >= 4 && strings.EqualFold(parts[n-2], AccountsGUID) && strings.EqualFold(parts[n-4], "Profiles")
}

// regString reads a REG_SZ, or a REG_BINARY holding UTF-16LE text (what Outlook writes).
func regString(v conduit.RegValue) string {
	switch v.Type {
	case conduit.RegSZ, conduit.RegExpandSZ:
		return v.String
	case conduit.RegBinary:
		return utf16LE(v.Data)
	}
	return ""
}

func utf16LE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// accountAddress picks the account's address: "Email" (Internet accounts), else
// "Account Name" when it is an address (Exchange accounts name themselves by it).
func accountAddress(vals map[string]string) (string, bool) {
	for _, name := range []string{"Email", "Account Name"} {
		if a := vals[name]; policy.LooksLikeAddress(a) {
			return policy.NormalizeAddress(a), true
		}
	}
	return "", false
}

// DetectMailboxes learns the mailboxes this workstation's Outlook opens. Each source that
// cannot be read adds an error; the others are still read.
func DetectMailboxes(opt MailboxOptions) ([]Mailbox, []error) {
	var out []Mailbox
	var errs []error
	if opt.Live {
		m, err := liveMailboxes()
		out = append(out, m...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, f := range opt.RegFiles {
		rf, err := conduit.ReadRegFile(f, keepProfiles)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, MailboxesFromReg(rf)...)
	}
	return out, errs
}

// mergeMailboxes joins detected and declared mailboxes, one entry per address (the first
// source wins), sorted by address.
func mergeMailboxes(lists ...[]Mailbox) []Mailbox {
	seen := map[string]bool{}
	var out []Mailbox
	for _, l := range lists {
		for _, m := range l {
			a := policy.NormalizeAddress(m.Address)
			if a == "" || seen[a] {
				continue
			}
			seen[a] = true
			m.Address = a
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}

// Addresses lists the mailboxes' addresses.
func Addresses(ms []Mailbox) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Address
	}
	return out
}
