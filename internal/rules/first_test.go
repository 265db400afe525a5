package rules

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/gen"
)

// judgeFirst gives the judge of a streamed first snapshot a book, with keys 1, 2, ...;
// collide, when set, changes the kept hashes before judging.
func judgeFirst(book []*contacts.Contact, collide func(f *First)) ([]diff.Entry, *First) {
	f := NewFirst(nil)
	added := make([]diff.Entry, len(book))
	for i, c := range book {
		key := fmt.Sprint(i + 1)
		added[i] = diff.Entry{Key: key, Contact: c}
		f.Add(key, c.Fingerprint(""), c)
	}
	if collide != nil {
		collide(f)
	}
	return added, f
}

func lookup(added []diff.Entry) func(string) *contacts.Contact {
	m := map[string]*contacts.Contact{}
	for _, e := range added {
		m[e.Key] = e.Contact
	}
	return func(k string) *contacts.Contact { return m[k] }
}

// TestFirstFindsWhatJudgeFinds: over a generated book with copies, the judge of a streamed
// first snapshot raises exactly the duplicates finding that Judge raises on the same book
// added whole.
func TestFirstFindsWhatJudgeFinds(t *testing.T) {
	book := gen.Book(4, 300)
	for _, i := range []int{5, 17, 17, 230} {
		c := book[i].Clone()
		c.Note = "again"
		book = append(book, c)
	}
	added, f := judgeFirst(book, nil)
	want := Judge(Input{Change: diff.Change{Added: added, After: len(added)}, SnapshotID: 1})
	got := f.Findings(1, lookup(added))
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("first snapshot judge:\n got  %+v\n want %+v", got, want)
	}
}

// TestFirstSurvivesACollidingHash: hashes that pair two different people (forced here)
// make no finding, and do not hide the real copy that comes after them.
func TestFirstSurvivesACollidingHash(t *testing.T) {
	mk := func(name string) *contacts.Contact {
		return &contacts.Contact{Name: name, Emails: []contacts.Value{{Value: "office@firm.example"}}}
	}
	book := []*contacts.Contact{mk("Ann Lee"), mk("Bob Ray"), mk("Bob Ray")}
	added, f := judgeFirst(book, func(f *First) { f.names[0] = f.names[1] }) // Ann's hash is Bob's
	got := f.Findings(1, lookup(added))
	if len(got) != 1 || len(got[0].Contacts) != 1 || got[0].Contacts[0].Key != "3" ||
		got[0].Contacts[0].Detail != "a second copy of Bob Ray (same name and e-mail office@firm.example)" {
		t.Fatalf("findings %+v; want contact 3 as a copy of Bob Ray", got)
	}
	want := Judge(Input{Change: diff.Change{Added: added, After: len(added)}, SnapshotID: 1})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
