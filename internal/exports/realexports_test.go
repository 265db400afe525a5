package exports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/testkit"
)

// realExportsDir is ../shared/testdata/real-exports beside the project: a test over it
// skips where it is absent and fails in CI (testkit.RealExports).
func realExportsDir(tb testing.TB) string { tb.Helper(); return testkit.RealExports(tb) }

// realExports lists the real export files with the given ending; none is a failure.
func realExports(tb testing.TB, ext string) []string {
	tb.Helper()
	return testkit.RealExportFiles(tb, ext)
}

// TestRealExportsEveryFile: every file yields contacts or errors that name it and a line.
func TestRealExportsEveryFile(t *testing.T) {
	t.Parallel()
	dir := realExportsDir(t)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if ext != ".vcf" && ext != ".csv" {
			continue
		}
		n++
		p := filepath.Join(dir, e.Name())
		cs, errs, sum := ReadFile(p)
		if len(cs) == 0 && len(errs) == 0 {
			t.Errorf("%s: no contacts and no error", e.Name())
		}
		for _, fe := range errs {
			if fe.File != p || fe.Line < 1 || fe.Message == "" {
				t.Errorf("%s: error without file and line: %+v", e.Name(), fe)
			}
		}
		for _, c := range cs {
			if c.Source.File != p || c.Source.Line < 1 {
				t.Errorf("%s: contact %q without source line", e.Name(), c.DisplayName())
			}
			if strings.ContainsRune(c.DisplayName(), '\uFFFD') {
				t.Errorf("%s: %q has undecodable characters", e.Name(), c.DisplayName())
			}
		}
		if sum.Unreadable && len(cs) > 0 {
			t.Errorf("%s: contacts read but marked unreadable", e.Name())
		}
	}
	if n < 70 {
		t.Errorf("only %d export files found", n)
	}
}

func readReal(t *testing.T, name string) ([]*contacts.Contact, []FileError) {
	t.Helper()
	cs, errs, _ := ReadFile(filepath.Join(realExportsDir(t), name))
	return cs, errs
}

type phone struct{ value, types string }

func phonesOf(c *contacts.Contact) []phone {
	var out []phone
	for _, p := range c.Phones {
		out = append(out, phone{p.Value, strings.Join(p.Types, ",")})
	}
	return out
}

func emailsOf(c *contacts.Contact) []string {
	var out []string
	for _, e := range c.Emails {
		out = append(out, e.Value)
	}
	return out
}

