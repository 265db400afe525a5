package exports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
)

// readInChunks reads path with ReadFileChunks and returns every contact it handed over,
// checking that no chunk is larger than chunk.
func readInChunks(t *testing.T, path string, chunk int) ([]*contacts.Contact, []FileError, FileSummary) {
	t.Helper()
	var all []*contacts.Contact
	errs, sum, err := ReadFileChunks(path, chunk, func(cs []*contacts.Contact) error {
		if len(cs) == 0 || len(cs) > chunk {
			t.Errorf("%s: a chunk of %d contacts; want 1 to %d", path, len(cs), chunk)
		}
		all = append(all, cs...)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return all, errs, sum
}

func sameJSON(t *testing.T, what string, a, b any) {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("%s differ:\nwhole:  %.400s\nchunks: %.400s", what, ja, jb)
	}
}

// TestReadingInChunksReadsWhatAWholeReadDid: a CSV read in two passes (the first settling
// the order of slash dates and the category separator, the second handing contacts over a
// few at a time) gives the contacts, errors and summary a whole read gives: for every
// real CSV export, for a file whose only day-first date is in its last row and whose
// categories are joined with "," (both decided after the first chunk was read), for a
// file cut off while it was written, one past MaxContacts, and for a vCard file.
func TestReadingInChunksReadsWhatAWholeReadDid(t *testing.T) {
	dir := t.TempDir()
	var late bytes.Buffer
	late.WriteString("First Name,Last Name,Birthday,Categories\r\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&late, "P%d,Doe,3/4/1970,\"A, B\"\r\n", i)
	}
	late.WriteString("Last,Doe,25/12/1980,\"C, D\"\r\n")
	files := map[string][]byte{
		"late-decisions.csv": late.Bytes(),
		"cut.csv":            []byte("First Name,Last Name,Notes\r\nA,Doe,x\r\nB,Doe,\"a note cut"),
		"header-only.csv":    []byte("First Name,Last Name\r\n"),
		"empty.csv":          []byte("   \r\n"),
	}
	var big bytes.Buffer
	big.WriteString("First Name,Last Name\r\n")
	for i := 0; i <= MaxContacts; i++ {
		fmt.Fprintf(&big, "P%d,Doe\r\n", i)
	}
	files["too-many.csv"] = big.Bytes()
	var book bytes.Buffer
	WriteVCards(&book, gen.Book(3, 40))
	files["book.vcf"] = book.Bytes()
	var paths []string
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	paths = append(paths, realExports(t, ".csv")...)
	for _, p := range paths {
		wantCS, wantErrs, wantSum := ReadFile(p)
		for _, chunk := range []int{1, 7, 1000} {
			cs, errs, sum := readInChunks(t, p, chunk)
			sameJSON(t, filepath.Base(p)+" contacts", wantCS, cs)
			sameJSON(t, filepath.Base(p)+" errors", wantErrs, errs)
			sameJSON(t, filepath.Base(p)+" summary", wantSum, sum)
		}
	}
	cs, _, _ := readInChunks(t, filepath.Join(dir, "late-decisions.csv"), 7)
	if len(cs) != 51 || cs[0].Birthday != "1970-04-03" || len(cs[0].Categories) != 2 {
		t.Errorf("the first chunk was not read with the last row's decisions: %+v", cs[0])
	}
}

// TestReadingInChunksHoldsAChunk: a whole read of a 100,000-row CSV held all its contacts
// at once. Read in chunks, what is live beyond the file's own text must not grow with the
// rows: between 2,000 and 20,000 rows, under 100 bytes a row more, where the whole read
// (measured alongside) holds hundreds of bytes a row.
func TestReadingInChunksHoldsAChunk(t *testing.T) {
	dir := t.TempDir()
	write := func(n int) string {
		var b bytes.Buffer
		if err := WriteOutlookCSV(&b, gen.Book(uint64(n), n)); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprint(n, ".csv"))
		os.WriteFile(p, b.Bytes(), 0o600)
		return p
	}
	live := func(path string, chunked bool) float64 {
		fi, _ := os.Stat(path)
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		var peak uint64
		measure := func() {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base {
				peak = max(peak, ms.HeapAlloc-base)
			}
		}
		if chunked {
			ReadFileChunks(path, 500, func([]*contacts.Contact) error { measure(); return nil })
		} else {
			cs, _, _ := ReadFile(path)
			measure()
			runtime.KeepAlive(cs)
		}
		return float64(peak) - float64(fi.Size()) // the text is held either way
	}
	small, large := write(2000), write(20000)
	perRow := func(chunked bool) float64 { return (live(large, chunked) - live(small, chunked)) / 18000 }
	chunked, whole := perRow(true), perRow(false)
	t.Logf("live beyond the file's text, per row: %.0f bytes in chunks, %.0f bytes read whole", chunked, whole)
	if whole < 300 {
		t.Fatalf("a whole read holds only %.0f bytes a row: the measurement does not see contacts", whole)
	}
	if chunked > 100 {
		t.Errorf("a read in chunks holds %.0f bytes a row beyond the text; want under 100", chunked)
	}
}
