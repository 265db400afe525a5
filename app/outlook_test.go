package app

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/outlook/outlooktest"
)

// fakeBook fills a fake Outlook with a generated book, item by item, as the object model
// holds it.
func fakeBook(o *outlooktest.Outlook, n int) []string {
	var ids []string
	for _, c := range gen.Book(11, n) {
		p := map[string]string{"FirstName": c.StructuredName.Given, "LastName": c.StructuredName.Family,
			"CompanyName": c.Organization, "Categories": strings.Join(c.Categories, "; ")}
		if len(c.Emails) > 0 {
			p["Email1Address"] = c.Emails[0].Value
		}
		if len(c.Phones) > 0 {
			p["BusinessTelephoneNumber"] = c.Phones[0].Value
		}
		ids = append(ids, o.Add("Contacts", p))
	}
	return ids
}

func TestTheTrayReadsOutlookAtEachSyncsEdges(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(pol, []byte("[export]\nsource = \"outlook\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := outlooktest.New()
	ids := fakeBook(o, 120)
	var mu sync.Mutex
	procs := []string{}
	s := newService(t, dir, Options{PolicyFile: pol, Outlook: o.Connect, Processes: func() ([]string, error) {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), procs...), nil
	}})
	defer s.Close()
	if st := s.Status(); st.NeedsSetup || st.Source != "outlook" {
		t.Fatalf("with Outlook as the source nothing needs an export: %+v", st.Source)
	}
	s.Scan()
	st := s.Status()
	if st.LastSnapshot == nil || st.LastSnapshot.Contacts != 120 {
		t.Fatalf("first read: %+v (%s)", st.LastSnapshot, st.Sentence)
	}
	s.Look() // the first look sees what runs at start: not an edge

	// A sync starts: a snapshot right then (nothing changed yet: no new snapshot, but a
	// read), the sync deletes 30 contacts, the sync ends: a snapshot right then.
	mu.Lock()
	procs = []string{"WMDC.exe"}
	mu.Unlock()
	before := o.Sessions
	s.Look()
	if o.Sessions != before+1 {
		t.Fatalf("a sync starting did not read Outlook (%d reads)", o.Sessions-before)
	}
	for _, id := range ids[:30] {
		o.Delete(id)
	}
	mu.Lock()
	procs = nil
	mu.Unlock()
	s.Look()
	st = s.Status()
	if st.LastSnapshot.Contacts != 90 || st.LastSnapshot.Removed != 30 {
		t.Fatalf("after the sync: %+v", st.LastSnapshot)
	}
	if st.Worst == nil || st.Worst.Kind != "mass-deletion" {
		t.Fatalf("30 contacts deleted by a sync and no mass-deletion finding: %s", st.Sentence)
	}

	// Outlook closed: the last snapshot stands and the status says when it was taken.
	o.Stop()
	s.Scan()
	st = s.Status()
	if st.LastSnapshot.Contacts != 90 || !strings.Contains(st.Problem, "not running") || !strings.Contains(st.Problem, "Last snapshot:") {
		t.Fatalf("Outlook closed: snapshot %+v, problem %q", st.LastSnapshot, st.Problem)
	}
}
