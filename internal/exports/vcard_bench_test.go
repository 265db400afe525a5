package exports

import (
	"bytes"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// BenchmarkParseVCards is the vCard reader alone on the 10,000 generated Outlook cards,
// already in memory: the part of BenchmarkReadVCardFolder that is SyncGuard's own work
// rather than the file system's (compare BenchmarkFloorReadFiles).
func BenchmarkParseVCards(b *testing.B) {
	book := gen.Book(1, benchSize)
	files := make([][]byte, len(book))
	size := 0
	for i, c := range book {
		var buf bytes.Buffer
		if err := gen.WriteVCard21(&buf, c, gen.VCardOptions{Categories: true}); err != nil {
			b.Fatal(err)
		}
		files[i] = buf.Bytes()
		size += buf.Len()
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if cs, errs, _ := ReadBytes("bench.vcf", f); len(cs) != 1 || len(errs) != 0 {
				b.Fatalf("%d contacts, %v", len(cs), errs)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchSize, "ns/contact")
}
