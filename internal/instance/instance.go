// Package instance lets a second start of the tray app hand over to the first: on Windows
// people start a program again from the Start menu when they cannot find its window, and
// expect the running one to come forward, not an error. The history's lock already keeps
// one SyncGuard per data folder; this package carries the "show yourself" request from the
// second start to the first.
package instance
