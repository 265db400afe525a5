//go:build !linux && !windows

package app

import (
	"os/exec"
	"path/filepath"
	"strings"
)

// processNames asks ps for the running programs (macOS and the BSDs have no /proc).
func processNames() ([]string, error) {
	out, err := exec.Command("ps", "-axo", "comm=").Output()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, filepath.Base(l))
		}
	}
	return names, nil
}
