package conduit

import (
	"bytes"
	"strings"
	"testing"
)

func TestRegExportWithTwoPartnerships(t *testing.T) {
	t.Parallel()
	// testdata/partners-v5.reg is UTF-16LE with a byte order mark and CRLF line ends, as
	// regedit writes it; it holds two partnerships, a deleted one and an unrelated key.
	rf, err := ReadRegFile("testdata/partners-v5.reg", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rf.Version != 5 || rf.Encoding != "utf-16le" || len(rf.Errors) != 0 {
		t.Fatalf("version %d, encoding %s, errors %v", rf.Version, rf.Encoding, rf.Errors)
	}
	devs := PartnershipsFromReg(rf)
	if len(devs) != 2 {
		t.Fatalf("got %d partnerships, want 2: %+v", len(devs), devs)
	}
	want := []struct{ id, name string }{{"activesync:3a7f0c21", "Jane's Treo"}, {"activesync:0badf00d", "Müller HTC"}}
	for i, w := range want {
		d := devs[i]
		if d.ID != w.id || d.Name != w.name || d.Software != "activesync" || d.Source != SourceRegFile {
			t.Errorf("partnership %d = %+v, want id %s name %q", i, d, w.id, w.name)
		}
		if !strings.Contains(d.Found, "testdata/partners-v5.reg:") {
			t.Errorf("Found = %q must name the file and line", d.Found)
		}
	}
	// The decoding of hex(N) values and continuation lines.
	var p1, p2 *RegKey
	for _, k := range rf.Keys {
		switch {
		case strings.HasSuffix(k.Path, `Partners\P1`):
			p1 = k
		case strings.HasSuffix(k.Path, `Partners\P2`):
			p2 = k
		}
	}
	if v, _ := p1.Value("pname"); v.Type != RegExpandSZ || v.String != "Jane" {
		t.Errorf("PName = %+v", v)
	}
	if v, _ := p2.Value("Categories"); v.Type != RegMultiSZ || strings.Join(v.Strings, "|") != "Clients|VIP" {
		t.Errorf("Categories = %+v", v)
	}
}

func TestRegedit4AnsiExportFromAnotherUsersHive(t *testing.T) {
	t.Parallel()
	rf, err := ReadRegFile("testdata/partners-regedit4.reg", KeepPartners)
	if err != nil {
		t.Fatal(err)
	}
	devs := PartnershipsFromReg(rf)
	if rf.Version != 4 || len(devs) != 1 || devs[0].Name != "Pocket_PC René" || devs[0].ID != "activesync:00001267" {
		t.Fatalf("version %d, devices %+v", rf.Version, devs)
	}
}

func TestRegErrorsNameFileAndLine(t *testing.T) {
	t.Parallel()
	in := "Windows Registry Editor Version 5.00\r\n\r\n" +
		"[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows CE Services\\Partners\\P1]\r\n" +
		"\"DisplayName\"=\"ok\"\r\n" +
		"\"PId\"=dword:zz\r\n" +
		"\"Broken=\"x\r\n" +
		"garbage\r\n" +
		"[HKEY_CURRENT_USER\\unclosed\r\n"
	rf, err := ParseReg("x.reg", strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, e := range rf.Errors {
		if !strings.HasPrefix(e.Error(), "x.reg:") {
			t.Errorf("error %q does not name the file", e)
		}
		lines = append(lines, e.Line)
	}
	if len(lines) != 4 || lines[0] != 5 || lines[1] != 6 || lines[2] != 7 || lines[3] != 8 {
		t.Errorf("error lines = %v, want [5 6 7 8]: %v", lines, rf.Errors)
	}
	// The bad PId does not lose the partnership: it keeps its key as id.
	devs := PartnershipsFromReg(rf)
	if len(devs) != 1 || devs[0].ID != "activesync:P1" || devs[0].Name != "ok" {
		t.Errorf("devices = %+v", devs)
	}
	if _, err := ParseReg("y.reg", strings.NewReader("hello\n"), nil); err == nil || !strings.Contains(err.Error(), "y.reg:1") {
		t.Errorf("a non-registry file must be refused naming its line: %v", err)
	}
}

func FuzzParseReg(f *testing.F) {
	for _, s := range []string{
		"Windows Registry Editor Version 5.00\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows CE Services\\Partners\\P1]\r\n\"DisplayName\"=\"a\"\r\n\"PId\"=dword:00000001\r\n",
		"REGEDIT4\n[HKCU\\x]\n@=hex(7):41,00,00,\\\n  00\n\"q\"=hex(b):01,02,03,04,05,06,07,08\n\"d\"=-\n",
		"\xff\xfeW\x00i\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rf, err := ParseReg("fuzz.reg", bytes.NewReader(data), nil)
		if err != nil {
			return
		}
		for _, d := range PartnershipsFromReg(rf) {
			if !strings.HasPrefix(d.ID, "activesync:") {
				t.Fatalf("partnership id %q", d.ID)
			}
		}
		for _, e := range rf.Errors {
			if e.Line < 1 {
				t.Fatalf("error without a line: %v", e)
			}
		}
	})
}
