package app

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/findings"
)

// Accepting a finding as intended ("This was intended") is the one way to silence it, so
// it is made deliberate here, once, for the windows and the command line alike: one
// finding at a time; a finding that lost data asks first, naming what is accepted; the
// OS user and the time are kept; an accepted finding stays listed and can be reopened.

// Confirmation is the question to ask before accepting f, or "" when a plain click is
// enough (a finding about a setting or a risk, where nothing is lost yet). It names what
// is accepted and says that the contacts are not lost to SyncGuard.
func Confirmation(f findings.Finding) string {
	if !f.Kind.LostData() {
		return ""
	}
	n := len(f.Contacts)
	what := ""
	if n > 0 {
		switch f.Kind {
		case findings.MassDeletion:
			what = findings.Plural(n, "contact was", "contacts were") + " deleted"
		case findings.CategoryCollapse:
			what = findings.Plural(n, "contact", "contacts") + " lost all but one of their categories"
		case findings.CategoryLoss:
			what = findings.Plural(n, "contact", "contacts") + " lost categories"
		case findings.MileageChanged:
			what = "Outlook's Mileage field changed on " + findings.Plural(n, "contact", "contacts")
		case findings.FieldLoss:
			what = findings.Plural(n, "contact", "contacts") + " lost phones, e-mails, addresses or notes"
		case findings.Truncation:
			what = findings.Plural(n, "contact", "contacts") + " had a field cut short"
		case findings.MassEdit:
			what = findings.Plural(n, "contact was", "contacts were") + " rewritten"
		case findings.Revert:
			what = findings.Plural(n, "contact", "contacts") + " went back to an older version"
		}
	}
	if what == "" {
		return fmt.Sprintf("Accept \u201c%s\u201d as intended? The earlier versions stay in SyncGuard's history and can still be restored.", f.Title)
	}
	tail := "They stay in SyncGuard's history and can still be restored."
	if n == 1 {
		tail = "It stays in SyncGuard's history and can still be restored."
	}
	return fmt.Sprintf("Accept that %s? %s", what, tail)
}

// currentUser is who accepts a finding: the OS account, as Windows writes it
// (DOMAIN\user) or the Unix login name.
func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USERNAME", "USER"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown user"
}

// Acknowledge accepts one finding as intended (by id or the start of it): it leaves the
// icon and never pops up again, and stays listed under "Accepted" with who and when.
// Ask Confirmation first where it is not "".
func (s *Service) Acknowledge(id string) (findings.Finding, error) {
	f, err := s.store.SetFindingState(id, findings.Acknowledged, s.opt.User(), s.now())
	if err != nil {
		return f, err
	}
	s.publish(nil)
	return f, nil
}

// Reopen takes an acceptance back: the finding is open again, in the icon and the
// windows. It does not pop up again (it was seen); the status window lists it.
func (s *Service) Reopen(id string) (findings.Finding, error) {
	f, err := s.Finding(id)
	if err != nil {
		return f, err
	}
	if f.State == findings.Resolved {
		// A resolved finding is one the check no longer sees: reopening it would show a
		// problem that is gone.
		return f, fmt.Errorf("%q is resolved: the check no longer sees it, so there is nothing to reopen", f.Title)
	}
	f, err = s.store.SetFindingState(f.ID, findings.Open, "", s.now())
	if err != nil {
		return f, err
	}
	s.publish(nil)
	return f, nil
}

// accepted lists the acknowledged findings, the latest acceptance first, at most max.
func accepted(all []findings.Finding, max int) []findings.Finding {
	var out []findings.Finding
	for _, f := range all {
		if f.State == findings.Acknowledged {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].AcknowledgedAt.After(out[j].AcknowledgedAt) })
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// Finding looks a finding up by its id or the start of it, in any state.
func (s *Service) Finding(id string) (findings.Finding, error) {
	all, err := s.store.Findings(true)
	if err != nil {
		return findings.Finding{}, err
	}
	var match []findings.Finding
	for _, f := range all {
		if f.ID == id {
			return f, nil
		}
		if id != "" && strings.HasPrefix(f.ID, id) {
			match = append(match, f)
		}
	}
	switch len(match) {
	case 0:
		return findings.Finding{}, noFinding(fmt.Sprintf("no finding %q: it may have been resolved since; the list of findings gives their ids", id))
	case 1:
		return match[0], nil
	}
	return findings.Finding{}, fmt.Errorf("%q matches %d findings; give more of the id", id, len(match))
}

// ErrNoFinding is what Finding's error is (errors.Is) when no finding has the id: a caller
// in another process (app/remote) tells it from a history that could not be read.
var ErrNoFinding = errors.New("no such finding")

// noFinding keeps the message the command line prints and is ErrNoFinding.
type noFinding string

func (e noFinding) Error() string        { return string(e) }
func (e noFinding) Is(target error) bool { return target == ErrNoFinding }
