package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
)

// The command line accepts a finding through the app's workflow: a finding that lost
// contacts is accepted only after its question is answered, or with --yes; reopen takes
// it back.
func TestAckAsksBeforeAcceptingLostContactsAndReopenTakesItBack(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	policy := filepath.Join(dir, "policy.toml") // an empty policy: never the machine's own
	os.WriteFile(policy, nil, 0o600)
	export := filepath.Join(dir, "contacts.csv")
	book := gen.Book(7, 300)
	writeCSVExport(t, export, book)
	run := func(stdin string, args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errb}
		if stdin != "" {
			env.Stdin = strings.NewReader(stdin)
		}
		code := mainWith(env, append([]string{"--data", data, "--policy", policy}, args...))
		return out.String(), errb.String(), code
	}
	if _, e, code := run("", "snapshot", "--export", export); code != 0 {
		t.Fatalf("first snapshot: %d %s", code, e)
	}
	writeCSVExport(t, export, book[:260])
	run("", "snapshot", "--export", export)
	open := func() []string {
		out, _, _ := run("", "findings", "--json")
		var v struct {
			Findings []struct{ ID, Kind string } `json:"findings"`
		}
		json.Unmarshal([]byte(out), &v)
		var ids []string
		for _, f := range v.Findings {
			if f.Kind == "mass-deletion" {
				ids = append(ids, f.ID)
			}
		}
		return ids
	}
	ids := open()
	if len(ids) != 1 {
		t.Fatalf("mass-deletion findings: %v", ids)
	}
	id := ids[0]

	// No one to ask (a script): refused, with the question and what to do.
	_, e, code := run("", "ack", id)
	if code != ExitFailed || !strings.Contains(e, "Accept that 40 contacts were deleted?") || !strings.Contains(e, "--yes") {
		t.Errorf("ack without an answer: %d %q", code, e)
	}
	// Asked on a terminal and answered no: nothing accepted.
	out, _, code := run("n\n", "ack", id)
	if code != ExitFailed || !strings.Contains(out, "Accept that 40 contacts were deleted? They stay in SyncGuard's history") {
		t.Errorf("ack answered no: %d %q", code, out)
	}
	if len(open()) != 1 {
		t.Fatal("accepted although the answer was no")
	}
	// Answered yes: accepted, and listed with who accepted it.
	out, e, code = run("y\n", "ack", id[:14])
	if code != ExitOK || !strings.Contains(out, "Accepted as intended by ") {
		t.Fatalf("ack answered yes: %d %q %q", code, out, e)
	}
	if len(open()) != 0 {
		t.Error("still open after ack")
	}
	all, _, _ := run("", "findings", "--all")
	if !strings.Contains(all, "accepted by ") {
		t.Errorf("findings --all does not say who accepted it:\n%s", all)
	}
	// Reopen: open again.
	out, e, code = run("", "reopen", id)
	if code != ExitOK || !strings.HasPrefix(out, "Open again: 40 contacts disappeared") || len(open()) != 1 {
		t.Errorf("reopen: %d %q %q", code, out, e)
	}
	// --yes for scripts.
	if _, e, code := run("", "ack", "--yes", id); code != ExitOK || len(open()) != 0 {
		t.Errorf("ack --yes: %d %s", code, e)
	}
}
