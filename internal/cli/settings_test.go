package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/settings"
)

// TestCommandsUseTheTrayAppsSettings: on a workstation set up in the tray app (its wizard
// wrote settings.json), IT runs snapshot, duplicates and check with no path and gets that
// export location; a policy's location still wins.
func TestCommandsUseTheTrayAppsSettings(t *testing.T) {
	t.Parallel()
	data, root := t.TempDir(), t.TempDir()
	mine := filepath.Join(root, "mine.csv")
	writeCSVExport(t, mine, gen.Book(3, 40))
	if err := settings.Save(data, settings.Settings{Export: mine, FleetFolder: filepath.Join(root, "fleet")}); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(root, "empty.toml")
	os.WriteFile(empty, nil, 0o600)
	main := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Main(append([]string{"--data", data}, args...), &out, &errb, nil)
		return out.String(), errb.String(), code
	}

	out, stderr, code := main("--policy", empty, "snapshot", "--json")
	var snap struct {
		Location string `json:"location"`
		Contacts int    `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(out), &snap); err != nil || code != ExitOK || snap.Contacts != 40 || !strings.Contains(snap.Location, "mine.csv") {
		t.Errorf("snapshot: code %d %v %+v\n%s", code, err, snap, stderr)
	}
	if out, stderr, code := main("--policy", empty, "duplicates"); code != ExitOK || !strings.Contains(out, "40 contacts") {
		t.Errorf("duplicates: code %d\n%s%s", code, out, stderr)
	}
	main("--policy", empty, "device", "add", "--id", "treo", "--name", "Treo", "--software", "hotsync", "--version", "6.2.2")
	out, stderr, _ = main("--policy", empty, "check", "--json", "--no-detect")
	var chk struct {
		Contacts struct {
			Location string `json:"location"`
			Count    int    `json:"count"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(out), &chk); err != nil || chk.Contacts.Count != 40 || chk.Contacts.Location != mine {
		t.Errorf("check: %v %+v\n%s%s", err, chk, out, stderr)
	}

	// The policy's location wins over the user's.
	theirs := filepath.Join(root, "theirs.csv")
	writeCSVExport(t, theirs, gen.Book(4, 7))
	pol := filepath.Join(root, "policy.toml")
	os.WriteFile(pol, []byte(fmt.Sprintf("[export]\nlocation = %q\n", theirs)), 0o600)
	if out, stderr, code := main("--policy", pol, "duplicates"); code != ExitOK || !strings.Contains(out, "7 contacts") {
		t.Errorf("duplicates under a policy: code %d\n%s%s", code, out, stderr)
	}

	// Damaged settings are an error that names the file, not a silent fallback.
	os.WriteFile(settings.Path(data), []byte("{not json"), 0o600)
	if _, stderr, code := main("--policy", empty, "snapshot"); code != ExitFailed || !strings.Contains(stderr, settings.Path(data)) {
		t.Errorf("damaged settings: code %d %s", code, stderr)
	}
}
