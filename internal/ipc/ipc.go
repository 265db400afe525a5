// Package ipc is the per-user local channel between SyncGuard's service (the process that
// owns the history) and its clients (the window process, a command run while the service
// is up): a Unix socket in the data folder with mode 0600, or on Windows a named pipe
// whose ACL admits only this user. Nothing listens on a network port, and a client that is
// not this user gets nothing: the operating system refuses the connection.
package ipc

import "errors"

// ErrNoService is what Dial returns (wrapped) when no service listens for the data folder:
// the caller then opens the history itself.
var ErrNoService = errors.New("no SyncGuard service is running for this data folder")

// ErrInUse is what Listen returns (wrapped) when a service already listens for the folder.
var ErrInUse = errors.New("another SyncGuard service already listens for this data folder")
