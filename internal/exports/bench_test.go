package exports

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	vcard "github.com/emersion/go-vcard"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
)

const benchSize = 10000

// benchVCardFolder writes the generated book as one Outlook vCard 2.1 file per contact
// (version 21) or as vCard 3.0 files (version 30).
func benchVCardFolder(b *testing.B, version int) []string {
	b.Helper()
	dir := b.TempDir()
	book := gen.Book(1, benchSize)
	var err error
	if version == 30 {
		err = WriteVCardFolder(dir, book)
	} else {
		err = gen.WriteVCardFolder(dir, book, gen.VCardOptions{Categories: true})
	}
	if err != nil {
		b.Fatal(err)
	}
	loc, err := Discover(dir)
	if err != nil || len(loc.Files) != benchSize {
		b.Fatalf("%d files, %v", len(loc.Files), err)
	}
	return loc.Files
}

// BenchmarkReadVCardFolder: read, decode and normalize 10,000 Outlook vCard 2.1 files.
func BenchmarkReadVCardFolder(b *testing.B) {
	files := benchVCardFolder(b, 21)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := ReadFiles(files)
		if len(res.Contacts) != benchSize || len(res.Errors) != 0 {
			b.Fatalf("%d contacts, %d errors", len(res.Contacts), len(res.Errors))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchSize, "ns/contact")
}

// BenchmarkReadOutlookCSV: read a 10,000-row Outlook CSV export.
func BenchmarkReadOutlookCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteOutlookCSV(&buf, gen.Book(1, benchSize)); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "contacts.csv")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs, errs, _ := ReadFile(p)
		if len(cs) != benchSize || len(errs) != 0 {
			b.Fatalf("%d contacts, %d errors", len(cs), len(errs))
		}
	}
}

// BenchmarkReadOutlookCSVInChunks: the same file read in two passes and handed over 2,000
// contacts at a time (ReadFileChunks), as a streamed first snapshot reads it.
func BenchmarkReadOutlookCSVInChunks(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteOutlookCSV(&buf, gen.Book(1, benchSize)); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "contacts.csv")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		errs, _, err := ReadFileChunks(p, 2000, func(cs []*contacts.Contact) error { n += len(cs); return nil })
		if n != benchSize || len(errs) != 0 || err != nil {
			b.Fatalf("%d contacts, %d errors, %v", n, len(errs), err)
		}
	}
}

// BenchmarkFloorReadFiles is the floor under any reader: opening and reading the 10,000
// files of the vCard folder, in parallel as ReadFiles does, and nothing else.
func BenchmarkFloorReadFiles(b *testing.B) {
	files := benchVCardFolder(b, 21)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		parallel(files, func(p string) {
			if _, err := os.ReadFile(p); err != nil {
				b.Error(err)
			}
		})
	}
}

// BenchmarkFloorGoVCardDecode is go-vcard's decoder alone on the vCard 3.0 folder (it
// cannot read Outlook's 2.1 soft breaks): the cost of parsing without normalizing.
func BenchmarkFloorGoVCardDecode(b *testing.B) {
	files := benchVCardFolder(b, 30)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		parallel(files, func(p string) {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := vcard.NewDecoder(bytes.NewReader(data)).Decode(); err != nil {
				b.Error(err)
			}
		})
	}
}

// BenchmarkReadVCard30Folder is SyncGuard's reader on the same vCard 3.0 folder, for the
// ratio against go-vcard's decode alone.
func BenchmarkReadVCard30Folder(b *testing.B) {
	files := benchVCardFolder(b, 30)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := ReadFiles(files); len(res.Contacts) != benchSize {
			b.Fatalf("%d contacts", len(res.Contacts))
		}
	}
}

func parallel(files []string, f func(string)) {
	done := make(chan struct{})
	work := make(chan string, len(files))
	for _, p := range files {
		work <- p
	}
	close(work)
	n := 2
	for w := 0; w < n; w++ {
		go func() {
			for p := range work {
				f(p)
			}
			done <- struct{}{}
		}()
	}
	for w := 0; w < n; w++ {
		<-done
	}
}
