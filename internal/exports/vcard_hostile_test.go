package exports

import (
	"bytes"
	"testing"
	"time"
)

// TestReadVCardHostileInputsStayLinear feeds the reader the shapes that would make a
// careless parser quadratic: a header folded over 100,000 lines (with and without an open
// quote), 100,000 QP soft breaks, backslash continuations, base64 lines, NOTE lines,
// LABEL lines each matched to an address, nested BEGINs. Each must finish in well under
// the time a quadratic pass would take (tens of seconds at this size).
func TestReadVCardHostileInputsStayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("reads about 30 MB of hostile input")
	}
	const n = 100000
	card := func(head string, line string, count int) []byte {
		return append([]byte("BEGIN:VCARD\n"+head), bytes.Repeat([]byte(line), count)...)
	}
	cases := []struct {
		name string
		in   []byte
	}{
		{"header folded without end", card("TEL;TYPE=A\n", " ,B\n", n)},
		{"header folded inside quotes", card("TEL;TYPE=\"A\n", " :B\n", n)},
		{"QP soft breaks", card("NOTE;QUOTED-PRINTABLE:a=\n", "b=\n", n)},
		{"backslash continuations", card("NOTE:a\\\n", "b\\\n", n)},
		{"unindented base64", card("PHOTO;BASE64:AAAA\n", "AAAA\n", n)},
		{"folded value", card("NOTE:a\n", " b\n", n)},
		{"many notes and nicknames", card("", "NOTE:abcdefgh\nNICKNAME:x\n", n)},
		{"labels matched to addresses", card("", "ADR;HOME:;;a\nLABEL;WORK:x\n", n/2)},
		{"repeated one-value fields and groups", card("", "FN:a\nFN:b\nitem1.TEL:1\nitem1.X-ABLabel:x\n", n)},
		{"nested begins", bytes.Repeat([]byte("BEGIN:VCARD\nN:x\n"), n)},
		{"junk lines", card("", "junk junk junk\n", n)},
		{"one 20 MB line", card("NOTE:", "b", 20<<20)},
		{"many types", append(card("TEL;TYPE=", "a,", n*10), ":1\n"...)},
	}
	for _, tc := range cases {
		start := time.Now()
		_, errs, _ := ReadBytes("hostile.vcf", tc.in)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: %v for %d bytes; the reader is not linear here", tc.name, d, len(tc.in))
		}
		if len(errs) == 0 || len(errs) > maxVCardErrors+1 {
			t.Errorf("%s: %d errors; want some (the file is cut or broken) and at most %d", tc.name, len(errs), maxVCardErrors+1)
		}
	}
}
