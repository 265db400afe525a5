package fleet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncguard/syncguard/internal/findings"
)

// TestMobileDevicesCSV: IT puts Exchange's list of phones into the fleet folder. A phone
// syncing Anna's mailbox directly is named on Anna's workstation (info: SyncGuard cannot
// see that sync), a warning where the same phone is also paired with the workstation, and
// listed in the firm report; bad rows are skipped by line, the file is not taken for a
// workstation file.
func TestMobileDevicesCSV(t *testing.T) {
	dir := t.TempDir()
	desk := ws("ws-anna", true, now, Device{ID: "activesync:1", Name: "Anna Galaxy", Software: "activesync"})
	desk.Workstation.Mailboxes = []string{"anna@firm.example"}
	if err := Publish(context.Background(), dir, desk, time.Second); err != nil {
		t.Fatal(err)
	}
	csvText := "\ufeffMailbox;Device;Model;LastSync\r\n" +
		"Anna@firm.example;Anna iPhone;iPhone15,2;2026-11-24\r\n" +
		"anna@firm.example;Anna Galaxy;SM-S918B;2026-11-24\r\n" +
		"not-an-address;Paul Pixel;Pixel 8;\r\n" +
		"paul@firm.example;Paul Pixel;Pixel 8;\r\n"
	if err := os.WriteFile(filepath.Join(dir, MobileDevicesFile), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	v := Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now})
	if len(v.DirectDevices) != 3 {
		t.Fatalf("direct devices = %+v", v.DirectDevices)
	}
	if len(v.Skipped) != 1 || !strings.Contains(v.Skipped[0].Reason, "line 4") {
		t.Errorf("skipped = %+v, want only line 4 of %s", v.Skipped, MobileDevicesFile)
	}
	fs := DirectSync(desk, v)
	if len(fs) != 2 {
		t.Fatalf("findings = %+v, want Anna's two phones", fs)
	}
	sev := map[string]findings.Severity{}
	for _, f := range fs {
		sev[f.Title] = f.Severity
	}
	if sev["Anna iPhone syncs the mailbox anna@firm.example directly with Exchange"] != findings.Info ||
		sev["Anna Galaxy syncs the mailbox anna@firm.example directly with Exchange"] != findings.Warning {
		t.Errorf("severities = %v", sev)
	}
	r, err := FirmReportList(context.Background(), v, nil, []string{"anna@firm.example"})
	if err != nil || len(r.DirectDevices) != 3 || !r.DirectDevices[0].InteractionSync || strings.Join(r.DirectDevices[0].Workstations, ",") != "ws-anna" {
		t.Errorf("report = %+v, %v", r.DirectDevices, err)
	}

	// A file without the columns is one skipped entry; an oversized one is refused.
	if _, bad := ParseMobileDevices(MobileDevicesFile, []byte("User,Phone\nx,y\n")); len(bad) != 1 || !strings.Contains(bad[0].Reason, "mailbox") {
		t.Errorf("no columns: %+v", bad)
	}
	big := make([]byte, maxMobileDevicesFile+10)
	if err := os.WriteFile(filepath.Join(dir, MobileDevicesFile), big, 0o644); err != nil {
		t.Fatal(err)
	}
	v = Read(context.Background(), ReadOptions{Folder: dir, Timeout: 5 * time.Second, StaleDays: 30, Now: now})
	if len(v.DirectDevices) != 0 || len(v.Skipped) != 1 || !strings.Contains(v.Skipped[0].Reason, "bytes") {
		t.Errorf("oversized list: %+v %+v", v.DirectDevices, v.Skipped)
	}
}
