package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
)

// TestAChunkedRestoreWritesWhatAWholeOneDid: a restore is written a chunk of 1,000
// contacts at a time; what it writes must be exactly what writing the whole book at once
// wrote (the Outlook CSV, the vCard file, the folder's file names and cards), also where
// contacts of one name fall in different chunks (their files numbered on across chunks)
// and cells hold formulas (neutralized in every chunk).
func TestAChunkedRestoreWritesWhatAWholeOneDid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	book := gen.Book(14, 2500)
	for i, c := range book {
		if i%7 == 0 {
			c.Name, c.StructuredName = "Jane Doe", contacts.Name{Given: "Jane", Family: "Doe"}
		}
		if i%11 == 0 {
			c.Organization = `=HYPERLINK("http://example.com")`
		}
	}
	export := filepath.Join(dir, "contacts.csv")
	writeBook(t, export, book)
	s := newService(t, dir, Options{})
	defer s.Close()
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	s.Scan()
	set, err := s.Store().RestoreSet(1, history.SelectAll, nil)
	if err != nil || len(set.Contacts) != len(book) {
		t.Fatalf("the whole book: %d contacts, %v", len(set.Contacts), err)
	}

	var wantCSV, wantVCF bytes.Buffer
	exports.WriteOutlookCSV(&wantCSV, set.Contacts)
	exports.WriteVCards(&wantVCF, set.Contacts)
	wantDir := filepath.Join(dir, "whole")
	if err := exports.WriteVCardFolder(wantDir, set.Contacts); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		f    Format
		want []byte
	}{
		{filepath.Join(dir, "r.csv"), OutlookCSV, wantCSV.Bytes()},
		{filepath.Join(dir, "r.vcf"), VCardFile, wantVCF.Bytes()},
		{filepath.Join(dir, "cards"), VCardFolder, nil},
	} {
		res, err := s.RestoreTo(RestoreRequest{Snapshot: 1, Path: tc.path, Format: tc.f})
		if err != nil || res.Written != len(book) || res.Snapshot != 1 {
			t.Fatalf("%s: %+v %v", tc.f, res, err)
		}
		if tc.f != VCardFolder {
			if got, _ := os.ReadFile(tc.path); !bytes.Equal(got, tc.want) {
				t.Errorf("%s: the chunked restore (%d bytes) differs from the whole one (%d bytes)", tc.f, len(got), len(tc.want))
			}
			continue
		}
		want, _ := os.ReadDir(wantDir)
		got, _ := os.ReadDir(tc.path)
		if len(got) != len(want) {
			t.Fatalf("folder: %d files; the whole restore wrote %d", len(got), len(want))
		}
		for i := range want {
			a, _ := os.ReadFile(filepath.Join(wantDir, want[i].Name()))
			b, _ := os.ReadFile(filepath.Join(tc.path, got[i].Name()))
			if got[i].Name() != want[i].Name() || !bytes.Equal(a, b) {
				t.Errorf("folder: %s is not the whole restore's %s", got[i].Name(), want[i].Name())
				break
			}
		}
		if _, err := os.Stat(filepath.Join(tc.path, "Jane Doe (358).vcf")); err != nil {
			t.Errorf("the 358th Jane Doe, in the last chunk, is not numbered on: %v", err)
		}
	}
}

// TestARestoreThatFailsLeavesNothing: a restore that cannot be written, or has nothing to
// write, leaves no file and no folder under the name chosen, and no hidden leftover.
func TestARestoreThatFailsLeavesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 100)
	s := newService(t, dir, Options{})
	defer s.Close()
	s.SetExport(export)
	s.Scan()
	out := t.TempDir()
	// Nothing removed since: nothing to write, no file.
	res, err := s.RestoreTo(RestoreRequest{Snapshot: 1, Selection: history.SelectRemoved, Path: filepath.Join(out, "r.csv"), Format: OutlookCSV})
	if !errors.Is(err, ErrNothingToRestore) || res.Written != 0 {
		t.Errorf("nothing removed: %+v %v", res, err)
	}
	// Into the export itself, even with Force: refused.
	if _, err := s.RestoreTo(RestoreRequest{Snapshot: 1, Path: export, Format: OutlookCSV, Force: true}); err == nil {
		t.Error("a restore onto the watched export was written")
	}
	// Into a folder that does not exist: named, nothing written.
	var missing *FolderMissingError
	if _, err := s.RestoreTo(RestoreRequest{Snapshot: 1, Path: filepath.Join(out, "no", "r.csv"), Format: OutlookCSV}); !errors.As(err, &missing) {
		t.Errorf("into a missing folder: %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("failed restores left %v", ents)
	}
}
