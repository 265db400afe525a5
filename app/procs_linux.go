package app

import (
	"os"
	"strings"
)

// processNames lists the names of running processes from /proc: the kernel's short name
// and the base name of the first argument (Wine runs a Windows sync program as
// "HOTSYNC.EXE" there).
func processNames() ([]string, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil {
			out = append(out, strings.TrimSpace(string(b)))
		}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && len(b) > 0 {
			arg0, _, _ := strings.Cut(string(b), "\x00")
			if i := strings.LastIndexAny(arg0, `/\`); i >= 0 {
				arg0 = arg0[i+1:]
			}
			out = append(out, arg0)
		}
	}
	return out, nil
}
