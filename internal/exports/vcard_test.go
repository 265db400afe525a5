package exports

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit"
)

func readOne(t *testing.T, text string) (*contacts.Contact, []FileError) {
	t.Helper()
	cs, errs, _ := ReadBytes("test.vcf", []byte(text))
	if len(cs) != 1 {
		t.Fatalf("%d contacts from\n%s\nerrors: %v", len(cs), text, errs)
	}
	return cs[0], errs
}

func TestVCardNormalizer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		input string
		check func(t *testing.T, c *contacts.Contact)
	}{
		{"bare TYPE parameters keep the number and its types", "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nTEL;WORK;VOICE:(111) 555-1111\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if len(c.Phones) != 1 || c.Phones[0].Value != "(111) 555-1111" || strings.Join(c.Phones[0].Types, ",") != "work,voice" {
					t.Errorf("phones = %+v", c.Phones)
				}
			}},
		{"QP soft break inside a multi-byte character", "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=\r\n=BCller;J=C3=BCrgen\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.StructuredName.Family != "Müller" || c.StructuredName.Given != "Jürgen" {
					t.Errorf("name = %+v", c.StructuredName)
				}
			}},
		{"QP soft break inside an =XX escape", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=A\r\n9e Roe\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "Renée Roe" {
					t.Errorf("name = %q", c.Name)
				}
			}},
		{"QP note over several lines keeps its line breaks", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nNOTE;ENCODING=QUOTED-PRINTABLE:First line=0D=0ASecond =\r\nline=0D=0A=0D=0AFourth line\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Note != "First line\nSecond line\n\nFourth line" {
					t.Errorf("note = %q", c.Note)
				}
			}},
		{"bare QUOTED-PRINTABLE and Windows-1252", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;QUOTED-PRINTABLE;CHARSET=WINDOWS-1252:Fran=E7ois =80\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "François €" {
					t.Errorf("name = %q", c.Name)
				}
			}},
		{"ISO-8859-2 charset", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:=A3ukasz\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "Łukasz" {
					t.Errorf("name = %q", c.Name)
				}
			}},
		{"base64 folded with odd indents then a blank line", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Pic\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\n   SkZJRgAB\r\n\tAQEASABI\r\nAAD/2wBD\r\n\r\nTEL:1234\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if len(c.Other) != 1 || c.Other[0].Value != "/9j/4AAQSkZJRgABAQEASABIAAD/2wBD" {
					t.Errorf("photo = %+v", c.Other)
				}
				if len(c.Phones) != 1 || c.Phones[0].Value != "1234" {
					t.Errorf("the property after the photo was lost: %+v", c.Phones)
				}
			}},
		{"CR CR LF line endings", "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nN:Smith;Bob;;;\r\r\nEMAIL;type=INTERNET:bob@x.com\r\r\nEND:VCARD\r\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.StructuredName.Given != "Bob" || c.Emails[0].Value != "bob@x.com" {
					t.Errorf("contact = %+v", c)
				}
			}},
		{"a BOM", "\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bom\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "Bom" {
					t.Errorf("name = %q", c.Name)
				}
			}},
		{"escapes in 3.0: \\; \\, \\n \\\\", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nADR;TYPE=WORK:;;1 Main St\\; Suite 2;Springfield;;;\r\nCATEGORIES:Clients\\, Inc,VIP\r\nNOTE:a\\nb\\\\c\\,d\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Addresses[0].Street != "1 Main St; Suite 2" || c.Addresses[0].City != "Springfield" {
					t.Errorf("address = %+v", c.Addresses[0])
				}
				if strings.Join(c.Categories, "|") != "Clients, Inc|VIP" {
					t.Errorf("categories = %q", c.Categories)
				}
				if c.Note != "a\nb\\c,d" {
					t.Errorf("note = %q", c.Note)
				}
			}},
		{"folding inside parameters", "BEGIN:VCARD\nVERSION:3.0\nFN:X\nTEL;TYPE=VOICE,M\n\tSG,WORK:+1-919-676-9515\nEND:VCARD\n",
			func(t *testing.T, c *contacts.Contact) {
				if len(c.Phones) != 1 || strings.Join(c.Phones[0].Types, ",") != "voice,msg,work" {
					t.Errorf("phones = %+v", c.Phones)
				}
			}},
		{"vCard 4.0 tel URI, PREF and ANNIVERSARY", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Four\r\nTEL;VALUE=uri;TYPE=cell;PREF=1:tel:+1-555-555-0100\r\nANNIVERSARY:20090808T1430-0500\r\nBDAY:--0415\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Phones[0].Value != "+1-555-555-0100" || strings.Join(c.Phones[0].Types, ",") != "cell,pref" {
					t.Errorf("phones = %+v", c.Phones)
				}
				if c.Anniversary != "2009-08-08" || c.Birthday != "--04-15" {
					t.Errorf("dates = %q %q", c.Anniversary, c.Birthday)
				}
			}},
		{"unknown properties are kept", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:K\r\nitem1.X-CUSTOM;TYPE=pref:kept value\r\nIMPP:xmpp:k@example.com\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if len(c.Other) != 2 || c.Other[0].Name != "item1.X-CUSTOM" || c.Other[0].Value != "kept value" || c.Other[1].Name != "IMPP" {
					t.Errorf("other = %+v", c.Other)
				}
			}},
		{"iOS item labels become types", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:I\r\nitem1.EMAIL;type=INTERNET:i@x.com\r\nitem1.X-ABLabel:_$!<Other>!$_\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if strings.Join(c.Emails[0].Types, ",") != "internet,other" {
					t.Errorf("types = %v", c.Emails[0].Types)
				}
			}},
		{"a QP soft break right before END:VCARD does not swallow the card", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nNOTE;ENCODING=QUOTED-PRINTABLE:cut=\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Note != "cut" {
					t.Errorf("note = %q", c.Note)
				}
			}},
		{"Shift_JIS by CHARSET", "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:\x88\xc0\x93\xa1;\x83\x8d\x83\x43\x83\x68\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.StructuredName.Family != "安藤" || c.StructuredName.Given != "ロイド" || c.Name != "ロイド 安藤" {
					t.Errorf("name = %q %+v", c.Name, c.StructuredName)
				}
			}},
		{"Windows-1252 bytes without CHARSET", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jos\xe9 M\xfcller\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "José Müller" {
					t.Errorf("name = %q", c.Name)
				}
			}},
		{"a 3.0 fold inside a UTF-8 character", "BEGIN:VCARD\nVERSION:3.0\nFN:M\xc3\n \xbcller\nEND:VCARD\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "Müller" {
					t.Errorf("name = %q", c.Name)
				}
			}},
		{"classic Mac CR line endings and lower-case names", "begin:vcard\rversion:3.0\rfn:Mac\rtel;type=work:1\rend:vcard\r",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "Mac" || len(c.Phones) != 1 || c.Phones[0].Types[0] != "work" {
					t.Errorf("contact = %+v", c)
				}
			}},
		{"base64 ends at the next property even without a blank line", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:P\r\nPHOTO;BASE64:\r\n    AAAA\r\n    BBBB\r\nEMAIL:p@x.com\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if len(c.Other) != 1 || c.Other[0].Value != "AAAABBBB" || len(c.Emails) != 1 {
					t.Errorf("other %+v emails %+v", c.Other, c.Emails)
				}
			}},
		{"vCard 2.1 values keep their backslashes", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nNOTE:see C:\\new\\notes, page 2\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Note != `see C:\new\notes, page 2` {
					t.Errorf("note = %q", c.Note)
				}
			}},
		{"quoted TYPE values lose their quotes", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Q\r\nTEL;TYPE=\"voice,home\":+1 555\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if strings.Join(c.Phones[0].Types, ",") != "voice,home" {
					t.Errorf("types = %q", c.Phones[0].Types)
				}
			}},
		{"a second FN, N, TITLE and BDAY are kept, not dropped", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:First\r\nFN:Second\r\nN:Doe;Jo;;;\r\nN:Roe;Jo;;;\r\nTITLE:A\r\nTITLE:B\r\nBDAY:1970-01-02\r\nBDAY:19700102\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Name != "First" || c.StructuredName.Family != "Doe" || c.Title != "A" || c.Birthday != "1970-01-02" {
					t.Errorf("contact = %+v", c)
				}
				var got []string
				for _, f := range c.Other {
					got = append(got, f.Name+"="+f.Value)
				}
				// The second BDAY is the same date written differently: nothing to keep.
				if strings.Join(got, "|") != "FN=Second|N=Roe;Jo;;;|TITLE=B" {
					t.Errorf("other = %q", got)
				}
			}},
		{"Apple labels: an anniversary date, a label without a slot kept", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:L\r\nitem1.X-ABDATE;type=pref:2004-06-12\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\nitem2.X-ABRELATEDNAMES:Jane\r\nitem2.X-ABLabel:_$!<Spouse>!$_\r\nitem3.TEL:555\r\nitem3.X-ABLabel:Work Cell\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Anniversary != "2004-06-12" {
					t.Errorf("anniversary = %q", c.Anniversary)
				}
				if len(c.Phones) != 1 || strings.Join(c.Phones[0].Types, ",") != "work cell" {
					t.Errorf("phones = %+v", c.Phones)
				}
				if len(c.Other) != 2 || c.Other[0].Name != "item2.X-ABRELATEDNAMES" || c.Other[1].Name != "item2.X-ABLABEL" || c.Other[1].Value != "_$!<Spouse>!$_" {
					t.Errorf("other = %+v", c.Other)
				}
			}},
		{"Outlook's X-MS-ANNIVERSARY and unknown values with parameters", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:O\r\nX-MS-ANNIVERSARY:20010203\r\nX-MS-IMADDRESS;WORK;X-SERVICE=\"a;b\":o@im\r\nEND:VCARD\r\n",
			func(t *testing.T, c *contacts.Contact) {
				if c.Anniversary != "2001-02-03" {
					t.Errorf("anniversary = %q", c.Anniversary)
				}
				if len(c.Other) != 1 || c.Other[0].Params != `TYPE=work;X-SERVICE="a;b"` || c.Other[0].Value != "o@im" {
					t.Errorf("other = %+v", c.Other)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, errs := readOne(t, tc.input)
			if len(errs) > 0 {
				t.Errorf("unexpected errors: %v", errs)
			}
			tc.check(t, c)
		})
	}
}

