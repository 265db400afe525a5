//go:build !unix

package app

// peakMB is not measured where rusage does not exist.
func peakMB() float64 { return 0 }
