//go:build !windows

package testkit

// UnderWine reports that this Windows is Wine; never, on other systems.
func UnderWine() bool { return false }
