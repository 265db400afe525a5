//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package datadir

import "os"

// On systems SyncGuard does not ship for (it runs on Windows, macOS and Linux) there is no
// lock: changes are as safe as one process at a time makes them.
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}
