// Package exports reads the Outlook export state: vCard 2.1/3.0/4.0 files (go-vcard behind
// a normalizer for what Outlook and phones really write), Outlook, Google and Thunderbird
// CSV in any of the encodings Windows produces, and export locations that are a file, a
// folder of one-contact files or a folder of dated full exports.
//
// Readers never fail as a whole on bad input: every problem becomes a FileError naming
// the file, the line and what to do, and the contacts that could be read are kept. A file
// that cannot be read yields an error and no contacts; callers must never take that as
// "the contacts were deleted".
package exports

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/safefile"
)

// Format names what a file was read as.
type Format string

// Formats the readers recognise.
const (
	FormatVCard          Format = "vcard"
	FormatOutlookCSV     Format = "outlook-csv"
	FormatGoogleCSV      Format = "google-csv"
	FormatThunderbirdCSV Format = "thunderbird-csv"
	FormatCSV            Format = "csv" // a CSV with a header we could map, of no known program
	FormatUnknown        Format = "unknown"
)

// MaxFileSize bounds what a reader loads into memory. An Outlook export of 100,000
// contacts with notes is about 100 MB; anything much larger is not a contact export.
var MaxFileSize int64 = 512 << 20

// MaxContacts bounds the contacts SyncGuard reads from one export location (one file, or
// the files of a folder of one-contact vCards). Memory grows with the contacts read (README,
// "Limits"), so a file of millions of tiny cards is refused rather than read until memory
// runs out: past the bound, reading stops with an error and the export is unreadable,
// which a snapshot records as an export problem, never as deleted contacts. An Outlook
// contact folder holds a few thousand contacts; the largest books seen hold tens of
// thousands.
var MaxContacts = 200000

func tooManyContacts(limit int) string {
	return fmt.Sprintf("the export holds more than %d contacts, more than SyncGuard reads from one export; reading stopped and nothing of it was kept or taken as deleted: check that this is your Outlook contacts export", limit)
}

// FileError is a problem with one file: where it is and what to do about it.
type FileError struct {
	File    string `json:"file"`
	Line    int    `json:"line"` // 1-based; 0 when the problem is with the file as a whole
	Message string `json:"message"`

	// cutShort marks the error that says the file ends in the middle of a contact.
	cutShort bool
}

