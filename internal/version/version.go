// Package version is SyncGuard's release number: the one place it is written. The Windows
// build stamps it into the executable's version resource and the installer's name and
// uninstall entry (mk/windows.mk reads it from here), and fleet files report it.
package version

// Version is the release, MAJOR.MINOR.PATCH (an MSI's ProductVersion takes at most three
// numbers below 256, 256 and 65536).
const Version = "0.1.0"
