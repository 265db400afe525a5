package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
)

// outlookCSV writes an Outlook CSV export of n people in the header language given, with
// the Private flag and User 1 as Outlook writes them; edit changes row i's values first.
func outlookCSV(header []string, privWord, yes, no string, n int, edit func(i int, private *bool, user1 *string)) []byte {
	var b strings.Builder
	b.WriteString(`"` + strings.Join(header, `","`) + "\"\r\n")
	for i := 0; i < n; i++ {
		private := i%10 == 0
		user1 := fmt.Sprintf("Matter %04d", i)
		if edit != nil {
			edit(i, &private, &user1)
		}
		p := no
		if private {
			p = yes
		}
		fmt.Fprintf(&b, "\"Person%03d\",\"Family%03d\",\"p%03d@example.com\",\"%s\",\"%s\",\"Normal\"\r\n", i, i, i, user1, p)
	}
	_ = privWord
	return []byte(b.String())
}

func judgeCSV(t *testing.T, before, after []byte) []findings.Finding {
	t.Helper()
	old, errs, _ := exports.ReadBytes("contacts.csv", before)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	now, errs, _ := exports.ReadBytes("contacts.csv", after)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	entries := make([]diff.Entry, len(old))
	for i, c := range old {
		entries[i] = diff.Entry{Key: fmt.Sprint(i), Contact: c}
	}
	n := 0
	ch := diff.Compute(entries, now, func() string { n++; return fmt.Sprint("new", n) }, "")
	return Judge(Input{Change: ch, Policy: defaultPolicy()})
}

// A sync clears the Private flag of 3 contacts and User 1 of 30, in an English and a
// German Outlook export: a danger naming the three, and a warning for the thirty.
func TestScenarioPrivateFlagAndUserFieldsFromOutlookCSV(t *testing.T) {
	headers := map[string]struct {
		cols          []string
		yes, no, word string
	}{
		"English": {[]string{"First Name", "Last Name", "E-mail Address", "User 1", "Private", "Sensitivity"}, "True", "False", "Private"},
		"German":  {[]string{"Vorname", "Nachname", "E-Mail-Adresse", "Benutzer 1", "Privat", "Vertraulichkeit"}, "Ein", "Aus", "Privat"},
	}
	for lang, h := range headers {
		t.Run(lang, func(t *testing.T) {
			before := outlookCSV(h.cols, h.word, h.yes, h.no, 200, nil)
			after := outlookCSV(h.cols, h.word, h.yes, h.no, 200, func(i int, private *bool, user1 *string) {
				if i == 10 || i == 20 || i == 30 {
					*private = false
				}
				if i >= 100 && i < 130 {
					*user1 = ""
				}
			})
			fs := judgeCSV(t, before, after)
			var priv, user *findings.Finding
			for i := range fs {
				switch fs[i].Kind {
				case findings.PrivateChanged:
					priv = &fs[i]
				case findings.UserFields:
					user = &fs[i]
				}
			}
			if priv == nil || priv.Severity != findings.Danger || len(priv.Contacts) != 3 {
				t.Fatalf("Private flag cleared on 3: %s", describe(fs))
			}
			for _, who := range []string{"Person010 Family010", "Person020 Family020", "Person030 Family030"} {
				if !strings.Contains(priv.Title, who) {
					t.Errorf("the danger does not name %s: %q", who, priv.Title)
				}
			}
			if user == nil || user.Severity != findings.Warning || len(user.Contacts) != 30 {
				t.Fatalf("User 1 cleared on 30: %s", describe(fs))
			}
		})
	}
}

func TestPrivateFlagSetIsAWarningAndVCardsAreNeverCompared(t *testing.T) {
	cols := []string{"First Name", "Last Name", "E-mail Address", "User 1", "Private", "Sensitivity"}
	before := outlookCSV(cols, "Private", "True", "False", 50, nil)
	after := outlookCSV(cols, "Private", "True", "False", 50, func(i int, private *bool, _ *string) {
		if i == 1 {
			*private = true
		}
	})
	fs := judgeCSV(t, before, after)
	if got := describe(fs); !strings.HasPrefix(got, "private-changed/warning") {
		t.Fatalf("a contact marked Private: %s", got)
	}
	// The same people from vCards, which carry no Private flag: nothing to compare.
	a := &contacts.Contact{Name: "A", Source: contacts.Source{Format: "vcard"}}
	b := &contacts.Contact{Name: "A", Note: "x", Source: contacts.Source{Format: "vcard"}}
	a.Other = []contacts.Field{{Name: "Private", Value: "True"}}
	ch := diff.Change{Changed: []diff.Changed{{Key: "1", Old: a, New: b}}}
	if fs := privateChanged(&Input{Change: ch, Policy: defaultPolicy()}); len(fs) != 0 {
		t.Fatalf("vCards compared on the Private flag: %s", describe(fs))
	}
}
