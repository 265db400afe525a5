package cli

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/outlook"
	"github.com/syncguard/syncguard/internal/outlook/outlooktest"
)

// withOutlook puts a fake Outlook behind the commands for one test (not parallel: it is
// the package's connector).
func withOutlook(t *testing.T, o *outlooktest.Outlook) {
	prev := connectOutlook
	connectOutlook = o.Connect
	t.Cleanup(func() { connectOutlook = prev })
}

func TestSnapshotOutlookRecordsAndJudges(t *testing.T) {
	o := outlooktest.New()
	var ids []string
	for i := 0; i < 60; i++ {
		ids = append(ids, o.Add("Contacts", map[string]string{"FirstName": "Ann" + string(rune('a'+i%26)), "LastName": "Lee" + strings.Repeat("x", i/26),
			"Email1Address": "ann" + strings.Repeat("x", i) + "@example.com", "Categories": "Clients; VIP", "Sensitivity": "2"}))
	}
	withOutlook(t, o)
	data := t.TempDir()
	var out, errb bytes.Buffer
	if code := Main([]string{"--data", data, "snapshot", "--outlook", "--json"}, &out, &errb, nil); code != ExitOK {
		t.Fatalf("first snapshot: exit %d: %s", code, errb.String())
	}
	var got snapshotOutput
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.Contacts != 60 || got.Location != outlook.Location {
		t.Fatalf("first snapshot: %v %+v", err, got)
	}
	// Nothing changed: no new snapshot.
	out.Reset()
	Main([]string{"--data", data, "snapshot", "--outlook", "--json"}, &out, &errb, nil)
	json.Unmarshal(out.Bytes(), &got)
	if !got.Unchanged || got.ID != 1 {
		t.Fatalf("an unchanged Outlook made snapshot %+v", got)
	}
	// A sync deletes 20: a danger, exit 2.
	for _, id := range ids[:20] {
		o.Delete(id)
	}
	out.Reset()
	code := Main([]string{"--data", data, "snapshot", "--outlook", "--json"}, &out, &errb, nil)
	json.Unmarshal(out.Bytes(), &got)
	if code != ExitDanger || got.Removed != 20 || got.ID != 2 {
		t.Fatalf("after deleting 20: exit %d, %+v", code, got)
	}
	// Outlook closed: exit 3, one line naming Outlook, and nothing recorded.
	o.Stop()
	out.Reset()
	errb.Reset()
	code = Main([]string{"--data", data, "snapshot", "--outlook"}, &out, &errb, nil)
	msg := strings.TrimSpace(errb.String())
	if code != ExitFailed || strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "Outlook is not running") {
		t.Fatalf("Outlook closed: exit %d, %q", code, msg)
	}
	out.Reset()
	Main([]string{"--data", data, "history", "--json"}, &out, &errb, nil)
	if n := strings.Count(out.String(), `"id"`); n != 2 {
		t.Fatalf("history after a failed read has %d snapshots, want 2: %s", n, out.String())
	}
}

func TestSnapshotOutlookWhereThereIsNoOutlook(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("on Windows the real Attach looks for the machine's Outlook; make test-windows runs the binary under Wine instead")
	}
	// The real connector, on a system without Outlook's object model.
	_, stderr, code := run(t, "snapshot", "--outlook")
	if code != ExitFailed || !strings.Contains(stderr, "Outlook") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("exit %d, %q", code, stderr)
	}
}

func TestOutlookProbe(t *testing.T) {
	o := outlooktest.New()
	o.AddFolder("Contacts/Clients")
	for i := 0; i < 30; i++ {
		o.Add("Contacts", map[string]string{"FirstName": "P", "LastName": strings.Repeat("q", i+1)})
	}
	o.Add("Contacts/Clients", map[string]string{"FirstName": "Bo", "LastName": "Ray"})
	withOutlook(t, o)
	stdout, stderr, code := run(t, "outlook", "probe", "--json", "--folder", "Clients")
	var got probeOutput
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != ExitOK {
		t.Fatalf("exit %d %v: %s %s", code, err, stdout, stderr)
	}
	if got.Contacts != 31 || len(got.Folders) != 2 || got.Folders[1].Contacts != 1 || got.Reopened != 0 {
		t.Fatalf("probe: %+v", got)
	}
	stdout, _, _ = run(t, "outlook", "probe")
	if !strings.Contains(stdout, "Contacts: 30 items, 30 contacts") || !strings.Contains(stdout, "First read: 30 contacts") {
		t.Fatalf("probe text: %s", stdout)
	}
}
