package contacts

import "testing"

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"John Doe":          "john doe",
		"Doe, John":         "john doe",
		"  DOE,   John ":    "john doe",
		"José Núñez":        "jose nunez",
		"O'Brien, Siobhán":  "siobhan o brien",
		"Dr. Jürgen Müller": "dr jurgen muller",
		"Søren Łukasz":      "soren lukasz",
		"Weiß, Æsa":         "aesa weiss",
		"":                  "",
	}
	for in, want := range cases {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	same := [][]string{
		{"(212) 555-1111", "212.555.1111", "+1 212 555 1111", "1-212-555-1111", "001 212 555 1111", "+1 (212) 555-1111"},
		{"+44 20 7946 0000", "0044 20 7946 0000"},
		{"(212) 555-1111 x12", "212-555-1111 ext. 12", "+12125551111 ext 12"},
	}
	for _, group := range same {
		want := NormalizePhone(group[0], "")
		if want == "" {
			t.Fatalf("NormalizePhone(%q) is empty", group[0])
		}
		for _, in := range group[1:] {
			if got := NormalizePhone(in, ""); got != want {
				t.Errorf("NormalizePhone(%q) = %q, want %q (as %q)", in, got, want, group[0])
			}
		}
	}
	if NormalizePhone("(212) 555-1111 x12", "") == NormalizePhone("(212) 555-1111 x13", "") {
		t.Error("two extensions of one switchboard must stay distinct")
	}
	if NormalizePhone("(212) 555-1111", "") != "+12125551111" {
		t.Errorf("got %q", NormalizePhone("(212) 555-1111", ""))
	}
	if NormalizePhone("n/a", "") != "" {
		t.Error("a value with no digits must normalize to empty")
	}
	if got, want := NormalizePhone("０３－１２３４－５６７８", ""), NormalizePhone("03-1234-5678", ""); got != want {
		t.Errorf("full-width digits: %q, want %q as for ASCII digits", got, want)
	}
}

func TestNormalizePhoneWithAnotherCountry(t *testing.T) {
	t.Parallel()
	if got, want := NormalizePhone("030 1234567", "+49"), "+49301234567"; got != want {
		t.Errorf("German national number: %q, want %q", got, want)
	}
	if NormalizePhone("+49 30 1234567", "49") != NormalizePhone("030 1234567", "49") {
		t.Error("international and national forms of one German number must match")
	}
}

// The country code is the caller's, not the process's: one process normalizes the same
// London number for a policy with country_code "44" and for one without, side by side,
// and each gets its own answer (the tray and a command it serves must never share one).
func TestCountryCodeIsPerCall(t *testing.T) {
	t.Parallel()
	const london = "020 7946 0000"
	if got := NormalizePhone(london, "44"); got != "+442079460000" {
		t.Errorf("with country_code 44: %q, want +442079460000", got)
	}
	if got := NormalizePhone(london, ""); got != "02079460000" {
		t.Errorf("with the default country code: %q, want the digits 02079460000", got)
	}
	if NormalizePhone(london, "") != NormalizePhone(london, "1") {
		t.Error(`"" must mean the default calling code "1"`)
	}
	if got := NormalizePhone("(212) 555-1111", "44"); got != "2125551111" {
		t.Errorf("a North American national number in a UK firm: %q, want its digits", got)
	}
	uk := &Contact{Name: "Ann Lee", Phones: []Value{{Value: london, Types: []string{"work"}}}}
	intl := &Contact{Name: "Ann Lee", Phones: []Value{{Value: "+44 20 7946 0000", Types: []string{"work"}}}}
	if uk.Fingerprint("44") != intl.Fingerprint("44") {
		t.Error("with country_code 44 the national and international forms of one number must fingerprint alike")
	}
	if uk.Fingerprint("") == intl.Fingerprint("") {
		t.Error("with the default country code a UK national number is not the +44 one")
	}
}

func TestPhoneKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		types []string
		want  string
	}{
		{[]string{"WORK", "VOICE"}, "work"},
		{[]string{"work", "fax"}, "fax"},
		{[]string{"CELL"}, "cell"},
		{[]string{"x-iphone"}, "cell"},
		{[]string{"HOME", "VOICE", "PREF"}, "home"},
		{nil, "other"},
	}
	for _, c := range cases {
		if got := PhoneKind(c.types); got != c.want {
			t.Errorf("PhoneKind(%v) = %s, want %s", c.types, got, c.want)
		}
	}
}

