//go:build windows

package datadir

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// On Windows, Chmod only flips the read-only attribute: who may read a file is its
// security descriptor's DACL. A private folder or file gets a protected DACL (nothing
// inherited from the parent, so the Users group's or Everyone's entries on a shared
// parent do not apply) granting full control to the current user and to SYSTEM, the
// operating system itself (which can read everything anyway, and which Windows' own
// backup and indexing services run as). Files created later in a private folder inherit
// the same two entries.

// makePrivate gives path the user-only DACL; dir says whether it is a folder, whose entries
// new files and subfolders inherit.
func makePrivate(path string, dir bool) error {
	acl, err := privateACL(dir)
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
}

// fileAllAccess is FILE_ALL_ACCESS, written out as Windows stores it (a generic right
// would be mapped to it on the way in anyway; x/sys does not name it).
const fileAllAccess = windows.STANDARD_RIGHTS_REQUIRED | windows.SYNCHRONIZE | 0x1ff

// privateACL is the access list of a private folder (entries that its content inherits) or
// file.
func privateACL(dir bool) (*windows.ACL, error) {
	user, err := currentUserSID()
	if err != nil {
		return nil, err
	}
	system, err := windows.CreateWellKnownSid(windows.WinLocalSystemSid)
	if err != nil {
		return nil, err
	}
	inherit := uint32(windows.NO_INHERITANCE)
	if dir {
		inherit = windows.SUB_CONTAINERS_AND_OBJECTS_INHERIT
	}
	var entries []windows.EXPLICIT_ACCESS
	for _, sid := range []*windows.SID{user, system} {
		entries = append(entries, windows.EXPLICIT_ACCESS{
			AccessPermissions: fileAllAccess,
			AccessMode:        windows.GRANT_ACCESS,
			Inheritance:       inherit,
			Trustee: windows.TRUSTEE{
				TrusteeForm:  windows.TRUSTEE_IS_SID,
				TrusteeType:  windows.TRUSTEE_IS_USER,
				TrusteeValue: windows.TrusteeValueFromSID(sid),
			},
		})
	}
	return windows.ACLFromEntries(entries, nil)
}

// underWine reports that this Windows is Wine, which (version 8, as Debian ships it)
// accepts an access list on a file but does not keep it: it reports one made up from the
// Unix file's mode bits instead. What is set cannot be read back there.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

func currentUserSID() (*windows.SID, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("cannot find who you are: %v", err)
	}
	return tu.User.Sid, nil
}

// checkPrivate reads path's DACL back and names whoever else it lets in.
func checkPrivate(path string) error {
	err := checkACL(path)
	if err != nil && underWine() {
		return fmt.Errorf("%w (Wine does not keep access lists): %v", ErrUnverifiable, err)
	}
	return err
}

func checkACL(path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("%s: cannot read who may open it: %v", path, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		// No DACL at all is the opposite of private: everyone may open it.
		return fmt.Errorf("%s: has no access list, so everyone may open it", path)
	}
	user, err := currentUserSID()
	if err != nil {
		return err
	}
	// Entries inherited from a private data folder are as private as explicit ones: only
	// the entries themselves are judged.
	userAllowed := false
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("%s: cannot read its access list: %v", path, err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			continue // a deny entry takes nothing away from privacy
		}
		sid := (*windows.SID)(unsafePointer(&ace.SidStart))
		switch {
		case sid.Equals(user):
			userAllowed = true
		case sid.IsWellKnown(windows.WinLocalSystemSid):
		default:
			name := sid.String()
			if acct, dom, _, err := sid.LookupAccount(""); err == nil {
				name = dom + `\` + acct
			}
			return fmt.Errorf("%s: %s may open it too", path, name)
		}
	}
	if !userAllowed {
		return fmt.Errorf("%s: you are not on its access list", path)
	}
	return nil
}

// retryable reports a rename that failed because another program has the target open
// (Windows refuses to replace a file that a handle without FILE_SHARE_DELETE holds; Go's
// own os.Open, Outlook, Excel and virus scanners all open files that way).
func retryable(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case windows.ERROR_ACCESS_DENIED, windows.ERROR_SHARING_VIOLATION, windows.ERROR_LOCK_VIOLATION:
		return true
	}
	return false
}
