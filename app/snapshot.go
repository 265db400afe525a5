package app

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/intake"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/rules"
)

// Judge is the rules under a policy, as the judge the history runs inside the
// transaction that records a change (the history knows nothing of the rules).
func Judge(p *policy.Policy) history.Judge {
	if p == nil {
		p = policy.Default()
	}
	return rulesJudge{p}
}

type rulesJudge struct{ p *policy.Policy }

func (j rulesJudge) Change(in history.JudgeInput) []findings.Finding {
	return rules.Judge(rules.Input{Change: in.Change, SnapshotID: in.SnapshotID, Past: in.Past, Policy: j.p, Book: in.Book})
}

func (j rulesJudge) First() history.FirstJudge { return rules.NewFirst(j.p) }

func (j rulesJudge) Missing(location, reason string, lastContacts int, lastSnapshot uint64) findings.Finding {
	return rules.ExportMissing(location, reason, lastContacts, lastSnapshot)
}

// SnapshotOptions tune SnapshotExport.
type SnapshotOptions struct {
	Policy *policy.Policy
	Now    time.Time
	// Settle is how long a file must hold still before it is read (default 300 ms), and
	// MaxWait how long to wait for an export that is still being written (default 10 s).
	Settle, MaxWait time.Duration
	// Force reads the export even when its files look unchanged.
	Force bool
	// ConfirmSettle is how long a large deletion (one that the mass-deletion rule would
	// raise) must hold still before it is recorded; the export is read again after it
	// (default DefaultConfirmSettle). An export rewritten in place can pause at a row
	// boundary, and then reads as a whole file with half the contacts.
	ConfirmSettle time.Duration
	// Sleep waits for ConfirmSettle (default time.Sleep; tests replace it).
	Sleep func(time.Duration)
	// Details: the result's Change must list the contacts even of a large first snapshot,
	// which is otherwise taken in a stream that keeps only their counts (streamMinBytes).
	Details bool
	// Maintain runs the history's maintenance (backup, retention, compaction) after a
	// snapshot was recorded.
	Maintain bool
}

// SnapshotResult is what taking a snapshot of the export did.
type SnapshotResult struct {
	history.Result
	// FileErrors are the readers' problems with individual files.
	FileErrors []exports.FileError
	Location   exports.Location
	// Maintenance says what the maintenance after the snapshot could not do ("" when it
	// did it all, or did not run); the snapshot is recorded either way.
	Maintenance string
}

// streamMinBytes is the export size (about 6,000 Outlook vCards) from which a first
// snapshot is streamed into the history (history.RecordFirst); it is also faster there
// (10,000 vCards: 0.54 s against 0.72 s, no diff). Below it the ordinary path, which also
// lists the added contacts in the result's Change, costs little memory.
var streamMinBytes int64 = 4 << 20

// DefaultConfirmSettle is ConfirmSettle when none is given: 5 s, or the duration in the
// environment variable SYNCGUARD_CONFIRM_SETTLE, so that test suites that run the whole
// program (and delete many contacts on purpose) need not wait.
func DefaultConfirmSettle() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("SYNCGUARD_CONFIRM_SETTLE")); err == nil && d > 0 {
		return d
	}
	return 5 * time.Second
}

// confirmRounds bounds how often a large deletion is read again.
const confirmRounds = 3

