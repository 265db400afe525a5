package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote/remotetest"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/gen"
)

// runningService starts what the tray process runs on data: the service, which holds the
// history, served on the per-user channel. It stops with the test.
func runningService(t *testing.T, data string) *app.Service {
	t.Helper()
	svc, _ := remotetest.Serve(t, data)
	// Something listens, as the tray does: the service tells its subscribers.
	t.Cleanup(svc.Subscribe(func(app.Event) {}))
	return svc
}

func openIDs(fs []findings.Finding) string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, " ")
}

// TestCommandsGoThroughTheRunningService: while the tray's service holds the history, IT's
// commands (findings, history, check, ack, restore) are answered by it instead of being
// locked out, and what they print is what the tray shows.
func TestCommandsGoThroughTheRunningService(t *testing.T) {
	sb := newSandbox(t)
	dir, data, export := sb.dir, sb.data, sb.export
	book := gen.Book(11, 300)
	sb.snapshot(t, book, ExitOK)
	sb.snapshot(t, book[120:], ExitDanger) // a sync deleted 120 contacts

	svc := runningService(t, data)
	tray := svc.Status()
	if tray.State != app.StateDanger || len(tray.Open) == 0 {
		t.Fatalf("the tray shows %s with %d open findings; want the mass deletion", tray.State, len(tray.Open))
	}

	// findings --json: the tray's open findings.
	out, stderr, code := runIn(t, data, "findings", "--json")
	var listed struct {
		Findings []findings.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil || code != ExitDanger {
		t.Fatalf("findings --json: exit %d, %v; %s %s", code, err, out, stderr)
	}
	if a, b := openIDs(listed.Findings), openIDs(tray.Open); a != b {
		t.Errorf("findings --json lists %q, the tray shows %q", a, b)
	}

	// history --json: the tray's snapshots.
	out, stderr, code = runIn(t, data, "history", "--json")
	var hist struct {
		Snapshots []struct {
			ID      uint64 `json:"id"`
			Removed int    `json:"removed"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal([]byte(out), &hist); err != nil || code != ExitOK {
		t.Fatalf("history --json: exit %d, %v; %s %s", code, err, out, stderr)
	}
	snaps := hist.Snapshots
	if len(snaps) != 2 || snaps[1].Removed != 120 || tray.LastSnapshot == nil || tray.LastSnapshot.ID != snaps[1].ID {
		t.Errorf("history --json: %+v; the tray's last snapshot %+v", snaps, tray.LastSnapshot)
	}

	// check --json: a device with risky settings; its findings are the tray's now.
	out, stderr, code = runIn(t, data, "check", "--json", "--no-detect", "--reg", "../conduit/testdata/partners-v5.reg")
	var checked app.CheckResult
	if err := json.Unmarshal([]byte(out), &checked); err != nil || len(checked.Devices) == 0 || !checked.Saved {
		t.Fatalf("check --json: exit %d, %v; %s %s", code, err, out, stderr)
	}
	tray = svc.Status()
	for _, f := range checked.Findings {
		if !strings.Contains(" "+openIDs(tray.Open)+" ", " "+f.ID+" ") {
			t.Errorf("check raised %s (%s) but the tray does not show it", f.ID, f.Title)
		}
	}

	// ack: accepted through the service, and the tray lists it as accepted.
	var deletion findings.Finding
	for _, f := range tray.Open {
		if f.Kind == findings.MassDeletion {
			deletion = f
		}
	}
	if deletion.ID == "" {
		t.Fatalf("no mass deletion among %+v", tray.Open)
	}
	if _, stderr, code := runIn(t, data, "ack", deletion.ID, "--yes"); code != ExitOK {
		t.Fatalf("ack: exit %d %s", code, stderr)
	}
	if f, err := svc.Finding(deletion.ID); err != nil || f.State != findings.Acknowledged {
		t.Errorf("after ack through the service the tray has %s: %v", f.State, err)
	}

	// restore: the 120 deleted contacts, written by the service to the file asked for.
	restored := filepath.Join(dir, "restored.csv")
	if out, stderr, code := runIn(t, data, "restore", "--snapshot", "1", "--only", "removed", "--out", restored); code != ExitOK {
		t.Fatalf("restore: exit %d %s %s", code, out, stderr)
	}
	res := exports.ReadFiles([]string{restored})
	if len(res.Contacts) != 120 || len(res.Errors) != 0 {
		t.Errorf("the restored file holds %d contacts (%v); want the 120 deleted", len(res.Contacts), res.Errors)
	}

	// snapshot: taken by the service, and the tray's last snapshot is the new one.
	writeCSVExport(t, export, book) // the contacts imported back
	out, stderr, code = runIn(t, data, "snapshot", "--export", export, "--json")
	var taken struct {
		ID    uint64 `json:"id"`
		Added int    `json:"added"`
	}
	if err := json.Unmarshal([]byte(out), &taken); err != nil || taken.ID != 3 || taken.Added != 120 {
		t.Fatalf("snapshot --json: exit %d, %v; %s %s", code, err, out, stderr)
	}
	if last := svc.Status().LastSnapshot; last == nil || last.ID != 3 {
		t.Errorf("the tray's last snapshot is %+v; want #3, the command's", last)
	}

	// --policy asks for another policy than the service's: the command does not pretend
	// the service applied it, it opens the history itself, which the service holds.
	other := filepath.Join(dir, "other.toml")
	if err := os.WriteFile(other, []byte("[export]\ncountry_code = \"44\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runIn(t, data, "--policy", other, "findings"); code != ExitFailed || !strings.Contains(stderr, "already running") {
		t.Errorf("findings --policy while the service runs: exit %d, %q; want it refused, not answered under the service's policy", code, stderr)
	}
}

// TestRestoreWorksWithDamagedSettings: the rescue does not depend on settings.json (the
// tray's choices): damaged, it is named in a warning and the restore is written.
func TestRestoreWorksWithDamagedSettings(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	dir, data := sb.dir, sb.data
	sb.snapshot(t, gen.Book(12, 40), ExitOK)
	if err := os.WriteFile(filepath.Join(data, "settings.json"), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(dir, "restored.csv")
	_, stderr, code := runIn(t, data, "restore", "--snapshot", "1", "--out", restored)
	if code != ExitOK || !strings.Contains(stderr, "settings.json: the settings are damaged") {
		t.Fatalf("restore: exit %d, %q; want it written, with a warning naming settings.json", code, stderr)
	}
	if res := exports.ReadFiles([]string{restored}); len(res.Contacts) != 40 {
		t.Errorf("the restored file holds %d contacts; want 40", len(res.Contacts))
	}
}
