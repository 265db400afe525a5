package app

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// The snapshot workflow's tests (SnapshotExport): they moved here from internal/history
// with the workflow, which reads, settles and judges the export before the history
// records it.

func openHistory(t testing.TB, dir string) *history.Store {
	t.Helper()
	s, err := history.Open(dir, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fps is the multiset of a book's fingerprints, for comparing two rebuilt books.
func fps(es []diff.Entry) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Contact.Fingerprint("")
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestSnapshotUnchangedAndIncremental(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	book := gen.Book(1, 300)
	books.WriteOldVCards(t, export, book)
	s := openHistory(t, filepath.Join(dir, "data"))

	r, err := SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Contacts != 300 || r.Snapshot.Added != 300 {
		t.Fatalf("first snapshot: %+v %v", r, err)
	}
	r, err = SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || !r.Unchanged || r.Snapshot.ID != 1 {
		t.Fatalf("an unchanged export must not make a snapshot: %+v %v", r, err)
	}

	// One file edited, one deleted, one added.
	ents, _ := os.ReadDir(export)
	edited := filepath.Join(export, ents[10].Name())
	data, _ := os.ReadFile(edited)
	os.WriteFile(edited, []byte(strings.Replace(string(data), "END:VCARD", "TEL;HOME:(999) 555-0199\r\nEND:VCARD", 1)), 0o600)
	os.Remove(filepath.Join(export, ents[20].Name()))
	newbie := gen.Book(99, 1)
	gen.WriteVCardFolder(filepath.Join(dir, "new"), newbie, gen.VCardOptions{})
	newName, _ := os.ReadDir(filepath.Join(dir, "new"))
	os.Rename(filepath.Join(dir, "new", newName[0].Name()), filepath.Join(export, "zz-new.vcf"))
	books.AgeFiles(t, export, 30*time.Second)

	r, err = SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || r.Snapshot.ID != 2 || r.Snapshot.Contacts != 300 || len(r.Change.Changed) != 1 || len(r.Change.Removed) != 1 || len(r.Change.Added) != 1 {
		t.Fatalf("incremental snapshot: %+v, change %d/%d/%d, %v", r.Snapshot, len(r.Change.Added), len(r.Change.Removed), len(r.Change.Changed), err)
	}
	if f := r.Change.Changed[0].Fields; len(f) != 1 || f[0].Field != "phones" || !strings.Contains(f[0].New, "(999) 555-0199") {
		t.Errorf("fields %+v", f)
	}
	// The incremental state equals a full read of the same files.
	full := openHistory(t, filepath.Join(dir, "data2"))
	fr, err := SnapshotExport(full, export, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Contacts(2)
	b, _ := full.Contacts(fr.Snapshot.ID)
	if len(a) != 300 || fps(a) != fps(b) {
		t.Error("the incremental snapshot differs from a full read of the same export")
	}
}

func TestExportProblemsAreNeverDeletions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.vcf")
	if err := gen.WriteVCardFile(export, gen.Book(2, 50), gen.VCardOptions{}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(export, old, old)
	s := openHistory(t, filepath.Join(dir, "data"))
	if _, err := SnapshotExport(s, export, SnapshotOptions{}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(){
		"gone":        func() { os.Remove(export) },
		"empty":       func() { os.WriteFile(export, nil, 0o600) },
		"unreadable":  func() { os.WriteFile(export, []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0}, 0o600) },
		"no contacts": func() { os.WriteFile(export, []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nEND:VCARD\r\n"), 0o600) },
	}
	for name, breakIt := range cases {
		breakIt()
		os.Chtimes(export, old, old)
		r, err := SnapshotExport(s, export, SnapshotOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !r.Missing || r.Snapshot == nil || r.Snapshot.ID != 1 || r.Snapshot.Contacts != 50 {
			t.Errorf("%s: %+v; want no new snapshot and #1 current", name, r)
		}
		if len(r.Findings) != 1 || r.Findings[0].Kind != findings.ExportMissing || r.Findings[0].Severity != findings.Danger {
			t.Errorf("%s: findings %+v", name, r.Findings)
		}
		if list, _ := s.Snapshots(); len(list) != 1 {
			t.Errorf("%s: %d snapshots", name, len(list))
		}
	}
	open, _ := s.Findings(false)
	if len(open) != 1 {
		t.Errorf("the same export problem must be one finding, updated, not %d", len(open))
	}
	// The export comes back: a snapshot again, and the export-missing finding is resolved.
	gen.WriteVCardFile(export, gen.Book(2, 50), gen.VCardOptions{})
	os.Chtimes(export, old, old)
	r, err := SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || r.Missing {
		t.Fatalf("%+v %v", r, err)
	}
	if open, _ := s.Findings(false); len(open) != 0 {
		t.Errorf("open findings after the export came back: %+v", open)
	}
}

func TestStillGrowingExportIsWaitedFor(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.vcf")
	book := gen.Book(3, 200)
	f, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	gen.WriteVCard21(f, book[0], gen.VCardOptions{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, c := range book[1:] {
			gen.WriteVCard21(f, c, gen.VCardOptions{})
			f.Sync()
			time.Sleep(2 * time.Millisecond)
		}
		f.Close()
	}()
	s := openHistory(t, filepath.Join(dir, "data"))
	r, err := SnapshotExport(s, export, SnapshotOptions{Settle: 150 * time.Millisecond, MaxWait: 30 * time.Second})
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if r.Missing || r.Snapshot.Contacts != 200 {
		t.Errorf("a growing export must be read once whole: %+v", r.Snapshot)
	}
}

// TestCutOffExportIsNeverDeletions cuts an Outlook CSV and a vCard file at many points, as a
// crash or a full disk leaves an export half-written: the contacts after the cut must never
// show up as removed, and the last good snapshot stays current.
func TestCutOffExportIsNeverDeletions(t *testing.T) {
	t.Parallel()
	book := gen.Book(11, 120)
	var csv bytes.Buffer
	if err := exports.WriteOutlookCSV(&csv, book); err != nil {
		t.Fatal(err)
	}
	var vcf bytes.Buffer
	for _, c := range book {
		if err := gen.WriteVCard21(&vcf, c, gen.VCardOptions{Categories: true}); err != nil {
			t.Fatal(err)
		}
	}
	for name, whole := range map[string][]byte{"contacts.csv": csv.Bytes(), "contacts.vcf": vcf.Bytes()} {
		dir := t.TempDir()
		export := filepath.Join(dir, name)
		old := time.Now().Add(-time.Minute)
		write := func(data []byte) {
			if err := os.WriteFile(export, data, 0o600); err != nil {
				t.Fatal(err)
			}
			os.Chtimes(export, old, old)
		}
		write(whole)
		s := openHistory(t, filepath.Join(dir, "data"))
		if r, err := SnapshotExport(s, export, SnapshotOptions{}); err != nil || r.Snapshot.Contacts != len(book) {
			t.Fatalf("%s: first snapshot %+v %v", name, r, err)
		}
		for _, frac := range []float64{0.13, 0.5, 0.77, 0.999} {
			cut := int(float64(len(whole)) * frac)
			write(whole[:cut])
			r, err := SnapshotExport(s, export, SnapshotOptions{})
			if err != nil {
				t.Fatalf("%s cut at %d: %v", name, cut, err)
			}
			if !r.Missing || r.Snapshot.ID != 1 || len(r.Findings) != 1 || r.Findings[0].Kind != findings.ExportMissing ||
				!strings.Contains(r.Problem, " cut ") || !strings.Contains(r.Problem, export) {
				t.Errorf("%s cut at %d of %d bytes: missing=%v problem %q findings %+v; want export-missing and #1 current",
					name, cut, len(whole), r.Missing, r.Problem, r.Findings)
			}
		}
		if list, _ := s.Snapshots(); len(list) != 1 {
			t.Errorf("%s: %d snapshots, want only the good one", name, len(list))
		}
		write(whole) // exported again: readable, as it was, the episode ends
		if r, err := SnapshotExport(s, export, SnapshotOptions{}); err != nil || r.Missing {
			t.Errorf("%s: after exporting again: %+v %v", name, r, err)
		}
	}
}

// streamAlways makes every first snapshot of the export workflow stream, for a test.
func streamAlways(t *testing.T) {
	minBytes := streamMinBytes
	streamMinBytes = 0
	t.Cleanup(func() { streamMinBytes = minBytes })
}

// TestStreamedFirstSnapshotJudgesAsTheOrdinaryOne: the same book snapshotted as a large
// export (streamed into the history) and as a small one records the same contacts under
// the same keys and fingerprints and raises the same findings: a book with duplicates
// warns whatever its size.
func TestStreamedFirstSnapshotJudgesAsTheOrdinaryOne(t *testing.T) {
	export := filepath.Join(t.TempDir(), "export")
	book := gen.Book(21, 400)
	copies := 0
	for i := 0; copies < 3; i++ {
		if len(book[i].Emails) == 0 {
			continue
		}
		c := book[i].Clone() // the same person again, entered with a note: a duplicate
		c.Note = "added by the handheld"
		book = append(book, c)
		copies++
	}
	book = append(book, book[7].Clone()) // an exact copy: one version, two keys
	books.WriteOldVCards(t, export, book)
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

	take := func(stream bool) (*history.Store, *SnapshotResult) {
		minBytes := streamMinBytes
		if stream {
			streamMinBytes = 0
		} else {
			streamMinBytes = 1 << 62
		}
		defer func() { streamMinBytes = minBytes }()
		s := openHistory(t, filepath.Join(t.TempDir(), "data"))
		r, err := SnapshotExport(s, export, SnapshotOptions{Now: now})
		if err != nil || r.Missing {
			t.Fatalf("stream=%v: %+v %v", stream, r, err)
		}
		return s, r
	}
	plain, pr := take(false)
	streamed, sr := take(true)
	if len(pr.Change.Added) != len(book) || len(sr.Change.Added) != 0 || sr.Change.After != len(book) {
		t.Errorf("the ordinary path lists the added contacts (%d), the stream counts them (%d of %d): the paths were not both taken",
			len(pr.Change.Added), len(sr.Change.Added), sr.Change.After)
	}
	if *pr.Snapshot != *sr.Snapshot {
		t.Errorf("snapshot records differ:\n plain    %+v\n streamed %+v", *pr.Snapshot, *sr.Snapshot)
	}
	keyed := func(s *history.Store) string {
		es, err := s.Contacts(1)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Key + " " + e.Contact.Fingerprint("") + " " + e.Contact.DisplayName()
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	if a, b := keyed(plain), keyed(streamed); a != b || strings.Count(a, "\n") != len(book)-1 {
		t.Errorf("the contacts, keys or fingerprints of snapshot 1 differ (%d vs %d lines)", strings.Count(a, "\n")+1, strings.Count(b, "\n")+1)
	}
	dups := 0
	for _, f := range pr.Findings {
		if f.Kind == findings.Duplicates {
			dups = len(f.Contacts)
		}
	}
	if dups != copies+1 {
		t.Errorf("the ordinary path found %d duplicates, want %d: %+v", dups, copies+1, pr.Findings)
	}
	if !reflect.DeepEqual(pr.Findings, sr.Findings) {
		t.Errorf("the findings differ:\n plain    %+v\n streamed %+v", pr.Findings, sr.Findings)
	}
	pf, _ := plain.Findings(true)
	sf, _ := streamed.Findings(true)
	if !reflect.DeepEqual(pf, sf) || len(pf) == 0 {
		t.Errorf("the recorded findings differ:\n plain    %+v\n streamed %+v", pf, sf)
	}
}

// TestStreamedFirstSnapshotRefusesACutExport: a file cut off in the middle of the stream
// stops it with export-missing and no snapshot; a good export is then snapshotted whole
// and the export-missing finding resolved.
func TestStreamedFirstSnapshotRefusesACutExport(t *testing.T) {
	streamAlways(t)
	export := filepath.Join(t.TempDir(), "export")
	book := gen.Book(22, 200)
	books.WriteOldVCards(t, export, book)
	files, _ := filepath.Glob(filepath.Join(export, "*.vcf"))
	last := files[len(files)-1]
	whole, err := os.ReadFile(last)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(last, whole[:len(whole)/2], 0o600)
	books.AgeFiles(t, export, time.Minute)
	s := openHistory(t, filepath.Join(t.TempDir(), "data"))
	r, err := SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || !r.Missing || r.Snapshot != nil || !strings.Contains(r.Problem, last) {
		t.Fatalf("missing=%v problem %q, %v; want export-missing naming %s", r.Missing, r.Problem, err, last)
	}
	if len(r.Findings) != 1 || r.Findings[0].Kind != findings.ExportMissing {
		t.Errorf("findings %+v; want export-missing", r.Findings)
	}
	if list, _ := s.Snapshots(); len(list) != 0 {
		t.Fatalf("%d snapshots after a cut export", len(list))
	}
	os.WriteFile(last, whole, 0o600)
	books.AgeFiles(t, export, time.Minute)
	r, err = SnapshotExport(s, export, SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Contacts != 200 {
		t.Fatalf("after exporting again: missing=%v %q %v", r.Missing, r.Problem, err)
	}
	if open, _ := s.Findings(false); len(open) != 0 {
		t.Errorf("the export-missing finding is still open: %+v", open)
	}
}

// TestSnapshotTakesThePolicysCountryCode: under country_code 44, "020 7946 0000" and
// "+44 20 7946 0000" are one number, on both paths of a first snapshot (a copy of a
// contact with the number written the other way is a duplicate) and in the next one (a
// number only rewritten is no change); under the default (1) they are two numbers.
func TestSnapshotTakesThePolicysCountryCode(t *testing.T) {
	book := gen.Book(5, 60)
	a := book[3]
	a.Emails = nil
	a.Phones = []contacts.Value{{Value: "020 7946 0000", Types: []string{"WORK"}}}
	b := a.Clone()
	b.Phones = []contacts.Value{{Value: "+44 20 7946 0000", Types: []string{"WORK"}}}
	b.Note = "entered on the handheld"
	book = append(book, b)
	export := filepath.Join(t.TempDir(), "export")
	books.WriteOldVCards(t, export, book)
	uk := policyWith(func(p *policy.Policy) { p.Export.CountryCode = "44" })

	dups := func(r *SnapshotResult) int {
		for _, f := range r.Findings {
			if f.Kind == findings.Duplicates {
				return len(f.Contacts)
			}
		}
		return 0
	}
	for _, stream := range []bool{false, true} {
		for _, p := range []*policy.Policy{uk, policy.Default()} {
			minBytes := streamMinBytes
			if stream {
				streamMinBytes = 0
			}
			s := openHistory(t, filepath.Join(t.TempDir(), "data"))
			r, err := SnapshotExport(s, export, SnapshotOptions{Policy: p})
			streamMinBytes = minBytes
			if err != nil || r.Missing {
				t.Fatalf("%+v %v", r, err)
			}
			want := 0
			if p == uk {
				want = 1
			}
			if got := dups(r); got != want {
				t.Errorf("stream=%v country_code %q: %d duplicates, want %d", stream, p.Export.CountryCode, got, want)
			}
		}
	}

	s := openHistory(t, filepath.Join(t.TempDir(), "data"))
	if _, err := SnapshotExport(s, export, SnapshotOptions{Policy: uk}); err != nil {
		t.Fatal(err)
	}
	book[3].Phones = []contacts.Value{{Value: "+44 20 7946 0000", Types: []string{"WORK"}}}
	os.RemoveAll(export)
	books.WriteOldVCards(t, export, book)
	r, err := SnapshotExport(s, export, SnapshotOptions{Policy: uk})
	if err != nil || r.Snapshot.ID != 2 || r.Snapshot.Changed != 0 || r.Snapshot.Added+r.Snapshot.Removed != 0 {
		t.Errorf("a number rewritten in its international form under country_code 44: %+v %v; want no change", r.Snapshot, err)
	}
}

func policyWith(edit func(*policy.Policy)) *policy.Policy {
	p := policy.Default()
	edit(p)
	return p
}
