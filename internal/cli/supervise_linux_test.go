package cli

import (
	"bytes"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var sink [][]byte // keeps the test's allocations alive

// Commands that fail the ways a recover cannot catch, for the test below only.
func init() {
	register(&Command{Name: "test-goroutine-panic", Usage: "test-goroutine-panic", Run: func(*Env, []string) int {
		go func() { panic("a reader goroutine met something it did not expect") }()
		time.Sleep(10 * time.Second)
		return ExitOK
	}})
	register(&Command{Name: "test-out-of-memory", Usage: "test-out-of-memory", Run: func(*Env, []string) int {
		// The address space is capped a little above what the process uses now, and the
		// command then keeps allocating: Go's runtime dies with "out of memory".
		status, _ := os.ReadFile("/proc/self/status")
		var vm uint64
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmSize:" {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				vm = kb << 10
			}
		}
		unix.Setrlimit(unix.RLIMIT_AS, &unix.Rlimit{Cur: vm + 256<<20, Max: vm + 256<<20})
		var keep [][]byte
		for {
			b := make([]byte, 32<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			keep = append(keep, b)
			sink = keep
		}
	}})
	register(&Command{Name: "test-danger", Usage: "test-danger", Run: func(*Env, []string) int { return ExitDanger }})
}

// TestCrashesAreFailuresNotDanger: a command that dies of a panic in another goroutine or
// of running out of memory (Go exits 2 for both) exits 3 through the supervisor, with a
// line saying it stopped; a command's own exit codes pass through unchanged.
func TestCrashesAreFailuresNotDanger(t *testing.T) {
	if isSupervisedChild() {
		os.Exit(runChild(flag.Args(), nil))
	}
	for cmd, want := range map[string]int{"test-goroutine-panic": ExitFailed, "test-out-of-memory": ExitFailed, "test-danger": ExitDanger} {
		var out, errb bytes.Buffer
		code := supervise(os.Args[0], []string{"-test.run=^TestCrashesAreFailuresNotDanger$", "--"},
			[]string{"--data", t.TempDir(), cmd}, nil, &out, &errb)
		if code != want {
			t.Errorf("%s: exit %d, want %d\n%s", cmd, code, want, errb.String())
		}
		if want == ExitFailed && !strings.Contains(errb.String(), "stopped unexpectedly") {
			t.Errorf("%s: the failure is not explained:\n%s", cmd, errb.String())
		}
	}
	if !needsSupervisor([]string{"--data", "x", "snapshot"}) || needsSupervisor([]string{"--data", "snapshot"}) ||
		needsSupervisor(nil) || needsSupervisor([]string{"window", "status"}) {
		t.Error("needsSupervisor picks the wrong commands")
	}
}
