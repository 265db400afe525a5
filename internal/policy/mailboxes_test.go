package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMailboxFile reads the list as IT exports it from InterAction's administration: a
// plain list, a CSV with an e-mail column (Excel's ';' too), and refuses a bad line by
// file and line.
func TestMailboxFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct{ name, text, want string }{
		{"list.txt", "\ufeff# InterAction users\r\nAnna.Lee@firm.example\r\n\r\nSMTP:bob@firm.example\r\n", "anna.lee@firm.example bob@firm.example"},
		{"users.csv", "Name,E-mail Address,Office\r\n\"Lee, Anna\",anna.lee@firm.example,NY\r\nNo Mail,,NY\r\nBob,bob@firm.example,LA\r\n", "anna.lee@firm.example bob@firm.example"},
		{"excel.csv", "Name;Email\nAnna;anna.lee@firm.example\n", "anna.lee@firm.example"},
	}
	for _, c := range cases {
		got, err := ReadMailboxFile(write(c.name, c.text))
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	bad := []struct{ name, text, want string }{
		{"typo.txt", "anna@firm.example\nbob at firm\n", "typo.txt:2:"},
		{"nocol.csv", "Name,Office\nAnna,NY\n", "nocol.csv:1: no e-mail column"},
		{"badrow.csv", "Name,Email\nAnna,anna@firm.example\nBob,bob\n", "badrow.csv:3:"},
	}
	for _, c := range bad {
		_, err := ReadMailboxFile(write(c.name, c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	big := write("big.txt", strings.Repeat("a@b.example\n", maxMailboxFile/12+10))
	if _, err := ReadMailboxFile(big); err == nil || !strings.Contains(err.Error(), "MB") {
		t.Errorf("an oversized list must be refused: %v", err)
	}
	if _, err := ReadMailboxFile(dir); err == nil {
		t.Error("a folder must be refused")
	}

	// The policy's list and file join; a bad address in the policy names the key.
	p, err := Parse("policy.toml", []byte("[workstation]\ninteraction_mailboxes = [\"carol@firm.example\"]\ninteraction_mailboxes_file = \""+filepath.ToSlash(filepath.Join(dir, "list.txt"))+"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := p.Mailboxes()
	if err != nil || strings.Join(l.Addresses, " ") != "carol@firm.example anna.lee@firm.example bob@firm.example" || !strings.Contains(l.Source, "list.txt") {
		t.Errorf("Mailboxes = %+v, %v", l, err)
	}
	if _, err := Parse("policy.toml", []byte("[workstation]\ninteraction_mailboxes = [\"carol\"]\n")); err == nil || !strings.Contains(err.Error(), "workstation.interaction_mailboxes[0]") {
		t.Errorf("a bad address must name the key: %v", err)
	}
}