func (e FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

// FileSummary says what one file gave.
type FileSummary struct {
	Path     string `json:"path"`
	Format   Format `json:"format"`
	Encoding string `json:"encoding,omitempty"`
	Contacts int    `json:"contacts"`
	Errors   int    `json:"errors"`
	// Unreadable is set when the file gave no contacts because it could not be read at all
	// (as opposed to a readable file with no contacts in it).
	Unreadable bool `json:"unreadable,omitempty"`
	// CutShort is set when the file ends in the middle of a contact: it was cut off while
	// it was written (a full disk, a crash, a copy interrupted). Its contacts are read, but
	// those after the cut are unknown, so a snapshot must not take them as deleted.
	CutShort bool `json:"cut_short,omitempty"`
}

// Result is what reading gave: the contacts, per-file errors and a summary per file.
type Result struct {
	Contacts []*contacts.Contact `json:"contacts"`
	Errors   []FileError         `json:"errors"`
	Files    []FileSummary       `json:"files"`
}

// Unreadable reports whether any file could not be read at all. A snapshot must not be
// taken from such a result: the missing contacts are unknown, not deleted.
func (r *Result) Unreadable() bool {
	for _, f := range r.Files {
		if f.Unreadable {
			return true
		}
	}
	return false
}

// CutShort returns the first file that ends in the middle of a contact, and the error that
// says so, if there is one.
func (r *Result) CutShort() (FileError, bool) {
	for _, e := range r.Errors {
		if e.cutShort {
			return e, true
		}
	}
	return FileError{}, false
}

// ReadFile reads one export file of any supported format.
func ReadFile(path string) (cs []*contacts.Contact, errs []FileError, sum FileSummary) {
	data, ok, errs, sum := load(path)
	if !ok {
		return nil, errs, sum
	}
	return readBytes(path, data, true)
}

// ReadFileChunks reads one export file as ReadFile does, but hands its contacts to fn a
// chunk at a time (at most chunk contacts, 1,000 when chunk <= 0), so that a 100,000-row
// Outlook CSV is never held as contacts at once: a CSV is read in two passes, the first
// settling what is decided for the whole file (the order of slash dates, the category
// separator) and counting the rows (a file past MaxContacts is refused before any contact
// is handed over), the second completing each contact as its row is read. fn must not
// keep the chunk's slice; an error from fn stops the read and is returned. The file's
// text is held throughout (the contacts' values share it). A vCard file is read whole and
// handed over in chunks. The summary counts the contacts handed over; a file cut off
// while it was written says so in errs and sum, after its contacts were handed over, so
// the caller must look at them before it keeps anything.
func ReadFileChunks(path string, chunk int, fn func([]*contacts.Contact) error) (errs []FileError, sum FileSummary, err error) {
	if chunk <= 0 {
		chunk = 1000
	}
	data, ok, errs, sum := load(path)
	if !ok {
		return errs, sum, nil
	}
	text, enc, decErr := decodeUnicode(data)
	if decErr == nil && len(bytes.TrimSpace(text)) > 0 && sniff(text) == FormatCSV {
		var f Format
		var csvEnc string
		// The buffer load read is the reader's own, as in ReadFile.
		errs, f, csvEnc, sum.Contacts, err = readCSVChunks(path, text, enc, true, chunk, fn)
		sum.Format, sum.Encoding, sum.Errors = f, enc, len(errs)
		if sum.Encoding == "" {
			sum.Encoding = csvEnc
		}
		for _, e := range errs {
			sum.CutShort = sum.CutShort || e.cutShort
		}
		if sum.Contacts == 0 && len(errs) > 0 {
			sum.Unreadable = true
		}
		return errs, sum, err
	}
	var cs []*contacts.Contact
	cs, errs, sum = readBytes(path, data, true)
	for start := 0; start < len(cs) && err == nil; start += chunk {
		err = fn(cs[start:min(start+chunk, len(cs))])
	}
	return errs, sum, err
}

// load opens and reads one export file; on a problem ok is false and errs and sum say it.
func load(path string) (data []byte, ok bool, errs []FileError, sum FileSummary) {
	sum = FileSummary{Path: path, Format: FormatUnknown}
	fail := func(msg string) ([]byte, bool, []FileError, FileSummary) {
		sum.Unreadable = true
		sum.Errors = 1
		return nil, false, []FileError{{File: path, Message: msg}}, sum
	}
	// One open and one fstat per file: on a folder of 10,000 one-contact files the system
	// calls are most of the cost. Only a regular file is opened: a FIFO would block the open
	// forever and a device (/dev/zero) never ends.
	f, fi, err := safefile.Open(path, MaxFileSize)
	if err != nil {
		var se *safefile.Error
		switch {
		case errors.Is(err, safefile.ErrNotRegular) && isDir(path):
			return fail("this is a folder, not an export file; point SyncGuard at the folder itself or at one file in it")
		case errors.Is(err, safefile.ErrTooLarge):
			return fail(fmt.Sprintf("the file is larger than any contact export SyncGuard expects (%d MB); check that this is the export", MaxFileSize>>20))
		case errors.Is(err, safefile.ErrNotRegular) && errors.As(err, &se):
			return fail(se.Problem + "; export the contacts from Outlook into a file")
		}
		return fail(fmt.Sprintf("cannot open the file: %v; check that it exists and that you may read it", unwrapPathErr(errors.Unwrap(err))))
	}
	defer f.Close()
	data, err = safefile.ReadAll(f, path, fi.Size(), MaxFileSize)
	if err != nil {
		if errors.Is(err, safefile.ErrTooLarge) {
			return fail("the file grew past the largest export SyncGuard expects while it was read; wait for the export to finish")
		}
		return fail(fmt.Sprintf("cannot read the file: %v; check that it exists and that you may read it", unwrapPathErr(errors.Unwrap(err))))
	}
	return data, true, nil, sum
}

// textOf gives the readers the file's text as a string. A file ReadFile read is a buffer no
// one else holds or writes, so the string shares it instead of copying it: the contacts'
// values are substrings of it, and a second copy of a 100 MB export is 100 MB more at the
// peak of every read. Bytes a caller passed in (ReadBytes) are copied, as the caller may
// reuse them.
func textOf(b []byte, owned bool) string {
	if owned && len(b) > 0 {
		return unsafe.String(&b[0], len(b))
	}
	return string(b)
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ReadBytes reads the contents of one export file; name is used in sources and errors.
func ReadBytes(name string, data []byte) (cs []*contacts.Contact, errs []FileError, sum FileSummary) {
	return readBytes(name, data, false)
}

// readBytes is ReadBytes; owned says that data is the reader's own, never written again.
func readBytes(name string, data []byte, owned bool) (cs []*contacts.Contact, errs []FileError, sum FileSummary) {
	sum = FileSummary{Path: name, Format: FormatUnknown}
	text, enc, err := decodeUnicode(data)
	// UTF-16 was decoded into a new buffer, which is the readers' own whoever passed data.
	owned = owned || strings.HasPrefix(enc, "utf-16")
	if err != nil {
		sum.Unreadable, sum.Errors = true, 1
		return nil, []FileError{{File: name, Message: err.Error() + "; export the contacts again"}}, sum
	}
	sum.Encoding = enc
	if len(bytes.TrimSpace(text)) == 0 {
		sum.Unreadable, sum.Errors = true, 1
		return nil, []FileError{{File: name, Message: "the file is empty; export the contacts again (File > Open & Export > Import/Export)"}}, sum
	}
	switch sniff(text) {
	case FormatVCard:
		sum.Format = FormatVCard
		cs, errs = readVCard(name, text, enc != "", owned)
	case FormatCSV:
		var f Format
		var csvEnc string
		cs, errs, f, csvEnc = readCSV(name, text, enc, owned)
		sum.Format = f
		if sum.Encoding == "" {
			sum.Encoding = csvEnc
		}
	default:
		sum.Unreadable, sum.Errors = true, 1
		line := 1
		return nil, []FileError{{File: name, Line: line, Message: "this is neither a vCard nor a CSV contact export; in Outlook use File > Open & Export > Import/Export > Export to a file > Comma Separated Values"}}, sum
	}
	for _, c := range cs {
		c.Source.File = name
	}
	sum.Contacts, sum.Errors = len(cs), len(errs)
	for _, e := range errs {
		sum.CutShort = sum.CutShort || e.cutShort
	}
	if len(cs) == 0 && len(errs) > 0 {
		sum.Unreadable = true
	}
	return cs, errs, sum
}

// sniff tells a vCard file from a CSV one by the file's structure: its first meaningful
// line. A vCard starts with BEGIN:VCARD (or, when that line was lost, with a card's own
// property); a CSV starts with a header row of delimited column names. Text further on is
// never looked at for this, since a quoted CSV value (a card pasted into a contact's Notes)
// may hold anything, and reading an Outlook CSV as a vCard would take all but one of its
// contacts for deleted.
func sniff(text []byte) Format {
	head := text
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return FormatUnknown // binary data
	}
	first, rest := firstLine(head)
	upper := bytes.ToUpper(bytes.TrimSpace(first))
	switch {
	case bytes.Equal(upper, []byte("BEGIN:VCARD")):
		return FormatVCard
	case startsCardProperty(upper):
		return FormatVCard // a card whose BEGIN line is missing
	case bytes.ContainsAny(first, ",;\t"):
		return FormatCSV
	}
	// A line of text before the first card (a title some tools write): the file is a vCard
	// when a line of its own, not a value, begins a card. A CSV's first line always holds
	// a delimiter, so no CSV gets here.
	for len(rest) > 0 {
		var l []byte
		l, rest = firstLine(rest)
		if bytes.EqualFold(bytes.TrimSpace(l), []byte("BEGIN:VCARD")) {
			return FormatVCard
		}
	}
	return FormatUnknown
}

// firstLine returns the first line of b that is not blank and not a "#" comment (which some
// phones write before their cards), and what follows it.
func firstLine(b []byte) (line, rest []byte) {
	for len(b) > 0 {
		line, rest = b, nil
		if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
			line, rest = b[:i], b[i+1:]
		}
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			return line, rest
		}
		b = rest
	}
	return nil, nil
}

