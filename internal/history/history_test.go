package history

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/diff"
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

// fps is the multiset of a book's fingerprints, for comparing two rebuilt books.
func fps(es []diff.Entry) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Contact.Fingerprint("")
	}
	sort.Strings(out)
	return strings.Join(out, ",")
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
	n, _, err := s.Prune(Retention(policy.Default().Retention), start.AddDate(0, 0, 400))
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

// TestAnEmptyBookIsRefused: a store that holds contacts is never emptied in one change;
// the caller is told (EmptyError) and decides what it means, and nothing is recorded.
func TestAnEmptyBookIsRefused(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "data"))
	if _, err := s.Commit("x", time.Now(), gen.Book(3, 12), nil); err != nil {
		t.Fatal(err)
	}
	_, err := s.Commit("x", time.Now(), nil, nil)
	var empty *EmptyError
	if !errors.As(err, &empty) || empty.Before != 12 {
		t.Fatalf("%v; want an EmptyError naming the 12 contacts", err)
	}
	if list, _ := s.Snapshots(); len(list) != 1 {
		t.Errorf("%d snapshots after the empty book, want 1", len(list))
	}
	if es, err := s.Contacts(1); err != nil || len(es) != 12 {
		t.Errorf("snapshot 1: %d contacts, %v", len(es), err)
	}
}
