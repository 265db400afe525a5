package exports

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

// TestRealVCardsEveryFile walks every .vcf of the real exports: each gives contacts, or
// errors naming the file and a line, never both nothing; every contact starts on the line
// of a BEGIN:VCARD (the files without one are named); every base64 photo or key kept in
// Other still decodes, so nothing was cut from it.
func TestRealVCardsEveryFile(t *testing.T) {
	t.Parallel()
	files := realExports(t, ".vcf")
	if len(files) < 55 {
		t.Fatalf("only %d .vcf files in the real exports", len(files))
	}
	noBegin := map[string]bool{"eds__vcard7_no_begin.vcf": true}
	badBase64 := map[string]bool{"aosp__v21_malformed_photo.vcf": true}
	for _, p := range files {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			orig := bytes.Clone(data)
			cs, errs, sum := ReadBytes(p, data)
			if !bytes.Equal(data, orig) {
				t.Fatal("the reader wrote into the file's bytes")
			}
			if sum.Format != FormatVCard {
				t.Fatalf("read as %s", sum.Format)
			}
			if len(cs) == 0 && len(errs) == 0 {
				t.Fatal("no contacts and no error")
			}
			for _, e := range errs {
				if e.File != p || e.Line < 1 || !strings.Contains(e.Error(), name) {
					t.Errorf("error without file and line: %+v", e)
				}
			}
			text, _, _ := decodeUnicode(data)
			lines := bytes.Split(text, []byte("\n"))
			for _, c := range cs {
				if c.Source.File != p || c.Source.Line < 1 || c.Source.Line > len(lines) {
					t.Fatalf("contact %q has source %+v", c.DisplayName(), c.Source)
				}
				if !strings.HasPrefix(c.Source.Format, "vcard-") {
					t.Errorf("contact %q has format %q", c.DisplayName(), c.Source.Format)
				}
				begin := bytes.EqualFold(bytes.TrimSpace(lines[c.Source.Line-1]), []byte("BEGIN:VCARD"))
				if begin == noBegin[name] {
					t.Errorf("contact %q starts on line %d: %q", c.DisplayName(), c.Source.Line, lines[c.Source.Line-1])
				}
				for _, f := range c.Other {
					if !strings.Contains(strings.ToUpper(f.Params), "ENCODING=B") || badBase64[name] {
						continue
					}
					if _, err := base64.StdEncoding.DecodeString(f.Value); err != nil {
						t.Errorf("contact %q: %s does not decode (%v): the reader lost part of it", c.DisplayName(), f.Name, err)
					}
				}
			}
		})
	}
}

func otherNamed(c *contacts.Contact, name string) []contacts.Field {
	var out []contacts.Field
	for _, f := range c.Other {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}

func namesOf(cs []*contacts.Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.DisplayName())
	}
	return out
}

