package exports

import "sync/atomic"

// readWork adds up the steps the readers took (bytes examined, properties and rows
// handled, loop iterations that depend on the input): each reading counts in a field of
// its own parser and adds the total here once, at its end. The tests compare it across
// input sizes to prove the readers linear on hostile input without timing them, which
// on a busy machine would fail for no reason.
var readWork atomic.Int64
