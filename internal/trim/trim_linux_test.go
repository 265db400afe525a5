package trim

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// residentKB is the resident size of this process's mapping of path (/proc/self/smaps).
func residentKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps to read resident memory from")
	}
	defer f.Close()
	in, kb := false, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && strings.Join(fields[5:], " ") == path
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			kb += n
		}
	}
	return kb
}

// A file mapped as bbolt maps the history (shared, read-only) and read through: its
// pages are resident; after Mapped they are not, and the mapping still reads the file.
func TestMappedHandsBackTheFilesPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	const size = 8 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i / 4096)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	sum := 0
	for i := 0; i < size; i += 4096 {
		sum += int(m[i])
	}
	before := residentKB(t, path)
	if before < size/1024/2 {
		t.Fatalf("the mapping read through holds only %d KB resident", before)
	}
	n, err := Mapped(path)
	if errors.Is(err, unix.EINVAL) {
		t.Skip("this kernel has no MADV_PAGEOUT (Linux 5.4 and later)")
	}
	if err != nil || n != size {
		t.Fatalf("Mapped: %d bytes, %v; want the %d of the mapping", n, err, size)
	}
	if after := residentKB(t, path); after > before/4 {
		t.Errorf("resident after Mapped: %d KB of %d KB", after, before)
	}
	again := 0
	for i := 0; i < size; i += 4096 {
		again += int(m[i])
	}
	if again != sum {
		t.Error("the mapping reads other data after Mapped")
	}
}
