package exports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, path, content string, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if !mod.IsZero() {
		if err := os.Chtimes(path, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
}

const oneCard = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nFN:John Doe\r\nEND:VCARD\r\n"

func TestDiscoverTellsTheThreeKindsApart(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

	file := filepath.Join(t.TempDir(), "contacts.csv")
	writeFile(t, file, "First Name,Last Name\nJohn,Doe\n", time.Time{})

	perContact := t.TempDir()
	for _, n := range []string{"John Doe.vcf", "Mary Major.vcf", "Richard Roe.vcf"} {
		writeFile(t, filepath.Join(perContact, n), oneCard, time.Time{})
	}
	writeFile(t, filepath.Join(perContact, ".hidden.vcf"), oneCard, time.Time{})
	writeFile(t, filepath.Join(perContact, "readme.pdf"), "x", time.Time{})

	dated := t.TempDir()
	writeFile(t, filepath.Join(dated, "contacts-2026-10-30.csv"), "First Name\nA\n", base)
	writeFile(t, filepath.Join(dated, "contacts-2026-10-31.csv"), "First Name\nB\n", base.Add(24*time.Hour))
	writeFile(t, filepath.Join(dated, "contacts-2026-10-29.csv"), "First Name\nC\n", base.Add(-24*time.Hour))

	multiCard := t.TempDir()
	writeFile(t, filepath.Join(multiCard, "a.vcf"), oneCard+oneCard, base)
	writeFile(t, filepath.Join(multiCard, "b.vcf"), oneCard+oneCard+oneCard, base.Add(time.Hour))

	cases := []struct {
		path  string
		kind  LocationKind
		files []string
	}{
		{file, KindFile, []string{file}},
		{perContact, KindContactDir, []string{filepath.Join(perContact, "John Doe.vcf"), filepath.Join(perContact, "Mary Major.vcf"), filepath.Join(perContact, "Richard Roe.vcf")}},
		{dated, KindDatedExport, []string{filepath.Join(dated, "contacts-2026-10-31.csv")}},
		{multiCard, KindDatedExport, []string{filepath.Join(multiCard, "b.vcf")}},
	}
	for _, c := range cases {
		loc, err := Discover(c.path)
		if err != nil {
			t.Fatalf("Discover(%s): %v", c.path, err)
		}
		if loc.Kind != c.kind || strings.Join(loc.Files, "|") != strings.Join(c.files, "|") {
			t.Errorf("Discover(%s) = %s %v, want %s %v", c.path, loc.Kind, loc.Files, c.kind, c.files)
		}
		if loc.Description == "" {
			t.Errorf("Discover(%s) says nothing about what it found", c.path)
		}
	}
}

func TestDiscoverErrorsSayWhatToDo(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "notes.txt.bak"), "x", time.Time{})
	for _, p := range []string{filepath.Join(t.TempDir(), "gone"), empty} {
		_, err := Discover(p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("Discover(%s) error = %v; want an error naming the path", p, err)
		}
	}
}

func TestReadFileNeverTakesAnUnreadableFileAsEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := map[string][]byte{
		"empty.vcf":  {},
		"binary.vcf": {0x00, 0x01, 0xFF, 0xFE, 0x00, 0x00, 0x89, 0x50, 0x4E, 0x47},
		"blank.csv":  []byte("\r\n\r\n  \r\n"),
	}
	for name, data := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cs, errs, sum := ReadFile(p)
		if len(cs) != 0 || len(errs) == 0 || !sum.Unreadable {
			t.Errorf("%s: %d contacts, errors %v, unreadable %v; want an error and Unreadable", name, len(cs), errs, sum.Unreadable)
		}
		for _, e := range errs {
			if e.File != p {
				t.Errorf("%s: error names %q, want the file", name, e.File)
			}
		}
	}
	_, errs, sum := ReadFile(filepath.Join(dir, "missing.vcf"))
	if !sum.Unreadable || len(errs) != 1 || !strings.Contains(errs[0].Message, "cannot open") {
		t.Errorf("missing file: %v %v", errs, sum)
	}
}

func TestDecodeUnicodeFindsUTF16WithoutBOM(t *testing.T) {
	t.Parallel()
	le := []byte{}
	for _, r := range "First Name,Last Name\r\nJürgen,Müller\r\n" {
		le = append(le, byte(r), byte(r>>8))
	}
	be := make([]byte, len(le))
	for i := 0; i < len(le); i += 2 {
		be[i], be[i+1] = le[i+1], le[i]
	}
	for name, in := range map[string][]byte{"le": le, "be": be, "le-bom": append([]byte{0xFF, 0xFE}, le...), "be-bom": append([]byte{0xFE, 0xFF}, be...)} {
		out, enc, err := decodeUnicode(in)
		if err != nil || !strings.Contains(string(out), "Jürgen,Müller") || !strings.HasPrefix(enc, "utf-16") {
			t.Errorf("%s: %q %s %v", name, out, enc, err)
		}
	}
	if out, enc, _ := decodeUnicode([]byte("plain")); enc != "" || string(out) != "plain" {
		t.Errorf("plain text changed: %q %s", out, enc)
	}
}

func TestDecodeTextCharsets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      []byte
		charset string
		want    string
	}{
		{[]byte{0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72}, "", "Müller"},           // Windows-1252 fallback
		{[]byte{0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72}, "ISO-8859-1", "Müller"}, // Latin-1
		{[]byte("Müller"), "UTF-8", "Müller"},                                // UTF-8
		{[]byte{0x93, 0xFA, 0x96, 0x7B}, "SHIFT_JIS", "日本"},                  // Shift_JIS
		{[]byte{0x8A, 0x65}, "cp1250", "Še"},                                 // Central European
		{[]byte{0x80, 0x20, 0x35}, "windows-1252", "€ 5"},                    // euro sign
	}
	for _, c := range cases {
		got, err := decodeText(c.in, c.charset)
		if got != c.want || err != nil {
			t.Errorf("decodeText(% x, %q) = %q, %v; want %q", c.in, c.charset, got, err, c.want)
		}
	}
	if _, err := decodeText([]byte("x"), "klingon-8"); err == nil {
		t.Error("an unknown charset must be reported")
	}
}
