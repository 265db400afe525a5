package history

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/policy"
)

// BenchmarkYearOfDailySnapshots: 365 daily snapshots of 10,000 contacts with 1 % changed
// each day; reports the database size and the time to rebuild a point in time.
func BenchmarkYearOfDailySnapshots(b *testing.B) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		s, err := Open(dir, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		book := gen.Book(7, 10000)
		start := time.Date(2025, 11, 25, 9, 0, 0, 0, time.UTC)
		extra := gen.Book(8, 365*40)
		for d := 0; d < 365; d++ {
			// 1 %: 60 edits, 20 additions, 20 deletions.
			for k := 0; k < 60; k++ {
				j := (d*97 + k*131) % len(book)
				c := book[j].Clone()
				c.Note = fmt.Sprintf("day %d: %s", d, c.Note)
				book[j] = c
			}
			for k := 0; k < 20; k++ {
				j := (d*53 + k*211) % len(book)
				book[j] = extra[d*40+k]
			}
			book = append(book, extra[d*40+20:d*40+40]...)
			book = book[:10000]
			if _, err := s.Commit("bench", start.AddDate(0, 0, d), book, nil); err != nil {
				b.Fatal(err)
			}
			s.Maintain(Retention(policy.Default().Retention), start.AddDate(0, 0, d)) // as the app does
		}
		b.ReportMetric(float64(s.FileSize())/(1<<20), "db-MB")
		// Rebuild points in time across the year, the worst being the end of a delta chain.
		list, _ := s.Snapshots()
		var worst time.Duration
		for _, sn := range []Snapshot{list[29], list[100], list[200], list[364]} {
			t0 := time.Now()
			es, err := s.Contacts(sn.ID)
			if err != nil || len(es) != 10000 {
				b.Fatalf("rebuild %d: %d %v", sn.ID, len(es), err)
			}
			worst = max(worst, time.Since(t0))
		}
		b.ReportMetric(float64(worst.Milliseconds()), "rebuild-ms")
		s.Close()
	}
}

// BenchmarkRestore10k: decode a 10,000-contact point in time a chunk at a time and write
// it as an Outlook CSV (to nowhere), as a restore does.
func BenchmarkRestore10k(b *testing.B) {
	s, _ := csvHistory(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := exports.NewOutlookCSVWriter(io.Discard)
		n := 0
		if _, err := s.RestoreEach(1, SelectAll, nil, 0, func(cs []*contacts.Contact) error { n += len(cs); return w.Write(cs) }); err != nil || n != 10000 {
			b.Fatalf("%d contacts, %v", n, err)
		}
		w.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/contact")
}
