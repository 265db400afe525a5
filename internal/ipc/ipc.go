// Package ipc is the per-user local channel between SyncGuard's service (the process that
// owns the history) and its clients (the window process, a command run while the service
// is up): a Unix socket in the data folder with mode 0600, or on Windows a named pipe
// whose ACL admits only this user. Nothing listens on a network port, and a client that is
// not this user gets nothing: the operating system refuses the connection. The other way
// round, on Windows, where any user may make a pipe of any name, Dial and Listen check
// that the pipe's server runs as this user (ErrNotOurs when it does not).
package ipc

import "errors"

// ErrNoService is what Dial returns (wrapped) when no service listens for the data folder:
// the caller then opens the history itself.
var ErrNoService = errors.New("no SyncGuard service is running for this data folder")

// ErrInUse is what Listen returns (wrapped) when a service already listens for the folder.
var ErrInUse = errors.New("another SyncGuard service already listens for this data folder")

// ErrNotOurs is what Dial and Listen return (wrapped) when the channel's name is taken by a
// program that runs as another user (on Windows a pipe name is not private to a user, so on
// a shared host another user could make it first). Dial then never talks to that program:
// its callers open the history themselves, as with ErrNoService.
var ErrNotOurs = errors.New("the SyncGuard channel is held by another user's program")
