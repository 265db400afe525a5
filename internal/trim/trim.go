// Package trim gives memory back to the system when the tray service goes idle. The
// history is a memory-mapped file (bbolt): a snapshot of 10,000 contacts reads some 16 MB
// of it, and those pages stay in the service's resident memory for the hours it then
// idles, although nothing reads them until the next change. Mapped hands them back.
package trim

// Mapped releases the pages of this process's mappings of the file at path, which stay
// mapped: a later read faults them back in from the file. It reports how many bytes of
// mappings it went over. Where the system offers no such thing it does nothing.
func Mapped(path string) (int64, error) { return mapped(path) }
