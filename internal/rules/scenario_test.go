package rules_test

// Scenario tests: a law firm's address book, changed the way real devices and conduits
// change it, recorded in a real history database; each asserts the kind, the severity and
// the exact set of affected contacts.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
)

type firm struct {
	t    *testing.T
	s    *history.Store
	book []*contacts.Contact
	day  time.Time
}

func newFirm(t *testing.T, n int) *firm {
	s, err := history.Open(t.TempDir(), history.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	book := gen.Book(42, n)
	// A law firm: several categories on many contacts, Mileage set by InterAction on some,
	// long notes on a few.
	for i, c := range book {
		if i%3 == 0 && len(c.Categories) < 2 {
			c.Categories = []string{"Clients", "Holiday Card List"}
		}
		if i%4 == 0 {
			c.Mileage = fmt.Sprintf("IA%06X", i)
		}
		if i%10 == 0 {
			c.Note = strings.Repeat("Matter history and billing arrangements. ", 12)
		}
	}
	f := &firm{t: t, s: s, book: book, day: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	f.sync()
	return f
}

// sync records the book as the next day's export and returns the findings.
func (f *firm) sync() []findings.Finding {
	f.t.Helper()
	f.day = f.day.Add(24 * time.Hour)
	r, err := f.s.Commit("outlook.csv", f.day, f.book, app.Judge(nil))
	if err != nil {
		f.t.Fatal(err)
	}
	return r.Findings
}

// edit changes the contacts at the indexes and returns their versions before the change:
// the ones a finding must name.
func (f *firm) edit(idx []int, fn func(c *contacts.Contact)) []*contacts.Contact {
	var before []*contacts.Contact
	for _, i := range idx {
		before = append(before, f.book[i])
		c := f.book[i].Clone()
		fn(c)
		f.book[i] = c
	}
	return before
}

func (f *firm) where(pred func(c *contacts.Contact) bool, n int) []int {
	var out []int
	for i, c := range f.book {
		if len(out) < n && pred(c) {
			out = append(out, i)
		}
	}
	if len(out) < n {
		f.t.Fatalf("the generated book has %d such contacts, the scenario needs %d", len(out), n)
	}
	return out
}

// only asserts that the change raised exactly one finding above info, of this kind and
// severity, about exactly these contacts (compared by the version concerned, so two
// generated namesakes cannot stand in for each other), and returns it.
func only(t *testing.T, fs []findings.Finding, kind findings.Kind, sev findings.Severity, want []*contacts.Contact) findings.Finding {
	t.Helper()
	var got []findings.Finding
	for _, f := range fs {
		if f.Severity > findings.Info {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Kind != kind || got[0].Severity != sev {
		var desc []string
		for _, f := range got {
			desc = append(desc, fmt.Sprintf("%s/%s (%d contacts)", f.Kind, f.Severity, len(f.Contacts)))
		}
		t.Fatalf("findings %v, want exactly one %s/%s", desc, kind, sev)
	}
	var gotV, wantV []string
	for _, c := range got[0].Contacts {
		gotV = append(gotV, c.Name+" "+c.Fingerprint)
	}
	for _, c := range want {
		wantV = append(wantV, c.DisplayName()+" "+c.Fingerprint(""))
	}
	sort.Strings(gotV)
	sort.Strings(wantV)
	if strings.Join(gotV, "\n") != strings.Join(wantV, "\n") {
		t.Errorf("affected contacts:\n got %d %v\nwant %d %v", len(gotV), gotV, len(wantV), wantV)
	}
	if got[0].Title == "" || got[0].Explanation == "" || got[0].Advice == "" || len(got[0].Actions) == 0 {
		t.Errorf("a finding must say what happened and what to do: %+v", got[0])
	}
	return got[0]
}

// quiet asserts that nothing above info was raised.
func quiet(t *testing.T, fs []findings.Finding, what string) {
	t.Helper()
	for _, f := range fs {
		if f.Severity > findings.Info {
			t.Errorf("%s raised %s/%s: %s", what, f.Kind, f.Severity, f.Title)
		}
	}
}

// A normal day: a few edits, one new client. Nothing above info.
func TestScenarioNormalDay(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 800)
	f.edit([]int{5, 77, 300}, func(c *contacts.Contact) { c.Title = "Senior " + c.Title })
	f.edit([]int{120}, func(c *contacts.Contact) {
		c.Phones = append(c.Phones, contacts.Value{Value: "(646) 555-0199", Types: []string{"cell"}})
	})
	f.edit([]int{410}, func(c *contacts.Contact) { c.Categories = append(c.Categories, "Referral Sources") })
	f.book = append(f.book, &contacts.Contact{
		Name: "Harriet Vance", StructuredName: contacts.Name{Given: "Harriet", Family: "Vance"},
		Organization: "Vance Shipping Ltd.", Emails: []contacts.Value{{Value: "h.vance@vanceshipping.example"}},
		Categories: []string{"Clients", "Prospects"},
	})
	quiet(t, f.sync(), "a normal day")
}

// A phone that keeps one category per contact collapses every multi-category contact it
// synced back.
func TestScenarioOneCategoryDevice(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 800)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Categories) >= 2 }, 41)
	want := f.edit(idx, func(c *contacts.Contact) { c.Categories = c.Categories[:1] })
	fd := only(t, f.sync(), findings.CategoryCollapse, findings.Danger, want)
	if !strings.HasPrefix(fd.Title, "41 contacts lost their") || !strings.Contains(fd.Advice, "Manage Categories") {
		t.Errorf("title %q, advice %q", fd.Title, fd.Advice)
	}
}

