package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/history"
)

// TestDamagedHistoryFailsWithExit3ThenDoctorSalvages: one page of the history's file is
// zeroed where its contact versions are. Every command says the history is damaged and
// exits 3 (never 2, "danger", never a crash); the doctor salvages it and then show,
// restore and snapshot work again.
func TestDamagedHistoryFailsWithExit3ThenDoctorSalvages(t *testing.T) {
	sb := newSandbox(t)
	dir, data, export := sb.dir, sb.data, sb.export
	book := gen.Book(71, 800)
	sb.snapshot(t, book, ExitOK)
	sb.snapshot(t, book[:790], ExitOK)
	// Zero the first page that holds a contact's stored version.
	path := filepath.Join(data, history.FileName)
	raw, _ := os.ReadFile(path)
	at := strings.Index(string(raw), `"fn":`)
	if at < 0 {
		t.Fatal("no stored version found in the file")
	}
	pg := at / 4096
	clear(raw[pg*4096 : (pg+1)*4096])
	os.WriteFile(path, raw, 0o600)

	damaged := 0
	for _, args := range [][]string{
		{"history"}, {"show", "1"}, {"restore", "--snapshot", "1", "--format", "csv", "--out", filepath.Join(dir, "r.csv")},
		{"snapshot", "--export", export, "--force"},
	} {
		out, stderr, code := runIn(t, data, args...)
		if code == ExitWarning || code == ExitDanger {
			t.Errorf("%s on a damaged history: exit %d\n%s%s", args[0], code, out, stderr)
		}
		if code == ExitFailed {
			damaged++
			if !strings.Contains(stderr+out, "damaged") || !strings.Contains(stderr+out, "syncguard doctor") {
				t.Errorf("%s fails without saying the history is damaged and what salvages it:\n%s%s", args[0], out, stderr)
			}
		}
	}
	if damaged == 0 {
		t.Fatal("no command noticed the damage")
	}
	out, stderr, code := runIn(t, data, "doctor", "--check")
	if code != ExitWarning || !strings.Contains(out, "is damaged") {
		t.Fatalf("doctor --check: %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = runIn(t, data, "doctor")
	if code != ExitWarning || !strings.Contains(out, "Salvaged into a new history") || !strings.Contains(out, "kept as") {
		t.Fatalf("doctor: %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := runIn(t, data, "doctor", "--check"); code != ExitOK || !strings.Contains(out, "is whole") {
		t.Fatalf("doctor --check after the salvage: %d\n%s%s", code, out, stderr)
	}
	for _, args := range [][]string{
		{"history"}, {"show", "2"}, {"restore", "--snapshot", "2", "--format", "csv", "--out", filepath.Join(dir, "r2.csv")},
		{"snapshot", "--export", export, "--force"},
	} {
		if out, stderr, code := runIn(t, data, args...); code != ExitOK {
			t.Errorf("%s after the salvage: exit %d\n%s%s", args[0], code, out, stderr)
		}
	}
}
