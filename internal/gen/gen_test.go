package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBookIsDeterministicAndRealistic(t *testing.T) {
	t.Parallel()
	a, b := Book(7, 500), Book(7, 500)
	cats, mileage, notes, multiMail, nonASCII := 0, 0, 0, 0, 0
	names := map[string]bool{}
	for i := range a {
		if a[i].Fingerprint("") != b[i].Fingerprint("") {
			t.Fatalf("contact %d differs between two runs with one seed", i)
		}
		if len(a[i].Categories) >= 2 {
			cats++
		}
		if a[i].Mileage != "" {
			mileage++
		}
		if strings.Contains(a[i].Note, "\n") {
			notes++
		}
		if len(a[i].Emails) > 1 {
			multiMail++
		}
		if strings.ContainsFunc(a[i].Name, func(r rune) bool { return r > 127 }) {
			nonASCII++
		}
		names[a[i].Emails[0].Value] = true
	}
	if Book(8, 10)[0].Fingerprint("") == a[0].Fingerprint("") {
		t.Error("another seed must give another book")
	}
	for what, n := range map[string]int{"several categories": cats, "Mileage": mileage, "multi-line notes": notes,
		"several e-mails": multiMail, "non-ASCII names": nonASCII} {
		if n < 25 {
			t.Errorf("only %d of 500 contacts have %s", n, what)
		}
	}
	if len(names) != 500 {
		t.Errorf("first e-mails must be distinct, got %d of 500", len(names))
	}
}

func TestWriteVCard21LooksLikeOutlook(t *testing.T) {
	t.Parallel()
	c := Book(1, 1)[0]
	c.Note = "First line of a long note that Outlook will fold with soft line breaks — über 76 Zeichen\nSecond line"
	var buf bytes.Buffer
	if err := WriteVCard21(&buf, c, VCardOptions{}); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{"VERSION:2.1\r\n", "NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:", "=0D", "=0A", "=\r\n", "TEL;WORK;VOICE:", "EMAIL;PREF;INTERNET:"} {
		if !strings.Contains(s, want) {
			t.Errorf("vCard lacks %q:\n%s", want, s)
		}
	}
	for _, line := range strings.Split(s, "\r\n") {
		if len(line) > 76 && strings.Contains(line, "QUOTED-PRINTABLE") {
			t.Errorf("QP line longer than 76: %q", line)
		}
	}
	if strings.Contains(s, "CATEGORIES") {
		t.Error("Outlook's vCards carry no categories")
	}
}

func TestWriteVCardFolderNamesFilesUniquely(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cs := Book(3, 50)
	twin := *cs[0]
	cs = append(cs, &twin)
	if err := WriteVCardFolder(filepath.Join(dir, "x"), cs, VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "x"))
	if len(ents) != 51 {
		t.Fatalf("%d files for 51 contacts", len(ents))
	}
}
