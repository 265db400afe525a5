package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// runIn runs the command line in-process with the given data folder.
func runIn(t *testing.T, data string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(append([]string{"--data", data}, args...), &out, &errb, nil)
	return out.String(), errb.String(), code
}

// writeCSVExport writes a book as the Outlook CSV export (atomically) and dates it in the
// past, as an export that finished a while ago.
var writeCSVExport = books.WriteBook

// sandbox is a command line test's folder: the history in data, the Outlook CSV export
// beside it.
type testFolder struct{ dir, data, export string }

func newSandbox(t *testing.T) testFolder {
	dir := t.TempDir()
	return testFolder{dir: dir, data: filepath.Join(dir, "data"), export: filepath.Join(dir, "contacts.csv")}
}

// snapshot writes book as the export and takes a snapshot of it, which must exit with
// want; it returns what the command printed.
func (s testFolder) snapshot(t *testing.T, book []*contacts.Contact, want int) string {
	t.Helper()
	writeCSVExport(t, s.export, book)
	out, stderr, code := runIn(t, s.data, "snapshot", "--export", s.export)
	if code != want {
		t.Fatalf("snapshot of %d contacts: exit %d, want %d\n%s%s", len(book), code, want, out, stderr)
	}
	return out
}

func TestHistoryScenario(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(2026, 2000)
	for i := 0; i < 2000; i += 3 {
		if len(book[i].Categories) == 0 {
			book[i].Categories = []string{"Clients"}
		}
		if book[i].Mileage == "" {
			book[i].Mileage = fmt.Sprintf("IA%06d", i)
		}
	}
	writeCSVExport(t, export, book)
	out, stderr, code := runIn(t, data, "snapshot", "--export", export, "--json")
	var first struct {
		ID       uint64 `json:"id"`
		Contacts int    `json:"contacts"`
		Added    int    `json:"added"`
	}
	if err := json.Unmarshal([]byte(out), &first); err != nil || code != 0 || first.Contacts != 2000 || first.Added != 2000 {
		t.Fatalf("first snapshot: code %d %s %s", code, out, stderr)
	}

	// The changed export: 150 deletions, 20 renames with the same e-mail, 40 edits.
	var next []*contacts.Contact
	removed := map[string]bool{}
	renamed, edited := 0, 0
	var renamedOne *contacts.Contact
	for i, c := range book {
		switch {
		case i%13 == 5 && len(removed) < 150:
			removed[c.Emails[0].Value] = true
			continue
		case i%41 == 7 && renamed < 20:
			c = c.Clone()
			c.StructuredName.Family = "Renamed-" + c.StructuredName.Family
			c.Name = c.StructuredName.Formatted()
			renamed++
			if renamedOne == nil {
				renamedOne = c
			}
		case i%29 == 11 && edited < 40:
			c = c.Clone()
			c.Title = "Senior " + c.Title
			edited++
		}
		next = append(next, c)
	}
	writeCSVExport(t, export, next)
	out, stderr, code = runIn(t, data, "snapshot", "--export", export, "--json")
	if code != ExitDanger {
		t.Errorf("150 deletions of 2,000 must exit %d (danger), got %d", ExitDanger, code)
	}
	var second struct {
		ID                      uint64 `json:"id"`
		Added, Removed, Changed int
		Findings                []struct{ Kind string }
	}
	if err := json.Unmarshal([]byte(out), &second); err != nil {
		t.Fatalf("second snapshot: %v %s %s", err, out, stderr)
	}
	if second.Added != 0 || second.Removed != 150 || second.Changed != 60 {
		t.Fatalf("second snapshot: added %d removed %d changed %d; want 0, 150, 60", second.Added, second.Removed, second.Changed)
	}

	out, _, code = runIn(t, data, "diff", "1", "2", "--json")
	var d struct {
		Added   []json.RawMessage
		Removed []struct{ Contact contacts.Contact }
		Changed []struct {
			Fields []struct{ Field string }
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 {
		t.Fatalf("diff: %v %s", err, out)
	}
	fieldCount := map[string]int{}
	for _, c := range d.Changed {
		for _, f := range c.Fields {
			fieldCount[f.Field]++
		}
	}
	if len(d.Added) != 0 || len(d.Removed) != 150 || fieldCount["name"] != 20 || fieldCount["title"] != 40 || len(d.Changed) != 60 {
		t.Errorf("diff: %d added, %d removed, fields %v", len(d.Added), len(d.Removed), fieldCount)
	}

	restored := filepath.Join(dir, "restore.csv")
	out, stderr, code = runIn(t, data, "restore", "--snapshot", "1", "--only", "removed", "--format", "csv", "--out", restored)
	if code != 0 || !strings.Contains(out, "Wrote 150 contacts") || !strings.Contains(out, "Import from another program or file") {
		t.Fatalf("restore: %d %s %s", code, out, stderr)
	}
	datadir.ExpectPrivate(t, restored)
	cs, errs, sum := exports.ReadFile(restored)
	if len(errs) > 0 || sum.Format != exports.FormatOutlookCSV || len(cs) != 150 {
		t.Fatalf("read back %d contacts (%s), %v", len(cs), sum.Format, errs)
	}
	want := map[string]*contacts.Contact{}
	for _, c := range book {
		if removed[c.Emails[0].Value] {
			want[c.Emails[0].Value] = c
		}
	}
	var got []string
	for _, c := range cs {
		w := want[c.Emails[0].Value]
		if w == nil {
			t.Errorf("restored %s, which was not deleted", c.DisplayName())
			continue
		}
		if strings.Join(c.Categories, ";") != strings.Join(w.Categories, ";") || c.Mileage != w.Mileage || c.Fingerprint("") != w.Fingerprint("") {
			t.Errorf("%s restored as %q/%q, was %q/%q", c.DisplayName(), c.Categories, c.Mileage, w.Categories, w.Mileage)
		}
		got = append(got, c.Emails[0].Value)
	}
	sort.Strings(got)
	if len(got) != 150 {
		t.Errorf("%d distinct deleted contacts restored", len(got))
	}

	// history --json and show.
	out, _, _ = runIn(t, data, "history", "--json")
	var h struct {
		Snapshots []struct {
			ID                      uint64
			Contacts                int
			Added, Removed, Changed int
		}
	}
	json.Unmarshal([]byte(out), &h)
	if len(h.Snapshots) != 2 || h.Snapshots[1].Contacts != 1850 || h.Snapshots[1].Removed != 150 {
		t.Errorf("history: %+v", h)
	}
	out, _, code = runIn(t, data, "show", renamedOne.Emails[0].Value)
	if code != 0 || !strings.Contains(out, "2 versions") || !strings.Contains(out, "name:") {
		t.Errorf("show: %s", out)
	}
}

func TestSecondInstanceIsRefused(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	export := filepath.Join(t.TempDir(), "c.csv")
	writeCSVExport(t, export, gen.Book(1, 10))
	var out, errb bytes.Buffer
	// Hold the database as the tray app would.
	Main([]string{"--data", data, "snapshot", "--export", export}, &out, &errb, nil)
	st, err := openStore(&Env{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, stderr, code := runIn(t, data, "history")
	if code != ExitFailed || !strings.Contains(stderr, "SyncGuard is already running") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}
