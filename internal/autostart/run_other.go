//go:build !windows

package autostart

// The Run key exists on Windows only; elsewhere Enable writes a file instead.
func setRunValue(key, name, cmd string) error { return nil }
func deleteRunValue(key, name string) error   { return nil }
func hasRunValue(key, name string) bool       { return false }
