package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// --data "" (a script's unset variable) used the real data folder.
func TestEmptyDataOrPolicyIsAnError(t *testing.T) {
	for _, args := range [][]string{{"--data", "", "history"}, {"--data=", "history"}, {"--data", " ", "history"}, {"--data", t.TempDir(), "--policy", "", "history"}} {
		var out, errb bytes.Buffer
		code := Main(args, &out, &errb, nil)
		if code != ExitFailed || !strings.Contains(errb.String(), "is empty") {
			t.Errorf("%q: exit %d, %q; want a failure saying the option is empty", args, code, errb.String())
		}
	}
}

// restore --out overwrote an existing file silently, even the export SyncGuard watches.
func TestRestoreNeverOverwritesUnaskedNorTheExport(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	pol := policyFile(t, "")
	a := func(x ...string) []string { return append(append([]string{}, pol...), x...) }
	export := filepath.Join(dir, "contacts.csv")
	writeCSVExport(t, export, gen.Book(3, 30))
	if _, e, c := runIn(t, data, a("snapshot", "--export", export)...); c != ExitOK {
		t.Fatal(e)
	}
	before, _ := os.ReadFile(export)
	for _, force := range []bool{false, true} {
		args := a("restore", "--snapshot", "1", "--format", "vcf", "--out", export)
		if force {
			args = append(args, "--force")
		}
		if _, e, c := runIn(t, data, args...); c != ExitFailed || !strings.Contains(e, "export location") {
			t.Errorf("restore onto the export (force %v): exit %d %q; want a refusal", force, c, e)
		}
	}
	if after, _ := os.ReadFile(export); !bytes.Equal(before, after) {
		t.Error("the export was overwritten by a restore")
	}
	mine := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(mine, []byte("my own notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, e, c := runIn(t, data, a("restore", "--snapshot", "1", "--out", mine)...); c != ExitFailed || !strings.Contains(e, "--force") {
		t.Errorf("restore onto an existing file: exit %d %q; want a refusal naming --force", c, e)
	}
	if b, _ := os.ReadFile(mine); string(b) != "my own notes" {
		t.Error("an existing file was overwritten without --force")
	}
	if _, e, c := runIn(t, data, a("restore", "--snapshot", "1", "--out", mine, "--force")...); c != ExitOK {
		t.Errorf("restore --force onto an existing file: exit %d %q", c, e)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		if _, e, c := runIn(t, data, a("restore", "--snapshot", "1", "--out", "/dev/full", "--force")...); c != ExitFailed || !strings.Contains(e, "device") {
			t.Errorf("restore onto /dev/full: exit %d %q; want a refusal", c, e)
		}
		if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode().IsRegular() {
			t.Fatalf("/dev/full is no longer a device: %v %v", fi, err)
		}
	}
}

// device set on an id that is neither declared nor detected created a device from a typo.
func TestDeviceSetOnAnUnknownIDFails(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	pol := policyFile(t, "")
	_, e, c := runIn(t, data, append(pol, "device", "set", "--id", "no-such-device", "--model", "X", "--no-detect")...)
	if c != ExitFailed || !strings.Contains(e, "no-such-device") {
		t.Errorf("device set on an unknown id: exit %d %q; want a failure naming it", c, e)
	}
	out, _, _ := runIn(t, data, append(pol, "device", "list", "--no-detect")...)
	if strings.Contains(out, "no-such-device") {
		t.Errorf("device set created the unknown device:\n%s", out)
	}
}
