package app

import (
	"errors"
	"testing"

	"github.com/syncguard/syncguard/internal/conduit"
)

// An IT script that renames a Palm and gives it a setting the catalog does not know gets
// the refusal, and the Palm keeps its name: an edit is saved whole or not at all.
func TestARefusedDeviceEditChangesNothing(t *testing.T) {
	t.Parallel()
	s := newService(t, t.TempDir(), Options{})
	defer s.Close()
	name, sw := "Treo", "hotsync"
	if err := s.DeclareDevice("palm-1", DeviceEdit{Name: &name, Software: &sw}); err != nil {
		t.Fatal(err)
	}
	renamed := "Anna's Treo"
	err := s.EditDevice("palm-1", DeviceEdit{Name: &renamed, Settings: []string{"no-such-setting=1"}}, &conduit.DetectOptions{})
	var refused *DeviceEditError
	if !errors.As(err, &refused) || refused.Problem != "unknown-setting" || refused.Key != "no-such-setting" {
		t.Fatalf("edit: %v, want the unknown setting refused", err)
	}
	list, err := s.DeviceList(&conduit.DetectOptions{})
	if err != nil || len(list.Devices) != 1 || list.Devices[0].Name != "Treo" {
		t.Errorf("after the refused edit: %+v, %v; want the Palm still named Treo", list.Devices, err)
	}
	if err := s.EditDevice("nokia-9", DeviceEdit{Name: &renamed}, &conduit.DetectOptions{}); !errors.Is(err, ErrNoSuchDevice) {
		t.Errorf("an id neither declared nor detected: %v, want ErrNoSuchDevice", err)
	}
}