func TestRealVCardsOutlook(t *testing.T) {
	t.Parallel()
	cs, errs := readReal(t, "thoughtvcards__outlook_simple.vcf")
	if len(cs) != 1 || len(errs) != 0 {
		t.Fatalf("%d contacts, %v", len(cs), errs)
	}
	c := cs[0]
	if c.Name != "David John Pinch" || c.Nickname != "Dave" || c.Organization != "Thought Project" || c.Title != "Dictator" {
		t.Errorf("name %q nick %q org %q title %q", c.Name, c.Nickname, c.Organization, c.Title)
	}
	if want := []phone{{"800-929-5805", "work,voice"}, {"612-269-6017", "home,voice"}}; !eq(phonesOf(c), want) {
		t.Errorf("phones %v, want %v", phonesOf(c), want)
	}
	if len(c.Emails) != 1 || c.Emails[0].Value != "dave@thoughtproject.com" || strings.Join(c.Emails[0].Types, ",") != "pref,internet" {
		t.Errorf("emails %+v", c.Emails)
	}
	if len(c.Addresses) != 1 || c.Addresses[0].Street != "129 15th Street #3" ||
		c.Addresses[0].Label != "129 15th Street #3\nMinneapolis, MN 55403\nUnited States of America" {
		t.Errorf("addresses %+v", c.Addresses)
	}
	if len(c.Other) != 0 {
		t.Errorf("REV must not be kept (it changes with every export): %+v", c.Other)
	}

	// Outlook 2003: a QP note ending in a line break, a QP label with a soft break.
	cs, errs = readReal(t, "ical4j__antoni_outlook2003.vcf")
	if len(cs) != 1 || len(errs) != 0 {
		t.Fatalf("outlook2003: %d contacts, %v", len(cs), errs)
	}
	c = cs[0]
	if want := []phone{{"49 631 234 341", "work,voice"}, {"48 691 342 341", "home,voice"}, {"48 91 3 175 234", "cell,voice"}}; !eq(phonesOf(c), want) {
		t.Errorf("phones %v, want %v", phonesOf(c), want)
	}
	if c.Organization != "DFKI" || c.Department != "Knowledge-Management" || c.Nickname != "Ant" || c.Birthday != "1980-01-18" {
		t.Errorf("org %q dept %q nick %q bday %q", c.Organization, c.Department, c.Nickname, c.Birthday)
	}
	if got := c.Addresses[0].Label; got != "3.10\nTrippstadter Str. 122\nKaiserslautern, Rheinland-Pfalz 67663\nDeutschland" {
		t.Errorf("work label %q: the soft break before =0D=0A must join, not drop, the last line", got)
	}

	// Outlook 2007's business card picture and its XML design are kept whole.
	cs, _ = readReal(t, "ical4j__antoni_cardpicture.vcf")
	pic := otherNamed(cs[0], "X-MS-CARDPICTURE")
	if len(pic) != 1 || len(pic[0].Value) != 26112 || !strings.HasPrefix(pic[0].Value, "/9j/") {
		t.Errorf("card picture = %d fields", len(pic))
	}
	if d := otherNamed(cs[0], "X-MS-OL-DESIGN"); len(d) != 1 || !strings.HasPrefix(d[0].Value, "<card xmlns=") || !strings.HasSuffix(d[0].Value, "</card>") {
		t.Errorf("design = %+v", d)
	}

	// The certificate folded with a four-space indent comes back as one base64 block.
	cs, _ = readReal(t, "thoughtvcards__outlook_certificate.vcf")
	key := otherNamed(cs[0], "KEY")
	if len(key) != 1 || key[0].Params != "TYPE=x509;ENCODING=BASE64" || strings.ContainsAny(key[0].Value, " \r\n") {
		t.Errorf("key = %+v", key)
	}
}

func TestRealVCardsPhones(t *testing.T) {
	t.Parallel()
	// iOS 6: CR CR LF line endings, an item1 group, a folded photo.
	cs, errs := readReal(t, "aosp__v30_ios_613_multiline.vcf")
	if len(cs) != 1 || len(errs) != 0 {
		t.Fatalf("%d contacts, %v", len(cs), errs)
	}
	c := cs[0]
	if c.Organization != "Smith Auto Repair" || len(c.URLs) != 1 || c.URLs[0].Value != "www.smithauto.com" {
		t.Errorf("org %q urls %+v", c.Organization, c.URLs)
	}
	if photo := otherNamed(c, "PHOTO"); len(photo) != 1 || len(photo[0].Value) != 6888 {
		t.Errorf("photo = %d fields", len(photo))
	}

	// BlackBerry and Android: photos kept, the fields after them intact.
	cs, _ = readReal(t, "aosp__v21_blackberry_photo.vcf")
	c = cs[0]
	if want := []phone{{"+5555555", "work"}, {"+5555556", "cell"}}; !eq(phonesOf(c), want) || !eq(emailsOf(c), []string{"forrestgump@walladalla.com"}) {
		t.Errorf("blackberry phones %v emails %v", phonesOf(c), emailsOf(c))
	}
	if len(otherNamed(c, "PHOTO")) != 1 {
		t.Errorf("blackberry photo dropped: %+v", c.Other)
	}
	cs, _ = readReal(t, "aosp__v21_x_android_custom_after_photo.vcf")
	c = cs[0]
	if c.Name != "Roid Ando" || c.Birthday != "1975-08-20" || len(otherNamed(c, "PHOTO")) != 1 {
		t.Errorf("android after photo: %q %q %d photos", c.Name, c.Birthday, len(otherNamed(c, "PHOTO")))
	}
	if ev := otherNamed(c, "X-ANDROID-CUSTOM"); len(ev) != 1 || !strings.HasPrefix(ev[0].Value, "vnd.android.cursor.item/contact_event;1999-07-10;") {
		t.Errorf("the Android event after the photo = %+v", ev)
	}
	cs, _ = readReal(t, "aosp__v21_im.vcf")
	if cs[0].Nickname != "Nick" || len(otherNamed(cs[0], "X-GOOGLE-TALK")) != 1 {
		t.Errorf("android nickname %q, other %+v", cs[0].Nickname, cs[0].Other)
	}
	// A 2.1 photo not followed by the blank line 2.1 requires: END:VCARD still ends it.
	cs, errs = readReal(t, "aosp__v21_base64_no_2_crlf.vcf")
	if len(cs) != 1 || len(errs) != 0 || cs[0].Name != "fullname" || len(otherNamed(cs[0], "PHOTO")) != 1 {
		t.Errorf("base64 without blank line: %d contacts, %v", len(cs), errs)
	}
	cs, errs = readReal(t, "aosp__v21_malformed_photo.vcf")
	if len(cs) != 1 || cs[0].Name != "fullname" || len(otherNamed(cs[0], "PHOTO")) != 1 || len(errs) != 1 || errs[0].Line != 5 || !strings.Contains(errs[0].Message, "base64") {
		t.Errorf("malformed photo: %d contacts, errors %v", len(cs), errs)
	}
	// Two photos in one Evolution card, both kept with their types.
	cs, _ = readReal(t, "kcontacts__vcard12_evolution_photos.vcf")
	if ph := otherNamed(cs[0], "PHOTO"); len(ph) != 2 || ph[0].Params != "TYPE=work;ENCODING=b" || ph[1].Params != "TYPE=home;ENCODING=b" || cs[0].Name != "Good Looking" {
		t.Errorf("evolution photos = %+v", ph)
	}
	// A photo whose value starts on the next line, folded with two spaces.
	cs, _ = readReal(t, "roundcube__photo_folded_base64.vcf")
	if ph := otherNamed(cs[0], "PHOTO"); len(ph) != 1 || !strings.HasPrefix(ph[0].Value, "/9j/4AAQ") || cs[0].StructuredName.Family != "Müller" {
		t.Errorf("folded photo: %+v, name %+v", ph, cs[0].StructuredName)
	}
}

