package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The demo must show a newcomer every kind of warning: the snapshot after its simulated
// sync finds the deletion and the collapsed categories, the device check the risky
// setting, the old version and the phone shared with an InterAction workstation. And the
// tray is started on the sandbox, never on the user's own data.
func TestTheDemoSandboxRaisesEveryWarningAndStartsTheTrayOnIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var started *Env
	tray := func(env *Env, _ []string) error { started = env; return nil }
	var out, errb bytes.Buffer
	if code := Main([]string{"--data", filepath.Join(dir, "mine"), "demo", "--dir", dir, "--after", "0"}, &out, &errb, tray); code != ExitOK {
		t.Fatalf("demo: %d %s", code, errb.String())
	}
	if started == nil || started.DataDir != filepath.Join(dir, "data") || started.PolicyFile != filepath.Join(dir, "policy.toml") {
		t.Fatalf("the tray was not started on the sandbox: %+v", started)
	}
	if !started.Demo {
		t.Error("the tray was not told it runs the demo: it would read this computer's devices and write its Run key")
	}
	policy := []string{"--data", filepath.Join(dir, "data"), "--policy", filepath.Join(dir, "policy.toml")}

	out.Reset()
	code := Main(append(policy, "snapshot", "--export", filepath.Join(dir, "export", "contacts.csv"), "--json"), &out, &errb, nil)
	if code != ExitDanger {
		t.Fatalf("snapshot after the demo's sync: exit %d, %s", code, errb.String())
	}
	for _, kind := range []string{`"mass-deletion"`, `"category-collapse"`} {
		if !strings.Contains(out.String(), kind) {
			t.Errorf("the demo's sync raises no %s", kind)
		}
	}

	out.Reset()
	if code := Main(append(policy, "check", "--json", "--no-detect"), &out, &errb, nil); code != ExitDanger {
		t.Fatalf("check: exit %d, %s", code, errb.String())
	}
	var c checkJSON
	if err := json.Unmarshal(out.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, f := range c.Findings {
		kinds[f.Kind] = f.Severity
	}
	for kind, sev := range map[string]string{"conduit-setting": "danger", "multi-workstation": "danger", "outdated-software": "warning"} {
		if kinds[kind] != sev {
			t.Errorf("%s: %q, want %s (all: %v)", kind, kinds[kind], sev, kinds)
		}
	}
}