func eq[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRealExportsOutlookVCards(t *testing.T) {
	t.Parallel()
	cs, errs := readReal(t, "thoughtvcards__outlook2007.vcf")
	if len(cs) != 1 || len(errs) != 0 {
		t.Fatalf("outlook2007: %d contacts, %v", len(cs), errs)
	}
	c := cs[0]
	if c.Name != "Mr. David John Pinch" || c.StructuredName != (contacts.Name{Family: "Pinch", Given: "David", Additional: "John", Prefix: "Mr."}) {
		t.Errorf("name = %q %+v", c.Name, c.StructuredName)
	}
	wantPhones := []phone{{"800-929-5805", "work,voice"}, {"612-269-6017", "home,voice"}, {"612-269-6017", "cell,voice"}}
	if !eq(phonesOf(c), wantPhones) {
		t.Errorf("phones = %v, want %v", phonesOf(c), wantPhones)
	}
	if !eq(emailsOf(c), []string{"dave@thoughtproject.com"}) || c.Organization != "Thought Project" || c.Note != "Generated with Outlook 2007." {
		t.Errorf("emails %v org %q note %q", emailsOf(c), c.Organization, c.Note)
	}
	var photo, key bool
	for _, f := range c.Other {
		photo = photo || f.Name == "PHOTO" && len(f.Value) > 1000
		key = key || f.Name == "KEY" && len(f.Value) > 500
	}
	if !photo || !key {
		t.Errorf("the photo (%v) and certificate (%v) must be kept, not dropped", photo, key)
	}
	// The QP LABEL with a soft break is attached to the home address, whole.
	home := false
	for _, a := range c.Addresses {
		home = home || a.City == "Minneapolis" && a.Label == "3247 Upton Avenue N,\nMinneapolis, MN 55412"
	}
	if !home {
		t.Errorf("addresses = %+v", c.Addresses)
	}

	cs, _ = readReal(t, "ical4j__antoni_outlook2003.vcf")
	if len(cs) != 1 || cs[0].StructuredName.Prefix != "Herr" || cs[0].Note != "These are some notes about antoni.\n" {
		t.Errorf("outlook2003 = %+v", cs)
	}

	// Android's Outlook-like card: TEL;WORK;VOICE and a QP NOTE spread over lines.
	cs, _ = readReal(t, "aosp__v21_complicated.vcf")
	c = cs[0]
	if p := phonesOf(c); len(p) < 2 || p[0] != (phone{"(111) 555-1212", "work,voice"}) || p[1] != (phone{"(404) 555-1212", "home,voice"}) {
		t.Errorf("phones = %v", p)
	}
	want := "The following note is the example from RFC 2045.\nNow's the time for all folk to come to the aid of their country."
	if c.Note != want {
		t.Errorf("note = %q\nwant %q", c.Note, want)
	}
	// ORG:Gump Shrimp Co.;Sales Dept.\;Manager;Fish keeper: an escaped ";" stays in the part.
	if c.Organization != "Gump Shrimp Co." || c.Department != "Sales Dept.;Manager, Fish keeper" {
		t.Errorf("org %q dept %q", c.Organization, c.Department)
	}
}

func TestRealExportsPhonesAndEncodings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file   string
		name   string
		emails []string
		phones []phone
		note   string
	}{
		{"aosp__v30_ios_613_multiline.vcf", "Bob Smith", []string{"bob@smithauto.com"}, []phone{{"(650) 555-1212", "cell,voice,pref"}}, ""},
		{"roundcube__utf16_apple.vcf", "Ǽgean ĽdaMonté", nil, nil, ""},
		{"roundcube__johndoe_win1252.vcf", "John Doë", []string{"inbox@roundcube.net", "roundcube@gmail.com"}, []phone{{"+123456789", "work"}, {"+987654321", "cell"}}, "The notes..."},
		{"aosp__v21_japanese_1.vcf", "安藤ロイド", nil, []phone{{"0300000000", "pref,voice"}}, ""},
		{"aosp__v21_japanese_2.vcf", "安藤 ロイド 1", nil, nil, "メモ"},
		{"aosp__v21_invalid_comment_line.vcf", "Conference Call", nil, nil, "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."},
		{"aosp__v21_invalid_multiple_line.vcf", "Omega", []string{`"Omega" <omega@example.com>`}, nil, ""},
		{"eds__vcard13_evil_folding.vcf", "Ralf Engels", []string{"Frank_Dawson@Lotus.com", "semicolon;@points.net"}, []phone{{"+1-919-676-9515", "voice,msg,work"}, {"+1-919-676-9564", "fax,work"}}, ""},
		{"thunderbird__export_v4.vcf", "contact number one", []string{"contact1@invalid"}, nil, ""},
		{"kcontacts__vcard_macos_10_11_6.vcf", "Name of Broken Card", nil, []phone{{"(111) 111-1111", "pref,voice,work"}}, "SOME NOTES"},
	}
	for _, tc := range cases {
		cs, errs := readReal(t, tc.file)
		if len(cs) == 0 {
			t.Errorf("%s: no contacts (%v)", tc.file, errs)
			continue
		}
		c := cs[0]
		if c.DisplayName() != tc.name {
			t.Errorf("%s: name %q, want %q", tc.file, c.DisplayName(), tc.name)
		}
		if tc.emails != nil && !eq(emailsOf(c), tc.emails) {
			t.Errorf("%s: emails %v, want %v", tc.file, emailsOf(c), tc.emails)
		}
		if tc.phones != nil && !eq(phonesOf(c), tc.phones) {
			t.Errorf("%s: phones %v, want %v", tc.file, phonesOf(c), tc.phones)
		}
		if tc.note != "" && c.Note != tc.note {
			t.Errorf("%s: note %q, want %q", tc.file, c.Note, tc.note)
		}
	}

	cs, _ := readReal(t, "ical4j__sap_macaddressbook.vcf")
	if len(cs) != 30 || !eq(cs[0].Categories, []string{"Demo", "Nepomuk(SAP)"}) {
		t.Errorf("mac address book: %d contacts, categories %v", len(cs), cs[0].Categories)
	}
	cs, _ = readReal(t, "aosp__v21_nest.vcf")
	if len(cs) != 3 {
		t.Errorf("nested cards: %d contacts, want parent and two nested", len(cs))
	}
	cs, _ = readReal(t, "aosp__v21_adr_multiple_line.vcf")
	if len(cs[0].Addresses) != 2 || cs[0].Addresses[1].Street != "Hermann v. Brevern\n9999999\nPackstation 999" {
		t.Errorf("backslash-continued address = %+v", cs[0].Addresses)
	}
}
