package history

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/policy"
)

func open(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// writeOld writes a vCard folder and dates its files a minute back, as an export that
// finished a while ago.
func writeOld(t testing.TB, dir string, book []*contacts.Contact) {
	t.Helper()
	if err := gen.WriteVCardFolder(dir, book, gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	ageFiles(t, dir, time.Minute)
}

func ageFiles(t testing.TB, dir string, by time.Duration) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	old := time.Now().Add(-by)
	for _, e := range ents {
		os.Chtimes(filepath.Join(dir, e.Name()), old, old)
	}
}

func TestOpenIsPrivateAndSingle(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	s := open(t, dir)
	datadir.ExpectPrivate(t, dir)
	datadir.ExpectPrivate(t, s.Path())
	// The second instance gives up after its lock timeout with an error that says why (a
	// hang would end in the test's own timeout; no duration is asserted on a shared machine).
	_, err := Open(dir, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrAlreadyRunning) || !strings.Contains(err.Error(), "SyncGuard is already running") {
		t.Fatalf("second open: %v", err)
	}
}

func TestSnapshotUnchangedAndIncremental(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	book := gen.Book(1, 300)
	writeOld(t, export, book)
	s := open(t, filepath.Join(dir, "data"))

	r, err := s.SnapshotExport(export, SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Contacts != 300 || r.Snapshot.Added != 300 {
		t.Fatalf("first snapshot: %+v %v", r, err)
	}
	r, err = s.SnapshotExport(export, SnapshotOptions{})
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
	ageFiles(t, export, 30*time.Second)

	r, err = s.SnapshotExport(export, SnapshotOptions{})
	if err != nil || r.Snapshot.ID != 2 || r.Snapshot.Contacts != 300 || len(r.Change.Changed) != 1 || len(r.Change.Removed) != 1 || len(r.Change.Added) != 1 {
		t.Fatalf("incremental snapshot: %+v, change %d/%d/%d, %v", r.Snapshot, len(r.Change.Added), len(r.Change.Removed), len(r.Change.Changed), err)
	}
	if f := r.Change.Changed[0].Fields; len(f) != 1 || f[0].Field != "phones" || !strings.Contains(f[0].New, "(999) 555-0199") {
		t.Errorf("fields %+v", f)
	}
	// The incremental state equals a full read of the same files.
	full := open(t, filepath.Join(dir, "data2"))
	fr, err := full.SnapshotExport(export, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Contacts(2)
	b, _ := full.Contacts(fr.Snapshot.ID)
	if len(a) != 300 || fps(a) != fps(b) {
		t.Error("the incremental snapshot differs from a full read of the same export")
	}
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

func TestExportProblemsAreNeverDeletions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.vcf")
	if err := gen.WriteVCardFile(export, gen.Book(2, 50), gen.VCardOptions{}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(export, old, old)
	s := open(t, filepath.Join(dir, "data"))
	if _, err := s.SnapshotExport(export, SnapshotOptions{}); err != nil {
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
		r, err := s.SnapshotExport(export, SnapshotOptions{})
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
	r, err := s.SnapshotExport(export, SnapshotOptions{})
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
	s := open(t, filepath.Join(dir, "data"))
	r, err := s.SnapshotExport(export, SnapshotOptions{Settle: 150 * time.Millisecond, MaxWait: 30 * time.Second})
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if r.Missing || r.Snapshot.Contacts != 200 {
		t.Errorf("a growing export must be read once whole: %+v", r.Snapshot)
	}
}

func TestFindingsKeepTheirState(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	now := time.Now()
	f := findings.Finding{Kind: findings.ConduitSetting, Severity: findings.Warning, Subject: "dev1", Title: "t"}
	if _, err := s.SaveFindings([]findings.Finding{f}, nil, now); err != nil {
		t.Fatal(err)
	}
	list, _ := s.Findings(false)
	if _, err := s.SetFindingState(list[0].ID[:10], findings.Acknowledged, "FIRM\\anna", now); err != nil {
		t.Fatal(err)
	}
	s.SaveFindings([]findings.Finding{f}, nil, now.Add(time.Hour))
	all, _ := s.Findings(true)
	if len(all) != 1 || all[0].State != findings.Acknowledged || !all[0].FirstSeen.Equal(list[0].FirstSeen) {
		t.Errorf("a finding seen again must stay one, acknowledged: %+v", all)
	}
	if all[0].AcknowledgedBy != "FIRM\\anna" || !all[0].AcknowledgedAt.Equal(now) {
		t.Errorf("who accepted it and when must survive the check that sees it again: %q %v", all[0].AcknowledgedBy, all[0].AcknowledgedAt)
	}
	// The check runs again and no longer sees it: resolved.
	s.SaveFindings(nil, []findings.Kind{findings.ConduitSetting}, now.Add(2*time.Hour))
	all, _ = s.Findings(true)
	if all[0].State != findings.Resolved {
		t.Errorf("state %s", all[0].State)
	}
	ev, _ := s.Events(0)
	if len(ev) == 0 || ev[len(ev)-1].Kind != EventAcknowledged {
		t.Errorf("events %+v", ev)
	}
}

func TestRetentionKeepsWhatItMustAndRebuildsTheRest(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	book := gen.Book(5, 100)
	start := time.Now().AddDate(0, 0, -400)
	for d := 0; d < 400; d += 3 {
		now := start.AddDate(0, 0, d)
		book[d%100] = book[d%100].Clone()
		book[d%100].Note += " edit"
		if _, err := s.Commit("x", now, book, nil); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := s.Snapshots()
	latest := before[len(before)-1]
	want, _ := s.Contacts(latest.ID)
	n, _, err := s.Prune(policy.Default().Retention, start.AddDate(0, 0, 400))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.Snapshots()
	if n == 0 || len(after) != len(before)-n {
		t.Fatalf("pruned %d of %d, %d left", n, len(before), len(after))
	}
	// Every kept snapshot still rebuilds, and the latest is intact.
	for _, sn := range after {
		es, err := s.Contacts(sn.ID)
		if err != nil || len(es) != 100 {
			t.Fatalf("snapshot %d after pruning: %d contacts, %v", sn.ID, len(es), err)
		}
	}
	got, _ := s.Contacts(latest.ID)
	for i := range want {
		if want[i].Contact.Fingerprint("") != got[i].Contact.Fingerprint("") {
			t.Fatal("the latest snapshot changed in pruning")
		}
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	// Snapshots of the last 30 days are all kept.
	recent := 0
	for _, sn := range after {
		if sn.Time.After(start.AddDate(0, 0, 370)) {
			recent++
		}
	}
	if recent != 10 {
		t.Errorf("%d snapshots of the last 30 days kept, want all 10", recent)
	}
}

func TestCompactionShrinksAndKeepsEverything(t *testing.T) {
	old := compactMinSize
	compactMinSize = 0
	defer func() { compactMinSize = old }()
	dir := t.TempDir()
	s := open(t, dir)
	book := gen.Book(6, 1000)
	start := time.Now().AddDate(0, 0, -20)
	for d := 0; d < 20; d++ {
		for k := 0; k < 50; k++ {
			i := (d*37 + k*53) % len(book)
			book[i] = book[i].Clone()
			book[i].Note += fmt.Sprint(" day ", d)
		}
		if _, err := s.Commit("x", start.AddDate(0, 0, d), book, nil); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := s.Contacts(20)
	before, usedBefore := s.FileSize(), s.pagesUsed()
	did, err := s.CompactIfWasteful()
	if err != nil || !did {
		t.Fatalf("compaction: %v %v (file %d bytes)", did, err, before)
	}
	// What the user gets back is the space the pages took. On Windows bbolt keeps the file
	// at its mapped size (16 MB here) whatever it holds, so there the file only must not
	// grow; elsewhere it shrinks with the pages.
	if used := s.pagesUsed(); used >= usedBefore {
		t.Errorf("%d bytes of pages after compaction, %d before", used, usedBefore)
	}
	if after := s.FileSize(); after > before || (runtime.GOOS != "windows" && after >= before) {
		t.Errorf("file %d bytes after compaction, %d before", after, before)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Contacts(20)
	if err != nil || fps(got) != fps(want) {
		t.Fatalf("the latest snapshot changed in compaction: %v", err)
	}
	for id := uint64(1); id <= 20; id++ {
		if es, err := s.Contacts(id); err != nil || len(es) != len(book) {
			t.Fatalf("snapshot %d after compaction: %d, %v", id, len(es), err)
		}
	}
	datadir.ExpectPrivate(t, s.Path())
}

// pagesUsed is the database's size up to its last page in use (bbolt's high-water mark).
func (s *Store) pagesUsed() int64 {
	var n int64
	s.db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
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
		s := open(t, filepath.Join(dir, "data"))
		if r, err := s.SnapshotExport(export, SnapshotOptions{}); err != nil || r.Snapshot.Contacts != len(book) {
			t.Fatalf("%s: first snapshot %+v %v", name, r, err)
		}
		for _, frac := range []float64{0.13, 0.5, 0.77, 0.999} {
			cut := int(float64(len(whole)) * frac)
			write(whole[:cut])
			r, err := s.SnapshotExport(export, SnapshotOptions{})
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
		if r, err := s.SnapshotExport(export, SnapshotOptions{}); err != nil || r.Missing {
			t.Errorf("%s: after exporting again: %+v %v", name, r, err)
		}
	}
}
