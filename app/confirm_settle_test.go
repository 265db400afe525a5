package app

import "os"

// The tests here delete many contacts on purpose; a mass deletion is read a second time
// after a settle (DefaultConfirmSettle), which they need not wait for.
func init() { os.Setenv("SYNCGUARD_CONFIRM_SETTLE", "1ms") }