// SnapshotExport reads the export at path and records its state in the history when it
// changed, judged by the policy's rules. It is the one snapshot workflow, for the tray and
// the command line. A missing, unreadable, half-written or suddenly empty export is never
// recorded as deleted contacts: it is recorded as an export-missing event and finding,
// and the last snapshot stays.
func SnapshotExport(st *history.Store, path string, opt SnapshotOptions) (*SnapshotResult, error) {
	if opt.Policy == nil {
		opt.Policy = policy.Default()
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Settle == 0 {
		opt.Settle = 300 * time.Millisecond
	}
	if opt.MaxWait == 0 {
		opt.MaxWait = 10 * time.Second
	}
	if opt.ConfirmSettle == 0 {
		opt.ConfirmSettle = DefaultConfirmSettle()
	}
	if opt.Sleep == nil {
		opt.Sleep = time.Sleep
	}
	// A large deletion is recorded only when a second read after ConfirmSettle finds the
	// export as it was (the same files, sizes and times). An export that keeps changing
	// through confirmRounds waits is recorded as it then reads: the danger is raised, and
	// should it have been a pause, the snapshot after it undoes the change (Undid).
	confirmed := ""
	for round := 1; ; round++ {
		r, sig, err := snapshotOnce(st, path, opt, confirmed, round < confirmRounds)
		if !errors.Is(err, history.ErrHeld) {
			if err == nil && opt.Maintain && !r.Missing && !r.Unchanged {
				if err := st.Maintain(history.Retention(opt.Policy.Retention), opt.Now); err != nil {
					r.Maintenance = err.Error()
				}
			}
			return r, err
		}
		opt.Sleep(opt.ConfirmSettle)
		confirmed = sig
	}
}

// snapshotOnce is one read of the export and its record, unless the change is a large
// deletion read for the first time (confirm, and a signature other than confirmed): then
// history.ErrHeld and the signature of what was read.
func snapshotOnce(st *history.Store, path string, opt SnapshotOptions, confirmed string, confirm bool) (*SnapshotResult, string, error) {
	judge := Judge(opt.Policy)
	missing := func(loc exports.Location, problem string, errs []exports.FileError) (*SnapshotResult, string, error) {
		r, err := st.RecordMissing(path, problem, opt.Now, judge)
		if r == nil {
			return nil, "", err
		}
		return &SnapshotResult{Result: *r, FileErrors: errs, Location: loc}, "", err
	}
	exp, err := intake.Look(path, opt.Settle, opt.MaxWait)
	if err != nil {
		var loc exports.Location
		if exp != nil {
			loc = exp.Location
		}
		return missing(loc, err.Error(), nil)
	}
	loc, sig := exp.Location, exp.Signature
	last, err := st.Latest()
	if err != nil {
		return nil, "", err
	}
	// A folder keeps the kind its history chose: a change of kind is a finding, not a
	// reason to read it anew (and take most contacts for deleted), unless forced.
	if last != nil && last.Location == loc.Path && !opt.Force {
		if problem := exp.KindChange(last.Kind); problem != "" {
			return missing(loc, problem, nil)
		}
	}
	if last != nil && last.Signature == sig && last.Location == loc.Path && !opt.Force {
		// The export is readable again and as it was: an export-missing episode is over.
		if err := st.ResolveOpen(findings.ExportMissing, opt.Now); err != nil {
			return nil, sig, err
		}
		return &SnapshotResult{Result: history.Result{Snapshot: last, Unchanged: true}, Location: loc}, sig, nil
	}
	stamps := make([]history.FileStamp, len(exp.Files))
	var size int64
	for i, f := range exp.Files {
		stamps[i] = history.FileStamp{Path: f.Path, Size: f.Size, Mod: f.Mod}
		size += f.Size
	}
	if last == nil && !opt.Details && size >= streamMinBytes {
		return streamFirst(st, exp, stamps, opt, judge, missing)
	}

	// What the history knows of these files decides what must be read.
	known := st.Files(loc.Path)
	full := opt.Force || last == nil || len(known) == 0
	var toRead []string
	current := map[string]bool{}
	for _, f := range exp.Files {
		current[f.Path] = true
		k, ok := known[f.Path]
		if full || !ok || k.Size != f.Size || k.Mod != f.Mod {
			toRead = append(toRead, f.Path)
		}
	}
	var gone []string
	for p := range known {
		if !current[p] {
			gone = append(gone, p)
		}
	}
	res, problem := intake.Read(toRead)
	if problem != "" {
		// The contacts of a file cut short or unreadable are unknown, not deleted.
		return missing(loc, problem, res.Errors)
	}
	rec := history.Record{
		Time: opt.Now, Location: loc.Path, Kind: string(loc.Kind), Signature: sig,
		Contacts: res.Contacts, Files: stamps, Judge: judge, CountryCode: opt.Policy.Export.CountryCode,
	}
	if confirm && sig != confirmed {
		rec.Hold = largeDeletion
	}
	if !full {
		rec.Affected = append(append([]string{}, toRead...), gone...)
	}
	r, err := recordBook(st, rec)
	if err != nil {
		return nil, sig, err
	}
	return &SnapshotResult{Result: *r, FileErrors: res.Errors, Location: loc}, sig, nil
}

// recordBook records a state of the book, or, when the history refuses it because the book
// is suddenly empty, the source as missing: a sudden empty export is a failed export, not
// an empty address book.
func recordBook(st *history.Store, rec history.Record) (*history.Result, error) {
	r, err := st.Record(rec)
	var empty *history.EmptyError
	if errors.As(err, &empty) {
		return st.RecordMissing(rec.Location, fmt.Sprintf("the export has no contacts while the last snapshot had %d; it was not recorded as deleting them", empty.Before), rec.Time, rec.Judge)
	}
	return r, err
}

// largeDeletion: a change the mass-deletion rule judged is read again before it is recorded.
func largeDeletion(found []findings.Finding) bool {
	for _, f := range found {
		if f.Kind == findings.MassDeletion {
			return true
		}
	}
	return false
}

// streamFirst takes the first snapshot of a large export in a stream: the history reads it
// a chunk of files at a time through intake, so that it never holds every contact.
func streamFirst(st *history.Store, exp *intake.Export, stamps []history.FileStamp, opt SnapshotOptions, judge history.Judge,
	missing func(exports.Location, string, []exports.FileError) (*SnapshotResult, string, error)) (*SnapshotResult, string, error) {
	var fileErrs []exports.FileError
	var problem string
	read := func(paths []string, yield func(*contacts.Contact) error) error {
		res, bad, err := intake.ReadEach(paths, yield)
		fileErrs = append(fileErrs, res.Errors...)
		if err != nil {
			return err
		}
		if bad != "" {
			problem = bad
			return errUnusable
		}
		return nil
	}
	r, err := st.RecordFirst(history.Stream{Time: opt.Now, Location: exp.Location.Path, Kind: string(exp.Location.Kind),
		Signature: exp.Signature, Files: stamps, Read: read, Judge: judge, CountryCode: opt.Policy.Export.CountryCode})
	if errors.Is(err, errUnusable) {
		return missing(exp.Location, problem, fileErrs)
	}
	if err != nil {
		return nil, exp.Signature, err
	}
	return &SnapshotResult{Result: *r, FileErrors: fileErrs, Location: exp.Location}, exp.Signature, nil
}

// errUnusable stops a stream at a file cut off or unreadable.
var errUnusable = errors.New("the export cannot be used")

// Snapshot takes a snapshot of the export at path now, for syncguard snapshot: through
// the running tray's service, which holds the history, or a command's own. It is the
// tray's own scan (takeSnapshot), one at a time with its scans, under the service's
// policy, and the tray shows its outcome.
func (s *Service) Snapshot(path string, force, details bool) (*SnapshotResult, error) {
	if _, err := s.history(); err != nil {
		return nil, err
	}
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	return s.takeSnapshot(path, force, details, sameFile(path, s.Export()))
}

// sameFile says whether two paths name one export location.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
