package settings

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/policy"
)

func TestSaveLoadAndWhatWins(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if st, err := Load(dir); err != nil || st.Export != "" {
		t.Fatalf("no file yet: %+v %v", st, err)
	}
	off := false
	want := Settings{Export: "/x/contacts.csv", FleetFolder: "/srv/fleet", Notifications: &off, StartAtLogin: true}
	if err := Save(dir, want); err != nil {
		t.Fatal(err)
	}
	datadir.ExpectPrivate(t, Path(dir))
	got, err := Load(dir)
	if err != nil || got.Export != want.Export || got.FleetFolder != want.FleetFolder || got.Notifications == nil || *got.Notifications || !got.StartAtLogin {
		t.Fatalf("read back %+v %v", got, err)
	}

	pfile := filepath.Join(dir, "policy.toml")
	load := func(text string) *policy.Policy {
		os.WriteFile(pfile, []byte(text), 0o600)
		p, err := policy.Load(pfile)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	none := load("")
	if got.ExportLocation(none) != "/x/contacts.csv" || got.Fleet(none) != "/srv/fleet" || got.NotificationsOn(none) {
		t.Errorf("without a policy the user's choices hold")
	}
	locked := load("[export]\nlocation = '/it/export.csv'\n[fleet]\nfolder = '/it/fleet'\n[notifications]\nenabled = true\n")
	if got.ExportLocation(locked) != "/it/export.csv" || got.Fleet(locked) != "/it/fleet" || !got.NotificationsOn(locked) {
		t.Errorf("what the policy sets wins")
	}
	if (Settings{}).NotificationsOn(none) != none.Notifications.Enabled {
		t.Errorf("nothing chosen: the policy's default")
	}

	os.WriteFile(Path(dir), []byte(`{"export_location": 3}`), 0o600)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), Path(dir)) || !strings.Contains(err.Error(), "fix or delete") {
		t.Errorf("damaged file: %v", err)
	}
}

// TestConcurrentUpdatesKeepEveryChoice: four changes of different settings made at once
// (the settings window, the wizard, a command) must all be in the file afterwards.
func TestConcurrentUpdatesKeepEveryChoice(t *testing.T) {
	dir := t.TempDir()
	for round := range 20 {
		os.Remove(Path(dir))
		export := fmt.Sprintf("/x/export-%d.csv", round)
		off := false
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for _, change := range []func(*Settings){
			func(s *Settings) { s.Export = export },
			func(s *Settings) { s.FleetFolder = "/srv/fleet" },
			func(s *Settings) { s.Notifications = &off },
			func(s *Settings) { s.StartAtLogin = true },
		} {
			wg.Go(func() {
				_, err := Update(dir, change)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got.Export != export || got.FleetFolder != "/srv/fleet" || got.Notifications == nil || *got.Notifications || !got.StartAtLogin {
			t.Fatalf("round %d: %+v: a change was lost", round, got)
		}
	}
}
