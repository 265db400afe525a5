package trim

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// mapped pages out the mappings of path listed in /proc/self/maps with MADV_PAGEOUT
// (Linux 5.4 and later). Unlike MADV_DONTNEED, which would zero the memory if the range
// had meanwhile been unmapped and reused (bbolt remaps the file as it grows, on another
// goroutine), paging out never changes what any memory holds: it is safe whatever is
// mapped there by the time the call runs.
func mapped(path string) (int64, error) {
	// /proc/self/maps names the file by its absolute path with links resolved: a relative
	// or linked --data would match nothing.
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var total int64
	var errs []error
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 7f3a0000-7f3b0000 r--s 00000000 08:01 1234   /path/to/history.db
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || strings.Join(fields[5:], " ") != path {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_PAGEOUT); e != 0 {
			errs = append(errs, e)
			continue
		}
		total += int64(end - start)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}
