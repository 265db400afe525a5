package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

func TestDuplicatesCommand(t *testing.T) {
	book := gen.Book(5, 200)
	twin := book[3].Clone()
	twin.Name, twin.StructuredName.Given, twin.StructuredName.Family = book[3].StructuredName.Family+", "+book[3].StructuredName.Given, "", ""
	twin.Phones = nil
	book = append(book, twin)
	export := filepath.Join(t.TempDir(), "c.csv")
	writeCSVExport(t, export, book)
	out, stderr, code := run(t, "duplicates", "--json", export)
	var got struct {
		Clusters []struct {
			Rule     string
			Survivor string
			Contacts []struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
		t.Fatalf("%v %s %s", err, out, stderr)
	}
	found := false
	for _, cl := range got.Clusters {
		if cl.Rule == "same e-mail" && len(cl.Contacts) == 2 && cl.Survivor == book[3].DisplayName() {
			found = true
		}
	}
	if !found {
		t.Errorf("the copy of %q was not clustered with it: %+v", book[3].DisplayName(), got.Clusters)
	}
}
