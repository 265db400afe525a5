//go:build !windows

package autostart

// The Run key exists on Windows only; elsewhere Enable writes a file instead.
func setRunValue(string, string) error { return nil }
func deleteRunValue(string) error      { return nil }
func hasRunValue(string) bool          { return false }
