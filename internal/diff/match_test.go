package diff

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
)

func entries(cs []*contacts.Contact) []Entry {
	out := make([]Entry, len(cs))
	for i, c := range cs {
		out[i] = Entry{Key: fmt.Sprint("k", i), Contact: c}
	}
	return out
}

func keyGen() func() string {
	n := 0
	return func() string { n++; return fmt.Sprint("new", n) }
}

func TestComputeFindsDeletionsRenamesAndEdits(t *testing.T) {
	t.Parallel()
	book := gen.Book(1, 2000)
	before := entries(book)
	var after []*contacts.Contact
	wantRemoved, wantChanged := map[string]bool{}, map[string]string{}
	for i, c := range book {
		switch {
		case i%13 == 0 && len(wantRemoved) < 150:
			wantRemoved[before[i].Key] = true
			continue
		case i%50 == 1 && i < 1000: // 20 renames, same e-mail
			c = c.Clone()
			c.StructuredName.Family += "-Smythe"
			c.Name = c.StructuredName.Formatted()
			wantChanged[before[i].Key] = "name"
		case i%25 == 3 && len(wantChanged) < 60: // 40 edits
			c = c.Clone()
			c.Phones = append(c.Phones, contacts.Value{Value: fmt.Sprintf("(212) 555-%04d", i), Types: []string{"home"}})
			wantChanged[before[i].Key] = "phones"
		}
		after = append(after, c)
	}
	// The export's order is not the book's order.
	sort.Slice(after, func(i, j int) bool { return after[i].Emails[0].Value < after[j].Emails[0].Value })
	ch := Compute(before, after, keyGen(), "")
	if len(ch.Removed) != 150 || len(ch.Changed) != 60 || len(ch.Added) != 0 {
		t.Fatalf("removed %d changed %d added %d; want 150, 60, 0", len(ch.Removed), len(ch.Changed), len(ch.Added))
	}
	for _, r := range ch.Removed {
		if !wantRemoved[r.Key] {
			t.Errorf("%s removed but was kept", r.Key)
		}
	}
	for _, c := range ch.Changed {
		if len(c.Fields) != 1 || c.Fields[0].Field != wantChanged[c.Key] {
			t.Errorf("%s: fields %+v, want a change of %s", c.Key, c.Fields, wantChanged[c.Key])
		}
	}
	if len(ch.Unchanged) != 2000-150-60 {
		t.Errorf("unchanged %d", len(ch.Unchanged))
	}
}

func TestComputeTreatsExactDuplicatesAsAMultiset(t *testing.T) {
	t.Parallel()
	a := gen.Book(2, 1)[0]
	before := entries([]*contacts.Contact{a, a.Clone(), a.Clone()})
	ch := Compute(before, []*contacts.Contact{a.Clone(), a.Clone()}, keyGen(), "")
	if len(ch.Removed) != 1 || len(ch.Unchanged) != 2 || len(ch.Added) != 0 {
		t.Errorf("three copies to two: removed %d unchanged %d added %d", len(ch.Removed), len(ch.Unchanged), len(ch.Added))
	}
	ch = Compute(before, []*contacts.Contact{a.Clone(), a.Clone(), a.Clone(), a.Clone()}, keyGen(), "")
	if len(ch.Added) != 1 || len(ch.Unchanged) != 3 {
		t.Errorf("three copies to four: added %d unchanged %d", len(ch.Added), len(ch.Unchanged))
	}
}