// A conduit set to "Handheld overwrites Desktop": every edit made at the desk is undone by
// the next sync, over and over. Each time it is the same finding, updated.
func TestScenarioHandheldOverwritesDesktop(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 600)
	idx := f.where(func(c *contacts.Contact) bool { return true }, 8)
	handheld := make([]*contacts.Contact, len(idx)) // the device's copies never change
	for k, i := range idx {
		handheld[k] = f.book[i]
	}
	var id string
	for round, title := range []string{"Partner (promoted)", "Managing Partner"} {
		// The user edits eight contacts at the desk...
		f.edit(idx, func(c *contacts.Contact) { c.Title = title })
		quiet(t, f.sync(), "the user's own edits")
		var want []*contacts.Contact
		for _, i := range idx {
			want = append(want, f.book[i])
		}
		// ...and the handheld writes its old copies back.
		for k, i := range idx {
			f.book[i] = handheld[k]
		}
		fd := only(t, f.sync(), findings.Revert, findings.Danger, want)
		if round == 0 {
			id = fd.ID
		} else if fd.ID != id {
			t.Errorf("the second revert of the same contacts is a new finding %s, want %s updated", fd.ID, id)
		}
	}
}

// Intellisync's "Add all conflicting items" keeps both sides of every conflict: the
// device's copy comes back beside the Outlook contact.
func TestScenarioAddAllConflictingItems(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 500)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Phones) > 0 }, 12)
	var want []*contacts.Contact
	for _, i := range idx {
		c := f.book[i].Clone()
		c.Note = strings.TrimSpace(c.Note + "\n(device copy)")
		f.book = append(f.book, c)
		want = append(want, c)
	}
	only(t, f.sync(), findings.Duplicates, findings.Danger, want)
}

// A device that keeps 255 characters of a note writes the cut notes back. Generated notes
// hold "—" and "ß": the limit is in characters, not bytes.
func TestScenarioNotesCutAt255(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 500)
	idx := f.where(func(c *contacts.Contact) bool { return len([]rune(c.Note)) > 255 }, 20)
	want := f.edit(idx, func(c *contacts.Contact) { c.Note = string([]rune(c.Note)[:255]) })
	fd := only(t, f.sync(), findings.Truncation, findings.Danger, want)
	if !strings.Contains(fd.Title, "cut to 255 characters") {
		t.Errorf("title %q", fd.Title)
	}
}

// A mis-synced device (a category filter, the wrong partnership) deletes 12 % of the book.
func TestScenarioMisSyncedDeviceDeletes12Percent(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 1000)
	var want, kept []*contacts.Contact
	for i, c := range f.book {
		if i%8 == 3 && len(want) < 120 {
			want = append(want, c)
			continue
		}
		kept = append(kept, c)
	}
	f.book = kept
	only(t, f.sync(), findings.MassDeletion, findings.Danger, want)
}

// A conduit that does not carry Outlook's Mileage field clears it: on a few contacts a
// warning (a person may have edited them), on many a danger.
func TestScenarioMileageCleared(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 400)
	idx := f.where(func(c *contacts.Contact) bool { return c.Mileage != "" }, 6)
	want := f.edit(idx, func(c *contacts.Contact) { c.Mileage = "" })
	only(t, f.sync(), findings.MileageChanged, findings.Warning, want)
	idx = f.where(func(c *contacts.Contact) bool { return c.Mileage != "" }, 25)
	want = f.edit(idx, func(c *contacts.Contact) { c.Mileage = "" })
	only(t, f.sync(), findings.MileageChanged, findings.Danger, want)
}

// A device with room for one e-mail address per contact drops the others.
func TestScenarioDeviceDropsSecondEmails(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 600)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Emails) >= 2 }, 14)
	want := f.edit(idx, func(c *contacts.Contact) { c.Emails = c.Emails[:1] })
	only(t, f.sync(), findings.FieldLoss, findings.Warning, want)
}

