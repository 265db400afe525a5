package outlook_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/outlook"
	"github.com/syncguard/syncguard/internal/outlook/outlooktest"
	"github.com/syncguard/syncguard/internal/policy"
)

// book is one address book held twice: as the rows of Outlook's CSV export, and as the
// items of a fake Outlook, so every test can compare reading Outlook with reading its
// export.
type book struct {
	header []string
	rows   [][]string // CSV rows, in item order
	ids    []string   // EntryID of each row's item
	ol     *outlooktest.Outlook
}

func newBook(t testing.TB, n int) *book {
	t.Helper()
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, gen.Book(7, n)); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff"))))
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b := &book{header: all[0], rows: all[1:], ol: outlooktest.New()}
	for _, row := range b.rows {
		b.ids = append(b.ids, b.ol.Add("Contacts", b.props(row)))
	}
	return b
}

// props is what Outlook's object model holds for a row of its export.
func (b *book) props(row []string) map[string]string {
	p := map[string]string{}
	for i, h := range b.header {
		v := row[i]
		prop, ok := outlook.PropForColumn(h)
		if !ok || v == "" {
			continue
		}
		switch h {
		case "Private":
			if strings.EqualFold(v, "true") {
				p["Sensitivity"] = "2"
			}
			continue
		case "Sensitivity":
			continue
		}
		p[prop] = v
	}
	return p
}

func (b *book) set(i int, column, value string) {
	for k, h := range b.header {
		if h == column {
			b.rows[i][k] = value
		}
	}
	prop, _ := outlook.PropForColumn(column)
	if column == "Private" {
		prop, value = "Sensitivity", map[bool]string{true: "2", false: "0"}[value == "True"]
	}
	b.ol.Edit(b.ids[i], map[string]string{prop: value})
}

func (b *book) writeCSV(t testing.TB, path string) {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(b.header)
	w.WriteAll(b.rows)
	if err := datadir.WriteFileAtomic(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// comparable strips what tells the two sources apart (the EntryID, where it was read).
func comparable(cs []*contacts.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		d := c.Clone()
		d.UID, d.Source = "", contacts.Source{}
		out[i] = fmt.Sprintf("%#v", *d)
	}
	sort.Strings(out)
	return out
}

func TestReadGivesWhatTheCSVExportGives(t *testing.T) {
	t.Parallel()
	b := newBook(t, 300)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "export.csv")
	b.writeCSV(t, csvPath)
	fromCSV, errs, _ := exports.ReadFile(csvPath)
	if len(errs) > 0 {
		t.Fatalf("the export itself reads with errors: %v", errs)
	}
	r := &outlook.Reader{Connect: b.ol.Connect, CacheFile: filepath.Join(dir, "cache.json"), Pause: time.Microsecond}
	res, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.Keep(res)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if got, want := comparable(res.Contacts), comparable(fromCSV); !reflect.DeepEqual(got, want) {
		for i := range want {
			if i < len(got) && got[i] != want[i] {
				t.Fatalf("contact differs from the export's:\n outlook: %s\n export:  %s", got[i], want[i])
			}
		}
		t.Fatalf("%d contacts from Outlook, %d from its export", len(got), len(want))
	}
	for _, c := range res.Contacts {
		if contacts.OutlookEntryID(c) == "" || c.Source.File != "Outlook: Contacts" {
			t.Fatalf("contact %q carries no EntryID or source: %+v", c.DisplayName(), c.Source)
		}
	}
	if res.Folders[0].Items != 300 || res.Opened != 300 || res.Reused != 0 {
		t.Fatalf("first read: %+v, opened %d, reused %d", res.Folders, res.Opened, res.Reused)
	}
}

