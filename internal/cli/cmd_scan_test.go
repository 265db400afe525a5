package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// run runs the command line in-process with a private data folder.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(append([]string{"--data", t.TempDir()}, args...), &out, &errb, nil)
	return out.String(), errb.String(), code
}

func TestScanJSONContract(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	book := gen.Book(11, 25)
	book[0].Phones[0].Value = "(111) 555-1111"
	book[0].Phones[0].Types = []string{"work", "voice"}
	if err := gen.WriteVCardFolder(dir, book, gen.VCardOptions{Categories: true}); err != nil {
		t.Fatal(err)
	}
	// A broken file beside the good ones must give an error, not stop the scan.
	if err := os.WriteFile(filepath.Join(dir, "zz broken.vcf"), []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Half\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "scan", "--json", dir)
	var got struct {
		Contacts []struct {
			Name   string `json:"name"`
			Emails []struct {
				Value string   `json:"value"`
				Types []string `json:"types"`
			} `json:"emails"`
			Phones []struct {
				Value string   `json:"value"`
				Types []string `json:"types"`
			} `json:"phones"`
			Categories []string `json:"categories"`
			Note       *string  `json:"note"`
			Mileage    *string  `json:"mileage"`
			Source     struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"source"`
		} `json:"contacts"`
		Errors []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("scan --json printed no JSON (%v): %s %s", err, out, stderr)
	}
	if code != ExitWarning {
		t.Errorf("exit = %d, want %d (read with errors)", code, ExitWarning)
	}
	if len(got.Contacts) < 25 {
		t.Fatalf("%d contacts, want the 25 written (+ the half card)", len(got.Contacts))
	}
	byName := map[string]int{}
	for i, c := range got.Contacts {
		byName[c.Name] = i
		if c.Source.File == "" || c.Source.Line < 1 || c.Note == nil || c.Mileage == nil {
			t.Errorf("contact %q lacks part of the contract: %+v", c.Name, c)
		}
	}
	first, ok := byName[book[0].Name]
	if !ok {
		t.Fatalf("%q not among the contacts", book[0].Name)
	}
	c := got.Contacts[first]
	if c.Phones[0].Value != "(111) 555-1111" || strings.Join(c.Phones[0].Types, ",") != "work,voice" {
		t.Errorf("phone = %+v, want (111) 555-1111 as written, types work,voice", c.Phones[0])
	}
	if c.Emails[0].Value != book[0].Emails[0].Value {
		t.Errorf("e-mail = %q, want %q", c.Emails[0].Value, book[0].Emails[0].Value)
	}
	if strings.Join(c.Categories, "|") != strings.Join(book[0].Categories, "|") {
		t.Errorf("categories = %v, want %v", c.Categories, book[0].Categories)
	}
	if len(got.Errors) == 0 || !strings.HasSuffix(got.Errors[0].File, "zz broken.vcf") || got.Errors[0].Line < 1 {
		t.Errorf("errors = %+v, want one naming zz broken.vcf with a line", got.Errors)
	}
}

func TestScanTextSummary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := gen.WriteVCardFile(filepath.Join(dir, "export.vcf"), gen.Book(3, 40), gen.VCardOptions{}); err != nil {
		t.Fatal(err)
	}
	out, _, code := run(t, "scan", filepath.Join(dir, "export.vcf"))
	if code != ExitOK {
		t.Errorf("exit = %d", code)
	}
	for _, want := range []string{"40 contacts from 1 files", "vcard: 40", "export.vcf"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestScanFailsClearly(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nowhere")
	_, stderr, code := run(t, "scan", missing)
	if code != ExitFailed || !strings.Contains(stderr, missing) {
		t.Errorf("exit %d, stderr %q: want 3 and the path named", code, stderr)
	}
	_, stderr, code = run(t, "scan")
	if code != ExitFailed || !strings.Contains(stderr, "usage: syncguard scan") {
		t.Errorf("no PATH: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = run(t, "frobnicate")
	if code != ExitFailed || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: exit %d, stderr %q", code, stderr)
	}
}
