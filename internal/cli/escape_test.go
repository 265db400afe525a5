package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/fleet"
	"github.com/syncguard/syncguard/internal/gen"
)

// hostile are the sequences an export (or a file name, or another workstation's fleet
// file) can carry to a terminal: OSC title-set, clear-screen, colour, a carriage return,
// a C1 CSI, and the invisible or reordering characters (right-to-left override, isolate,
// line separator, zero-width space).
var hostile = []string{"\x1b]0;pwned\x07", "\x1b[2J", "\x1b[31m", "\r", "\u009b", "\u202e", "\u2066", "\u2028", "\u200b"}

// raw reports the first hostile character found in out.
func raw(out string) (string, bool) {
	for _, r := range out {
		if r != '\n' && r != '\t' && needsEscape(r) {
			return Escape(string(r)), true
		}
	}
	return "", false
}

func TestTextOutputEscapesControlAndBidiCharacters(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	pol := policyFile(t, "")
	a := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	// A folder and a file whose names carry escapes, holding a book whose names and
	// companies carry them too.
	dirName, fileName := "exp\x1b[2Jorts", "contacts\x1b]0;pwned\x07.csv"
	if runtime.GOOS == "windows" {
		// Windows refuses control characters in file names; the names inside the book
		// still carry every escape.
		dirName, fileName = "exports", "contacts.csv"
	}
	exportDir := filepath.Join(dir, dirName)
	if err := os.Mkdir(exportDir, 0o700); err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(exportDir, fileName)
	book := gen.Book(8, 60)
	for i, h := range hostile {
		book[i].StructuredName.Family = "Doe" + h + "gnp.exe"
		book[i].Name = book[i].StructuredName.Formatted()
		book[i].Organization = "Acme" + h
	}
	writeCSVExport(t, export, book)
	outs := map[string]string{}
	cmd := func(args ...string) {
		out, errOut, _ := runIn(t, data, a(args...)...)
		outs[strings.Join(args, " ")] = out + errOut
	}
	cmd("scan", exportDir)
	cmd("scan", export)
	cmd("snapshot", "--export", export, "--details")
	// The next export loses the hostile contacts: every printer of a change names them.
	writeCSVExport(t, export, book[len(hostile):])
	cmd("snapshot", "--export", export, "--details")
	cmd("findings")
	cmd("diff", "1", "2")
	cmd("show", "Doe")
	cmd("history")

	folder := t.TempDir()
	otherWorkstation(t, folder, "ws-a", true, fleet.Device{ID: "dev-1", Name: "Phone\u202eenohp", Model: "M\u2066odel\u200b"})
	otherWorkstation(t, folder, "ws-b", true, fleet.Device{ID: "dev-1", Name: "Phone\u202eenohp", Model: "M\u2066odel\u200b"})
	cmd("fleet", "--fleet", folder)

	for args, out := range outs {
		if c, ok := raw(out); ok {
			t.Errorf("%s printed %s raw:\n%s", args, c, Escape(out))
		}
	}
	// The names are shown, escaped, not dropped.
	if !strings.Contains(outs["findings"]+outs["diff 1 2"], `Doe\u202egnp.exe`) {
		t.Errorf("findings and diff do not show the escaped name:\n%s\n%s", outs["findings"], outs["diff 1 2"])
	}
	if !strings.Contains(outs["fleet --fleet "+folder], `Phone\u202eenohp`) {
		t.Errorf("the fleet report does not show the escaped device name:\n%s", outs["fleet --fleet "+folder])
	}

	// JSON keeps the values exactly: the escapes are JSON's own.
	out, _, _ := runIn(t, data, a("scan", "--json", export)...)
	if c, ok := raw(out); ok {
		t.Errorf("scan --json printed %s raw", c)
	}
	var got struct {
		Contacts []struct {
			Name         string `json:"name"`
			Organization string `json:"organization"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("scan --json is not JSON after escaping: %v", err)
	}
	names := map[string]bool{}
	for _, c := range got.Contacts {
		names[c.Name] = true
	}
	for _, c := range book[len(hostile):] {
		if !names[c.Name] {
			t.Errorf("scan --json lost %q", c.Name)
		}
	}
}

func TestEscapingWriterJudgesCharactersSplitAcrossWrites(t *testing.T) {
	var b strings.Builder
	w := &escapingWriter{w: &b}
	s := "a\u202eb é\x1b"
	for i := 0; i < len(s); i++ {
		w.Write([]byte{s[i]})
	}
	w.flush()
	if b.String() != `a\u202eb é\u001b` {
		t.Errorf("byte by byte: %q", b.String())
	}
}
