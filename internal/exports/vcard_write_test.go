package exports

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
)

// TestWriteVCardsKeepsOtherExactly: a restore written as vCard reads back with the same
// Other fields, so history sees the restored contacts as the versions they were, not as
// edits (history's version id covers Other).
func TestWriteVCardsKeepsOtherExactly(t *testing.T) {
	t.Parallel()
	c := &contacts.Contact{
		Name:           "Other Keeper",
		StructuredName: contacts.Name{Family: "Keeper", Given: "Other"},
		Phones:         []contacts.Value{{Value: "555 0100", Types: []string{"work cell", "pref"}}},
		Other: []contacts.Field{
			{Name: "PHOTO", Params: "TYPE=jpeg;ENCODING=b", Value: "/9j/4AAQSkZJRgABAQ=="},
			{Name: "X-ANDROID-CUSTOM", Value: "vnd.android.cursor.item/contact_event;1999-07-10;1;;;"},
			{Name: "X-ABUID", Value: `DC88726E:ABPerson`},
			{Name: "X-PATH", Params: "CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE", Value: "C:\\new\\notes\nline two, with a comma"},
			{Name: "item2.X-ABLABEL", Value: "_$!<Spouse>!$_"},
			{Name: "X-MS-IMADDRESS", Params: `TYPE=work;X-SERVICE="a;b"`, Value: "o@im"},
			{Name: "Assistant's Name", Value: "Jane Roe"}, // an Outlook CSV column
			{Name: "Spouse", Value: "John Roe"},           // a CSV column that looks like a property name
			{Name: "BDAY", Value: "1970-01-02"},           // a second birthday kept by the reader
			{Name: "TEL", Value: "not a phone of this contact"},
		},
	}
	var buf bytes.Buffer
	if err := WriteVCards(&buf, []*contacts.Contact{c}); err != nil {
		t.Fatal(err)
	}
	cs, errs, _ := ReadBytes("restore.vcf", buf.Bytes())
	if len(cs) != 1 || len(errs) != 0 {
		t.Fatalf("%d contacts, %v\n%s", len(cs), errs, buf.String())
	}
	got := cs[0]
	if got.Fingerprint("") != c.Fingerprint("") {
		t.Errorf("fingerprint changed: %+v", got)
	}
	if len(got.Phones) != 1 || strings.Join(got.Phones[0].Types, ",") != "work cell,pref" {
		t.Errorf("phone types = %+v", got.Phones)
	}
	if len(got.Other) != len(c.Other) {
		t.Fatalf("other = %+v\n%s", got.Other, buf.String())
	}
	for i, want := range c.Other {
		if got.Other[i].Name != want.Name || got.Other[i].Value != want.Value {
			t.Errorf("other %d = %+v, want %+v", i, got.Other[i], want)
		}
	}
	if p := got.Other[0].Params; p != "TYPE=jpeg;ENCODING=b" {
		t.Errorf("photo params = %q", p)
	}
	if p := got.Other[5].Params; p != `TYPE=work;X-SERVICE="a;b"` {
		t.Errorf("IM params = %q", p)
	}
	// Twice round: the text does not grow (no escape is doubled).
	var again bytes.Buffer
	if err := WriteVCards(&again, cs); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Errorf("second write differs:\n%s\nfirst:\n%s", again.String(), buf.String())
	}
}

// TestWriteVCardsCompanyCard: a card with no name keeps no name, so the restore does not
// look like an edit of every company card.
func TestWriteVCardsCompanyCard(t *testing.T) {
	t.Parallel()
	c := &contacts.Contact{Organization: "Acme, Inc.; Legal", Department: "IP", Categories: []string{"Vendors"}}
	var buf bytes.Buffer
	if err := WriteVCards(&buf, []*contacts.Contact{c}); err != nil {
		t.Fatal(err)
	}
	cs, _, _ := ReadBytes("co.vcf", buf.Bytes())
	if len(cs) != 1 || cs[0].Name != "" || cs[0].Organization != c.Organization || cs[0].Department != "IP" || cs[0].Fingerprint("") != c.Fingerprint("") {
		t.Errorf("company card read back as %+v\n%s", cs, buf.String())
	}
}

