//go:build !windows

package workstation

// liveMailboxes: only Windows keeps Outlook profiles in a registry SyncGuard reads.
func liveMailboxes() ([]Mailbox, error) { return nil, nil }
