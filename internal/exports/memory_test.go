package exports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// maxBytesPerMinimalContact is the README's bound on what reading costs per contact,
// beyond the file's own bytes: everything allocated while reading a file of minimal
// contacts (a name each), divided by their number. The peak memory of a read is below it
// times the contacts, plus the file.
const maxBytesPerMinimalContact = 1024

// allocatedPerContact reads data and returns the bytes allocated per contact read, beyond
// two copies of the file (its bytes and the text the readers keep their values in).
func allocatedPerContact(t *testing.T, name string, data []byte, want int) float64 {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cs, errs, _ := ReadBytes(name, data)
	runtime.ReadMemStats(&after)
	if len(cs) != want || len(errs) != 0 {
		t.Fatalf("%s: %d contacts, errors %v; want %d", name, len(cs), errs, want)
	}
	return float64(after.TotalAlloc-before.TotalAlloc-2*uint64(len(data))) / float64(len(cs))
}

// A file of many tiny cards took 8 KB a card (a 24 MB file of 500,000 cards, 4.0 GB),
// because every card's properties were held until the end of the file. What a read
// allocates per contact is bounded, whatever the number of contacts.
func TestReadingCostsABoundedAmountPerContact(t *testing.T) {
	const n = 20000
	var vcf, csv bytes.Buffer
	csv.WriteString("First Name,Last Name\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&vcf, "BEGIN:VCARD\r\nFN:P%d\r\nEND:VCARD\r\n", i)
		fmt.Fprintf(&csv, "P%d,Doe\r\n", i)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{{"tiny.vcf", vcf.Bytes()}, {"tiny.csv", csv.Bytes()}} {
		per := allocatedPerContact(t, tc.name, tc.data, n)
		t.Logf("%s: %.0f bytes allocated per contact", tc.name, per)
		if per > maxBytesPerMinimalContact {
			t.Errorf("%s: %.0f bytes allocated per minimal contact; the README promises at most %d", tc.name, per, maxBytesPerMinimalContact)
		}
	}
}

// Past MaxContacts, reading stops with an error that says so, and nothing of the file is
// kept: half a book would look like deletions.
func TestMoreThanMaxContactsIsRefusedNotHalfRead(t *testing.T) {
	defer func(m int) { MaxContacts = m }(MaxContacts)
	MaxContacts = 1000
	var vcf, csv bytes.Buffer
	csv.WriteString("First Name,Last Name\r\n")
	for i := 0; i < 1001; i++ {
		fmt.Fprintf(&vcf, "BEGIN:VCARD\r\nFN:P%d\r\nEND:VCARD\r\n", i)
		fmt.Fprintf(&csv, "P%d,Doe\r\n", i)
	}
	for name, data := range map[string][]byte{"many.vcf": vcf.Bytes(), "many.csv": csv.Bytes()} {
		cs, errs, sum := ReadBytes(name, data)
		if len(cs) != 0 || !sum.Unreadable || len(errs) != 1 || !strings.Contains(errs[0].Message, "more than 1000 contacts") {
			t.Errorf("%s: %d contacts, unreadable %v, errors %v; want none kept and one error naming the bound", name, len(cs), sum.Unreadable, errs)
		}
		// Exactly the bound is read.
		cut := bytes.LastIndex(data[:len(data)-2], []byte("\n")) + 1 // the last row
		if strings.HasSuffix(name, ".vcf") {
			cut = bytes.LastIndex(data, []byte("BEGIN:VCARD")) // the last card
		}
		if cs, errs, _ := ReadBytes(name, data[:cut]); len(cs) != 1000 || len(errs) != 0 {
			t.Errorf("%s with 1000 contacts: %d contacts, %v", name, len(cs), errs)
		}
	}
	dir := t.TempDir()
	for i := 0; i < 1001; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%04d.vcf", i)), []byte(oneCard), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "1001 contact files") {
		t.Errorf("a folder of 1001 cards: %v; want an error naming the bound", err)
	}
}
