package datadir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestCheckPrivateSeesOthersOnTheAccessList: the check reads the real access list back, so
// a file that Everyone may open (as a file copied from a shared folder keeps) is not
// private, and MakePrivate makes it so.
func TestCheckPrivateSeesOthersOnTheAccessList(t *testing.T) {
	if underWine() {
		t.Skip("Wine 8 does not keep a file's access list (it reports one made from the Unix mode bits), so what is set cannot be read back; TestPrivateACLGrantsTheUserAndSystemOnly checks the list itself")
	}
	path := filepath.Join(t.TempDir(), "restore.csv")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	everyone, err := windows.CreateWellKnownSid(windows.WinWorldSid)
	if err != nil {
		t.Fatal(err)
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.GENERIC_READ, AccessMode: windows.GRANT_ACCESS,
		Trustee: windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_WELL_KNOWN_GROUP,
			TrusteeValue: windows.TrusteeValueFromSID(everyone)},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION,
		nil, nil, acl, nil); err != nil {
		t.Fatal(err)
	}
	err = CheckPrivate(path)
	if err == nil || !strings.Contains(err.Error(), "may open it too") {
		t.Fatalf("CheckPrivate = %v, want it to name the other account", err)
	}
	t.Logf("as expected: %v", err)
	if err := MakePrivate(path); err != nil {
		t.Fatal(err)
	}
	if err := CheckPrivate(path); err != nil {
		t.Errorf("after MakePrivate: %v", err)
	}
}

// TestPathsWithDriveLettersAndBackslashes: the data folder given as Windows writes paths,
// with a drive letter, backslashes and a space, works end to end.
func TestPathsWithDriveLettersAndBackslashes(t *testing.T) {
	base := t.TempDir()
	if filepath.VolumeName(base) == "" {
		t.Fatalf("temp folder %q has no drive letter", base)
	}
	dir := base + `\My Data\SyncGuard`
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(dir+`\settings.json`, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The same file through forward slashes, as a path typed in a config file may be.
	data, err := os.ReadFile(filepath.ToSlash(dir) + "/settings.json")
	if err != nil || string(data) != "{}" {
		t.Errorf("read back: %q %v", data, err)
	}
	ExpectPrivate(t, dir+`\settings.json`)
}

// TestPrivateACLGrantsTheUserAndSystemOnly: the access list that MakePrivate sets, as
// Windows' own SDDL shows it: protected from inheritance (P), full access (FA) for this user
// and SYSTEM (SY) only; a folder's entries are inherited by files (OI) and folders (CI).
func TestPrivateACLGrantsTheUserAndSystemOnly(t *testing.T) {
	user, err := currentUserSID()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir  bool
		want string
	}{
		{true, "D:P(A;OICI;FA;;;" + user.String() + ")(A;OICI;FA;;;SY)"},
		{false, "D:P(A;;FA;;;" + user.String() + ")(A;;FA;;;SY)"},
	} {
		acl, err := privateACL(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		sd, err := windows.NewSecurityDescriptor()
		if err != nil {
			t.Fatal(err)
		}
		if err := sd.SetDACL(acl, true, false); err != nil {
			t.Fatal(err)
		}
		if err := sd.SetControl(windows.SE_DACL_PROTECTED, windows.SE_DACL_PROTECTED); err != nil {
			t.Fatal(err)
		}
		if got := sd.String(); got != c.want {
			t.Errorf("folder=%v: access list %s, want %s", c.dir, got, c.want)
		}
	}
}
