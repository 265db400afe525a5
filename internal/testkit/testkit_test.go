package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records how a helper ended a test: Fatalf and Skipf stop the helper as the real
// ones do (here by a panic that the caller recovers).
type fakeTB struct {
	testing.TB
	ended, msg string
}

type stop struct{}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.ended, f.msg = "failed", fmt.Sprintf(format, a...)
	panic(stop{})
}
func (f *fakeTB) Skipf(format string, a ...any) {
	f.ended, f.msg = "skipped", fmt.Sprintf(format, a...)
	panic(stop{})
}

func (f *fakeTB) run(fn func(TB testing.TB)) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
		}
	}()
	fn(f)
}

// TestRealExportsAbsent: in a checkout without the real exports beside it, a test over
// them skips and says why, and under CI=true it fails instead.
func TestRealExportsAbsent(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	for ci, want := range map[string]string{"": "skipped", "true": "failed"} {
		t.Setenv("CI", ci)
		f := &fakeTB{}
		f.run(func(tb testing.TB) { RealExports(tb) })
		if f.ended != want || !strings.Contains(f.msg, filepath.Join("shared", "testdata", "real-exports")) ||
			!strings.Contains(f.msg, "CI") {
			t.Errorf("CI=%q: the test %s (%q); want it %s, naming the folder and the rule for CI", ci, f.ended, f.msg, want)
		}
	}
}

// TestRealExportsPresent: where the folder is there, its files are listed, and a kind of
// file it does not hold is a failure, not an empty list that every test would pass over.
func TestRealExportsPresent(t *testing.T) {
	root := filepath.Join(t.TempDir(), "project")
	corpus := filepath.Join(root, "..", "shared", "testdata", "real-exports")
	for _, d := range []string{root, corpus} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o600)
	os.WriteFile(filepath.Join(corpus, "a.vcf"), []byte("BEGIN:VCARD\n"), 0o600)
	t.Chdir(root)
	t.Setenv("CI", "true")
	if got := RealExportFiles(t, ".vcf"); len(got) != 1 || filepath.Base(got[0]) != "a.vcf" {
		t.Errorf("listed %v", got)
	}
	f := &fakeTB{}
	f.run(func(tb testing.TB) { RealExportFiles(tb, ".csv") })
	if f.ended != "failed" {
		t.Errorf("no .csv file: the test %s; want it failed", f.ended)
	}
}

// TestFillSetsEveryField: every field, nested ones and those of slice elements included,
// is set, and two fields never get the same text (a field copied into another's place is
// noticed).
func TestFillSetsEveryField(t *testing.T) {
	type inner struct {
		A string
		B []string
		c string // unexported: left alone
	}
	type outer struct {
		S  string
		I  int
		U  uint16
		F  float64
		B  bool
		In inner
		L  []inner
		P  *inner
		M  map[string]int
		Ar [2]string
	}
	var v outer
	Fill(&v)
	if z := ZeroFields(v); len(z) > 0 {
		t.Errorf("left empty: %v", z)
	}
	if v.S == v.In.A || v.In.A == v.L[0].A || v.L[0].A == v.L[1].A || v.In.c != "" {
		t.Errorf("fields share values or an unexported one was set: %+v", v)
	}
	v.L[1].B = nil
	if z := ZeroFields(&v); len(z) != 1 || z[0] != ".L[1].B" {
		t.Errorf("ZeroFields = %v, want [.L[1].B]", z)
	}
}

// TestLinear: the check passes work that grows with the input and fails work that grows
// with its square, or a counter that counts nothing.
func TestLinear(t *testing.T) {
	cases := []struct {
		name         string
		small, large Work
		fail         bool
	}{
		{"linear", Work{Allocs: 10, Bytes: 1000, Steps: 100}, Work{Allocs: 40, Bytes: 4100, Steps: 400}, false},
		{"quadratic steps", Work{Allocs: 10, Bytes: 1000, Steps: 100}, Work{Allocs: 40, Bytes: 4000, Steps: 1600}, true},
		{"quadratic bytes", Work{Allocs: 10, Bytes: 1000, Steps: 100}, Work{Allocs: 40, Bytes: 16000, Steps: 400}, true},
		{"quadratic allocations", Work{Allocs: 10, Bytes: 1000, Steps: 100}, Work{Allocs: 160, Bytes: 4000, Steps: 400}, true},
		{"a counter that counts nothing", Work{Allocs: 10, Bytes: 1000}, Work{Allocs: 40, Bytes: 4000}, true},
	}
	for _, tc := range cases {
		f := &recordTB{}
		Linear(f, tc.name, 4, tc.small, tc.large)
		if f.failed != tc.fail {
			t.Errorf("%s: failed %v, want %v", tc.name, f.failed, tc.fail)
		}
	}
}

type recordTB struct {
	testing.TB
	failed bool
}

func (r *recordTB) Helper()                   {}
func (r *recordTB) Logf(string, ...any)       {}
func (r *recordTB) Errorf(string, ...any)     { r.failed = true }
func (r *recordTB) Fatalf(s string, a ...any) { r.failed = true }

// TestMeasureCountsAllocations: Measure sees the allocations of the function it runs.
func TestMeasureCountsAllocations(t *testing.T) {
	var keep [][]byte
	w := Measure(func() int64 {
		for range 100 {
			keep = append(keep, make([]byte, 1000))
		}
		return 7
	})
	if w.Allocs < 100 || w.Bytes < 100_000 || w.Steps != 7 || len(keep) != 100 {
		t.Errorf("%+v", w)
	}
}
