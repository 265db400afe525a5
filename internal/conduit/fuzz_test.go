package conduit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/syncguard/syncguard/assets"
)

// FuzzParseCatalog feeds the catalog parser what an IT department might write in the file
// the policy names: it must never panic, every error names the file and asks for a fix,
// and a catalog it accepts has an id and a name for each entry.
func FuzzParseCatalog(f *testing.F) {
	// One real entry per seed rather than the whole 50 KB catalog: the fuzzer minimizes
	// every input it finds interesting, and on the whole file that stalls it for minutes.
	whole, err := Parse("embedded", assets.CatalogJSON)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range whole.Software {
		data, err := json.MarshalIndent(Catalog{Schema: 1, Software: []Software{s}}, "", " ")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"schema": 1, "software": []}`))
	f.Add([]byte("{\n \"schema\": 1,\n \"software\": [\n {\"id\": 3}]}"))
	f.Add([]byte(`{"schema": 1, "software": [{"id": "x", "name": "X", "latest": {"version": "1.0", "certain": true}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("it-catalog.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "it-catalog.json: ") || !strings.Contains(err.Error(), "fix the catalog file") {
				t.Fatalf("error does not name the file and the fix: %v", err)
			}
			return
		}
		for _, s := range c.Software {
			if s.ID == "" || s.Name == "" {
				t.Fatalf("accepted an entry without id or name: %+v", s)
			}
			if _, ok := c.Lookup(s.ID); !ok {
				t.Fatalf("entry %q cannot be found by its id", s.ID)
			}
		}
	})
}

// FuzzReadBackupInfo feeds an iTunes backup's Info.plist (XML and binary seeds in the real
// schema) to the reader: no panic, an error names the file, a device it returns has an id.
func FuzzReadBackupInfo(f *testing.F) {
	info := map[string]any{
		"Device Name": "Jane's iPhone", "Product Type": "iPhone14,5", "Product Version": "17.1.2",
		"Last Backup Date": time.Date(2026, 11, 20, 18, 4, 5, 0, time.UTC), "Unique Identifier": strings.ToUpper(udid40),
		"Target Identifier": udid40, "iTunes Version": "12.13.1.3", "Installed Applications": []string{"com.apple.mobilemail"},
	}
	for _, format := range []int{plist.XMLFormat, plist.BinaryFormat, plist.OpenStepFormat} {
		data, err := plist.Marshal(info, format)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("not a plist"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "Info.plist")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := ReadBackupInfo(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if d.ID == "" || d.Name == "" || d.Software != "itunes" {
			t.Fatalf("device without id, name or software: %+v", d)
		}
	})
}
