package exports

import (
	"errors"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// failAfter accepts n bytes, then fails as a full disk does.
type failAfter struct{ n int }

var errFull = errors.New("no space left on device")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		w := f.n
		f.n = 0
		return w, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// A restore onto a disk that fills up stops at the chunk that failed: the writers say so
// when the chunk is written, not only when the file is closed after the whole book.
func TestARestoreWriterReportsAFullDiskAtTheChunk(t *testing.T) {
	book := gen.Book(5, 400)
	for name, w := range map[string]ContactWriter{
		"csv": NewOutlookCSVWriter(&failAfter{n: 100 << 10}),
		"vcf": NewVCardWriter(&failAfter{n: 100 << 10}),
	} {
		var err error
		chunks := 0
		for start := 0; start < len(book) && err == nil; start += 50 {
			err = w.Write(book[start : start+50])
			chunks++
		}
		if !errors.Is(err, errFull) || chunks == len(book)/50 {
			t.Errorf("%s: %v after %d of %d chunks; want the full disk before the last", name, err, chunks, len(book)/50)
		}
		if cerr := w.Close(); !errors.Is(cerr, errFull) {
			t.Errorf("%s: Close: %v; want the full disk", name, cerr)
		}
	}
}
