package exports

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/safefile"
)

// LocationKind is what an export location turned out to be.
type LocationKind string

// Kinds of export location.
const (
	KindFile        LocationKind = "file"         // one export file
	KindContactDir  LocationKind = "contact-dir"  // a folder of one-contact vCard files
	KindDatedExport LocationKind = "dated-export" // a folder of full exports; the newest wins
)

// Location is a discovered export location and the files that make up its current state.
type Location struct {
	Path        string       `json:"path"`
	Kind        LocationKind `json:"kind"`
	Files       []string     `json:"files"`
	Description string       `json:"description"`
	// Infos are what listing the folder learned of each of Files (same order, or empty
	// for a single file), so that a rescan of 10,000 files does not stat each one twice.
	Infos []os.FileInfo `json:"-"`
	// Skipped lists what the folder holds that is not a regular file (a FIFO, a device,
	// a link, a subfolder named like an export): never opened, since opening a FIFO blocks
	// and a device never ends, but listed so that the user learns why it was not read.
	Skipped []Skipped `json:"skipped,omitempty"`
}

// Skipped is a folder entry that was not read, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

var datedName = regexp.MustCompile(`(19|20)\d\d[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])`)

// Discover looks at path and says which kind of export location it is. A folder whose
// export files each hold one card is a contact folder; a folder of CSV files, or of vCard
// files that each hold many cards, is a folder of dated full exports, of which only the
// newest (by modification time) is the current state.
func Discover(path string) (Location, error) {
	loc := Location{Path: path}
	fi, err := os.Stat(path)
	if err != nil {
		return loc, fmt.Errorf("%s: the export location cannot be opened: %v; check the path in Settings or --export", path, unwrapPathErr(err))
	}
	if !fi.IsDir() {
		if !fi.Mode().IsRegular() {
			// Never opened: a FIFO blocks whoever opens it, a device never ends.
			return loc, fmt.Errorf("%s: the export location is %s, not an export file; check the path in Settings or --export", path, safefile.Describe(fi.Mode()))
		}
		loc.Kind = KindFile
		loc.Files = []string{path}
		loc.Description = "a single export file"
		return loc, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return loc, fmt.Errorf("%s: the export folder cannot be read: %v; check that you may read it", path, unwrapPathErr(err))
	}
	type cand struct {
		path string
		vcf  bool
		info os.FileInfo // from the listing: its modification time picks the newest export
	}
	var cands []cand
	for _, e := range entries {
		if !e.Type().IsRegular() {
			// Subfolders and links are ordinary in a folder and are listed only when named
			// like an export; a FIFO, a device or a socket never belongs in one.
			special := e.Type()&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0
			if special || isExportFile(e.Name()) {
				loc.Skipped = append(loc.Skipped, Skipped{Path: filepath.Join(path, e.Name()),
					Reason: safefile.Describe(e.Type()) + ", not a regular file: not read"})
			}
			continue
		}
		if !isExportFile(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // vanished between listing and stat: the next scan sees the truth
		}
		ext := strings.ToLower(filepath.Ext(e.Name()))
		c := cand{path: filepath.Join(path, e.Name()), vcf: ext == ".vcf" || ext == ".vcard", info: info}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return loc, fmt.Errorf("%s: the export folder holds no contact export (.vcf or .csv); export your contacts from Outlook into it", path)
	}
	// What most of the folder holds decides what it is, so that one stray file (an old
	// notes.csv among 300 cards, a card dropped among dated CSV exports) neither turns the
	// folder into another kind nor becomes "the newest export"; the files of the other kind
	// are skipped and listed.
	var vcfs, others []cand
	datedVCF := 0
	for _, c := range cands {
		if c.vcf {
			vcfs = append(vcfs, c)
			if datedName.MatchString(filepath.Base(c.path)) {
				datedVCF++
			}
		} else {
			others = append(others, c)
		}
	}
	skip := func(cs []cand, why string) {
		for _, c := range cs {
			loc.Skipped = append(loc.Skipped, Skipped{Path: c.path, Reason: why})
		}
	}
	perContact := len(vcfs)*2 > len(cands) && datedVCF*2 < len(vcfs) &&
		sampleOneCardEach(vcfs[:min(len(vcfs), 5)], func(c cand) string { return c.path })
	if perContact && len(vcfs) > MaxContacts {
		return loc, fmt.Errorf("%s: the export folder holds %d contact files, more than the %d contacts SyncGuard reads from one export; check that this is your Outlook contacts export", path, len(vcfs), MaxContacts)
	}
	if perContact {
		loc.Kind = KindContactDir
		sort.Slice(vcfs, func(i, j int) bool { return vcfs[i].path < vcfs[j].path })
		for _, c := range vcfs {
			loc.Files = append(loc.Files, c.path)
			loc.Infos = append(loc.Infos, c.info)
		}
		skip(others, "not a vCard, in a folder of one-contact vCards: not read")
		loc.Description = fmt.Sprintf("a folder of %d one-contact vCard files", len(loc.Files))
		return loc, nil
	}
	// Full exports: the newest one. A one-card vCard is no full export (a card dropped
	// among dated CSV exports must not become "the newest export", one contact and the
	// rest taken for deleted) and is skipped; a CSV is, whichever format the older exports
	// were in, so a user who switches from vCard to CSV exports is read at once.
	sort.Slice(cands, func(i, j int) bool {
		ci, cj := cands[i].info.ModTime(), cands[j].info.ModTime()
		return ci.After(cj) || (ci.Equal(cj) && cands[i].path > cands[j].path)
	})
	newest, full := cands[0], 0
	for i, c := range cands {
		if c.vcf && sampleOneCardEach([]cand{c}, func(c cand) string { return c.path }) {
			loc.Skipped = append(loc.Skipped, Skipped{Path: c.path, Reason: "a one-contact vCard in a folder of full exports: not read"})
			continue
		}
		if full == 0 {
			newest = cands[i]
		}
		full++
		if full > 1 {
			break // older full exports are neither read nor opened
		}
	}
	if full == 0 {
		newest = cands[0] // only one-card files: the newest is all there is
		loc.Skipped = nil
	}
	loc.Kind = KindDatedExport
	loc.Files = []string{newest.path}
	loc.Infos = []os.FileInfo{newest.info}
	loc.Description = fmt.Sprintf("a folder of %d full exports; the newest, %s, is read", len(cands)-len(loc.Skipped), filepath.Base(newest.path))
	return loc, nil
}

