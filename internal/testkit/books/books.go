// Package books writes address books as exports for the tests of app, ui and the command
// line, one copy for all of them: each export is replaced whole in one rename, so a scan
// still running from a test's previous step never reads it half-written (SyncGuard
// rightly takes a cut-off export as missing, which would be a finding of its own).
package books

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
)

// WriteBook writes cs to path as an Outlook CSV export, atomically, dated a minute ago:
// older than the history's settle time, so a snapshot reads it at once as an export that
// finished a while ago.
func WriteBook(tb testing.TB, path string, cs []*contacts.Contact) {
	tb.Helper()
	var buf bytes.Buffer
	if err := exports.WriteOutlookCSV(&buf, cs); err != nil {
		tb.Fatal(err)
	}
	if err := datadir.WriteFileAtomic(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		tb.Fatal(err)
	}
}

// WriteExport writes the first n contacts of one fixed generated book (300 contacts), so
// that exports of different sizes differ by removed contacts only.
func WriteExport(tb testing.TB, path string, n int) {
	tb.Helper()
	WriteBook(tb, path, gen.Book(4, 300)[:n])
}

// WriteOldVCards writes a vCard folder (one file a contact, with categories) and dates its
// files a minute back, as an export that finished a while ago.
func WriteOldVCards(tb testing.TB, dir string, book []*contacts.Contact) {
	tb.Helper()
	if err := gen.WriteVCardFolder(dir, book, gen.VCardOptions{Categories: true}); err != nil {
		tb.Fatal(err)
	}
	AgeFiles(tb, dir, time.Minute)
}

// AgeFiles dates every file in dir back by by, so that a snapshot takes them as settled.
func AgeFiles(tb testing.TB, dir string, by time.Duration) {
	tb.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	old := time.Now().Add(-by)
	for _, e := range ents {
		if err := os.Chtimes(filepath.Join(dir, e.Name()), old, old); err != nil {
			tb.Fatal(err)
		}
	}
}
