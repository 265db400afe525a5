package history

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/findings"
)

// Event kinds of the timeline.
const (
	EventSnapshot      = "snapshot"
	EventExportMissing = "export-missing"
	EventRestore       = "restore"
	EventCheck         = "check"
	EventWarning       = "warning-shown"
	EventAcknowledged  = "acknowledged"
	EventPruned        = "pruned"
)

// Event is one entry of the timeline.
type Event struct {
	Seq      uint64    `json:"seq"`
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"`
	Message  string    `json:"message"`
	Snapshot uint64    `json:"snapshot,omitempty"`
}

func addEvent(tx *bolt.Tx, e Event) error {
	e.Seq = nextSeq(tx, "event")
	return putJSON(tx.Bucket(bEvents), u64(e.Seq), e)
}

// AddEvent adds an entry to the timeline (checks run, warnings shown, restores made).
func (s *Store) AddEvent(e Event) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	return s.db.Update(func(tx *bolt.Tx) error { return addEvent(tx, e) })
}

// Events lists the timeline, oldest first; limit > 0 keeps the newest limit entries.
func (s *Store) Events(limit int) ([]Event, error) {
	var out []Event
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bEvents).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var e Event
			if json.Unmarshal(v, &e) == nil {
				out = append(out, e)
			}
		}
		return nil
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// upsertFindings stores findings by id: a finding seen again keeps its first sighting and
// its state (an acknowledged finding stays acknowledged) and takes the new details.
func upsertFindings(tx *bolt.Tx, fs []findings.Finding, now time.Time) ([]findings.Finding, error) {
	b := tx.Bucket(bFindings)
	out := make([]findings.Finding, 0, len(fs))
	for _, f := range fs {
		f.Normalize(now)
		if old := b.Get([]byte(f.ID)); old != nil {
			var prev findings.Finding
			if json.Unmarshal(old, &prev) == nil {
				f.FirstSeen = prev.FirstSeen
				if prev.State == findings.Acknowledged {
					f.State = findings.Acknowledged
					f.AcknowledgedBy, f.AcknowledgedAt = prev.AcknowledgedBy, prev.AcknowledgedAt
				}
			}
		}
		f.LastSeen = now
		if err := putJSON(b, []byte(f.ID), f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// SaveFindings stores findings from outside the snapshot path (the device checks). With a
// non-empty kinds list, open findings of those kinds that are not in fs are resolved: the
// check ran and no longer sees them.
func (s *Store) SaveFindings(fs []findings.Finding, resolveOthers []findings.Kind, now time.Time) ([]findings.Finding, error) {
	var out []findings.Finding
	err := s.db.Update(func(tx *bolt.Tx) error {
		seen := map[string]bool{}
		for i := range fs {
			fs[i].Normalize(now)
			seen[fs[i].ID] = true
		}
		for _, k := range resolveOthers {
			if err := resolveKindExcept(tx, k, seen, now); err != nil {
				return err
			}
		}
		var err error
		out, err = upsertFindings(tx, fs, now)
		return err
	})
	return out, err
}

// resolveOpen resolves open findings of a kind, writing only when there is one.
func (s *Store) resolveOpen(kind findings.Kind, now time.Time) error {
	open := false
	s.db.View(func(tx *bolt.Tx) error {
		prefix := string(kind) + "-"
		c := tx.Bucket(bFindings).Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
			var f findings.Finding
			if json.Unmarshal(v, &f) == nil && f.State == findings.Open {
				open = true
			}
		}
		return nil
	})
	if !open {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error { return resolveKind(tx, kind, now) })
}

func resolveKind(tx *bolt.Tx, kind findings.Kind, now time.Time) error {
	return resolveKindExcept(tx, kind, nil, now)
}

func resolveKindExcept(tx *bolt.Tx, kind findings.Kind, keep map[string]bool, now time.Time) error {
	b := tx.Bucket(bFindings)
	prefix := []byte(string(kind) + "-")
	c := b.Cursor()
	var updates [][2][]byte
	for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
		if keep[string(k)] {
			continue
		}
		var f findings.Finding
		if json.Unmarshal(v, &f) != nil || f.State == findings.Resolved {
			continue
		}
		f.State = findings.Resolved
		f.LastSeen = now
		data, _ := json.Marshal(f)
		updates = append(updates, [2][]byte{append([]byte(nil), k...), data})
	}
	for _, u := range updates {
		if err := b.Put(u[0], u[1]); err != nil {
			return err
		}
	}
	return nil
}

// Findings lists findings, worst and newest first; all includes acknowledged and resolved.
func (s *Store) Findings(all bool) ([]findings.Finding, error) {
	var out []findings.Finding
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bFindings).ForEach(func(k, v []byte) error {
			var f findings.Finding
			if err := json.Unmarshal(v, &f); err != nil {
				return nil // a damaged record must not hide the others
			}
			if all || f.State == findings.Open {
				out = append(out, f)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return out[i].LastSeen.After(out[j].LastSeen)
	})
	return out, err
}

// SetFindingState acknowledges (or reopens, or resolves) a finding by id or unique id
// prefix. by is who did it (the OS user), kept with an acknowledgement; reopening clears it.
func (s *Store) SetFindingState(id string, st findings.State, by string, now time.Time) (findings.Finding, error) {
	var f findings.Finding
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFindings)
		var match [][]byte
		b.ForEach(func(k, _ []byte) error {
			if string(k) == id {
				match = [][]byte{append([]byte(nil), k...)}
				return fmt.Errorf("stop")
			}
			if strings.HasPrefix(string(k), id) {
				match = append(match, append([]byte(nil), k...))
			}
			return nil
		})
		switch len(match) {
		case 0:
			return fmt.Errorf("no finding %q; run 'syncguard findings --all' for their ids", id)
		case 1:
		default:
			return fmt.Errorf("%q matches %d findings; give more of the id", id, len(match))
		}
		if err := json.Unmarshal(b.Get(match[0]), &f); err != nil {
			return err
		}
		f.State = st
		f.LastSeen = now
		f.AcknowledgedBy, f.AcknowledgedAt = "", time.Time{}
		if st == findings.Acknowledged {
			f.AcknowledgedBy, f.AcknowledgedAt = by, now
		}
		if err := putJSON(b, match[0], f); err != nil {
			return err
		}
		return addEvent(tx, Event{Time: now, Kind: EventAcknowledged, Message: fmt.Sprintf("%s: %s (%s)", st, f.Title, f.ID), Snapshot: f.SnapshotID})
	})
	return f, err
}
