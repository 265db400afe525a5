package rules_test

// Scenario tests: a law firm's address book, changed the way real devices and conduits
// change it, recorded in a real history database; each asserts the kind, the severity and
// the exact set of affected contacts.

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

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
	r, err := f.s.Commit("outlook.csv", f.day, f.book, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return r.Findings
}

// edit changes the contacts at the indexes and returns their names.
func (f *firm) edit(idx []int, fn func(c *contacts.Contact)) []string {
	var names []string
	for _, i := range idx {
		c := f.book[i].Clone()
		fn(c)
		f.book[i] = c
		names = append(names, c.DisplayName())
	}
	return names
}

func (f *firm) where(pred func(c *contacts.Contact) bool, n int) []int {
	var out []int
	for i, c := range f.book {
		if len(out) < n && pred(c) {
			out = append(out, i)
		}
	}
	return out
}

func only(t *testing.T, fs []findings.Finding, kind findings.Kind, sev findings.Severity, names []string) {
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
			desc = append(desc, fmt.Sprintf("%s/%s", f.Kind, f.Severity))
		}
		t.Fatalf("findings %v, want exactly one %s/%s", desc, kind, sev)
	}
	var affected []string
	for _, c := range got[0].Contacts {
		affected = append(affected, c.Name)
	}
	sort.Strings(affected)
	want := append([]string(nil), names...)
	sort.Strings(want)
	if strings.Join(affected, "|") != strings.Join(want, "|") {
		t.Errorf("affected contacts:\n got %v\nwant %v", affected, want)
	}
	if got[0].Title == "" || got[0].Explanation == "" || got[0].Advice == "" || len(got[0].Actions) == 0 {
		t.Errorf("a finding must say what happened and what to do: %+v", got[0])
	}
}

func TestScenarioOneCategoryDevice(t *testing.T) {
	f := newFirm(t, 800)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Categories) >= 2 }, 41)
	names := f.edit(idx, func(c *contacts.Contact) { c.Categories = c.Categories[:1] })
	only(t, f.sync(), findings.CategoryCollapse, findings.Danger, names)
}

func TestScenarioHandheldOverwritesDesktop(t *testing.T) {
	f := newFirm(t, 600)
	idx := f.where(func(c *contacts.Contact) bool { return true }, 8)
	originals := make([]*contacts.Contact, len(idx))
	for k, i := range idx {
		originals[k] = f.book[i]
	}
	// The user edits eight contacts at the desk...
	f.edit(idx, func(c *contacts.Contact) { c.Title = "Partner (promoted)" })
	if fs := f.sync(); len(fs) != 0 {
		t.Fatalf("the user's own edits raised %v", fs)
	}
	// ...and the handheld, set to overwrite the desktop, writes its old copies back.
	var names []string
	for k, i := range idx {
		f.book[i] = originals[k]
		names = append(names, originals[k].DisplayName())
	}
	only(t, f.sync(), findings.Revert, findings.Danger, names)
}

func TestScenarioAddAllConflictingItems(t *testing.T) {
	f := newFirm(t, 500)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Phones) > 0 }, 12)
	var names []string
	for _, i := range idx {
		// Intellisync's "Add all conflicting items" keeps both versions of a conflict.
		c := f.book[i].Clone()
		c.Note = c.Note + " (device copy)"
		f.book = append(f.book, c)
		names = append(names, c.DisplayName())
	}
	only(t, f.sync(), findings.Duplicates, findings.Danger, names)
}

func TestScenarioNotesCutAt255(t *testing.T) {
	f := newFirm(t, 500)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Note) > 255 }, 20)
	// The device keeps 255 characters (not bytes: the notes hold "—" and "ß").
	names := f.edit(idx, func(c *contacts.Contact) { c.Note = string([]rune(c.Note)[:255]) })
	only(t, f.sync(), findings.Truncation, findings.Danger, names)
}

func TestScenarioMisSyncedDeviceDeletes12Percent(t *testing.T) {
	f := newFirm(t, 1000)
	var names []string
	var kept []*contacts.Contact
	for i, c := range f.book {
		if i%8 == 3 && len(names) < 120 {
			names = append(names, c.DisplayName())
			continue
		}
		kept = append(kept, c)
	}
	f.book = kept
	only(t, f.sync(), findings.MassDeletion, findings.Danger, names)
}

func TestScenarioMileageCleared(t *testing.T) {
	f := newFirm(t, 400)
	idx := f.where(func(c *contacts.Contact) bool { return c.Mileage != "" }, 6)
	names := f.edit(idx, func(c *contacts.Contact) { c.Mileage = "" })
	only(t, f.sync(), findings.MileageChanged, findings.Danger, names)
}

func TestScenarioDeviceDropsSecondEmails(t *testing.T) {
	f := newFirm(t, 600)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Emails) >= 2 }, 14)
	names := f.edit(idx, func(c *contacts.Contact) { c.Emails = c.Emails[:1] })
	only(t, f.sync(), findings.FieldLoss, findings.Warning, names)
}

func TestScenarioDesktopOverwrittenFromOldBackup(t *testing.T) {
	f := newFirm(t, 300)
	idx := f.where(func(c *contacts.Contact) bool { return true }, 40)
	names := f.edit(idx, func(c *contacts.Contact) { c.Department = "Restored from backup" })
	only(t, f.sync(), findings.MassEdit, findings.Warning, names)
}

func TestScenarioFusedCategories(t *testing.T) {
	f := newFirm(t, 300)
	idx := f.where(func(c *contacts.Contact) bool { return len(c.Categories) >= 2 }, 2)
	names := f.edit(idx, func(c *contacts.Contact) { c.Categories = []string{strings.Join(c.Categories, "; ")} })
	only(t, f.sync(), findings.CategoryLoss, findings.Danger, names)
}

// ordinaryDay changes the book the way a busy lawyer does on a normal day: a few edits,
// a new client or two, an old contact deleted, a category added.
func ordinaryDay(r *rand.Rand, book []*contacts.Contact, extra []*contacts.Contact) ([]*contacts.Contact, []*contacts.Contact) {
	for k := r.IntN(6); k > 0; k-- {
		i := r.IntN(len(book))
		c := book[i].Clone()
		switch r.IntN(5) {
		case 0:
			c.Phones = append(c.Phones, contacts.Value{Value: fmt.Sprintf("(646) 555-%04d", r.IntN(10000)), Types: []string{"cell"}})
		case 1:
			c.Note = strings.TrimSpace(c.Note + "\nCalled about the settlement on " + fmt.Sprint(r.IntN(28)+1) + " March.")
		case 2:
			c.Title = "Senior " + c.Title
		case 3:
			c.Categories = append(c.Categories, "Referral Sources")
		case 4:
			c.Emails = append(c.Emails, contacts.Value{Value: fmt.Sprintf("new%d@client.example", r.IntN(1e6))})
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
