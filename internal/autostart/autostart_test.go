package autostart

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestStartAtLoginWritesAndRemovesTheXDGEntry(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the XDG entry is for Linux and the BSDs")
	}
	cfg := t.TempDir()
	e := Entry{ID: "io.github.syncguard", Name: "SyncGuard", Exec: "/opt/Sync Guard/syncguard", ConfigDir: cfg}
	if e.Enabled() {
		t.Fatal("enabled before Enable")
	}
	if err := e.Enable(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg, "autostart", "io.github.syncguard.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]", "Type=Application", `Exec="/opt/Sync Guard/syncguard"`, "Name=SyncGuard"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the entry lacks %q:\n%s", want, data)
		}
	}
	if !e.Enabled() {
		t.Error("not enabled after Enable")
	}
	if err := e.Disable(); err != nil || e.Enabled() {
		t.Errorf("after Disable: %v, enabled %v", err, e.Enabled())
	}
	if err := e.Disable(); err != nil {
		t.Errorf("disabling twice: %v", err)
	}
}

func TestTheLaunchAgentRunsAtLoadWithoutKeepingAlive(t *testing.T) {
	e := Entry{ID: "io.github.syncguard", Name: "SyncGuard", Exec: "/Applications/SyncGuard.app/Contents/MacOS/syncguard", Args: []string{"--data", "a&b"}}
	p := e.LaunchAgent()
	for _, want := range []string{"<string>io.github.syncguard</string>", "<key>RunAtLoad</key>\n\t<true/>", "<key>KeepAlive</key>\n\t<false/>", "<string>a&amp;b</string>"} {
		if !strings.Contains(p, want) {
			t.Errorf("the LaunchAgent lacks %q:\n%s", want, p)
		}
	}
}

func TestTheRunKeyValueQuotesThePath(t *testing.T) {
	e := Entry{Exec: `C:\Program Files\SyncGuard\syncguard.exe`, Args: []string{"--data", `D:\My Data`}}
	if got, want := e.commandLine(), `"C:\Program Files\SyncGuard\syncguard.exe" --data "D:\My Data"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
