//go:build windows

package workstation

import (
	"fmt"
	"os"
	"testing"
	"unicode/utf16"

	"golang.org/x/sys/windows/registry"
)

// TestProfileMailboxesFromTheRegistry writes an Outlook profile as Outlook does (the
// account's "Account Name" a REG_BINARY UTF-16LE string, an Internet account's "Email" a
// REG_SZ) under a key of the test's own, and reads it with the code that reads the live
// profiles. Under Wine (a private prefix) this is a real registry; the machine's own
// Outlook profiles are never read.
func TestProfileMailboxesFromTheRegistry(t *testing.T) {
	root := fmt.Sprintf(`Software\SyncGuardTest-%d\Outlook\Profiles`, os.Getpid())
	t.Cleanup(func() { deleteTree(registry.CURRENT_USER, fmt.Sprintf(`Software\SyncGuardTest-%d`, os.Getpid())) })
	put := func(account string, set func(k registry.Key) error) {
		k, _, err := registry.CreateKey(registry.CURRENT_USER, root+`\Work\`+AccountsGUID+`\`+account, registry.ALL_ACCESS)
		if err != nil {
			t.Fatal(err)
		}
		defer k.Close()
		if err := set(k); err != nil {
			t.Fatal(err)
		}
	}
	utf16le := func(s string) []byte {
		var b []byte
		for _, c := range utf16.Encode([]rune(s + "\x00")) {
			b = append(b, byte(c), byte(c>>8))
		}
		return b
	}
	put("00000002", func(k registry.Key) error { return k.SetBinaryValue("Account Name", utf16le("Anna.Lee@Firm.example")) })
	put("00000003", func(k registry.Key) error {
		if err := k.SetStringValue("Account Name", "Home"); err != nil {
			return err
		}
		return k.SetStringValue("Email", "anna.home@mail.example")
	})
	put("00000004", func(k registry.Key) error { return k.SetStringValue("Account Name", "Outlook Address Book") })
	got := Addresses(mergeMailboxes(profileMailboxes([]string{root})))
	if fmt.Sprint(got) != "[anna.home@mail.example anna.lee@firm.example]" {
		t.Errorf("mailboxes = %v", got)
	}
}

func deleteTree(k registry.Key, path string) {
	if sk, err := registry.OpenKey(k, path, registry.ENUMERATE_SUB_KEYS); err == nil {
		names, _ := sk.ReadSubKeyNames(-1)
		sk.Close()
		for _, n := range names {
			deleteTree(k, path+`\`+n)
		}
	}
	registry.DeleteKey(k, path)
}
