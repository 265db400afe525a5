// Package testkit holds what several packages' tests share, so that one copy is kept
// right instead of several drifting apart: the real-exports corpus and its rule for CI,
// a filler that sets every field of a struct, and work measures that do not depend on how
// busy the machine is. It imports nothing of the project, so any package's internal
// tests can use it without an import cycle (export-writing helpers are in testkit/books).
package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// InCI reports a run under continuous integration (CI=true, as CI services set it).
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1" || v == "yes"
}

// realExportsDir finds ../shared/testdata/real-exports beside the project's root (the
// folder holding go.mod), or says why it cannot.
func realExportsDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("cannot find the project root (go.mod) above %s", dir)
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "testdata", "real-exports")
	fi, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("the real exports folder %s is absent (%v)", p, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a folder", p)
	}
	return p, nil
}

// RealExports returns the folder of real exports (../shared/testdata/real-exports beside
// the project). Where it is absent the test is skipped with the reason in its log; in CI
// (CI=true), where the folder is always laid out, its absence fails the test instead, so
// a CI run can never pass by skipping what it was meant to check.
func RealExports(tb testing.TB) string {
	tb.Helper()
	p, err := realExportsDir()
	if err != nil {
		if InCI() {
			tb.Fatalf("%v; CI must run the real-export tests", err)
		}
		tb.Skipf("%v; skipping: these tests need the real exports beside the checkout (a failure under CI=true)", err)
	}
	return p
}

// RealExportFiles lists the real exports whose names end with ext (".vcf", ".csv"),
// skipping or failing as RealExports does when the folder is absent, and failing when it
// holds none: an empty corpus would let every test over it pass.
func RealExportFiles(tb testing.TB, ext string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(RealExports(tb), "*"+ext))
	if err != nil || len(files) == 0 {
		tb.Fatalf("the real exports folder holds no %s file (%v)", ext, err)
	}
	return files
}

// RealExportSeeds returns the real exports ending with ext for a fuzz target's seed
// corpus. A fuzz target keeps its own seeds where the folder is absent, so it does not
// skip: it logs why the real ones are missing. In CI (CI=true) the absence fails.
func RealExportSeeds(f *testing.F, ext string) [][]byte {
	f.Helper()
	p, err := realExportsDir()
	if err != nil {
		if InCI() {
			f.Fatalf("%v; CI must seed the fuzz targets with the real exports", err)
		}
		f.Logf("%v; the fuzz target runs with its own seeds only (a failure under CI=true)", err)
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(p, "*"+ext))
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		f.Fatalf("%s holds no %s file", p, ext)
	}
	return out
}

// Fill sets every field of the struct ptr points to, recursively, to a value of its own:
// strings get distinct text, numbers distinct non-zero values, booleans true, slices two
// filled elements, maps one entry. A round-trip test that fills its value this way notices
// a field added later that the round trip forgets. It panics on kinds it does not know
// (channels, functions, interfaces), so a new one is noticed too.
func Fill(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		panic("testkit.Fill needs a non-nil pointer")
	}
	n := 0
	fill(v.Elem(), "", &n)
}

func fill(v reflect.Value, path string, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n)) // short: a size comparison of encodings stays about the keys
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n%100 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n%100 + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), path+"."+v.Type().Field(i).Name, n)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := 0; i < 2; i++ {
			fill(s.Index(i), fmt.Sprintf("%s[%d]", path, i), n)
		}
		v.Set(s)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i), n)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, path+"{key}", n)
		fill(e, path+"{value}", n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), path, n)
		v.Set(p)
	default:
		panic(fmt.Sprintf("testkit.Fill: %s is a %s, which it cannot fill", path, v.Kind()))
	}
}

// ZeroFields lists the exported fields left at their zero value anywhere inside v (a
// struct or a pointer to one), by path: after Fill it is empty, and after a round trip it
// names what the round trip lost.
func ZeroFields(v any) []string {
	var out []string
	zeros(reflect.ValueOf(v), "", &out)
	return out
}

func zeros(v reflect.Value, path string, out *[]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			*out = append(*out, path)
			return
		}
		zeros(v.Elem(), path, out)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				zeros(v.Field(i), path+"."+v.Type().Field(i).Name, out)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			*out = append(*out, path)
		}
		for i := 0; i < v.Len(); i++ {
			zeros(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Map:
		if v.Len() == 0 {
			*out = append(*out, path)
		}
	default:
		if v.IsZero() {
			*out = append(*out, path)
		}
	}
}

// Work is what one run of a function cost, in measures that do not depend on how busy
// the machine is: heap allocations, bytes allocated, and a work counter the code under
// test keeps (steps of its loops, bytes it examined).
type Work struct {
	Allocs, Bytes uint64
	Steps         int64
}

// Measure runs f once and returns its allocations and bytes allocated, with the steps f
// reports. The counts are process-wide, so the test must not run in parallel with
// others (no t.Parallel: the sequential tests of a package run alone).
func Measure(f func() (steps int64)) Work {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	steps := f()
	runtime.ReadMemStats(&after)
	return Work{Allocs: after.Mallocs - before.Mallocs, Bytes: after.TotalAlloc - before.TotalAlloc, Steps: steps}
}

// Linear checks that growing an input by factor (small, large = factor × small) grows
// each measure of its work by at most twice that factor: a linear reader lands near the
// factor itself, a quadratic one near its square. Steps must also grow by at least half
// the factor, which shows that the counter counts the work and the test can fail.
func Linear(tb testing.TB, what string, factor float64, small, large Work) {
	tb.Helper()
	ratio := func(a, b uint64) float64 { return float64(b) / float64(max(a, 1)) }
	tb.Logf("%s: ×%.0f input: steps %d → %d, allocations %d → %d, bytes %d → %d", what, factor,
		small.Steps, large.Steps, small.Allocs, large.Allocs, small.Bytes, large.Bytes)
	if r := ratio(uint64(small.Steps), uint64(large.Steps)); r > 2*factor || r < factor/2 {
		tb.Errorf("%s: %.1f× the steps for %.0f× the input; linear work grows about %.0f×", what, r, factor, factor)
	}
	if r := ratio(small.Allocs, large.Allocs); r > 2*factor {
		tb.Errorf("%s: %.1f× the allocations for %.0f× the input; linear work grows at most about %.0f×", what, r, factor, factor)
	}
	if r := ratio(small.Bytes, large.Bytes); r > 2*factor {
		tb.Errorf("%s: %.1f× the bytes allocated for %.0f× the input; linear work grows at most about %.0f×", what, r, factor, factor)
	}
}
