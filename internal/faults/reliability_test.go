//go:build reliability

package faults

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
)

// setup writes a book as a vCard folder (or one file), ages it, and takes the first
// snapshot; it returns the store and the book.
func setup(t *testing.T, n int, folder bool) (*history.Store, string, []*contacts.Contact) {
	t.Helper()
	dir := t.TempDir()
	book := gen.Book(uint64(n), n)
	export := filepath.Join(dir, "export")
	var err error
	if folder {
		err = gen.WriteVCardFolder(export, book, gen.VCardOptions{Categories: true})
	} else {
		export += ".vcf"
		err = gen.WriteVCardFile(export, book, gen.VCardOptions{Categories: true})
	}
	if err != nil {
		t.Fatal(err)
	}
	age(t, export)
	// The baseline is what the export held as read, not the generator's book: Outlook's
	// vCards carry no Mileage, so a third of the book reads back without it.
	_, before, err := exports.Read(export)
	if err != nil || len(before.Contacts) != n {
		t.Fatalf("reading the export: %d contacts, %v", len(before.Contacts), err)
	}
	book = before.Contacts
	s, err := history.Open(filepath.Join(dir, "data"), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r, err := app.SnapshotExport(s, export, app.SnapshotOptions{})
	if err != nil || r.Missing || r.Snapshot.Contacts != n {
		t.Fatalf("first snapshot: %+v %v", r, err)
	}
	return s, export, book
}

func age(t *testing.T, path string) {
	t.Helper()
	old := time.Now().Add(-time.Minute)
	filepath.Walk(path, func(p string, _ os.FileInfo, _ error) error { os.Chtimes(p, old, old); return nil })
}

// lost counts the contacts of the first snapshot that a restore can no longer give back.
func lost(t *testing.T, s *history.Store, book []*contacts.Contact) int {
	t.Helper()
	got, err := s.ForRestore(1, history.SelectAll, nil)
	if err != nil {
		t.Fatalf("restore of the first snapshot: %v", err)
	}
	have := map[string]int{}
	for _, c := range got {
		have[c.Fingerprint("")]++
	}
	n := 0
	for _, c := range book {
		fp := c.Fingerprint("")
		if have[fp] == 0 {
			n++
			continue
		}
		have[fp]--
	}
	if err := s.Check(); err != nil {
		t.Fatalf("database check: %v", err)
	}
	return n
}

func report(t *testing.T, s *history.Store, book []*contacts.Contact) {
	n := lost(t, s, book)
	fmt.Printf("%s: contacts lost: %d\n", t.Name(), n)
	if n != 0 {
		t.Errorf("%d contacts can no longer be restored", n)
	}
}

func TestReliabilityHugeExport(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "huge.vcf")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// Contacts with long notes, so that 200 MB stays within exports.MaxContacts.
	book := gen.Book(1, 5000)
	for _, c := range book {
		c.Note = strings.Repeat("A note of some length, as lawyers keep them. ", 25)
	}
	written := 0
	for size := int64(0); size < 200<<20; {
		for _, c := range book {
			gen.WriteVCard21(f, c, gen.VCardOptions{Categories: true})
		}
		written += len(book)
		fi, _ := f.Stat()
		size = fi.Size()
	}
	f.Close()
	start := time.Now()
	cs, errs, sum := exports.ReadFile(p)
	t.Logf("200 MB export: %d contacts, %d errors, %s, in %s", len(cs), len(errs), sum.Format, time.Since(start))
	if len(cs) != written || len(errs) != 0 {
		t.Errorf("%d contacts of %d, errors %v", len(cs), written, errs)
	}
	fmt.Printf("%s: contacts lost: %d\n", t.Name(), written-len(cs))
}

func TestReliabilityGrowingFile(t *testing.T) {
	s, export, book := setup(t, 3000, false)
	// The export is rewritten slowly, as Outlook writes a big export, with 20 contacts more.
	more := append(gen.Book(3000, 3000), gen.Book(99, 20)...)
	tmp, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, c := range more {
			gen.WriteVCard21(tmp, c, gen.VCardOptions{Categories: true})
			if i%100 == 0 {
				tmp.Sync()
				time.Sleep(20 * time.Millisecond)
			}
		}
		tmp.Close()
	}()
	r, err := app.SnapshotExport(s, export, app.SnapshotOptions{Settle: 200 * time.Millisecond, MaxWait: time.Minute})
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if r.Missing || r.Snapshot.Contacts != 3020 || len(r.Change.Removed) != 0 {
		t.Errorf("a growing export must be read once whole: %+v, %d removed", r.Snapshot, len(r.Change.Removed))
	}
	report(t, s, book)
}

