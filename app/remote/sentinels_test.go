package remote

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestTheCommandsErrorsCrossTheChannel: every app error the command line tells apart
// (errors.Is against an app sentinel, errors.As into an app error type) keeps its identity
// through the service, or a command run while the tray runs words it differently from one
// run alone.
func TestTheCommandsErrorsCrossTheChannel(t *testing.T) {
	files, err := filepath.Glob("../../internal/cli/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no command line sources: %v", err)
	}
	known := map[string]bool{}
	for _, s := range Sentinels {
		known[s.Name] = true
	}
	for _, ty := range Typed {
		known[ty.Name] = true
	}
	is := regexp.MustCompile(`errors\.Is\([^,]+,\s*(app\.[A-Za-z0-9_]+)\)`)
	as := regexp.MustCompile(`var\s+\w+\s+\*(app\.[A-Za-z0-9_]+)\b`)
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{is, as} {
			for _, m := range re.FindAllSubmatch(src, -1) {
				name := string(m[1])
				if re == as && !regexp.MustCompile(`Error$`).MatchString(name) {
					continue // a pointer variable of another app type
				}
				seen++
				if !known[name] {
					t.Errorf("%s tells %s apart, but it is not in remote.Sentinels or remote.Typed", filepath.Base(f), name)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("found no app error the command line tells apart: the patterns no longer match its code")
	}
}
