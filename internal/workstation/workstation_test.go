package workstation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/policy"
)

func TestResolveOrder(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	list := policy.MailboxList{Source: "policy workstation.interaction_mailboxes", Addresses: []string{"anna@firm.example"}}
	anna := []Mailbox{{Address: "anna@firm.example", Source: "outlook profile"}}
	bob := []Mailbox{{Address: "bob@firm.example", Source: "user"}}
	addin := AddinResult{Found: true, Where: "HKCU"}
	cases := []struct {
		name string
		f    Facts
		want Sync
	}{
		{"the policy's word beats everything", Facts{Policy: &no, List: list, Mailboxes: anna, Addin: addin, User: &yes}, Sync{Known: true, Value: false, Source: "policy"}},
		{"a listed mailbox: yes", Facts{List: list, Mailboxes: anna, User: &no}, Sync{Known: true, Value: true, Source: "mailbox-list"}},
		{"a list and no listed mailbox: no, whatever the user and the add-in say", Facts{List: list, Mailboxes: bob, Addin: addin, User: &yes}, Sync{Known: true, Value: false, Source: "mailbox-list"}},
		{"a list but no known mailbox: the user decides", Facts{List: list, User: &no}, Sync{Known: true, Value: false, Source: "user"}},
		{"the user before the add-in", Facts{Addin: addin, User: &no}, Sync{Known: true, Value: false, Source: "user"}},
		{"the add-in is a hint", Facts{Addin: addin}, Sync{Known: true, Value: true, Source: "add-in"}},
		{"nothing", Facts{}, Sync{Source: "unknown"}},
	}
	for _, c := range cases {
		got := Resolve(c.f)
		if got.Known != c.want.Known || got.Value != c.want.Value || got.Source != c.want.Source {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if got := Resolve(Facts{Addin: addin}); !strings.Contains(got.Detail, "hint") {
		t.Errorf("the add-in's answer must say it is a hint: %q", got.Detail)
	}
	if got := Resolve(Facts{List: list, Mailboxes: anna}); !strings.Contains(got.Detail, "anna@firm.example") || len(got.Matched) != 1 {
		t.Errorf("the listed mailbox must be named: %+v", got)
	}
}

// TestMailboxesFromRegExport reads an Outlook profile as regedit exports it (UTF-16LE
// with a BOM, the values REG_BINARY UTF-16LE strings as Outlook writes them) and decides
// from the policy's list, the way `workstation show --reg` does on any system.
func TestMailboxesFromRegExport(t *testing.T) {
	dir := t.TempDir()
	bin := func(s string) string {
		var parts []string
		for _, r := range s + "\x00" {
			parts = append(parts, fmt.Sprintf("%02x,%02x", r&0xff, r>>8))
		}
		return strings.Join(parts, ",")
	}
	base := `HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook\9375CFF0413111d3B88A00104B2A6676`
	text := "Windows Registry Editor Version 5.00\r\n\r\n" +
		"[" + base + "]\r\n\r\n" +
		"[" + base + "\\00000002]\r\n\"Account Name\"=hex:" + bin("Anna.Lee@Firm.example") + "\r\n\"clsid\"=\"{ED475419-B0D6-11D2-8C3B-00104B2A6676}\"\r\n\r\n" +
		"[" + base + "\\00000003]\r\n\"Account Name\"=hex:" + bin("Personal") + "\r\n\"Email\"=hex:" + bin("anna.home@mail.example") + "\r\n\r\n" +
		"[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Options]\r\n\"Email\"=\"not-a-profile@firm.example\"\r\n"
	u := utf16.Encode([]rune(text))
	data := []byte{0xff, 0xfe}
	for _, c := range u {
		data = append(data, byte(c), byte(c>>8))
	}
	reg := filepath.Join(dir, "office.reg")
	if err := os.WriteFile(reg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ms, errs := DetectMailboxes(MailboxOptions{RegFiles: []string{reg}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if got := strings.Join(Addresses(mergeMailboxes(ms)), " "); got != "anna.home@mail.example anna.lee@firm.example" {
		t.Fatalf("mailboxes = %q, want the two accounts' addresses (and nothing from outside the profile)", got)
	}

	// The policy names Anna's work mailbox: this workstation syncs with InterAction.
	p := policy.Default()
	p.Workstation.InteractionMailboxes = []string{"ANNA.LEE@firm.example"}
	data1 := t.TempDir()
	_, _, s, _, err := Determine(data1, p, MailboxOptions{RegFiles: []string{reg}})
	if err != nil || !s.Known || !s.Value || s.Source != "mailbox-list" {
		t.Fatalf("listed mailbox: %+v, %v", s, err)
	}
	// A list that names only other people: no InterAction claim, even though the user said yes.
	yes := true
	if err := Save(data1, Config{InteractionSync: &yes}); err != nil {
		t.Fatal(err)
	}
	p.Workstation.InteractionMailboxes = []string{"bob@firm.example"}
	_, _, s, _, _ = Determine(data1, p, MailboxOptions{RegFiles: []string{reg}})
	if !s.Known || s.Value || s.Source != "mailbox-list" {
		t.Errorf("unlisted mailbox: %+v, want no InterAction sync from the list", s)
	}
	// The user's declaration counts as a mailbox too.
	if err := Update(data1, func(c *Config) error { c.Mailboxes = []string{"bob@firm.example"}; return nil }); err != nil {
		t.Fatal(err)
	}
	_, _, s, _, _ = Determine(data1, p, MailboxOptions{})
	if !s.Value || s.Source != "mailbox-list" || s.Mailboxes[0].Source != "user" {
		t.Errorf("declared mailbox: %+v", s)
	}
}

func TestIDsAreSafeFileNames(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"ws-01", "LAW.PC_7"} {
		if err := ValidID(id); err != nil {
			t.Errorf("ValidID(%q) = %v", id, err)
		}
	}
	for _, id := range []string{"", ".hidden", "../x", `a\b`, "évil name", "a/b", string(make([]byte, 65))} {
		if ValidID(id) == nil {
			t.Errorf("ValidID(%q) accepted", id)
		}
	}
	if err := ValidID(DefaultID()); err != nil {
		t.Errorf("DefaultID() = %q: %v", DefaultID(), err)
	}
}

func TestAddinMatch(t *testing.T) {
	t.Parallel()
	if !addinMatches("InterAction.OutlookAddin", "", "") || !addinMatches("X.Connect", "LexisNexis InterAction for Microsoft Outlook", "") {
		t.Error("an InterAction add-in was not recognised")
	}
	if addinMatches("OneNote.OutlookAddin", "OneNote Notes about Outlook Items", "") {
		t.Error("another add-in was taken for InterAction")
	}
}

func TestSaveIsPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	yes := true
	if err := Save(dir, Config{ID: "ws-1", InteractionSync: &yes}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir)
	if err != nil || c.ID != "ws-1" || c.InteractionSync == nil || !*c.InteractionSync {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	datadir.ExpectPrivate(t, filepath.Join(dir, "workstation.json"))
	datadir.ExpectPrivate(t, dir)
	if err := Save(dir, Config{ID: "../x"}); err == nil {
		t.Error("an id that is not a file name was saved")
	}
}

// TestConcurrentUpdatesKeepBothSettings: `workstation set --id` and `workstation set
// --interaction-sync` run at once used to lose one of the two. Each round starts from no
// file and runs both changes together; both must be in the file after every round.
func TestConcurrentUpdatesKeepBothSettings(t *testing.T) {
	dir := t.TempDir()
	for round := range 30 {
		os.Remove(filepath.Join(dir, "workstation.json"))
		id := fmt.Sprintf("ws-%d", round)
		yes := true
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { errs[0] = Update(dir, func(c *Config) error { c.ID = id; return nil }) })
		wg.Go(func() { errs[1] = Update(dir, func(c *Config) error { c.InteractionSync = &yes; return nil }) })
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		c, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != id || c.InteractionSync == nil || !*c.InteractionSync {
			t.Fatalf("round %d: %+v, want id %s and interaction_sync true: a change was lost", round, c, id)
		}
	}
	err := Update(dir, func(c *Config) error { c.ID = "../x"; return nil })
	if err == nil || !strings.Contains(err.Error(), "workstation id") {
		t.Errorf("a bad id must be refused: %v", err)
	}
	if c, _ := Load(dir); c.ID != "ws-29" {
		t.Errorf("a refused change must leave the file as it was: %+v", c)
	}
}
