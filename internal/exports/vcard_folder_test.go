//go:build linux

package exports

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syncguard/syncguard/internal/gen"
)

// restoreChild is the process the tests below make fail or kill: it writes a folder
// restore of SYNCGUARD_RESTORE_N generated contacts to SYNCGUARD_RESTORE_OUT. With
// SYNCGUARD_RESTORE_FSIZE, the kernel refuses to let any file grow past that many bytes
// (RLIMIT_FSIZE): the write of a contact larger than that fails part-way, as on a full disk.
func restoreChild(t *testing.T) bool {
	out := os.Getenv("SYNCGUARD_RESTORE_OUT")
	if out == "" {
		return false
	}
	n, _ := strconv.Atoi(os.Getenv("SYNCGUARD_RESTORE_N"))
	cs := gen.Book(7, n)
	if lim, err := strconv.ParseUint(os.Getenv("SYNCGUARD_RESTORE_FSIZE"), 10, 64); err == nil {
		// One contact in the middle is larger than the limit; without the signal ignored
		// the kernel would kill the process instead of failing the write.
		cs[n/2].Note = strings.Repeat("a long note that no longer fits on the disk. ", int(lim)/40+100)
		signal.Ignore(syscall.SIGXFSZ)
		var rl unix.Rlimit
		unix.Getrlimit(unix.RLIMIT_FSIZE, &rl)
		rl.Cur = lim
		if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &rl); err != nil {
			fmt.Println("setrlimit:", err)
			os.Exit(4)
		}
	}
	fmt.Println("writing")
	if err := WriteVCardFolder(out, cs); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	os.Exit(0)
	return true
}

// partialVCards lists the .vcf files under dir (not in hidden folders) that are not whole
// cards: empty or cut off before END:VCARD.
func partialVCards(t *testing.T, dir string) (whole int, partial []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, nil
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".vcf") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || !strings.HasSuffix(strings.TrimSpace(string(data)), "END:VCARD") {
			partial = append(partial, fmt.Sprintf("%s (%d bytes)", e.Name(), len(data)))
			continue
		}
		whole++
	}
	return whole, partial
}

// TestFolderRestoreOnAFullDiskLeavesNoPartialFile: when the disk fills up part-way through
// a restore into a new folder, no cut-off card is left under a final name and the folder
// the user asked for does not appear half-filled; the same restore into an existing
// folder adds nothing to it.
func TestFolderRestoreOnAFullDiskLeavesNoPartialFile(t *testing.T) {
	if restoreChild(t) {
		return
	}
	for _, existing := range []bool{false, true} {
		t.Run(fmt.Sprintf("existing=%v", existing), func(t *testing.T) {
			base := t.TempDir()
			out := filepath.Join(base, "restored")
			if existing {
				if err := os.Mkdir(out, 0o700); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(out, "kept.txt"), []byte("the user's own file"), 0o600)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestFolderRestoreOnAFullDiskLeavesNoPartialFile$")
			cmd.Env = append(os.Environ(), "SYNCGUARD_RESTORE_OUT="+out+string(os.PathSeparator),
				"SYNCGUARD_RESTORE_N=200", "SYNCGUARD_RESTORE_FSIZE=8192")
			msg, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(msg), "error:") {
				t.Fatalf("the restore did not fail on the full disk: %v\n%s", err, msg)
			}
			whole, partial := partialVCards(t, out)
			if len(partial) > 0 {
				t.Errorf("cut-off cards under their final names: %v", partial)
			}
			if whole != 0 {
				t.Errorf("%d of 200 cards appeared in %s from a restore that failed; the folder looks complete but is not", whole, out)
			}
			if !existing {
				if _, err := os.Stat(out); err == nil {
					t.Errorf("the folder %s exists after a failed restore", out)
				}
			} else if data, _ := os.ReadFile(filepath.Join(out, "kept.txt")); string(data) != "the user's own file" {
				t.Errorf("the user's own file changed: %q", data)
			}
			assertNoLeftovers(t, base, out)
		})
	}
}

// assertNoLeftovers: after a failed or killed restore and one more (good) restore, no
// hidden staging folder remains beside or inside the target.
func assertNoLeftovers(t *testing.T, base, out string) {
	t.Helper()
	cs := gen.Book(8, 5)
	if err := WriteVCardFolder(filepath.Join(base, "other"), cs); err != nil {
		t.Fatal(err)
	}
	if err := WriteVCardFolder(out, cs); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{base, out} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("a leftover of the failed restore stays in %s: %s", d, e.Name())
			}
		}
	}
}

// TestCrashDuringAFolderRestore kills a folder restore at random moments: after each kill
// the folder the user asked for is absent or complete, never holding an empty or cut-off
// card; the next restore clears what the killed one left. SYNCGUARD_KILLS sets the count
// (make reliability runs many).
func TestCrashDuringAFolderRestore(t *testing.T) {
	if restoreChild(t) {
		return
	}
	kills := 4
	if n, err := strconv.Atoi(os.Getenv("SYNCGUARD_KILLS")); err == nil && n > 0 {
		kills = max(n/10, 4)
	} else if testing.Short() {
		kills = 2
	}
	const n = 3000
	r := rand.New(rand.NewPCG(5, 6))
	survived, midway := 0, 0
	for i := 0; i < kills; i++ {
		base := t.TempDir()
		out := filepath.Join(base, "restored")
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDuringAFolderRestore$")
		cmd.Env = append(os.Environ(), "SYNCGUARD_RESTORE_OUT="+out, "SYNCGUARD_RESTORE_N="+strconv.Itoa(n))
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 8)
		stdout.Read(buf) // "writing": the book is generated, the restore starts
		// Kill once some files exist, at a random moment after.
		for {
			entries, _ := os.ReadDir(base)
			if len(entries) > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(time.Duration(r.IntN(60)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		werr := cmd.Wait()
		whole, partial := partialVCards(t, out)
		if len(partial) > 0 {
			t.Fatalf("kill %d: cut-off cards under their final names: %v", i, partial)
		}
		if whole != 0 && whole != n {
			t.Fatalf("kill %d: %d of %d cards in %s: a folder that looks complete but is not", i, whole, n, out)
		}
		if ws, ok := werr.(*exec.ExitError); ok && ws.ExitCode() == -1 && whole == 0 {
			midway++ // killed while writing, not after it finished
		}
		assertNoLeftovers(t, base, out)
		survived++
	}
	t.Logf("survived %d kills of a folder restore (%d before it finished)", survived, midway)
	fmt.Printf("crash test (folder restore): survived %d kills, %d inside a write\n", survived, midway)
}