// An old copy of the address book written back over Outlook (a restore from the device's
// backup, "Desktop overwrites handheld" run the wrong way round).
func TestScenarioDesktopOverwrittenFromOldBackup(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 300)
	idx := f.where(func(c *contacts.Contact) bool { return true }, 40)
	want := f.edit(idx, func(c *contacts.Contact) { c.Department = "Restored from backup" })
	only(t, f.sync(), findings.MassEdit, findings.Warning, want)
}

// Sync software that writes categories with another list separator fuses them.
func TestScenarioFusedCategories(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 300)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Categories) >= 2 }, 2)
	want := f.edit(idx, func(c *contacts.Contact) { c.Categories = []string{strings.Join(c.Categories, "; ")} })
	only(t, f.sync(), findings.CategoryLoss, findings.Danger, want)
}

// An ActiveSync partnership whose category filter lacks "Holiday Card List" removes that
// category from every contact it syncs back.
func TestScenarioCategoryFilter(t *testing.T) {
	t.Parallel()
	f := newFirm(t, 600)
	idx := f.where(func(c *contacts.Contact) bool {
		return len(c.Categories) >= 3 && slices.Contains(c.Categories, "Holiday Card List")
	}, 7)
	want := f.edit(idx, func(c *contacts.Contact) {
		c.Categories = slices.DeleteFunc(c.Categories, func(s string) bool { return s == "Holiday Card List" })
	})
	only(t, f.sync(), findings.CategoryLoss, findings.Warning, want)
}

// ordinaryDay changes the book the way a busy lawyer and an assistant do on a normal day:
// 0-5 edits (a new mobile number, a changed number, a note about a call, a promotion, an
// office move, a new e-mail, now and then a category added or dropped on one contact, a
// note trimmed by its last line), 0-3 new contacts and 0-2 deletions.
func ordinaryDay(r *rand.Rand, book []*contacts.Contact, extra []*contacts.Contact) ([]*contacts.Contact, []*contacts.Contact) {
	for k := r.IntN(6); k > 0; k-- {
		i := r.IntN(len(book))
		c := book[i].Clone()
		switch r.IntN(10) {
		case 0:
			c.Phones = append(c.Phones, contacts.Value{Value: fmt.Sprintf("(646) 555-%04d", r.IntN(10000)), Types: []string{"cell"}})
		case 1:
			if len(c.Phones) > 0 {
				c.Phones[0].Value = fmt.Sprintf("(212) 555-%04d", r.IntN(10000))
			}
		case 2, 3:
			c.Note = strings.TrimSpace(c.Note + "\nCalled about the settlement on " + fmt.Sprint(r.IntN(28)+1) + " March.")
		case 4:
			c.Title = "Senior " + c.Title
		case 5:
			c.Addresses = []contacts.Address{{Types: []string{"work"}, Street: fmt.Sprintf("%d Lexington Ave", 1+r.IntN(900)), City: "New York", Region: "NY", PostalCode: "10017"}}
		case 6:
			c.Emails = append(c.Emails, contacts.Value{Value: fmt.Sprintf("new%d@client.example", r.IntN(1e6))})
		case 7:
			c.Categories = append(c.Categories, gen.Categories[r.IntN(len(gen.Categories))])
		case 8:
			if len(c.Categories) > 0 {
				c.Categories = c.Categories[:len(c.Categories)-1]
			}
		case 9:
			if n := strings.LastIndex(c.Note, "\n"); n > 0 {
				c.Note = c.Note[:n]
			}
		}
		book[i] = c
	}
	for k := r.IntN(4); k > 0 && len(extra) > 0; k-- {
		book = append(book, extra[0])
		extra = extra[1:]
	}
	for k := r.IntN(3); k > 0; k-- {
		i := r.IntN(len(book))
		book = append(book[:i], book[i+1:]...)
	}
	return book, extra
}

// TestFalseAlarmsOnOrdinaryDays: a year of ordinary days on a 2,000-contact book must
// raise nothing above info.
func TestFalseAlarmsOnOrdinaryDays(t *testing.T) {
	t.Parallel()
	days := 365
	if testing.Short() {
		days = 60
	}
	f := newFirm(t, 2000)
	r := rand.New(rand.NewPCG(2026, 11))
	extra := gen.Book(77, 3*days)
	alarms := 0
	for d := 0; d < days; d++ {
		f.book, extra = ordinaryDay(r, f.book, extra)
		for _, fd := range f.sync() {
			if fd.Severity > findings.Info {
				alarms++
				t.Errorf("day %d: %s/%s: %s", d, fd.Kind, fd.Severity, fd.Title)
			}
		}
	}
	t.Logf("%d ordinary days: %d findings above info", days, alarms)
}