func TestWriteVCardFolderNamesFilesSafelyAndUniquely(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "restore")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A file already there is never overwritten.
	if err := os.WriteFile(filepath.Join(dir, "Ann Lee.vcf"), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	named := func(n string) *contacts.Contact {
		return &contacts.Contact{Name: n, Emails: []contacts.Value{{Value: "x@y.z"}}}
	}
	cs := []*contacts.Contact{named("Ann Lee"), named("ann lee"), named("Ann Lee (2)"), named("CON"), named("a/b:c*?"),
		named("..."), named(strings.Repeat("é", 80))}
	if err := WriteVCardFolder(dir, cs); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
		if e.Name() != "Ann Lee.vcf" {
			datadir.ExpectPrivate(t, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(names)
	want := []string{"Ann Lee (2) (2).vcf", "Ann Lee (2).vcf", "Ann Lee.vcf", "_CON.vcf", "a_b_c__.vcf", "ann lee (3).vcf", "contact.vcf", strings.Repeat("é", 50) + ".vcf"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("files %q\nwant  %q", names, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "Ann Lee.vcf")); string(b) != "keep me" {
		t.Error("an existing file was overwritten")
	}
	res := ReadFiles(func() []string {
		var ps []string
		for _, n := range names {
			if n != "Ann Lee.vcf" {
				ps = append(ps, filepath.Join(dir, n))
			}
		}
		return ps
	}())
	if len(res.Contacts) != len(cs) || len(res.Errors) != 0 {
		t.Errorf("read back %d contacts, %v", len(res.Contacts), res.Errors)
	}
}

func TestNormalizeDate(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"19700517", "1970-05-17"},
		{"1970-05-17", "1970-05-17"},
		{" 1970-05-17T00:00:00Z ", "1970-05-17"},
		{"20090808T1430-0500", "2009-08-08"},
		{"--0517", "--05-17"},
		{"--05-17", "--05-17"},
		{"19701317", "19701317"},   // no 13th month: kept as written
		{"1970-0517", "1970-0517"}, // half-separated: kept
		{"May 17, 1970", "May 17, 1970"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := normalizeDate(tc.in); got != tc.want {
			t.Errorf("normalizeDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestReadVCardLeavesInputAlone: values alias the file's bytes until a fold, a soft break
// or a backslash continuation extends them; extending must copy, never write into the file.
func TestReadVCardLeavesInputAlone(t *testing.T) {
	t.Parallel()
	in := []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;QUOTED-PRINTABLE:a=\r\nb=0D=0A=\r\nc\r\nADR;HOME:;;Street\\\r\n2;City\r\nX-A:x\r\n y\r\nPHOTO;BASE64:AAAA\r\nBBBB\r\n\r\nEND:VCARD\r\n")
	orig := bytes.Clone(in)
	cs, errs, _ := ReadBytes("alias.vcf", in)
	if !bytes.Equal(in, orig) {
		t.Fatalf("input changed:\n%q\n%q", in, orig)
	}
	if len(cs) != 1 || len(errs) != 0 || cs[0].Note != "ab\nc" || cs[0].Addresses[0].Street != "Street\n2" {
		t.Errorf("contacts %+v errors %v", cs, errs)
	}
	if len(cs[0].Other) != 2 || cs[0].Other[0].Value != "xy" || cs[0].Other[1].Value != "AAAABBBB" {
		t.Errorf("other = %+v", cs[0].Other)
	}
}

// TestReadVCardUTF16IgnoresCharset: a UTF-16 file is Unicode already; a CHARSET parameter
// left over from the program that wrote it must not decode it a second time.
func TestReadVCardUTF16IgnoresCharset(t *testing.T) {
	t.Parallel()
	text := "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=Windows-1252:Zoë Ærø\r\nEND:VCARD\r\n"
	var le []byte
	le = append(le, 0xFF, 0xFE)
	for _, r := range text {
		le = append(le, byte(r), byte(r>>8))
	}
	cs, errs, sum := ReadBytes("utf16.vcf", le)
	if len(cs) != 1 || len(errs) != 0 || cs[0].Name != "Zoë Ærø" || sum.Encoding != "utf-16le" {
		t.Errorf("contacts %+v errors %v encoding %q", cs, errs, sum.Encoding)
	}
}

// TestReadVCardErrorsAreBounded: a file of junk says so in a bounded number of errors,
// the last of which counts the rest.
func TestReadVCardErrorsAreBounded(t *testing.T) {
	t.Parallel()
	junk := append([]byte("BEGIN:VCARD\nFN:Real\n"), bytes.Repeat([]byte("junk junk\n"), 1000)...)
	junk = append(junk, "END:VCARD\n"...)
	cs, errs, _ := ReadBytes("junk.vcf", junk)
	if len(cs) != 1 || len(errs) != maxVCardErrors+1 {
		t.Fatalf("%d contacts, %d errors", len(cs), len(errs))
	}
	last := errs[len(errs)-1]
	if last.Line != 1003 || !strings.Contains(last.Message, "900 more problems") {
		t.Errorf("last error = %v", last)
	}
}
