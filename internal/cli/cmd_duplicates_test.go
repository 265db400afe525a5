package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// twinBook is a generated book with one person entered twice: the copy in Outlook's
// "File As" order, without phones. The CSV writer splits "Jones, Charles" into the last- and
// first-name columns as Outlook does, so the reader sees the same name and the same e-mail.
func twinBook(t *testing.T) (export string, name string) {
	book := gen.Book(5, 200)
	twin := book[3].Clone()
	twin.Name = book[3].StructuredName.Family + ", " + book[3].StructuredName.Given
	twin.StructuredName.Given, twin.StructuredName.Family = "", ""
	twin.Phones = nil
	book = append(book, twin)
	export = filepath.Join(t.TempDir(), "c.csv")
	writeCSVExport(t, export, book)
	return export, book[3].DisplayName()
}

func TestDuplicatesJSON(t *testing.T) {
	t.Parallel()
	export, name := twinBook(t)
	out, stderr, code := run(t, "duplicates", "--json", export)
	var got struct {
		Clusters []struct {
			Rule          string `json:"rule"`
			Survivor      string `json:"survivor"`
			SurvivorIndex *int   `json:"survivor_index"`
			Contacts      []struct {
				Name   string             `json:"name"`
				Source struct{ Line int } `json:"source"`
			} `json:"contacts"`
		} `json:"clusters"`
		Errors []any `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitOK || got.Errors == nil {
		t.Fatalf("code %d, %v\n%s\n%s", code, err, out, stderr)
	}
	if len(got.Clusters) != 1 {
		t.Fatalf("%d clusters, want the one twin: %s", len(got.Clusters), out)
	}
	cl := got.Clusters[0]
	if cl.Rule == "" || len(cl.Contacts) != 2 || cl.Survivor != name || cl.SurvivorIndex == nil ||
		cl.Contacts[*cl.SurvivorIndex].Name != name || cl.Contacts[0].Source.Line == 0 {
		t.Errorf("cluster %+v, want %q kept", cl, name)
	}
}

func TestDuplicatesText(t *testing.T) {
	t.Parallel()
	export, name := twinBook(t)
	out, stderr, code := run(t, "duplicates", export)
	if code != ExitOK {
		t.Fatalf("code %d: %s", code, stderr)
	}
	for _, want := range []string{"1 person appears more than once (2 records among 201 contacts)", "Nothing was merged",
		name + ": same name and e-mail", "  keep  " + name} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDuplicatesUsesThePolicyExportLocation(t *testing.T) {
	t.Parallel()
	export, _ := twinBook(t)
	pol := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(pol, []byte(fmt.Sprintf("[export]\nlocation = %q\n", export)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "--policy", pol, "duplicates", "--json")
	if code != ExitOK || !strings.Contains(out, `"rule": "same name and e-mail"`) {
		t.Errorf("code %d\n%s\n%s", code, out, stderr)
	}
}

func TestDuplicatesFailures(t *testing.T) {
	t.Parallel()
	empty := filepath.Join(t.TempDir(), "empty.toml")
	os.WriteFile(empty, nil, 0o600)
	garbage := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(garbage, []byte{0xff, 0xfe, 0x00}, 0o600)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no path and no export location", []string{"--policy", empty, "duplicates"}, "no export location"},
		{"a path that is not there", []string{"duplicates", filepath.Join(t.TempDir(), "gone.csv")}, "gone.csv"},
		{"too many paths", []string{"duplicates", "a", "b"}, "usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args...)
			if code != ExitFailed || !strings.Contains(stderr, tc.want) {
				t.Errorf("code %d, stderr %q, want %q", code, stderr, tc.want)
			}
		})
	}
}
