package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// The targets of DESIGN.md §6 are reported, not asserted: these machines are shared. The
// snapshot benchmarks moved here from internal/history with the snapshot workflow.

func benchExport(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "export")
	books.WriteOldVCards(b, dir, gen.Book(1, n))
	return dir
}

// BenchmarkFirstSnapshot10k: read, normalize, match and store a folder of 10,000 vCards.
func BenchmarkFirstSnapshot10k(b *testing.B) { benchFirst(b, 10000) }

// BenchmarkFirstSnapshot100k: the same for 100,000, with the peak memory of the process.
func BenchmarkFirstSnapshot100k(b *testing.B) { benchFirst(b, 100000) }

func benchFirst(b *testing.B, n int) {
	export := benchExport(b, n)
	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := history.Open(filepath.Join(b.TempDir(), fmt.Sprint("d", i)), history.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r, err := SnapshotExport(s, export, SnapshotOptions{})
		if err != nil || r.Snapshot.Contacts != n {
			b.Fatalf("%+v %v", r, err)
		}
		s.Close()
	}
	b.StopTimer()
	if mb := peakMB(); mb > 0 {
		b.ReportMetric(mb, "peak-MB")
	}
}

// BenchmarkRescanUnchanged: a snapshot of a 10,000-file folder that has not changed.
func BenchmarkRescanUnchanged(b *testing.B) {
	export := benchExport(b, 10000)
	s, err := history.Open(b.TempDir(), history.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := SnapshotExport(s, export, SnapshotOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := SnapshotExport(s, export, SnapshotOptions{})
		if err != nil || !r.Unchanged {
			b.Fatalf("%+v %v", r, err)
		}
	}
}

// BenchmarkOneChangedFile: one of 10,000 files changed, to its snapshot and findings.
func BenchmarkOneChangedFile(b *testing.B) {
	export := benchExport(b, 10000)
	s, err := history.Open(b.TempDir(), history.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := SnapshotExport(s, export, SnapshotOptions{}); err != nil {
		b.Fatal(err)
	}
	ents, _ := os.ReadDir(export)
	p := filepath.Join(export, ents[len(ents)/2].Name())
	orig, _ := os.ReadFile(p)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		data := strings.Replace(string(orig), "END:VCARD", fmt.Sprintf("TEL;HOME:(999) 555-%04d\r\nEND:VCARD", i), 1)
		os.WriteFile(p, []byte(data), 0o600)
		old := time.Now().Add(-time.Minute - time.Duration(i)*time.Second)
		os.Chtimes(p, old, old)
		b.StartTimer()
		r, err := SnapshotExport(s, export, SnapshotOptions{})
		if err != nil || len(r.Change.Changed) != 1 {
			b.Fatalf("%d changed, %v", len(r.Change.Changed), err)
		}
	}
}
