package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/fleet"
)

// utf16Hex writes s as regedit writes a REG_BINARY UTF-16LE string: hex:61,00,...,00,00.
func utf16Hex(s string) string {
	var parts []string
	for _, r := range s + "\x00" {
		parts = append(parts, fmt.Sprintf("%02x,%02x", r&0xff, r>>8))
	}
	return "hex:" + strings.Join(parts, ",")
}

// TestCheckNamesTheSharedInterActionMailbox: the assistant's PC publishes that its
// Outlook opens anna@firm.example and syncs Anna's Treo; this workstation's registry
// export shows the same mailbox in its Outlook profile, the same Treo partnership, and
// iCloud's Outlook add-in. IT's policy lists anna@firm.example as InterAction-synced.
// `check` must say this workstation syncs with InterAction because of that mailbox, raise
// a danger naming the mailbox, and the iCloud add-in's danger.
func TestCheckNamesTheSharedInterActionMailbox(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "fleet")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	other := fleet.File{
		Workstation: fleet.Workstation{ID: "ws-assist", Hostname: "ASSIST", User: `FIRM\paul`, InteractionSync: false, AppVersion: "dev",
			Mailboxes: []string{"anna@firm.example", "paul@firm.example"}},
		UpdatedAt: time.Now().Add(-time.Hour),
		Devices:   []fleet.Device{{ID: "activesync:00009999", Name: "Anna Treo", Software: "activesync"}},
	}
	data, err := other.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "ws-assist.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	reg := filepath.Join(dir, "hkcu.reg")
	text := "REGEDIT4\r\n\r\n" +
		"[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows CE Services\\Partners\\1234]\r\n\"DisplayName\"=\"Anna Treo\"\r\n\"PId\"=dword:000004d2\r\n\r\n" +
		"[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\9375CFF0413111d3B88A00104B2A6676\\00000002]\r\n\"Account Name\"=" + utf16Hex("Anna@Firm.example") + "\r\n\r\n" +
		"[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\Outlook\\Addins\\iCloudAddin.AddinModule]\r\n\"FriendlyName\"=\"iCloud Outlook Add-in\"\r\n\"LoadBehavior\"=dword:00000003\r\n"
	if err := os.WriteFile(reg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	pol := policyFile(t, "[workstation]\ninteraction_mailboxes = [\"anna@firm.example\"]\n")
	args := append(pol, "check", "--json", "--no-detect", "--reg", reg, "--fleet", folder)
	out, stderr, code := run(t, args...)
	c := decodeCheck(t, out)
	if code != ExitDanger {
		t.Errorf("exit %d, want %d (danger); stderr %s", code, ExitDanger, stderr)
	}
	if s := c.Workstation.InteractionSync; !s.Known || !s.Value || s.Source != "mailbox-list" {
		t.Errorf("interaction_sync = %+v, want yes from the mailbox list", s)
	}
	var shared, icloud bool
	for _, f := range c.Findings {
		if f.Kind == "multi-workstation" && f.Severity == "danger" && strings.Contains(f.Title, "Anna Treo") {
			shared = true
		}
		if f.Kind == "conduit-setting" && f.Severity == "danger" && strings.Contains(f.Title, "iCloud") {
			icloud = true
		}
	}
	if !shared || !icloud {
		t.Errorf("findings (shared %v, iCloud %v): %+v", shared, icloud, c.Findings)
	}
	if !strings.Contains(out, `"anna@firm.example"`) || !strings.Contains(out, "same mailbox") {
		t.Errorf("the check must name the shared mailbox:\n%s", out)
	}
	// This workstation's fleet file now publishes its mailbox for the others.
	mine, err := os.ReadFile(filepath.Join(folder, c.Workstation.ID+".json"))
	if err != nil || !strings.Contains(string(mine), `"mailboxes"`) || !strings.Contains(string(mine), "anna@firm.example") {
		t.Errorf("published file: %s, %v", mine, err)
	}

	// A policy whose list names other people: the list says this workstation does not
	// sync with InterAction.
	pol = policyFile(t, "[workstation]\ninteraction_mailboxes = [\"carol@firm.example\"]\n")
	out, _, _ = run(t, append(pol, "check", "--json", "--no-detect", "--reg", reg, "--fleet", folder)...)
	c = decodeCheck(t, out)
	if s := c.Workstation.InteractionSync; !s.Known || s.Value || s.Source != "mailbox-list" {
		t.Errorf("unlisted mailbox: interaction_sync = %+v, want no from the mailbox list", s)
	}
}
