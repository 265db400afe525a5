package app

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/findings"
)

// The wizard's checklist and the tray say the same: every item that is not a pass or a
// note is a finding the status window lists as open, with the same severity, even when
// the user had accepted those findings before (issue 16: the checklist ended with six
// warnings while the tray said "All good").
func TestTheWizardsChecklistIsWhatTheTrayShows(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 120) // many contacts with several categories
	s := newService(t, dir, Options{})
	defer s.Close()
	yes := true
	a := Answers{
		Device: conduit.Device{Name: "Anna's Treo", Software: "hotsync", Version: "4.1",
			Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}},
		Others: "yes", OthersInterAction: true, ThisInterAction: &yes, Export: export,
	}
	ctx := context.Background()
	if err := s.Apply(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Then everything is accepted, as one click in the old popup did.
	for _, f := range s.Status().Open {
		if _, err := s.Acknowledge(f.ID); err != nil {
			t.Fatal(err)
		}
	}
	if st := s.Status(); st.State != StateOK {
		t.Fatalf("all accepted: %s", st.State)
	}

	// The user runs the wizard again with the same answers.
	if err := s.Apply(ctx, a); err != nil {
		t.Fatal(err)
	}
	c := s.Evaluate(a)
	st := s.Status()
	open := map[string]findings.Finding{}
	for _, f := range st.Open {
		open[f.ID] = f
	}
	problems := 0
	for _, it := range c.Items {
		if it.Result != Warn && it.Result != Fail {
			continue
		}
		problems++
		f, ok := open[it.Finding]
		if !ok {
			t.Errorf("checklist %s %q (%s): no open finding %q in the status window", it.Result, it.Check, it.Detail, it.Finding)
			continue
		}
		want := map[Result]findings.Severity{Warn: findings.Warning, Fail: findings.Danger}[it.Result]
		if f.Severity != want {
			t.Errorf("%q: the checklist says %s, the status window %s", it.Check, it.Result, f.Severity)
		}
	}
	if problems < 4 {
		t.Errorf("the scenario should fail the setting, the version, the categories and the other workstation: %d problems", problems)
	}
	if c.Worst() == Fail && st.State != StateDanger {
		t.Errorf("the checklist fails, the tray says %s", st.State)
	}
	// And the other way round: the tray shows no device problem the checklist does not.
	listed := map[string]bool{}
	for _, it := range c.Items {
		listed[it.Finding] = true
	}
	for _, f := range st.Open {
		if f.Kind.IsDevice() && f.Severity > findings.Info && !listed[f.ID] {
			t.Errorf("the tray shows %q, the checklist does not", f.Title)
		}
	}
}

// An answer "I don't know" is a note in the checklist, as it is in the tray: not a
// problem found, and not a pass.
func TestIDontKnowIsANoteNotAProblem(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 30)
	s := newService(t, dir, Options{})
	defer s.Close()
	a := Answers{Device: conduit.Device{Name: "Phone"}, Others: "unknown", Export: export}
	if err := s.Apply(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	c := s.Evaluate(a)
	for _, it := range c.Items {
		switch it.Check {
		case "Sync software", "Other workstations", "InterAction on this workstation":
			if it.Result != Note {
				t.Errorf("%s, not known: %s", it.Check, it.Result)
			}
		}
	}
	if c.Worst() != Pass {
		t.Errorf("only notes and passes: worst %s", c.Worst())
	}
	if st := s.Status(); st.State != StateOK || st.Counts.Danger+st.Counts.Warning != 0 {
		t.Errorf("the tray: %s %+v", st.State, st.Counts)
	}
}