// startsCardProperty reports an upper-cased line that begins with one of the properties
// every card has, followed by its parameters or value.
func startsCardProperty(upper []byte) bool {
	for _, p := range []string{"VERSION", "FN", "N", "END"} {
		if bytes.HasPrefix(upper, []byte(p)) && len(upper) > len(p) && (upper[len(p)] == ':' || upper[len(p)] == ';') {
			return true
		}
	}
	return false
}

// ReadFiles reads many files, in parallel, and returns their results in path order.
func ReadFiles(paths []string) Result {
	type one struct {
		cs   []*contacts.Contact
		errs []FileError
		sum  FileSummary
	}
	out := make([]one, len(paths))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(paths) {
		workers = len(paths)
	}
	var wg sync.WaitGroup
	next := make(chan int, len(paths))
	for i := range paths {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cs, errs, sum := ReadFile(paths[i])
				out[i] = one{cs, errs, sum}
			}
		}()
	}
	wg.Wait()
	var r Result
	n := 0
	for _, o := range out {
		n += len(o.cs)
	}
	r.Contacts = make([]*contacts.Contact, 0, n)
	r.Errors = []FileError{}
	for _, o := range out {
		r.Contacts = append(r.Contacts, o.cs...)
		r.Errors = append(r.Errors, o.errs...)
		r.Files = append(r.Files, o.sum)
	}
	return r
}

// Read discovers what kind of export location path is and reads it.
func Read(path string) (Location, Result, error) {
	loc, err := Discover(path)
	if err != nil {
		return loc, Result{Contacts: []*contacts.Contact{}, Errors: []FileError{}}, err
	}
	return loc, ReadFiles(loc.Files), nil
}

// exportExt lists the file endings an export location may hold.
var exportExt = map[string]bool{".vcf": true, ".vcard": true, ".csv": true, ".txt": true, ".tsv": true}

func isExportFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return false // hidden files and Office lock files
	}
	return exportExt[strings.ToLower(filepath.Ext(name))]
}
