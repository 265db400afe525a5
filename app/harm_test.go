package app

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
)

// A bad sync that does everything at once, on a device set up badly: the findings of
// almost every kind, as the windows get them.
func everythingWrong(t *testing.T) (*Service, []findings.Finding) {
	t.Helper()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(11, 400)
	for i, c := range book {
		if i%3 == 0 && len(c.Categories) < 2 {
			c.Categories = []string{"Clients", "Holiday Card List"}
		}
		if i%4 == 0 {
			c.Mileage = fmt.Sprintf("IA%06X", i)
		}
		if i%10 == 0 {
			c.Note = strings.Repeat("Matter history and billing arrangements. ", 12)
		}
	}
	writeBook(t, export, book)
	s := newService(t, dir, Options{})
	t.Cleanup(func() { s.Close() })
	if err := s.SetExport(export); err != nil {
		t.Fatal(err)
	}
	var after []*contacts.Contact
	collapsed, mileage, fields, cut := 0, 0, 0, 0
	for i, c := range book {
		if i >= 350 {
			break // 50 deleted
		}
		c = c.Clone()
		switch {
		case len(c.Categories) >= 2 && collapsed < 12:
			c.Categories = c.Categories[:1]
			collapsed++
		case c.Mileage != "" && mileage < 4:
			c.Mileage = ""
			mileage++
		case len(c.Phones) > 0 && len(c.Emails) > 0 && fields < 35:
			c.Phones, c.Emails = nil, nil
			fields++
		case len(c.Note) > 300 && cut < 6:
			c.Note = c.Note[:255]
			cut++
		}
		after = append(after, c)
	}
	for _, c := range book[:3] { // the first sync of another device adds copies
		d := c.Clone()
		d.Organization = "Copy " + d.Organization
		after = append(after, d)
	}
	writeBook(t, export, after)
	s.Scan()
	err := s.Apply(context.Background(), Answers{
		Device: conduit.Device{ID: "palm-1", Name: "Anna's Treo", Software: "hotsync", Version: "4.1",
			Settings: map[string]string{"contacts-action": "handheld-overwrites-desktop"}},
		Others: "no", Export: export,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, s.Status().Open
}

func TestTheWorstHarmComesFirstAndTheAdviceNamesOnlyButtonsTheWindowHas(t *testing.T) {
	s, open := everythingWrong(t)
	kinds := map[findings.Kind]bool{}
	var order []string
	for _, f := range open {
		kinds[f.Kind] = true
		order = append(order, fmt.Sprintf("%s/%s", f.Kind, f.Severity))
	}
	for _, k := range []findings.Kind{findings.MassDeletion, findings.CategoryCollapse, findings.MileageChanged,
		findings.FieldLoss, findings.Duplicates, findings.ConduitSetting, findings.OutdatedSoftware, findings.CategoryDeviceLimit} {
		if !kinds[k] {
			t.Errorf("the scenario raised no %s: %v", k, order)
		}
	}
	// Contacts already lost, then contacts about to be lost, then settings; notes last.
	last, lastInfo := findings.HarmLost, false
	for _, f := range open {
		if f.Severity == findings.Info {
			lastInfo = true
			continue
		}
		if lastInfo || f.Kind.Harm() < last {
			t.Fatalf("not ordered by harm: %v", order)
		}
		last = f.Kind.Harm()
	}
	if open[0].Kind != findings.MassDeletion {
		t.Errorf("first: %s, want the deleted contacts: %v", open[0].Kind, order)
	}
	// The status sentence and the popup's title and first sentence come from the first.
	st := s.Status()
	if !strings.HasPrefix(st.Sentence, "Danger: "+open[0].Title) {
		t.Errorf("the status sentence: %q", st.Sentence)
	}
	p := s.PopupFor(open)
	if !strings.HasPrefix(p.Title, open[0].Title) || !strings.HasPrefix(p.Message, "A change of your Outlook contacts") {
		t.Errorf("the popup: %q / %q", p.Title, p.Message)
	}

	// Every "What to do" names only buttons the finding's card has, and no command line.
	labels := []string{"Restore these contacts", "Review the contacts", "Check my device setup", "Choose the export location", "This was intended", "Settings"}
	paren := regexp.MustCompile(`\(([A-Z][^()>]*)\)`)
	for _, f := range append(open, missingExport(t)...) {
		var have []string
		for _, a := range Actions(f) {
			have = append(have, strings.TrimSuffix(a.Label, "…"))
		}
		for _, l := range labels {
			if strings.Contains(f.Advice, l) && !slices.Contains(have, l) {
				t.Errorf("%s: the advice names %q, the card has %v:\n%s", f.Kind, l, have, f.Advice)
			}
		}
		for _, m := range paren.FindAllStringSubmatch(f.Advice, -1) {
			if !slices.Contains(have, m[1]) {
				t.Errorf("%s: the advice names a button %q the card lacks (%v)", f.Kind, m[1], have)
			}
		}
		if strings.Contains(f.Advice, "syncguard ") || strings.Contains(f.Advice, "--") {
			t.Errorf("%s: a command line in the advice: %s", f.Kind, f.Advice)
		}
	}
}

// missingExport is the finding of an export that cannot be read any more.
func missingExport(t *testing.T) []findings.Finding {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	writeExport(t, export, 50)
	s := newService(t, dir, Options{})
	defer s.Close()
	s.SetExport(export)
	writeExport(t, export, 0)
	s.Scan()
	var out []findings.Finding
	for _, f := range s.Status().Open {
		if f.Kind == findings.ExportMissing {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Error("no export-missing finding for an emptied export")
	}
	return out
}