func TestComputeIgnoresFormattingAndMatchesByUID(t *testing.T) {
	t.Parallel()
	a := &contacts.Contact{Name: "John Doe", StructuredName: contacts.Name{Given: "John", Family: "Doe"}, UID: "u-1",
		Phones: []contacts.Value{{Value: "(212) 555-1111", Types: []string{"work"}}}, Note: "a\r\nb"}
	b := a.Clone()
	b.Phones[0].Value = "+1 212 555 1111"
	b.Note = "a\nb"
	ch := Compute(entries([]*contacts.Contact{a}), []*contacts.Contact{b}, keyGen(), "")
	if len(ch.Unchanged) != 1 {
		t.Errorf("a reformatted phone and line endings are not a change: %+v", ch)
	}
	c := a.Clone()
	c.Name, c.StructuredName, c.Phones = "Jane Roe", contacts.Name{Given: "Jane", Family: "Roe"}, nil
	ch = Compute(entries([]*contacts.Contact{a}), []*contacts.Contact{c}, keyGen(), "")
	if len(ch.Changed) != 1 || ch.Changed[0].Key != "k0" {
		t.Errorf("the same UID is the same contact: %+v", ch)
	}
}

func TestComputeDoesNotPairStrangers(t *testing.T) {
	t.Parallel()
	a := &contacts.Contact{Name: "Ann Lee", StructuredName: contacts.Name{Given: "Ann", Family: "Lee"}, Organization: "Acme",
		Phones: []contacts.Value{{Value: "(212) 555-0000"}}}
	b := &contacts.Contact{Name: "Bob Kay", StructuredName: contacts.Name{Given: "Bob", Family: "Kay"}, Organization: "Globex",
		Phones: []contacts.Value{{Value: "(212) 555-0000"}}} // the same switchboard
	ch := Compute(entries([]*contacts.Contact{a}), []*contacts.Contact{b}, keyGen(), "")
	if len(ch.Removed) != 1 || len(ch.Added) != 1 {
		t.Errorf("a shared switchboard number does not make two people one: %+v", ch)
	}
}

func TestFieldsNamesEachChange(t *testing.T) {
	t.Parallel()
	a := gen.Book(3, 1)[0]
	a.Categories = []string{"Clients", "VIP"}
	a.Mileage = "IA1"
	b := a.Clone()
	b.Categories = []string{"Clients"}
	b.Mileage = ""
	b.Note = a.Note + " more"
	var got []string
	for _, f := range Fields(a, b, "") {
		got = append(got, f.Field)
	}
	if strings.Join(got, ",") != "categories,note,mileage" {
		t.Errorf("fields = %v", got)
	}
	if f := Fields(a, b, "")[0]; f.Old != "Clients; VIP" || f.New != "Clients" {
		t.Errorf("category change = %+v", f)
	}
}

// A UK firm's export that rewrites "020 7946 0000" as "+44 20 7946 0000" has changed
// nothing under its policy's country_code "44"; under the default ("1") they are two
// numbers, so the same rewrite is an edit of the phones.
func TestPhoneRewriteUnderCountryCode(t *testing.T) {
	t.Parallel()
	old := &contacts.Contact{Name: "Ann Lee", Emails: []contacts.Value{{Value: "ann@lee.co.uk"}},
		Phones: []contacts.Value{{Value: "020 7946 0000", Types: []string{"work"}}}}
	rewritten := old.Clone()
	rewritten.Phones[0].Value = "+44 20 7946 0000"
	before := []Entry{{Key: "k1", Contact: old}}

	uk := Compute(before, []*contacts.Contact{rewritten}, keyGen(), "44")
	if len(uk.Changed) != 0 || len(uk.Unchanged) != 1 {
		t.Errorf("country_code 44: changed %d unchanged %d; want the rewrite unchanged", len(uk.Changed), len(uk.Unchanged))
	}
	if fs := Fields(old, rewritten, "44"); len(fs) != 0 {
		t.Errorf("country_code 44: fields %v; want none", fs)
	}
	us := Compute(before, []*contacts.Contact{rewritten}, keyGen(), "")
	if len(us.Changed) != 1 || len(us.Changed[0].Fields) != 1 || us.Changed[0].Fields[0].Field != "phones" {
		t.Errorf("default country code: %+v; want one change of the phones", us.Changed)
	}
}