func TestVCardMalformedGivesErrorsNotCrashes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, input string
		contacts    int
		errLine     int
		errWord     string
	}{
		{"no END", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Half\r\nTEL:1\r\n", 1, 4, "END:VCARD"},
		{"truncated mid-line", "BEGIN:VCARD\nVERSION:3.0\nFN:Cut\nE", 1, 4, "not a vCard property"},
		{"no BEGIN", "VERSION:3.0\nFN:Nobegin\nEND:VCARD\n", 1, 1, "BEGIN:VCARD"},
		{"END without BEGIN", "BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n", 1, 4, "without a BEGIN"},
		{"a line with no colon", "BEGIN:VCARD\nFN:A\nthis is junk\nEND:VCARD\n", 1, 3, "not a vCard property"},
		{"broken base64", "BEGIN:VCARD\nVERSION:2.1\nFN:P\nPHOTO;ENCODING=BASE64:ASD!F==\n\nEND:VCARD\n", 1, 4, "base64"},
		{"unknown charset", "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=KLINGON:x\nEND:VCARD\n", 1, 3, "KLINGON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, errs, _ := ReadBytes("bad.vcf", []byte(tc.input))
			if len(cs) != tc.contacts {
				t.Errorf("%d contacts, want %d", len(cs), tc.contacts)
			}
			found := false
			for _, e := range errs {
				if e.File == "bad.vcf" && e.Line == tc.errLine && strings.Contains(e.Message, tc.errWord) {
					found = true
				}
			}
			if !found {
				t.Errorf("errors %v; want one at line %d mentioning %q", errs, tc.errLine, tc.errWord)
			}
		})
	}
}