// sampleOneCardEach reports whether each sampled file holds at most one vCard.
func sampleOneCardEach[T any](items []T, path func(T) string) bool {
	for _, it := range items {
		f, _, err := safefile.Open(path(it), MaxFileSize)
		if err != nil {
			continue
		}
		head, _ := io.ReadAll(io.LimitReader(f, 1<<20))
		f.Close()
		text, _, err := decodeUnicode(head)
		if err != nil {
			continue
		}
		if bytes.Count(bytes.ToUpper(text), []byte("BEGIN:VCARD")) > 1 {
			return false
		}
	}
	return true
}

// KindChange says, in words for the user, that a folder the history read as one kind now
// holds mostly another, or "" when was and loc's kind agree (or either is not a folder
// kind). The caller keeps the kind it chose and raises this as a finding: read the new
// way, one stray export among cards (or cards among exports) would take most contacts
// for deleted.
func KindChange(was LocationKind, loc Location) string {
	folder := func(k LocationKind) bool { return k == KindContactDir || k == KindDatedExport }
	if !folder(was) || !folder(loc.Kind) || was == loc.Kind {
		return ""
	}
	say := map[LocationKind]string{KindContactDir: "one-contact vCards", KindDatedExport: "full exports, of which the newest is read"}
	return fmt.Sprintf("the export folder %s held %s and now holds mostly %s; SyncGuard did not read it the new way, so no contact was taken for deleted. "+
		"Check what was put into the folder; if you changed how you export on purpose, press \"Check the export now\" in the SyncGuard window to read it the new way",
		loc.Path, say[was], say[loc.Kind])
}
