//go:build windows

package datadir

import "unsafe"

// unsafePointer turns the SidStart field of an ACE into the SID that begins there: an ACE
// is a header, a mask, then the variable-length SID, which Go cannot express as a type.
func unsafePointer(p *uint32) unsafe.Pointer { return unsafe.Pointer(p) }