func TestRealVCardsJapanese(t *testing.T) {
	t.Parallel()
	cs, errs := readReal(t, "aosp__v21_multiple_entry.vcf")
	if len(errs) != 0 || !eq(namesOf(cs), []string{"安藤ロイド3", "安藤ロイド4", "安藤ロイド5"}) {
		t.Fatalf("names %q, errors %v", namesOf(cs), errs)
	}
	if cs[1].Source.Line != 12 || cs[2].Source.Line != 23 {
		t.Errorf("lines %d %d", cs[1].Source.Line, cs[2].Source.Line)
	}
	if want := []phone{{"9", "x-nec-secret"}, {"10", "x-nec-hotel"}, {"11", "x-nec-school"}, {"12", "home,fax"}}; !eq(phonesOf(cs[0]), want) {
		t.Errorf("phones %v", phonesOf(cs[0]))
	}
	if s := otherNamed(cs[0], "SOUND"); len(s) != 1 || s[0].Value != "ｱﾝﾄﾞｳﾛｲﾄﾞ3;;;;" {
		t.Errorf("the phonetic name is kept, decoded: %+v", s)
	}
	// Shift_JIS split by QUOTED-PRINTABLE soft breaks inside an address.
	cs, _ = readReal(t, "aosp__v21_japanese_2.vcf")
	if a := cs[0].Addresses; len(a) != 1 || a[0].Extended != "東京都渋谷区桜丘町26-1セルリアンタワー6階" || a[0].PostalCode != "150-8512" {
		t.Errorf("address %+v", a)
	}
	if cs[0].StructuredName.Family != "安藤" || cs[0].StructuredName.Given != "ロイド1" {
		t.Errorf("name %+v", cs[0].StructuredName)
	}
	// UTF-8 Chinese split by QP soft breaks in the middle of characters.
	cs, _ = readReal(t, "eds__vcard5_qp_cjk.vcf")
	if cs[0].Name != "十城目管理大型知座" || cs[0].Organization != "十城目管理大型知座" {
		t.Errorf("cjk %q %q", cs[0].Name, cs[0].Organization)
	}
	// vCard 4.0 from an AOSP sample: SORT-AS parameters do not disturb the values.
	cs, _ = readReal(t, "aosp__v40_sort_as.vcf")
	if cs[0].Source.Format != "vcard-4.0" || cs[0].Organization != "グーグル" || cs[0].Department != "検索部門" {
		t.Errorf("4.0 %+v", cs[0])
	}
}

