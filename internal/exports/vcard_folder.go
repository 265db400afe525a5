package exports

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A folder restore is staged: the cards are written into a hidden folder and appear under
// their final names only once all of them are whole.
//   - Into a new folder, the staging folder sits beside it and is renamed into place in one
//     step: a kill or a full disk leaves no folder at all, never a half-filled one.
//   - Into an existing folder (the user picked one), the staging folder sits inside it (the
//     same disk, so each move is a rename) and the cards are moved in one by one after a
//     note saying the restore is incomplete, which is removed last: a kill part-way leaves
//     whole cards and that note, never an empty or cut-off card.
//
// What a killed restore left (a staging folder, the note) is removed by the next restore
// into the same place.
const (
	stagingInfix   = ".syncguard-partial-"
	incompleteNote = "SyncGuard restore incomplete.txt"
)

type stagedFolder struct {
	dir      string // the folder the user chose
	stage    string // the hidden folder the cards are written to
	existing bool
	taken    map[string]bool // lower-cased names already in dir
}

func stageFolder(dir string) (*stagedFolder, error) {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	removeStaging(parent, "."+filepath.Base(dir)+stagingInfix)
	st := &stagedFolder{dir: dir, taken: map[string]bool{}}
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		st.existing = true
		removeStaging(dir, stagingInfix)
		os.Remove(filepath.Join(dir, incompleteNote))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot read the folder: %v; choose a folder you may write to", dir, unwrapPathErr(err))
		}
		for _, e := range entries {
			st.taken[strings.ToLower(e.Name())] = true
		}
		st.stage, err = os.MkdirTemp(dir, stagingInfix)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot write: %v; choose a folder you may write to", dir, unwrapPathErr(err))
		}
	case err == nil:
		return nil, fmt.Errorf("%s is a file, not a folder; choose a folder or a new name", dir)
	default:
		if err := os.MkdirAll(parent, 0o700); err != nil {
			return nil, fmt.Errorf("%s: cannot create the folder: %v; choose a folder you may write to", parent, unwrapPathErr(err))
		}
		st.stage, err = os.MkdirTemp(parent, "."+filepath.Base(dir)+stagingInfix)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot create the folder: %v; choose a folder you may write to", dir, unwrapPathErr(err))
		}
	}
	os.Chmod(st.stage, 0o700)
	return st, nil
}

// removeStaging removes the staging folders a killed restore left in dir.
func removeStaging(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func (st *stagedFolder) abort() { os.RemoveAll(st.stage) }

// commit brings the staged cards into the folder the user chose.
func (st *stagedFolder) commit() error {
	if !st.existing {
		if err := os.Rename(st.stage, st.dir); err != nil {
			st.abort()
			return fmt.Errorf("%s: cannot create the folder: %v; choose another folder", st.dir, unwrapPathErr(err))
		}
		return nil
	}
	entries, err := os.ReadDir(st.stage)
	if err != nil {
		st.abort()
		return fmt.Errorf("%s: cannot write: %v", st.dir, unwrapPathErr(err))
	}
	note := filepath.Join(st.dir, incompleteNote)
	if err := os.WriteFile(note, []byte("SyncGuard was interrupted while it restored contacts into this folder: some are missing. Restore them again.\r\n"), 0o600); err != nil {
		st.abort()
		return fmt.Errorf("%s: cannot write: %v; check the free space of the disk", st.dir, unwrapPathErr(err))
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(st.stage, e.Name()), filepath.Join(st.dir, e.Name())); err != nil {
			return fmt.Errorf("%s: cannot write: %v; the restore into this folder is incomplete, restore again", filepath.Join(st.dir, e.Name()), unwrapPathErr(err))
		}
	}
	os.Remove(st.stage)
	return os.Remove(note)
}
