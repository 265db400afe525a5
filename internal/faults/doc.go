// Package faults holds the bad-input suite of `make reliability` (DESIGN.md §6): exports
// that are huge, still growing, vanish, are emptied or corrupted. Each case ends by
// counting the contacts of the first good snapshot that can no longer be restored: it
// must be 0. The suite is behind the build tag `reliability`, which keeps it out of
// `make test`: it writes hundreds of megabytes.
package faults