func TestRealVCardsBroken(t *testing.T) {
	t.Parallel()
	type wantErr struct {
		line int
		word string
	}
	cases := []struct {
		file  string
		names []string
		errs  []wantErr
	}{
		{"eds__vcard7_no_begin.vcf", []string{"Frank Dawson"}, []wantErr{{1, "no BEGIN:VCARD"}}},
		{"eds__vcard8_no_end.vcf", []string{"Frank Dawson"}, []wantErr{{11, "no END:VCARD"}}},
		{"eds__vcard9_truncated.vcf", []string{"Frank Dawson"}, []wantErr{{9, "not a vCard property"}, {9, "no END:VCARD"}}},
		{"kcontacts__vcard4_ximian_evolution.vcf", []string{"Ximian, Inc."}, []wantErr{{3, "not a vCard property"}}},
		{"aosp__v21_nest.vcf", []string{"parent", "nest1", "nest2"}, []wantErr{{4, "inside the card that starts on line 1"}, {8, "inside the card that starts on line 1"}}},
		{"aosp__v21_invalid_comment_line.vcf", []string{"Conference Call"}, nil},
		{"ical4j__dirk_ws_after_begin.vcf", []string{"Dirk"}, nil},
		{"opensync__malformed.vcf", []string{"test user"}, nil},
		{"aosp__v21_simple_1.vcf", []string{"Roid Ando"}, nil},
		{"eds__vcard11_bad_params.vcf", []string{"Invalid AttributeParam"}, nil},
	}
	for _, tc := range cases {
		cs, errs := readReal(t, tc.file)
		if !eq(namesOf(cs), tc.names) {
			t.Errorf("%s: contacts %q, want %q", tc.file, namesOf(cs), tc.names)
		}
		if len(errs) != len(tc.errs) {
			t.Errorf("%s: errors %v, want %v", tc.file, errs, tc.errs)
			continue
		}
		for i, w := range tc.errs {
			if errs[i].Line != w.line || !strings.Contains(errs[i].Message, w.word) {
				t.Errorf("%s: error %d = %v, want line %d with %q", tc.file, i, errs[i], w.line, w.word)
			}
		}
	}
	// The truncated card keeps everything before the cut.
	cs, _ := readReal(t, "eds__vcard9_truncated.vcf")
	if want := []phone{{"+1-919-676-9515", "voice,msg,work"}, {"+1-919-676-9564", "fax,work"}}; !eq(phonesOf(cs[0]), want) || cs[0].Organization != "Lotus Development Corporation" {
		t.Errorf("truncated: phones %v org %q", phonesOf(cs[0]), cs[0].Organization)
	}
	// A QP label whose soft break continues on an unindented line (Evolution 1.x).
	cs, _ = readReal(t, "kcontacts__vcard7_qp_softbreak.vcf")
	if a := cs[0].Addresses; len(a) != 1 || a[0].Label != "401 Park Drive  3 West\nBoston, MA 02215\nUSA\nHerecomesyetanotherline" {
		t.Errorf("soft-break label = %+v", a)
	}
	// Broken QP in five Android cards: each card stays whole, the URL after the address too.
	cs, errs := readReal(t, "kcontacts__vcard10_broken_qp.vcf")
	if len(cs) != 5 || len(errs) != 0 {
		t.Fatalf("broken qp: %d contacts, %v", len(cs), errs)
	}
	if a := cs[0].Addresses; len(a) != 1 || a[0].Street != "DDDDDDDDDDDDDDD-Staße 2\n00000 DDDDDDDDDD" {
		t.Errorf("broken qp address %+v", a)
	}
	if len(cs[1].URLs) != 1 || cs[1].URLs[0].Value != "http://some-webseite.com" {
		t.Errorf("URL after a QP address = %+v", cs[1].URLs)
	}
	if !strings.HasPrefix(cs[3].Note, "Sprechzeiten:\nMo   8–12, 15–18\n") {
		t.Errorf("note %q", cs[3].Note)
	}
	// Thunderbird's vCard 4.0 with a raw TAB and a lone CR in custom values.
	cs, _ = readReal(t, "thunderbird__export_v4.vcf")
	if len(cs) != 2 || cs[1].Title != `"worker"` || cs[1].Note != "here's some unicode text…" {
		t.Fatalf("thunderbird: %+v", cs)
	}
	wantOther := []string{"custom, 1", "custom\t2", "custom\n3", "custom\n4"}
	for i, f := range cs[1].Other {
		if i >= len(wantOther) || f.Value != wantOther[i] {
			t.Errorf("X-CUSTOM%d = %q", i+1, f.Value)
		}
	}
	// Apple's quoted type with a comma: no quote marks in the types.
	cs, _ = readReal(t, "aosp__v30_comma_separated.vcf")
	if p := phonesOf(cs[0]); len(p) != 1 || p[0].types != "comma,separated:inside.dquote,pref" {
		t.Errorf("quoted type: %v", p)
	}
}
