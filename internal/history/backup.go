package history

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Rolling backups: a copy of the history after each day's first snapshot, the newest
// BackupsKept kept, in the data folder's "backups" folder. A copy is made only of a
// history whose every page reads (walkAll), so that damage never pushes a good backup out.
// The doctor falls back on them for what a damaged history lost.

// BackupsKept is how many daily backups are kept.
var BackupsKept = 3

// BackupDir is the folder of the backups inside the data folder.
const BackupDir = "backups"

// BackupIfDue writes today's backup unless there is one: a consistent copy taken in a
// read transaction, written to a temporary file and renamed into place. It returns the
// backup's path, or "" when none was due.
func (s *Store) BackupIfDue(now time.Time) (string, error) {
	dir := filepath.Join(s.dir, BackupDir)
	name := filepath.Join(dir, "history-"+now.Format("2006-01-02")+".db")
	if _, err := os.Stat(name); err == nil {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("%s: cannot create the backup folder: %v", dir, err)
	}
	tmp := name + ".tmp"
	err := s.view(func(tx *bolt.Tx) error {
		if err := walkAll(tx); err != nil {
			return err
		}
		return tx.CopyFile(tmp, 0o600)
	})
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("backing up the history: %w", err)
	}
	backups := listBackups(s.dir)
	for i, b := range backups {
		if i >= BackupsKept {
			os.Remove(b)
		}
	}
	return name, nil
}

// listBackups lists the backups in dir's backup folder, newest first.
func listBackups(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, BackupDir))
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "history-") && strings.HasSuffix(n, ".db") {
			out = append(out, filepath.Join(dir, BackupDir, n))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}
