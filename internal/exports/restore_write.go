package exports

import (
	"bufio"
	"io"

	"github.com/syncguard/syncguard/internal/contacts"
)

// A restore of a whole book is written a chunk of contacts at a time, so that the book is
// never held as contacts at once (100,000 decoded contacts are about 300 MB): the writers
// below take each chunk as it is decoded from the history and keep nothing of it. What
// the format decides for the whole file (the CSV's header, the folder's file names) needs
// no contact read ahead: Outlook's header is fixed, and a file name only has to differ from
// the names taken before it.

// ContactWriter writes contacts one chunk after another; Close completes the output.
type ContactWriter interface {
	Write(cs []*contacts.Contact) error
	Close() error
}

// OutlookCSVWriter writes an Outlook CSV import file (see WriteOutlookCSV) in chunks.
type OutlookCSVWriter struct {
	bw  *bufio.Writer
	row []string
}

// NewOutlookCSVWriter starts an Outlook CSV on w: the BOM and the header row.
func NewOutlookCSVWriter(w io.Writer) *OutlookCSVWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	writeQuotedRow(bw, outlookHeader)
	return &OutlookCSVWriter{bw: bw, row: make([]string, len(outlookHeader))}
}

// Write adds one row per contact, formulas neutralized.
func (o *OutlookCSVWriter) Write(cs []*contacts.Contact) error {
	for _, c := range cs {
		outlookRow(c, o.row)
		for i := range o.row {
			o.row[i] = neutralizeFormula(o.row[i], phoneColumn[i])
		}
		writeQuotedRow(o.bw, o.row)
	}
	return stickyErr(o.bw)
}

// stickyErr is the first error the buffered writer met (an empty write returns it), so
// that a restore onto a full disk stops at the chunk that failed instead of decoding the
// rest of the book for nothing.
func stickyErr(bw *bufio.Writer) error {
	_, err := bw.Write(nil)
	return err
}

// Close flushes what is buffered; it reports the first write error.
func (o *OutlookCSVWriter) Close() error { return o.bw.Flush() }

// VCardWriter writes vCard 3.0 cards one after another (see WriteVCards) in chunks.
type VCardWriter struct{ bw *bufio.Writer }

// NewVCardWriter writes cards to w.
func NewVCardWriter(w io.Writer) *VCardWriter { return &VCardWriter{bw: bufio.NewWriter(w)} }

// Write adds one card per contact.
func (v *VCardWriter) Write(cs []*contacts.Contact) error {
	for _, c := range cs {
		writeVCard30(v.bw, c)
	}
	return stickyErr(v.bw)
}

// Close flushes what is buffered; it reports the first write error.
func (v *VCardWriter) Close() error { return v.bw.Flush() }

// VCardFolderWriter writes one .vcf per contact into a folder (see WriteVCardFolder), in
// chunks. The cards go to the hidden staging folder as they come; Close brings them into
// the folder chosen, Abort removes them: a restore that fails part-way leaves no card.
type VCardFolderWriter struct {
	st   *stagedFolder
	next map[string]int // per name, the number to try first
	done bool
}

// CreateVCardFolder prepares a folder restore into dir (a new folder, or an existing one).
func CreateVCardFolder(dir string) (*VCardFolderWriter, error) {
	st, err := stageFolder(dir)
	if err != nil {
		return nil, err
	}
	return &VCardFolderWriter{st: st, next: map[string]int{}}, nil
}

// Write writes one file per contact into the staging folder; on an error the staging
// folder is removed.
func (f *VCardFolderWriter) Write(cs []*contacts.Contact) error {
	if err := writeVCardFiles(f.st.stage, f.st.dir, f.st.taken, f.next, cs); err != nil {
		f.Abort()
		return err
	}
	return nil
}

// Close brings the written cards into the folder chosen.
func (f *VCardFolderWriter) Close() error {
	if f.done {
		return nil
	}
	f.done = true
	return f.st.commit()
}

// Abort removes what was written; the folder chosen is left as it was.
func (f *VCardFolderWriter) Abort() {
	if !f.done {
		f.done = true
		f.st.abort()
	}
}
