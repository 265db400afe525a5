package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

var noHang = testkit.NoHang

// NaN compares false with everything, so a range check written as "v <= 0 || v > 100"
// lets it through, and every percentage threshold then never fires.
func TestNaNAndInfinityAreNotPercentages(t *testing.T) {
	for _, v := range []string{"nan", "+nan", "-nan", "inf", "-inf"} {
		for _, key := range []string{"mass_deletion_percent", "mass_edit_percent"} {
			_, err := Parse("p.toml", []byte("[thresholds]\n"+key+" = "+v+"\n"))
			if err == nil || !strings.Contains(err.Error(), "thresholds."+key) {
				t.Errorf("%s = %s: %v; want an error naming the key", key, v, err)
			}
		}
	}
}

// A key nested 100,000 levels deep took the TOML decoder 86 s and 10 GB; the policy names
// at most section.key, so a deep key is refused before decoding, naming the line. So is a
// file far larger than any policy.
func TestDeepOrHugePolicyIsRefusedBeforeDecoding(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "deep.toml")
	if err := os.WriteFile(deep, []byte("[thresholds]\nmass_deletion_min = 10\n"+strings.Repeat("a.", 100000)+"a = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	nested := filepath.Join(dir, "nested.toml")
	if err := os.WriteFile(nested, []byte("x = "+strings.Repeat("[", 50000)+strings.Repeat("]", 50000)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.toml")
	if err := os.WriteFile(huge, []byte("# "+strings.Repeat("x", 2<<20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, says string }{
		{deep, "deep.toml:3: "},
		{nested, "nested.toml:1: "},
		{huge, "larger than"},
	} {
		noHang(t, "loading "+tc.file, func() {
			_, err := Load(tc.file)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%s: %v; want an error with %q", tc.file, err, tc.says)
			}
		})
	}
	// What a real policy writes stays readable: dotted keys, floats, dates, arrays.
	ok := "[thresholds]\nmass_deletion_percent = 2.5\n[fleet]\nfolder = '\\\\srv\\a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r'\ntimeout = \"5s\"\nthresholds.mass_edit_min = 30 # a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s\n"
	if _, err := Parse("ok.toml", []byte(ok)); err != nil && strings.Contains(err.Error(), "deep") {
		t.Errorf("an ordinary policy was refused as deep: %v", err)
	}
}
