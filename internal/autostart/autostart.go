// Package autostart makes SyncGuard start when the user logs in, the way each platform
// expects it: a value under the Windows Run key, a macOS LaunchAgent, an XDG autostart
// desktop entry elsewhere. It is the part of the settings window's "Start at login" that
// touches the system, kept out of the UI so that it is tested on its own.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Entry describes what to start.
type Entry struct {
	ID   string   // reverse-DNS application id: the file or value name
	Name string   // shown to the user
	Exec string   // absolute path of the executable
	Args []string // arguments (none for the tray app)
	// ConfigDir replaces the user's configuration folder (~/.config on Linux,
	// ~/Library/LaunchAgents on macOS); for tests.
	ConfigDir string
	// RunKey replaces the Windows Run key (a path under HKCU); for tests, which must not
	// make the test machine start anything at login.
	RunKey string
}

// Enable makes the entry start at login.
func (e Entry) Enable() error {
	if e.ID == "" || e.Exec == "" {
		return errors.New("autostart: the entry needs an id and an executable")
	}
	switch runtime.GOOS {
	case "windows":
		return setRunValue(e.runKey(), e.Name, e.commandLine())
	case "darwin":
		dir, err := e.launchAgentsDir()
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, e.ID+".plist"), e.LaunchAgent())
	default:
		dir, err := e.xdgDir()
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, e.ID+".desktop"), e.DesktopEntry())
	}
}

// Disable stops the entry from starting at login; an entry that is not there is fine.
func (e Entry) Disable() error {
	var path string
	switch runtime.GOOS {
	case "windows":
		return deleteRunValue(e.runKey(), e.Name)
	case "darwin":
		dir, err := e.launchAgentsDir()
		if err != nil {
			return err
		}
		path = filepath.Join(dir, e.ID+".plist")
	default:
		dir, err := e.xdgDir()
		if err != nil {
			return err
		}
		path = filepath.Join(dir, e.ID+".desktop")
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// Enabled reports whether the entry starts at login.
func (e Entry) Enabled() bool {
	switch runtime.GOOS {
	case "windows":
		return hasRunValue(e.runKey(), e.Name)
	case "darwin":
		dir, err := e.launchAgentsDir()
		if err != nil {
			return false
		}
		_, err = os.Stat(filepath.Join(dir, e.ID+".plist"))
		return err == nil
	default:
		dir, err := e.xdgDir()
		if err != nil {
			return false
		}
		_, err = os.Stat(filepath.Join(dir, e.ID+".desktop"))
		return err == nil
	}
}

// runKey is where Windows starts a user's programs at login, under HKCU.
func (e Entry) runKey() string {
	if e.RunKey != "" {
		return e.RunKey
	}
	return `Software\Microsoft\Windows\CurrentVersion\Run`
}

// xdgDir is $XDG_CONFIG_HOME/autostart (the XDG Autostart specification).
func (e Entry) xdgDir() (string, error) {
	base := e.ConfigDir
	if base == "" {
		base = os.Getenv("XDG_CONFIG_HOME")
	}
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "autostart"), nil
}

func (e Entry) launchAgentsDir() (string, error) {
	if e.ConfigDir != "" {
		return e.ConfigDir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Library", "LaunchAgents"), nil
}

// DesktopEntry is the XDG autostart file.
func (e Entry) DesktopEntry() string {
	var b strings.Builder
	b.WriteString("[Desktop Entry]\nType=Application\n")
	fmt.Fprintf(&b, "Name=%s\n", e.Name)
	fmt.Fprintf(&b, "Exec=%s\n", e.execLine())
	fmt.Fprintf(&b, "Icon=%s\n", e.ID)
	b.WriteString("Terminal=false\nX-GNOME-Autostart-enabled=true\n")
	return b.String()
}

// execLine quotes per the Desktop Entry specification: arguments with spaces or special
// characters in double quotes, with ", `, $ and \ escaped.
func (e Entry) execLine() string {
	parts := []string{e.Exec}
	parts = append(parts, e.Args...)
	for i, p := range parts {
		if strings.ContainsAny(p, " \t\"'\\`$;&|<>*?#()") {
			r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
			parts[i] = `"` + r.Replace(p) + `"`
		}
		parts[i] = strings.ReplaceAll(parts[i], "%", "%%")
	}
	return strings.Join(parts, " ")
}

// LaunchAgent is the macOS LaunchAgent property list: run once at load (login), not kept
// alive, so that "Quit" in the tray menu quits.
func (e Entry) LaunchAgent() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + xmlEscape(e.ID) + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, a := range append([]string{e.Exec}, e.Args...) {
		b.WriteString("\t\t<string>" + xmlEscape(a) + "</string>\n")
	}
	b.WriteString(`	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<false/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`)
	return b.String()
}

// commandLine is the Run key's value: the executable quoted, as Windows expects a path
// with spaces ("C:\Program Files\...").
func (e Entry) commandLine() string {
	s := `"` + e.Exec + `"`
	for _, a := range e.Args {
		if strings.ContainsAny(a, " \t") {
			a = `"` + a + `"`
		}
		s += " " + a
	}
	return s
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func writeFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
