package fleet

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// openFile opens a fleet file. Windows has no FIFOs in folders (its named pipes live
// elsewhere), and links were refused from the listing.
func openFile(path string) (*os.File, error) { return os.Open(path) }

// ownerOf names the owner of a file (DOMAIN\user) from its security descriptor, or ""
// when it cannot be read (a share that does not say).
func ownerOf(path string, _ fs.FileInfo) string {
	if path == "" {
		return ""
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION)
	if err != nil {
		return ""
	}
	sid, _, err := sd.Owner()
	if err != nil || sid == nil {
		return ""
	}
	account, domain, _, err := sid.LookupAccount("")
	if err != nil {
		return sid.String()
	}
	if domain != "" {
		return domain + `\` + account
	}
	return account
}
