package exports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"
)

// scanAll reads every record of s with the scanner, as "line:field|field|..." strings.
func scanAll(s string, delim byte) []string {
	sc := newCSVScanner(s, delim)
	var out []string
	var rec csvRecord
	for sc.next(&rec) {
		if len(rec.fields) == 1 && rec.fields[0] == "" {
			continue // a blank line; encoding/csv skips those
		}
		out = append(out, fmt.Sprintf("%d:%s", rec.line, strings.Join(rec.fields, "|")))
	}
	return out
}

// strictAll reads s with encoding/csv in strict mode; ok is false where it reports an error.
func strictAll(s string, delim rune) (out []string, ok bool) {
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = delim
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		line, _ := r.FieldPos(0)
		out = append(out, fmt.Sprintf("%d:%s", line, strings.Join(rec, "|")))
	}
}

// TestCSVScannerAgreesWithEncodingCSV: where a file is well-formed, the tolerant scanner
// reads exactly what Go's strict reader reads, fields and start lines alike.
func TestCSVScannerAgreesWithEncodingCSV(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"\"a\",\"b \"\"q\"\" c\",\"\"\n\"multi\nline\",x\n\n\ny,z",
		"a,,\n,,\n\"\",\"\"\n",
		"First Name,Notes\nA,\"one\ntwo\nthree\"\nB,x",
		"x\n\"a\nb\"\n\"c\"\"\n\"\"d\"\n",
	} {
		checkAgainstStrict(t, s, ',')
		checkAgainstStrict(t, strings.ReplaceAll(s, ",", ";"), ';')
	}
}

func checkAgainstStrict(t *testing.T, s string, delim byte) {
	t.Helper()
	want, ok := strictAll(s, rune(delim))
	if !ok {
		t.Fatalf("encoding/csv rejects the test input %q", s)
	}
	if got := scanAll(s, delim); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%q:\n scanner      %q\n encoding/csv %q", s, got, want)
	}
}

// FuzzCSVScannerAgreesWithEncodingCSV: the same on any input encoding/csv accepts. Inputs
// with CR are left out: encoding/csv keeps a lone CR inside a field, the scanner ends a
// line there (as Excel for Mac writes lines).
func FuzzCSVScannerAgreesWithEncodingCSV(f *testing.F) {
	f.Add("a,b\n\"c\nd\",\"e\"\"f\"\n")
	f.Add("\"\",,\"x\"\n\n\"\"\"\"\n")
	f.Add("First Name;Notes\nA;\"one\ntwo\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, '\r') {
			return
		}
		for _, delim := range []byte{',', ';', '\t'} {
			if want, ok := strictAll(s, rune(delim)); ok {
				if got := scanAll(s, delim); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%q (delimiter %q):\n scanner      %q\n encoding/csv %q", s, delim, got, want)
				}
			}
		}
	})
}

func TestCountLines(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"": 0, "a": 0, "a\nb": 1, "a\r\nb": 1, "a\rb": 1, "\r\r\n\n\r": 4, "x\r": 1} {
		if got := countLines(s); got != want {
			t.Errorf("countLines(%q) = %d, want %d", s, got, want)
		}
	}
}
