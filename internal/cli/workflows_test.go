package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/policy"
)

// openFinding reports whether the history in data has an open finding with this subject.
func openFinding(t *testing.T, data, subject string) bool {
	t.Helper()
	st, err := history.Open(data, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fs, err := st.Findings(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Subject == subject && f.State == findings.Open {
			return true
		}
	}
	return false
}

// The tray's hourly check and `syncguard check` are one workflow: on a workstation whose
// InterAction answer is unknown, the command raised interaction-sync-unknown and the
// tray's next check silently resolved it. Now each raises what the other does, in either
// order.
func TestTrayAndCommandLineCheckAgree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data, folder := filepath.Join(dir, "data"), filepath.Join(dir, "fleet")
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	pol := policyFile(t, "[fleet]\nfolder = '"+folder+"'\n")
	p, err := policy.LoadSources(policy.Sources{File: pol[1]})
	if err != nil {
		t.Fatal(err)
	}
	trayCheck := func() {
		t.Helper()
		s, err := app.New(app.Options{DataDir: data, Policy: p, NoLiveDetect: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.CheckDevices(context.Background())
	}

	if _, stderr, code := runIn(t, data, append(pol, "check", "--no-detect")...); code == ExitFailed {
		t.Fatalf("check: %s", stderr)
	}
	if !openFinding(t, data, "interaction-sync-unknown") {
		t.Fatal("the command line's check did not raise interaction-sync-unknown")
	}
	trayCheck()
	if !openFinding(t, data, "interaction-sync-unknown") {
		t.Error("the tray's check resolved the interaction-sync-unknown the command line raised")
	}
	// The other order: the answer given, the tray resolves it and the command agrees.
	if _, stderr, code := runIn(t, data, append(pol, "workstation", "set", "--interaction-sync=false")...); code != ExitOK {
		t.Fatalf("workstation set: %s", stderr)
	}
	trayCheck()
	if openFinding(t, data, "interaction-sync-unknown") {
		t.Error("answered, and the tray's check kept interaction-sync-unknown open")
	}
	runIn(t, data, append(pol, "check", "--no-detect")...)
	if openFinding(t, data, "interaction-sync-unknown") {
		t.Error("answered, and the command line's check raised interaction-sync-unknown again")
	}
}

// A UK firm's policy sets country_code = "44". The tray and the command line took the same
// book differently: "020 7946 0000" was +442079460000 in one and 02079460000 in the other,
// so their fingerprints, their matching and their duplicates disagreed. Now the tray's
// snapshot (the service with the policy injected) and `syncguard snapshot --policy` keep
// the same contacts with the same fingerprints and raise the same findings.
func TestCountryCodeTrayAndCommandLineSnapshotsAgree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	var book []*contacts.Contact
	for i := range 4 {
		name := fmt.Sprintf("Ann Lee%d", i)
		national := fmt.Sprintf("020 7946 %04d", i)
		intl := fmt.Sprintf("+44 20 7946 %04d", i)
		book = append(book,
			&contacts.Contact{Name: name, StructuredName: contacts.Name{Given: "Ann", Family: fmt.Sprintf("Lee%d", i)},
				Emails: []contacts.Value{{Value: fmt.Sprintf("ann%d@lee.co.uk", i)}}, Phones: []contacts.Value{{Value: national, Types: []string{"work"}}}},
			// The same person again, the number written internationally: a duplicate only
			// when national numbers are read as British.
			&contacts.Contact{Name: name, StructuredName: contacts.Name{Given: "Ann", Family: fmt.Sprintf("Lee%d", i)},
				Emails: []contacts.Value{{Value: fmt.Sprintf("ann.lee%d@home.example", i)}}, Phones: []contacts.Value{{Value: intl, Types: []string{"home"}}}})
	}
	book = append(book, gen.Book(44, 20)...)
	writeCSVExport(t, export, book)
	pol := policyFile(t, "[export]\ncountry_code = \"44\"\nlocation = '"+export+"'\n")
	p, err := policy.LoadSources(policy.Sources{File: pol[1]})
	if err != nil {
		t.Fatal(err)
	}

	cliData, trayData := filepath.Join(dir, "cli"), filepath.Join(dir, "tray")
	if _, stderr, code := runIn(t, cliData, append(pol, "snapshot", "--export", export)...); code == ExitFailed {
		t.Fatalf("snapshot: %s", stderr)
	}
	s, err := app.New(app.Options{DataDir: trayData, Policy: p, NoLiveDetect: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Scan()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	type kept struct {
		contacts []string // name and fingerprint under the policy's country code, sorted
		findings []string // kind, severity, subject and each contact's name and fingerprint
	}
	read := func(data string) kept {
		t.Helper()
		st, err := history.Open(data, history.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		last, err := st.Latest()
		if err != nil || last == nil {
			t.Fatalf("%s: no snapshot (%v)", data, err)
		}
		es, err := st.Contacts(last.ID)
		if err != nil {
			t.Fatal(err)
		}
		var k kept
		for _, e := range es {
			k.contacts = append(k.contacts, e.Contact.DisplayName()+" "+e.Contact.Fingerprint("44"))
		}
		sort.Strings(k.contacts)
		fs, err := st.Findings(true)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			line := fmt.Sprintf("%s %s %s %s:", f.Kind, f.Severity, f.State, f.Subject)
			for _, c := range f.Contacts {
				line += " " + c.Name + "=" + c.Fingerprint
			}
			k.findings = append(k.findings, line)
		}
		sort.Strings(k.findings)
		return k
	}
	cli, tray := read(cliData), read(trayData)
	if len(cli.contacts) != len(book) || strings.Join(cli.contacts, "\n") != strings.Join(tray.contacts, "\n") {
		t.Errorf("contacts differ:\ncommand line %d\n%s\ntray %d\n%s", len(cli.contacts), strings.Join(cli.contacts, "\n"),
			len(tray.contacts), strings.Join(tray.contacts, "\n"))
	}
	if strings.Join(cli.findings, "\n") != strings.Join(tray.findings, "\n") {
		t.Errorf("findings differ:\ncommand line\n%s\ntray\n%s", strings.Join(cli.findings, "\n"), strings.Join(tray.findings, "\n"))
	}
	// The duplicates are found only with the numbers read as British, and the fingerprints
	// the finding keeps are those of the country code.
	var dup string
	for _, f := range tray.findings {
		if strings.HasPrefix(f, string(findings.Duplicates)+" ") {
			dup = f
		}
	}
	if strings.Count(dup, "Ann Lee") != 4 {
		t.Errorf("want the four British duplicates in one finding, got %q among %q", dup, tray.findings)
	}
	copyOf := book[1]
	if want := copyOf.Name + "=" + copyOf.Fingerprint("44"); !strings.Contains(dup, want) {
		t.Errorf("the duplicate's fingerprint is not the one under country code 44: %q lacks %q", dup, want)
	}
}