func TestReliabilityFolderVanishes(t *testing.T) {
	s, export, book := setup(t, 2000, true)
	if err := os.RemoveAll(export); err != nil {
		t.Fatal(err)
	}
	r, err := app.SnapshotExport(s, export, app.SnapshotOptions{})
	if err != nil || !r.Missing || r.Snapshot.ID != 1 {
		t.Errorf("a vanished export must be export-missing: %+v %v", r, err)
	}
	report(t, s, book)
}

func TestReliabilityFolderReplacedByAnEmptyOne(t *testing.T) {
	s, export, book := setup(t, 2000, true)
	os.RemoveAll(export)
	os.Mkdir(export, 0o700)
	r, err := app.SnapshotExport(s, export, app.SnapshotOptions{})
	if err != nil || !r.Missing {
		t.Errorf("an emptied export folder must be export-missing: %+v %v", r, err)
	}
	// And a folder holding only an empty file.
	os.WriteFile(filepath.Join(export, "contacts.vcf"), nil, 0o600)
	age(t, export)
	r, err = app.SnapshotExport(s, export, app.SnapshotOptions{})
	if err != nil || !r.Missing {
		t.Errorf("an export of one empty file must be export-missing: %+v %v", r, err)
	}
	report(t, s, book)
}

func TestReliabilityCorruptedFiles(t *testing.T) {
	s, export, book := setup(t, 2000, true)
	r := rand.New(rand.NewPCG(7, 7))
	ents, _ := os.ReadDir(export)
	for round := 0; round < 20; round++ {
		// Flip, cut or zero a few files, as a failing disk or a crashed sync would.
		for k := 0; k < 10; k++ {
			p := filepath.Join(export, ents[r.IntN(len(ents))].Name())
			data, err := os.ReadFile(p)
			if err != nil || len(data) == 0 {
				continue
			}
			switch r.IntN(3) {
			case 0:
				for j := 0; j < 5; j++ {
					data[r.IntN(len(data))] = byte(r.IntN(256))
				}
			case 1:
				data = data[:r.IntN(len(data))]
			case 2:
				for j := range data {
					data[j] = 0
				}
			}
			os.WriteFile(p, data, 0o600)
		}
		age(t, export)
		if _, err := app.SnapshotExport(s, export, app.SnapshotOptions{}); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	report(t, s, book)
}

// TestReliabilityFullDisk puts the history on a 6 MB filesystem and fills it with a
// snapshot too big for it: the snapshot must fail with an error, and the database must
// stay as it was, its first snapshot whole. It needs root to mount a tmpfs.
func TestReliabilityFullDisk(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (%v: %s); run as root to include the full-disk case", err, out)
	}
	defer exec.Command("umount", mnt).Run()
	dir := t.TempDir()
	small := filepath.Join(dir, "small.vcf")
	big := filepath.Join(dir, "big.vcf")
	if err := gen.WriteVCardFile(small, gen.Book(5, 300), gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteVCardFile(big, gen.Book(6, 40000), gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	age(t, small)
	age(t, big)
	_, before, _ := exports.Read(small)
	s, err := history.Open(filepath.Join(mnt, "data"), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := app.SnapshotExport(s, small, app.SnapshotOptions{}); err != nil || r.Snapshot.Contacts != 300 {
		t.Fatalf("first snapshot: %+v %v", r, err)
	}
	_, err = app.SnapshotExport(s, big, app.SnapshotOptions{})
	if err == nil {
		t.Fatal("a snapshot that cannot fit on the disk must fail")
	}
	if !strings.Contains(err.Error(), "is full") || !strings.Contains(err.Error(), "--data") {
		t.Errorf("the error must say the disk is full and what to do: %v", err)
	}
	s.Close()
	s, err = history.Open(filepath.Join(mnt, "data"), history.Options{})
	if err != nil {
		t.Fatalf("reopening after the full disk: %v", err)
	}
	defer s.Close()
	if sn, _ := s.Latest(); sn == nil || sn.ID != 1 || sn.Contacts != 300 {
		t.Fatalf("latest snapshot after the full disk: %+v", sn)
	}
	report(t, s, before.Contacts)
}
