package app

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/policy"
)

// A London firm's export gives Ann Lee a new title and rewrites her number from "020 7946
// 0000" to "+44 20 7946 0000". Under its policy (country_code 44) the history's diff and
// her history show the title changed and the number not; under the default the rewrite is
// a change of the phones too. The windows and the command line ask the service, so both
// see what the policy says.
func TestQueriesCompareUnderThePolicysCountryCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cc   string
		want string // the fields changed
	}{{"44", "title"}, {"", "phones title"}} {
		dir := t.TempDir()
		export := filepath.Join(dir, "contacts.csv")
		book := gen.Book(7, 30)
		ann := &contacts.Contact{Name: "Ann Lee", StructuredName: contacts.Name{Given: "Ann", Family: "Lee"}, Title: "Associate",
			Emails: []contacts.Value{{Value: "ann@lee.co.uk"}}, Phones: []contacts.Value{{Value: "020 7946 0000", Types: []string{"work"}}}}
		writeBook(t, export, append(book, ann))
		p := policy.Default()
		p.Export.CountryCode, p.Export.Location = tc.cc, export
		s := newService(t, dir, Options{Policy: p})
		s.Scan()
		edited := ann.Clone()
		edited.Title = "Partner"
		edited.Phones[0].Value = "+44 20 7946 0000"
		writeBook(t, export, append(book, edited))
		s.Scan()

		snaps, err := s.Snapshots()
		if err != nil || len(snaps) != 2 {
			t.Fatalf("country code %q: snapshots %v, %v; want two", tc.cc, snaps, err)
		}
		ch, err := s.Diff(snaps[0].ID, snaps[1].ID)
		if err != nil || len(ch.Changed) != 1 || fieldNames(ch.Changed[0].Fields) != tc.want {
			t.Errorf("country code %q: diff %+v, %v; want Ann Lee's %s changed", tc.cc, ch.Changed, err, tc.want)
		}
		found, err := s.FindContacts("Ann Lee", false)
		if err != nil || len(found.Histories) != 1 {
			t.Fatalf("country code %q: %+v, %v", tc.cc, found, err)
		}
		h := found.Histories[0]
		if len(h.Changes) != 2 || fieldNames(h.Changes[1]) != tc.want {
			t.Errorf("country code %q: Ann Lee's history changes %+v; want %s", tc.cc, h.Changes, tc.want)
		}
		s.Close()
	}
}

func fieldNames(fs []diff.FieldChange) string {
	var names []string
	for _, f := range fs {
		names = append(names, f.Field)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}
