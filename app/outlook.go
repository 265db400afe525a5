package app

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/outlook"
	"github.com/syncguard/syncguard/internal/policy"
)

// OutlookReader is the reader of Outlook's contacts for a data folder and policy: the
// default Contacts folder and the policy's subfolders, with its cache in the data folder.
// connect nil is the real Outlook (Windows only).
func OutlookReader(dataDir string, p *policy.Policy, connect outlook.Connector) *outlook.Reader {
	if connect == nil {
		connect = outlook.Attach
	}
	return &outlook.Reader{Connect: connect, Folders: p.Export.OutlookFolders,
		CacheFile: filepath.Join(dataDir, "outlook-cache.json")}
}

// SnapshotOutlook reads Outlook whole and records it as a snapshot. It is the one
// workflow for the command line (snapshot --outlook) and the tray. A read that fails
// records nothing: the error says why (outlook.Explain words it for people), and the last
// snapshot stays current.
func SnapshotOutlook(ctx context.Context, st *history.Store, r *outlook.Reader, p *policy.Policy, now time.Time) (*SnapshotResult, *outlook.Result, error) {
	read, err := r.Read(ctx)
	if err != nil {
		return nil, nil, err
	}
	if last, _ := st.Latest(); read.Unchanged && last != nil && last.Location == outlook.Location {
		// Nothing changed since the last recorded read: no empty snapshot every 15 minutes.
		return &SnapshotResult{Result: history.Result{Snapshot: last, Unchanged: true}}, read, nil
	}
	rec, err := recordBook(st, history.Record{Time: now, Location: outlook.Location, Kind: "import", Contacts: read.Contacts,
		Judge: Judge(p), CountryCode: p.Export.CountryCode})
	if err != nil {
		return nil, read, fmt.Errorf("the contacts were read from Outlook but could not be recorded: %w", err)
	}
	res := &SnapshotResult{Result: *rec}
	if err := r.Keep(read); err != nil {
		// The snapshot stands; the next read only opens every item again.
		res.FileErrors = append(res.FileErrors, exports.FileError{File: r.CacheFile, Message: err.Error()})
	}
	res.FileErrors = append(res.FileErrors, read.Errors...)
	if res.Snapshot != nil && res.Snapshot.Added+res.Snapshot.Removed+res.Snapshot.Changed > 0 {
		st.Maintain(history.Retention(p.Retention), now)
	}
	return res, read, nil
}

// source is the contacts' source in force (s.mu held).
func (s *Service) sourceLocked() string { return s.settings.SourceIn(s.policy) }

// Source is where contacts are read: policy.SourceFiles or policy.SourceOutlook.
func (s *Service) Source() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sourceLocked()
}

// SetSource chooses between export files and Outlook itself (when the policy does not).
func (s *Service) SetSource(src string) error {
	if s.policy.IsLocked("export.source") {
		return fmt.Errorf("where contacts are read is set by your IT department's policy (%s)", s.policy.File)
	}
	if src != policy.SourceFiles && src != policy.SourceOutlook {
		return fmt.Errorf("unknown source %q", src)
	}
	if err := s.saveSettings(func(st *Settings) { st.Source = src }); err != nil {
		return err
	}
	s.restartWatch()
	s.ScanNow()
	return nil
}

// scanOutlook reads Outlook and records a snapshot (s.scanMu held). why is logged with
// the snapshot's event ("a device sync started").
func (s *Service) scanOutlook() {
	s.mu.Lock()
	r := OutlookReader(s.dataDir, s.policy, s.opt.Outlook)
	s.mu.Unlock()
	res, read, err := SnapshotOutlook(context.Background(), s.store, r, s.policy, s.now())
	if err == nil && res != nil && !res.Unchanged {
		s.explainRemovals(&res.Result)
	}
	problem := ""
	if err != nil {
		problem = outlook.Explain(err)
		if last, _ := s.store.Latest(); last != nil {
			problem += fmt.Sprintf(" Last snapshot: %s.", last.Time.Local().Format("Jan 2 15:04"))
		}
	} else if read != nil && read.Opened > 0 {
		debug.FreeOSMemory()
	}
	s.mu.Lock()
	s.problem = problem
	s.mu.Unlock()
	s.publishFresh()
}

// syncEdge reads Outlook right when a device sync starts or ends, so that there is a
// snapshot just before and just after every sync (the "before" is what a restore brings
// back). Only when Outlook is the source; export files are watched for changes anyway.
func (s *Service) syncEdge(running []string, partnershipChanged bool) {
	s.mu.Lock()
	prev := s.lastRunning
	s.lastRunning = running
	first := !s.lookedOnce
	s.lookedOnce = true
	src := s.sourceLocked()
	s.mu.Unlock()
	if src != policy.SourceOutlook || first {
		return
	}
	if partnershipChanged || fmt.Sprint(prev) != fmt.Sprint(running) {
		s.scanMu.Lock()
		s.scanOutlook()
		s.scanMu.Unlock()
	}
}
