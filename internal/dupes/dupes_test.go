package dupes

import (
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
)

func c(name, org string, emails, phones []string) *contacts.Contact {
	out := &contacts.Contact{Name: name, Organization: org}
	for _, e := range emails {
		out.Emails = append(out.Emails, contacts.Value{Value: e})
	}
	for _, p := range phones {
		out.Phones = append(out.Phones, contacts.Value{Value: p})
	}
	return out
}

func TestFindClustersOnePersonByEachRule(t *testing.T) {
	book := []*contacts.Contact{
		c("John Doe", "Acme", []string{"John.Doe@Acme.com"}, []string{"(212) 555-1111"}),       // 0
		c("Doe, John", "", []string{"john.doe@acme.com"}, nil),                                 // 1: same e-mail, "Doe, John"
		c("José Núñez", "Globex", nil, []string{"+1 212 555 2222"}),                            // 2
		c("Jose Nunez", "", nil, []string{"212.555.2222"}),                                     // 3: same name (accents) and phone
		c("Mary Major", "Initech", nil, nil),                                                   // 4
		c("mary major", "INITECH", nil, nil),                                                   // 5: same name and company
		c("Richard Roe", "Stark", []string{"rr@stark.example"}, []string{"(212) 555-3333"}),    // 6
		c("Richard Roe", "", nil, nil),                                                         // 7: bare name
		c("Richard Roe", "Wayne", []string{"other@wayne.example"}, []string{"(212) 555-9999"}), // 8: another Richard Roe
		c("Ann Lee", "Acme", nil, []string{"(212) 555-0000"}),                                  // 9
		c("Bob Kay", "Acme", nil, []string{"(212) 555-0000"}),                                  // 10: same switchboard, other person
	}
	got := Find(book)
	want := map[string][]int{SameEmail: {0, 1}, SameNamePhone: {2, 3}, SameNameCompany: {4, 5}, SameNameNoDetail: {6, 7}}
	if len(got) != len(want) {
		t.Fatalf("%d clusters, want %d: %+v", len(got), len(want), got)
	}
	for _, cl := range got {
		members := want[cl.Rule]
		if len(cl.Contacts) != len(members) {
			t.Errorf("%s: %d contacts", cl.Rule, len(cl.Contacts))
			continue
		}
		for k, i := range members {
			if cl.Contacts[k] != book[i] {
				t.Errorf("%s: contact %d is %q, want %q", cl.Rule, k, cl.Contacts[k].Name, book[i].Name)
			}
		}
	}
	for _, cl := range got {
		if cl.Rule == SameNameNoDetail && cl.Contacts[cl.Survivor] != book[6] {
			t.Errorf("the survivor must be the complete record, got %+v", cl.Contacts[cl.Survivor])
		}
	}
}

func TestFindScalesToAWholeFirm(t *testing.T) {
	book := gen.Book(9, 100000)
	book = append(book, book[10].Clone(), book[20].Clone())
	start := time.Now()
	got := Find(book)
	t.Logf("100,002 contacts clustered in %s", time.Since(start))
	found := 0
	for _, cl := range got {
		for _, x := range cl.Contacts {
			if x == book[10] || x == book[20] {
				found++
			}
		}
	}
	if found != 2 {
		t.Errorf("the two copied contacts are in %d clusters", found)
	}
}
