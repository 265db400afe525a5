//go:build reliability

package faults

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/syncguard/syncguard/internal/cli"
	"github.com/syncguard/syncguard/internal/exports"
)

// TestMain lets a test run the real command line in a process of its own (this test
// binary, re-run with SYNCGUARD_FAULTS_CLI set), whose peak memory the kernel measures.
func TestMain(m *testing.M) {
	if args := os.Getenv("SYNCGUARD_FAULTS_CLI"); args != "" {
		code := cli.Main(strings.Split(args, "\x1f"), os.Stdout, os.Stderr, nil)
		// The kernel's peak of this process's own memory (Linux): the rusage peak of a
		// child starts from its parent's at the exec, so a test that generated a large
		// book would measure itself.
		if status, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, l := range strings.Split(string(status), "\n") {
				if strings.HasPrefix(l, "VmHWM:") {
					os.WriteFile(os.Getenv("SYNCGUARD_FAULTS_HWM"), []byte(strings.TrimSpace(strings.TrimSuffix(l[6:], "kB"))), 0o600)
				}
			}
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// runCLI runs syncguard with args in a child process and returns its output, exit code and
// peak resident memory in MB.
func runCLI(t *testing.T, args ...string) (string, int, int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	hwm := filepath.Join(t.TempDir(), "hwm")
	cmd.Env = append(os.Environ(), "SYNCGUARD_FAULTS_CLI="+strings.Join(args, "\x1f"), "SYNCGUARD_FAULTS_HWM="+hwm)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(hwm); err == nil {
		if kb, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			return string(out), code, kb >> 10
		}
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on this system")
	}
	return string(out), code, ru.Maxrss >> 10 // Linux reports kilobytes
}

// Files of millions of tiny contacts took gigabytes (a 24 MB vCard of 500,000 cards, 4.0
// GB to snapshot; 3 million cards, 17.6 GB to scan; an 11 MB CSV of a million rows, 1.06
// GB). Past MaxContacts the read stops and the export is an export problem, never
// deletions; below it, memory stays within the README's bound.
func TestReliabilityMemoryIsBoundedPerContact(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int, head, row string) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(head)
		for i := 0; i < n; i++ {
			fmt.Fprintf(f, row, i, i)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		age(t, p)
		return p
	}
	policy := filepath.Join(dir, "policy.toml")
	if err := os.WriteFile(policy, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nN:%d;Person;;;\r\nEND:VCARD\r\n"
	cases := []struct {
		file    string
		refused bool
	}{
		{write("cards-500k.vcf", 500000, "", card), true},
		{write("cards-3m.vcf", 3000000, "", card), true},
		{write("rows-1m.csv", 1000000, "First Name,Last Name\r\n", "P%d,Doe%d\r\n"), true},
		{write("cards-200k.vcf", exports.MaxContacts, "", card), false},
		{write("rows-200k.csv", exports.MaxContacts, "First Name,Last Name\r\n", "P%d,Doe%d\r\n"), false},
	}
	for _, c := range cases {
		fi, _ := os.Stat(c.file)
		// The bound: the file held twice (its bytes and the text values point into), 1 KB
		// per contact read, and the Go runtime's own heap growth and baseline.
		contacts := exports.MaxContacts
		bound := (2*fi.Size()+int64(contacts)<<10)>>20*2 + 100
		for _, cmd := range [][]string{{"scan", c.file}, {"snapshot", "--export", c.file}} {
			data := filepath.Join(dir, "data-"+filepath.Base(c.file)+cmd[0])
			out, code, peak := runCLI(t, append([]string{"--data", data, "--policy", policy}, cmd...)...)
			fmt.Printf("%s: %s %s: exit %d, peak %d MB (bound %d MB)\n", t.Name(), cmd[0], filepath.Base(c.file), code, peak, bound)
			if peak > bound {
				t.Errorf("%s %s: peak %d MB, above the bound of %d MB", cmd[0], filepath.Base(c.file), peak, bound)
			}
			said := strings.Contains(out, fmt.Sprintf("more than %d contacts", exports.MaxContacts))
			switch {
			case c.refused && (!said || code == 0 || code == 2):
				t.Errorf("%s %s: exit %d, output %.300q; want it refused as too many contacts, never a danger", cmd[0], filepath.Base(c.file), code, out)
			case !c.refused && (said || code != 0):
				t.Errorf("%s %s: exit %d, output %.300q; want it read", cmd[0], filepath.Base(c.file), code, out)
			}
		}
	}
}
