package exports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/testkit"
)

// readCost reads one file and returns what it cost in steps (readWork), allocations and
// bytes allocated, which do not depend on how busy the machine is.
func readCost(t *testing.T, name string, in []byte) (testkit.Work, []FileError) {
	t.Helper()
	var errs []FileError
	w := testkit.Measure(func() int64 {
		before := readWork.Load()
		_, errs, _ = ReadBytes(name, in)
		return readWork.Load() - before
	})
	return w, errs
}

// TestReadVCardHostileInputsStayLinear feeds the reader the shapes that would make a
// careless parser quadratic: a header folded over thousands of lines (with and without an
// open quote), QP soft breaks, backslash continuations, base64 lines, NOTE lines, LABEL
// lines each matched to an address, nested BEGINs. Each is read at two sizes, four times
// apart: the steps the reader takes, its allocations and the bytes it allocates must grow
// about four times (a quadratic pass grows sixteen). Speed itself is measured by the
// benchmarks (make bench), not asserted: the machine is shared.
func TestReadVCardHostileInputsStayLinear(t *testing.T) {
	cases := hostileVCards()
	const n, factor = 5000, 4
	for _, tc := range cases {
		small, _ := readCost(t, "hostile.vcf", tc.in(n))
		in := tc.in(n * factor)
		large, errs := readCost(t, "hostile.vcf", in)
		testkit.Linear(t, tc.name, factor, small, large)
		if large.Steps < int64(len(in)) {
			t.Errorf("%s: %d steps for %d bytes: the reader's work counter misses some of its work", tc.name, large.Steps, len(in))
		}
		if len(errs) == 0 || len(errs) > maxVCardErrors+1 {
			t.Errorf("%s: %d errors; want some (the file is cut or broken) and at most %d", tc.name, len(errs), maxVCardErrors+1)
		}
	}
}

// hostileCase is one shape of hostile vCard input, made at a size of n lines or so.
type hostileCase struct {
	name string
	in   func(n int) []byte
}

func hostileVCards() []hostileCase {
	card := func(head string, line string, count int) []byte {
		return append([]byte("BEGIN:VCARD\n"+head), bytes.Repeat([]byte(line), count)...)
	}
	return []hostileCase{
		{"header folded without end", func(n int) []byte { return card("TEL;TYPE=A\n", " ,B\n", n) }},
		{"header folded inside quotes", func(n int) []byte { return card("TEL;TYPE=\"A\n", " :B\n", n) }},
		{"QP soft breaks", func(n int) []byte { return card("NOTE;QUOTED-PRINTABLE:a=\n", "b=\n", n) }},
		{"backslash continuations", func(n int) []byte { return card("NOTE:a\\\n", "b\\\n", n) }},
		{"unindented base64", func(n int) []byte { return card("PHOTO;BASE64:AAAA\n", "AAAA\n", n) }},
		{"folded value", func(n int) []byte { return card("NOTE:a\n", " b\n", n) }},
		{"many notes and nicknames", func(n int) []byte { return card("", "NOTE:abcdefgh\nNICKNAME:x\n", n) }},
		{"labels matched to addresses", func(n int) []byte { return card("", "ADR;HOME:;;a\nLABEL;WORK:x\n", n/2) }},
		{"repeated one-value fields and groups", func(n int) []byte { return card("", "FN:a\nFN:b\nitem1.TEL:1\nitem1.X-ABLabel:x\n", n) }},
		{"nested begins", func(n int) []byte { return bytes.Repeat([]byte("BEGIN:VCARD\nN:x\n"), n) }},
		{"junk lines", func(n int) []byte { return card("", "junk junk junk\n", n) }},
		{"one long line", func(n int) []byte { return card("NOTE:", "b", n*200) }},
		{"many types", func(n int) []byte { return append(card("TEL;TYPE=", "a,", n*10), ":1\n"...) }},
	}
}

// BenchmarkReadVCardHostile measures how fast the reader gets through each hostile shape at
// 100,000 lines (make bench): the speed the linearity test does not assert.
func BenchmarkReadVCardHostile(b *testing.B) {
	for _, tc := range hostileVCards() {
		in := tc.in(100_000)
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				ReadBytes("hostile.vcf", in)
			}
		})
	}
}