// TestIncrementalReadMatchesTheExportsChange reads 10,000 items, changes 20 of them in
// Outlook and in the export alike, and checks that the second read opens only those 20
// and that history records the same change and the same findings from both sources.
func TestIncrementalReadMatchesTheExportsChange(t *testing.T) {
	t.Parallel()
	n := 10000
	if testing.Short() {
		n = 2000
	}
	b := newBook(t, n)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "export.csv")
	b.writeCSV(t, csvPath)
	r := &outlook.Reader{Connect: b.ol.Connect, CacheFile: filepath.Join(dir, "cache.json"), Pause: time.Microsecond, Batch: 500}

	stCSV := openStore(t, filepath.Join(dir, "csv"))
	stOL := openStore(t, filepath.Join(dir, "ol"))
	p := policy.Default()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if _, err := app.SnapshotExport(stCSV, csvPath, app.SnapshotOptions{Policy: p, Force: true}); err != nil {
		t.Fatal(err)
	}
	first, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.Keep(first)
	if _, err := stOL.Commit(outlook.Location, t0, first.Contacts, app.Judge(p)); err != nil {
		t.Fatal(err)
	}

	// A sync strips the categories of 20 contacts that had several (the device keeps one).
	changed := 0
	for i, row := range b.rows {
		cat := row[indexOf(b.header, "Categories")]
		if changed == 20 || !strings.Contains(cat, ";") {
			continue
		}
		b.set(i, "Categories", strings.TrimSpace(strings.Split(cat, ";")[0]))
		changed++
	}
	if changed != 20 {
		t.Fatalf("the book has only %d contacts with several categories", changed)
	}
	b.writeCSV(t, csvPath)
	before := b.ol.Opened()
	second, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.Keep(second)
	if got := b.ol.Opened() - before; got != 20 || second.Opened != 20 || second.Reused != n-20 {
		t.Fatalf("the incremental read opened %d items (reported %d, reused %d); want the 20 changed", got, second.Opened, second.Reused)
	}
	resCSV, err := app.SnapshotExport(stCSV, csvPath, app.SnapshotOptions{Policy: p, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	resOL, err := stOL.Commit(outlook.Location, t0.Add(time.Hour), second.Contacts, app.Judge(p))
	if err != nil {
		t.Fatal(err)
	}
	sc, so := resCSV.Snapshot, resOL.Snapshot
	if sc.Added != so.Added || sc.Removed != so.Removed || sc.Changed != so.Changed || so.Changed != 20 {
		t.Fatalf("export: +%d -%d ~%d; Outlook: +%d -%d ~%d", sc.Added, sc.Removed, sc.Changed, so.Added, so.Removed, so.Changed)
	}
	if got, want := summary(resOL.Findings), summary(resCSV.Findings); got != want || want == "" {
		t.Fatalf("findings from Outlook %q, from the export %q", got, want)
	}
}

func TestOutlookClosingMidReadRecordsNothing(t *testing.T) {
	t.Parallel()
	b := newBook(t, 400)
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache.json")
	r := &outlook.Reader{Connect: b.ol.Connect, CacheFile: cache, Batch: 50, Pause: time.Microsecond}
	st := openStore(t, filepath.Join(dir, "h"))
	first, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(outlook.Location, time.Now(), first.Contacts, app.Judge(nil)); err != nil {
		t.Fatal(err)
	}
	r.Keep(first)
	cached, _ := os.ReadFile(cache)

	// Every item changed (a sync rewrote them), then Outlook closes after 120 of them.
	for i := range b.rows {
		b.set(i, "User 1", "rewritten")
	}
	b.ol.Start()
	b.ol.CloseAfter = 120
	res, err := r.Read(context.Background())
	if !errors.Is(err, outlook.ErrClosed) || res != nil {
		t.Fatalf("read while Outlook closed: %v, %v; want ErrClosed and nothing", res, err)
	}
	if now, _ := os.ReadFile(cache); !bytes.Equal(now, cached) {
		t.Fatal("a read cut short changed the cache")
	}
	if sn, _ := st.Latest(); sn.ID != 1 || sn.Contacts != 400 {
		t.Fatalf("history after the cut read: %+v", sn)
	}
	if msg := outlook.Explain(err); !strings.Contains(msg, "Nothing was recorded") {
		t.Fatalf("explanation: %q", msg)
	}
}

func TestEntryIDMakesARenameAChange(t *testing.T) {
	t.Parallel()
	b := newBook(t, 50)
	dir := t.TempDir()
	r := &outlook.Reader{Connect: b.ol.Connect, CacheFile: filepath.Join(dir, "cache.json"), Pause: time.Microsecond}
	st := openStore(t, filepath.Join(dir, "h"))
	first, _ := r.Read(context.Background())
	if _, err := st.Commit(outlook.Location, time.Now(), first.Contacts, app.Judge(nil)); err != nil {
		t.Fatal(err)
	}
	r.Keep(first)
	// Married and moved firm: new last name, new e-mail, new phone, new company. Nothing
	// a guess could match on is left; the EntryID is.
	b.ol.Edit(b.ids[3], map[string]string{"LastName": "Zzyzx", "FirstName": "Quentin", "Email1Address": "q.zzyzx@elsewhere.example",
		"BusinessTelephoneNumber": "+1 415 555 0199", "MobileTelephoneNumber": "", "HomeTelephoneNumber": "", "CompanyName": "Elsewhere LLP",
		"Email2Address": "", "Email3Address": ""})
	second, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.Keep(second)
	res, err := st.Commit(outlook.Location, time.Now().Add(time.Minute), second.Contacts, app.Judge(nil))
	if err != nil {
		t.Fatal(err)
	}
	if sn := res.Snapshot; sn.Changed != 1 || sn.Added != 0 || sn.Removed != 0 {
		t.Fatalf("rename read from Outlook: +%d -%d ~%d; want one change", sn.Added, sn.Removed, sn.Changed)
	}

	// And a contact deleted while a new one with the same name and e-mail (and a new
	// phone) is typed is a removal and an addition, not an edit. (Identical content under
	// a new EntryID, as an item moved between folders gets, stays one unchanged contact.)
	retyped := b.props(b.rows[5])
	retyped["PagerNumber"] = "+1 212 555 0100"
	b.ol.Delete(b.ids[5])
	b.ol.Add("Contacts", retyped)
	third, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err = st.Commit(outlook.Location, time.Now().Add(2*time.Minute), third.Contacts, app.Judge(nil))
	if err != nil {
		t.Fatal(err)
	}
	if sn := res.Snapshot; sn.Added != 1 || sn.Removed != 1 {
		t.Fatalf("delete and retype: +%d -%d ~%d; want one removal and one addition", sn.Added, sn.Removed, sn.Changed)
	}
}

func TestFailuresAreToldPlainly(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(o *outlooktest.Outlook, r *outlook.Reader)
		want  error
		words string
	}{
		{"not running", func(o *outlooktest.Outlook, _ *outlook.Reader) { o.Stop() }, outlook.ErrNotRunning, "never starts Outlook"},
		{"access refused", func(o *outlooktest.Outlook, _ *outlook.Reader) { o.Deny() }, outlook.ErrAccessDenied, "A program is trying to access e-mail address information"},
		{"prompt denied while reading", func(o *outlooktest.Outlook, _ *outlook.Reader) { o.DenyItems = true }, outlook.ErrAccessDenied, "Programmatic Access"},
		{"a folder that does not exist", func(_ *outlooktest.Outlook, r *outlook.Reader) { r.Folders = []string{"Clients"} }, outlook.ErrFolder, "folder names"},
		{"no Outlook at all", func(_ *outlooktest.Outlook, r *outlook.Reader) { r.Connect = nil }, outlook.ErrUnsupported, "export"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := outlooktest.New()
			o.Add("Contacts", map[string]string{"FirstName": "Ann", "LastName": "Lee"})
			r := &outlook.Reader{Connect: o.Connect, CacheFile: filepath.Join(t.TempDir(), "c.json")}
			tc.setup(o, r)
			res, err := r.Read(context.Background())
			if !errors.Is(err, tc.want) || res != nil {
				t.Fatalf("got %v, %v; want %v", res, err, tc.want)
			}
			if msg := outlook.Explain(err); !strings.Contains(msg, tc.words) || strings.Contains(msg, "syncguard ") {
				t.Fatalf("explanation %q should say %q and name no command", msg, tc.words)
			}
		})
	}
}

