package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/assets"
	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/rules"
)

// commandLine matches what a lawyer must never be asked to type: the program's name
// followed by a verb, a command-line flag, or "run '…'".
var commandLine = regexp.MustCompile(`\bsyncguard(\.exe)?\s+(help|scan|snapshot|history|diff|show|restore|findings|ack|reopen|duplicates|catalog|device|workstation|check|fleet|policy|doctor|outlook|demo)\b|(^|\s)--[a-z][a-z-]+|\brun '`)

// TestNoCommandLineInLawyerFacingWords walks every finding kind (each produced for real by
// its rule or check), and every string literal of the windows and popups, and fails on
// any command line in words a lawyer reads. IT's commands belong in Finding.ForIT.
func TestNoCommandLineInLawyerFacingWords(t *testing.T) {
	seen := map[findings.Kind]bool{}
	check := func(where string, f findings.Finding) {
		t.Helper()
		seen[f.Kind] = true
		for _, text := range []string{f.Title, f.Explanation, f.Advice} {
			if commandLine.MatchString(text) {
				t.Errorf("%s: %s finding shows a command line to the user: %q", where, f.Kind, text)
			}
		}
		for _, a := range f.Actions {
			if commandLine.MatchString(a.Label) {
				t.Errorf("%s: button %q", where, a.Label)
			}
		}
	}

	// The rules, each fed the damage it exists for.
	book := gen.Book(3, 400)
	for i, c := range book {
		if i%2 == 0 {
			c.Source.Format = "outlook-csv"
			c.Other = append(c.Other, contacts.Field{Name: "Private", Value: "True"}, contacts.Field{Name: "User 1", Value: "M" + strconv.Itoa(i)})
		}
		if c.Mileage == "" {
			c.Mileage = "IA" + strconv.Itoa(i)
		}
		if len(c.Categories) < 2 {
			c.Categories = []string{"Clients", "VIP"}
		}
		c.Source.Format = "outlook-csv"
		c.Note = "A long note that a device with a short note field cuts to its limit. " + strconv.Itoa(i)
	}
	entries := make([]diff.Entry, len(book))
	for i, c := range book {
		entries[i] = diff.Entry{Key: strconv.Itoa(i), Contact: c}
	}
	edits := []func(i int, c *contacts.Contact) *contacts.Contact{
		func(i int, c *contacts.Contact) *contacts.Contact { return nil }, // deleted
		func(i int, c *contacts.Contact) *contacts.Contact { c.Categories = c.Categories[:1]; return c },
		func(i int, c *contacts.Contact) *contacts.Contact { c.Categories = []string{"Clients; VIP"}; return c },
		func(i int, c *contacts.Contact) *contacts.Contact { c.Mileage = ""; return c },
		func(i int, c *contacts.Contact) *contacts.Contact {
			c.Other = []contacts.Field{{Name: "Private", Value: "False"}}
			return c
		},
		func(i int, c *contacts.Contact) *contacts.Contact { c.Phones, c.Emails = nil, c.Emails[:0]; return c },
		func(i int, c *contacts.Contact) *contacts.Contact { c.Note = c.Note[:30]; return c },
		func(i int, c *contacts.Contact) *contacts.Contact { c.Title = "Rewritten " + strconv.Itoa(i); return c },
	}
	for k, edit := range edits {
		var after []*contacts.Contact
		for i, c := range book {
			if i >= k*40 && i < k*40+40 {
				d := c.Clone()
				if e := edit(i, d); e != nil {
					after = append(after, e)
				}
				continue
			}
			after = append(after, c)
		}
		n := 0
		ch := diff.Compute(entries, after, func() string { n++; return "new" + strconv.Itoa(n) }, "")
		for _, f := range rules.Judge(rules.Input{Change: ch, Policy: policy.Default()}) {
			check("rules", f)
		}
	}
	// Duplicates and a revert.
	dup := append(append([]*contacts.Contact(nil), book...), book[1].Clone(), book[3].Clone())
	n := 0
	for _, f := range rules.Judge(rules.Input{Change: diff.Compute(entries, dup, func() string { n++; return "d" + strconv.Itoa(n) }, ""), Policy: policy.Default()}) {
		check("rules", f)
	}
	check("rules", rules.ExportMissing("/exports/contacts.csv", "the file is gone", 400, 1))

	// Every device check of every catalog entry, with every value of every setting, an
	// unknown version, an unknown setting and an unknown software.
	cat, err := conduit.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, sw := range cat.Software {
		for _, version := range []string{"", "0.1", "banana"} {
			d := conduit.Device{ID: "dev", Name: "Anna's phone", Software: sw.ID, Version: version, Settings: map[string]string{"no-such-setting": "x"}}
			for _, st := range sw.Settings {
				for _, v := range st.Values {
					d.Settings[st.Key] = v.Value
					for _, f := range conduit.CheckDevice(cat, d, book) {
						check("device check", f)
					}
				}
				d.Settings[st.Key] = "not-a-value"
			}
			for _, f := range conduit.CheckDevice(cat, d, nil) {
				check("device check", f)
			}
		}
	}
	for _, f := range conduit.CheckDevice(cat, conduit.Device{ID: "x", Name: "X", Software: "nope"}, nil) {
		check("device check", f)
	}
	// Programs found by their Outlook add-in, and phones IT lists as syncing directly with
	// Exchange (alone, and also paired here).
	var addins []conduit.AddinMatch
	for _, sw := range cat.Software {
		if len(sw.Recognize.OutlookAddins) > 0 {
			addins = append(addins, conduit.AddinMatch{Software: sw.ID, Name: sw.Name, Addin: conduit.OutlookAddin{ProgID: sw.Recognize.OutlookAddins[0], Where: "HKCU"}})
		}
	}
	if len(addins) == 0 {
		t.Fatal("the catalog names no Outlook add-in: the walk would prove nothing")
	}
	for _, f := range conduit.CheckAddins(cat, addins) {
		check("outlook add-in", f)
	}
	direct := fleet.View{DirectDevices: []fleet.DirectDevice{{Mailbox: "anna@firm.example", Device: "Anna iPhone", Line: 2}, {Mailbox: "anna@firm.example", Device: "Anna Galaxy", Line: 3}}}
	self := fleet.File{Workstation: fleet.Workstation{ID: "ws", Mailboxes: []string{"anna@firm.example"}}, Devices: []fleet.Device{{ID: "a", Name: "Anna Galaxy"}}}
	if fs := fleet.DirectSync(self, direct); len(fs) != 2 {
		t.Fatalf("direct sync findings = %d, want 2", len(fs))
	} else {
		for _, f := range fs {
			check("direct sync", f)
		}
	}

	// The kinds no single-workstation run produces here are judged by their source text
	// below; every other kind must have been seen, so a new kind is walked too.
	for _, k := range findings.AllKinds {
		if !seen[k] && k != findings.MultiWorkstation && k != findings.Revert {
			t.Errorf("finding kind %s was never produced by this walk: add it", k)
		}
	}

	// Every string literal of the lawyer's windows, popups, rules, checks and the fleet's
	// findings, except what is assigned to ForIT.
	for _, dir := range []string{"../ui", ".", "../internal/rules", "../internal/conduit", "../internal/fleet"} {
		for _, lit := range lawyerLiterals(t, dir) {
			if commandLine.MatchString(lit.text) {
				t.Errorf("%s: a command line in words a lawyer reads: %q", lit.pos, lit.text)
			}
		}
	}
	// And the catalog's words, which the wizard shows.
	if m := commandLine.FindString(string(assets.CatalogJSON)); m != "" {
		t.Errorf("the catalog (shown by the wizard) holds a command line: %q", m)
	}
}

type literal struct{ pos, text string }

// lawyerLiterals are the string literals of a package's non-test files, leaving out those
// given to ForIT, errors for the command line (fmt.Errorf / errors.New in CLI-only code is
// not here: the packages scanned are the ones whose words reach windows) and comments.
func lawyerLiterals(t *testing.T, dir string) []literal {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []literal
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "start_nocgo.go" {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		skip := map[ast.Node]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok && id.Name == "ForIT" {
					skip[x.Value] = true
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "ForIT" && i < len(x.Rhs) {
						skip[x.Rhs[i]] = true
					}
				}
			case *ast.ValueSpec:
				for i, id := range x.Names {
					if strings.HasPrefix(id.Name, "it") && i < len(x.Values) {
						skip[x.Values[i]] = true // itDeviceSet and the like: IT's words
					}
				}
			}
			if skip[n] {
				return false
			}
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil {
					out = append(out, literal{fset.Position(bl.Pos()).String(), s})
				}
			}
			return true
		})
	}
	return out
}