func sample() *Contact {
	return &Contact{
		Name:           "John Doe",
		StructuredName: Name{Given: "John", Family: "Doe"},
		Organization:   "Acme",
		Emails:         []Value{{Value: "John.Doe@Acme.com", Types: []string{"internet", "pref"}}, {Value: "jd@home.org"}},
		Phones:         []Value{{Value: "(111) 555-1111", Types: []string{"work", "voice"}}},
		Categories:     []string{"Clients", "VIP"},
		Note:           "Line one\r\nLine two  \r\n",
		Mileage:        "IA123",
		Source:         Source{File: "a.vcf", Line: 1},
	}
}

func TestFingerprintIgnoresFormattingOnly(t *testing.T) {
	t.Parallel()
	a := sample()
	b := sample()
	b.Name = "Doe, John"
	b.Emails = []Value{{Value: "jd@home.org"}, {Value: "john.doe@acme.com"}}
	b.Phones = []Value{{Value: "+1 111 555 1111", Types: []string{"business"}}}
	b.Categories = []string{"vip", " Clients "}
	b.Note = "Line one\nLine two"
	b.Source = Source{File: "export.csv", Line: 40}
	b.Other = []Field{{Name: "X-MS-OL-DESIGN", Value: "<card/>"}}
	if a.Fingerprint("") != b.Fingerprint("") {
		t.Fatal("the same person exported as vCard and as CSV must have one fingerprint")
	}
}

func TestFingerprintSeesEveryRealEdit(t *testing.T) {
	t.Parallel()
	edits := map[string]func(c *Contact){
		"given name":   func(c *Contact) { c.StructuredName.Given = "Jon" },
		"organization": func(c *Contact) { c.Organization = "Globex" },
		"e-mail":       func(c *Contact) { c.Emails[1].Value = "jd@work.org" },
		"phone":        func(c *Contact) { c.Phones[0].Value = "(111) 555-1112" },
		"phone kind":   func(c *Contact) { c.Phones[0].Types = []string{"home"} },
		"category":     func(c *Contact) { c.Categories = c.Categories[:1] },
		"fused":        func(c *Contact) { c.Categories = []string{"Clients; VIP"} },
		"note":         func(c *Contact) { c.Note = "Line one" },
		"mileage":      func(c *Contact) { c.Mileage = "" },
		"birthday":     func(c *Contact) { c.Birthday = "1970-05-17" },
		"address": func(c *Contact) {
			c.Addresses = []Address{{Street: "1 Main St", City: "Springfield"}}
		},
	}
	base := sample().Fingerprint("")
	for name, edit := range edits {
		c := sample()
		edit(c)
		if c.Fingerprint("") == base {
			t.Errorf("editing the %s did not change the fingerprint", name)
		}
	}
}

func TestCloneIsDeep(t *testing.T) {
	t.Parallel()
	a := sample()
	b := a.Clone()
	b.Emails[0].Value = "x"
	b.Emails[0].Types[0] = "y"
	b.Categories[0] = "z"
	if a.Emails[0].Value == "x" || a.Emails[0].Types[0] == "y" || a.Categories[0] == "z" {
		t.Fatal("a change to the clone reached the original")
	}
}

func TestDisplayNameFallsBack(t *testing.T) {
	t.Parallel()
	cases := []struct {
		c    Contact
		want string
	}{
		{Contact{Name: " Jane Roe "}, "Jane Roe"},
		{Contact{StructuredName: Name{Prefix: "Dr.", Given: "Jane", Family: "Roe"}}, "Dr. Jane Roe"},
		{Contact{Organization: "Acme"}, "Acme"},
		{Contact{Emails: []Value{{Value: "x@y.z"}}}, "x@y.z"},
		{Contact{}, "(no name)"},
	}
	for _, c := range cases {
		if got := c.c.DisplayName(); got != c.want {
			t.Errorf("DisplayName = %q, want %q", got, c.want)
		}
	}
}