func TestVCardGarbageAndHugeInputsEnd(t *testing.T) {
	t.Parallel()
	// Binary garbage: an error naming the file, no contacts, no hang.
	garbage := bytes.Repeat([]byte{0x00, 0xFF, 0x13, 0x37, 0xC3, 0x28}, 100000)
	cs, errs, sum := ReadBytes("garbage.vcf", garbage)
	if len(cs) != 0 || len(errs) == 0 || !sum.Unreadable {
		t.Errorf("garbage: %d contacts, %d errors, unreadable=%v", len(cs), len(errs), sum.Unreadable)
	}
	// Garbage with a card header: bounded errors, no hang.
	junk := append([]byte("BEGIN:VCARD\n"), bytes.Repeat([]byte("no colon here\n"), 200000)...)
	_, errs, _ = ReadBytes("junk.vcf", junk)
	if len(errs) == 0 || len(errs) > 101 {
		t.Errorf("junk: %d errors; want some, and at most about 100", len(errs))
	}
	// A large export of real-looking cards (8 MB, some 20,000 cards) reads completely; the
	// bad-input suite of make reliability reads a 200 MB one.
	var buf bytes.Buffer
	book := gen.Book(5, 2000)
	for buf.Len() < 8<<20 {
		for _, c := range book {
			gen.WriteVCard21(&buf, c, gen.VCardOptions{Categories: true})
		}
	}
	want := bytes.Count(buf.Bytes(), []byte("BEGIN:VCARD"))
	cs, errs, _ = ReadBytes("big.vcf", buf.Bytes())
	if len(cs) != want || len(errs) != 0 {
		t.Errorf("8 MB file: %d contacts of %d, %d errors", len(cs), want, len(errs))
	}
}

