package history

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHistoryIsAStore: the history keeps snapshots, versions, findings and events and
// knows nothing of the rules, the export readers, the policy or the command line; the
// caller hands it the contacts read and a judge. It fails naming any of them that
// `go list -deps` finds among the package's imports.
func TestHistoryIsAStore(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not installed here")
	}
	out, err := exec.Command(goCmd, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/syncguard/syncguard/"
	deps := strings.Fields(string(out))
	if len(deps) < 2 || !strings.Contains(string(out), module+"internal/history") {
		t.Fatalf("go list -deps listed no history package: %q", out)
	}
	for _, dep := range deps {
		for _, banned := range []string{"internal/rules", "internal/exports", "internal/policy", "internal/cli", "internal/intake"} {
			if dep == module+banned || strings.HasPrefix(dep, module+banned+"/") {
				t.Errorf("internal/history depends on %s", dep)
			}
		}
	}
}
