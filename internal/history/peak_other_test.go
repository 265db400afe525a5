//go:build !unix

package history

// peakMB is not measured where rusage does not exist.
func peakMB() float64 { return 0 }