func TestVCardReadsWhatTheGeneratorWrites(t *testing.T) {
	t.Parallel()
	book := gen.Book(21, 300)
	var buf bytes.Buffer
	for _, c := range book {
		if err := gen.WriteVCard21(&buf, c, gen.VCardOptions{Categories: true}); err != nil {
			t.Fatal(err)
		}
	}
	cs, errs, _ := ReadBytes("outlook.vcf", buf.Bytes())
	if len(errs) > 0 || len(cs) != len(book) {
		t.Fatalf("%d contacts, errors %v", len(cs), errs)
	}
	for i := range book {
		want := book[i].Clone()
		want.Mileage = "" // Outlook's vCards carry no Mileage
		if cs[i].Fingerprint("") != want.Fingerprint("") {
			t.Errorf("contact %d: read %+v\nwant %+v", i, cs[i], want)
			break
		}
	}
}

func TestWriteVCardsRoundTrips(t *testing.T) {
	t.Parallel()
	book := gen.Book(33, 300)
	book[0].Categories = []string{"Clients, Inc", "VIP"}
	book[0].Note = "Line 1\nLine 2; with a semicolon, and a comma \\ and a backslash"
	book[0].StructuredName.Family = "Doe; Jr"
	book[0].Other = []contacts.Field{{Name: "X-CUSTOM", Value: "kept"}}
	var buf bytes.Buffer
	if err := WriteVCards(&buf, book); err != nil {
		t.Fatal(err)
	}
	cs, errs, _ := ReadBytes("restore.vcf", buf.Bytes())
	if len(errs) > 0 || len(cs) != len(book) {
		t.Fatalf("%d contacts, errors %v", len(cs), errs)
	}
	for i := range book {
		if cs[i].Fingerprint("") != book[i].Fingerprint("") {
			t.Fatalf("contact %d changed in the round trip:\n got %+v\nwant %+v", i, cs[i], book[i])
		}
	}
	if len(cs[0].Other) != 1 || cs[0].Other[0].Value != "kept" {
		t.Errorf("other = %+v", cs[0].Other)
	}
	for _, l := range strings.Split(buf.String(), "\r\n") {
		if len(l) > 75 {
			t.Fatalf("line longer than 75 octets: %q", l)
		}
	}

	dir := filepath.Join(t.TempDir(), "restore")
	if err := WriteVCardFolder(dir, book[:20]); err != nil {
		t.Fatal(err)
	}
	loc, res, err := Read(dir)
	if err != nil || loc.Kind != KindContactDir || len(res.Contacts) != 20 {
		t.Fatalf("folder restore read back as %s with %d contacts (%v)", loc.Kind, len(res.Contacts), err)
	}
	datadir.ExpectPrivate(t, filepath.Join(dir, safeFileName(book[1].DisplayName())+".vcf"))
}

// FuzzReadVCard: no input crashes or hangs the reader, every error names the file and a
// line, every contact its source, and the input bytes are never written to (values alias
// them until a continuation line extends one).
func FuzzReadVCard(f *testing.F) {
	for _, b := range testkit.RealExportSeeds(f, ".vcf") {
		f.Add(b)
	}
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=0D=0A=\r\n\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCARD\nTEL;TYPE=\"a,b:c\";X\n\t=Y:1\nEND:VCARD\n"))
	f.Add([]byte("BEGIN:VCARD\nADR:;;a\\\nb;c\nPHOTO;BASE64:AAAA\nBBBB\nBEGIN:VCARD\nN:x\nEND:VCARD\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		cs, errs, _ := ReadBytes("fuzz.vcf", data)
		if !bytes.Equal(data, orig) {
			t.Fatal("the reader wrote into its input")
		}
		for _, e := range errs {
			if e.File != "fuzz.vcf" || e.Line < 0 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
		for _, c := range cs {
			if c.Source.File != "fuzz.vcf" || c.Source.Line < 1 {
				t.Fatalf("contact without source: %+v", c.Source)
			}
		}
	})
}
