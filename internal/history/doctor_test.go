package history

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/policy"
)

// truth is every snapshot's contacts (key -> fingerprint) of a history.
func truth(t *testing.T, dir string) map[uint64]map[string]string {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]map[string]string{}
	for _, sn := range list {
		es, err := s.Contacts(sn.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[sn.ID] = map[string]string{}
		for _, e := range es {
			out[sn.ID][e.Key] = e.Contact.Fingerprint("")
		}
	}
	return out
}

// doctorHistory: four snapshots of a 600-contact book, the day's backup taken after the
// third; it returns the data folder.
func doctorHistory(t *testing.T, dir string) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	book := gen.Book(61, 700)
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	for i, part := range [][2]int{{0, 600}, {0, 590}, {10, 610}, {50, 700}} {
		if _, err := s.Commit("export", day.Add(time.Duration(i)*time.Hour), book[part[0]:part[1]], nil); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if b, err := s.BackupIfDue(day); err != nil || b == "" {
				t.Fatalf("backup: %q %v", b, err)
			}
		}
	}
}

// TestDoctorSalvagesADamagedHistory damages the history file (one page zeroed, at many
// places; the file cut short) and runs the doctor: it says what is damaged, keeps the
// damaged file aside, and the new history holds every snapshot and contact it could read
// (from the file or the backup), each as it was, and says how many it lost.
func TestDoctorSalvagesADamagedHistory(t *testing.T) {
	base := t.TempDir()
	orig := filepath.Join(base, "orig")
	doctorHistory(t, orig)
	want := truth(t, orig)
	good, _ := os.ReadFile(filepath.Join(orig, FileName))
	backup := listBackups(orig)[0]
	backupData, _ := os.ReadFile(backup)

	// The pages in use: up to the file's high-water mark (bbolt grows the file ahead).
	var used int64
	s, _ := Open(orig, Options{})
	s.view(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	s.Close()
	pages := int(used / 4096)
	cases := map[string][]byte{"cut to a third": good[:used/3], "cut to two pages": good[:8192]}
	for pg := 2; pg < pages; pg += max(1, pages/8) {
		bad := append([]byte(nil), good...)
		clear(bad[pg*4096 : (pg+1)*4096])
		cases["page "+itoa(pg)+" zeroed"] = bad
	}
	salvaged, whole := 0, 0
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			os.MkdirAll(filepath.Join(dir, BackupDir), 0o700)
			os.WriteFile(filepath.Join(dir, FileName), bad, 0o600)
			os.WriteFile(filepath.Join(dir, BackupDir, filepath.Base(backup)), backupData, 0o600)
			rep, err := Salvage(dir, time.Now())
			if err != nil {
				t.Fatalf("doctor: %v", err)
			}
			if len(rep.Damage) == 0 {
				whole++ // a page that held nothing in use: the history reads whole
				if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
					t.Fatal("the history went")
				}
				return
			}
			salvaged++
			if !rep.Salvaged || rep.DamagedKept == "" {
				t.Fatalf("damage %v, but no new history: %+v", rep.Damage, rep)
			}
			if kept, _ := os.ReadFile(rep.DamagedKept); len(kept) != len(bad) {
				t.Errorf("the damaged file was not kept aside as it was")
			}
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatalf("the salvaged history does not open: %v", err)
			}
			defer s.Close()
			if err := s.Check(); err != nil {
				t.Fatalf("the salvaged history: %v", err)
			}
			got, lost := 0, 0
			list, _ := s.Snapshots()
			for _, sn := range list {
				es, err := s.Contacts(sn.ID)
				if err != nil {
					t.Fatalf("snapshot %d: %v", sn.ID, err)
				}
				w := want[sn.ID]
				for _, e := range es {
					if fp, ok := w[e.Key]; !ok || fp != e.Contact.Fingerprint("") {
						t.Fatalf("snapshot %d: contact %s %q is not as it was (in the original: %v); damage: %v", sn.ID, e.Key, e.Contact.DisplayName(), ok, rep.Damage)
					}
				}
				got += len(es)
				lost += len(w) - len(es)
			}
			if lost != rep.ContactsLost {
				t.Errorf("the doctor says %d contacts lost; %d are", rep.ContactsLost, lost)
			}
			// What the backup had (the first three snapshots) is never lost.
			for id := uint64(1); id <= 3; id++ {
				found := false
				for _, sn := range list {
					found = found || sn.ID == id
				}
				if !found {
					t.Errorf("snapshot %d is in the backup but not in the salvaged history", id)
				}
			}
			// It takes snapshots again.
			if _, err := s.Commit("export", time.Now(), gen.Book(61, 700)[:300], nil); err != nil {
				t.Fatalf("a snapshot after the salvage: %v", err)
			}
			t.Logf("%v: %d snapshots, %d contacts kept, %d lost, %d snapshots from the backup", rep.Damage[0], len(list), got, lost, rep.FromBackup)
		})
	}
	t.Logf("%d damaged files salvaged, %d read whole", salvaged, whole)
	if salvaged < len(cases)/2 {
		t.Errorf("only %d of %d damaged files were found damaged", salvaged, len(cases))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestDoctorLeavesAWholeHistoryAlone: on a whole history the doctor finds nothing and
// changes nothing.
func TestDoctorLeavesAWholeHistoryAlone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	doctorHistory(t, dir)
	before, _ := os.ReadFile(filepath.Join(dir, FileName))
	rep, err := Salvage(dir, time.Now())
	if err != nil || len(rep.Damage) != 0 || rep.Salvaged || rep.Snapshots != 4 {
		t.Fatalf("doctor on a whole history: %+v %v", rep, err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, FileName))
	if string(before) != string(after) {
		t.Error("the doctor changed a whole history")
	}
}

// TestBackupsRoll: one backup a day, after the day's first snapshot; the newest three are
// kept.
func TestBackupsRoll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := open(t, dir)
	book := gen.Book(62, 50)
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	for d := 0; d < 5; d++ {
		for h := 0; h < 2; h++ {
			now := day.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour)
			if _, err := s.Commit("export", now, book[:40+d*2+h], nil); err != nil {
				t.Fatal(err)
			}
			if err := s.Maintain(Retention(policy.Default().Retention), now); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := listBackups(dir)
	want := []string{"history-2026-11-24.db", "history-2026-11-23.db", "history-2026-11-22.db"}
	if len(got) != len(want) {
		t.Fatalf("backups %v; want %v", got, want)
	}
	for i := range want {
		if filepath.Base(got[i]) != want[i] {
			t.Fatalf("backups %v; want %v", got, want)
		}
	}
	// The backup of a day holds that day's first snapshot (the 9th: 40+4*2 contacts).
	data, _ := os.ReadFile(got[0])
	bdir := t.TempDir()
	os.WriteFile(filepath.Join(bdir, FileName), data, 0o600)
	bs := open(t, bdir)
	last, _ := bs.Latest()
	if last == nil || last.Contacts != 48 {
		t.Errorf("the newest backup ends at %+v; want the day's first snapshot of 48 contacts", last)
	}
}