func TestSubfoldersAndAFolderChangingWhileRead(t *testing.T) {
	t.Parallel()
	o := outlooktest.New()
	o.AddFolder("Contacts/Clients")
	a := o.Add("Contacts", map[string]string{"FirstName": "Ann", "LastName": "Lee", "Email1Address": "ann@example.com"})
	o.Add("Contacts/Clients", map[string]string{"FirstName": "Bo", "LastName": "Ray", "Categories": "Clients; VIP", "Sensitivity": "2", "User1": "matter 42"})
	deleted := false
	o.DuringItems = func(o *outlooktest.Outlook) {
		if !deleted {
			deleted = true
			o.Delete(a) // deleted between the listing and the opening
		}
	}
	r := &outlook.Reader{Connect: o.Connect, Folders: []string{"Clients"}, Batch: 1, Pause: time.Microsecond}
	res, err := r.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Contacts) != 1 || res.Contacts[0].DisplayName() != "Bo Ray" {
		t.Fatalf("contacts: %v", names(res.Contacts))
	}
	c := res.Contacts[0]
	if !reflect.DeepEqual(c.Categories, []string{"Clients", "VIP"}) || c.Source.File != "Outlook: Contacts/Clients" {
		t.Fatalf("categories %q, source %+v", c.Categories, c.Source)
	}
	other := map[string]string{}
	for _, f := range c.Other {
		other[f.Name] = f.Value
	}
	if other["Private"] != "True" || other["Sensitivity"] != "Private" || other["User 1"] != "matter 42" {
		t.Fatalf("Private flag and User 1 not kept as the export keeps them: %v", other)
	}
}

func openStore(t testing.TB, dir string) *history.Store {
	t.Helper()
	if err := datadir.Ensure(dir); err != nil {
		t.Fatal(err)
	}
	st, err := history.Open(dir, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func names(cs []*contacts.Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.DisplayName())
	}
	return out
}

// summary is what a user sees of the findings: kind, severity and how many contacts.
func summary(fs []findings.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s/%s/%d", f.Kind, f.Severity, len(f.Contacts)))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}
