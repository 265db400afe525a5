package app

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/workstation"
)

// WorkstationEdit changes what the user says about this workstation; fields left zero are
// kept.
type WorkstationEdit struct {
	ID              string   `json:"id,omitempty"`               // its file's name in the fleet folder
	InteractionSync *bool    `json:"interaction_sync,omitempty"` // whether its Outlook syncs with InterAction
	ClearMailboxes  bool     `json:"clear_mailboxes,omitempty"`  // forget the mailboxes declared before
	Mailboxes       []string `json:"mailboxes,omitempty"`        // add these (e-mail addresses)
}

// SetWorkstation saves the edit in one read-modify-write under workstation.json's lock, so
// that two edits at once both stay. The wizard's answer and `workstation set` both land
// here.
func (s *Service) SetWorkstation(e WorkstationEdit) error {
	if e.ID != "" {
		if err := workstation.ValidID(e.ID); err != nil {
			return err
		}
	}
	for _, m := range e.Mailboxes {
		if !policy.LooksLikeAddress(m) {
			return fmt.Errorf("%q is not an e-mail address; write it like anna@firm.example", m)
		}
	}
	return workstation.Update(s.dataDir, func(cfg *workstation.Config) error {
		if e.ID != "" {
			cfg.ID = e.ID
		}
		if e.InteractionSync != nil {
			cfg.InteractionSync = e.InteractionSync
		}
		if e.ClearMailboxes {
			cfg.Mailboxes = nil
		}
		for _, m := range e.Mailboxes {
			m = policy.NormalizeAddress(m)
			if !slices.Contains(cfg.Mailboxes, m) {
				cfg.Mailboxes = append(cfg.Mailboxes, m)
			}
		}
		return nil
	})
}

// DeviceList is the devices detected or declared here, and the detection sources that
// could not be read.
type DeviceList struct {
	Devices []conduit.Device `json:"devices"`
	Errors  []string         `json:"errors"`
}

// DeviceList merges the devices detected (in detect's places, or the service's own when
// nil) with those declared in devices.json. An unreadable devices.json is an error: a list
// without the declared devices would look complete.
func (s *Service) DeviceList(detect *conduit.DetectOptions) (DeviceList, error) {
	o := s.detectOptions()
	if detect != nil {
		o = *detect
	}
	declared, err := conduit.OpenStore(s.dataDir).List()
	if err != nil {
		return DeviceList{}, err
	}
	detected, errs := conduit.Detect(o)
	devs := conduit.Merge(detected, declared)
	if devs == nil {
		devs = []conduit.Device{}
	}
	return DeviceList{Devices: devs, Errors: errStrings(errs)}, nil
}

// DeviceEdit is a change to a declared device: the fields given (nil pointers are kept)
// and settings as "KEY=VALUE" ("KEY=" removes one).
type DeviceEdit struct {
	Name     *string    `json:"name,omitempty"`
	Model    *string    `json:"model,omitempty"`
	Software *string    `json:"software,omitempty"` // a catalog id
	Version  *string    `json:"version,omitempty"`
	LastSync *time.Time `json:"last_sync,omitempty"`
	Settings []string   `json:"settings,omitempty"`
}

// DeviceEditError says which part of a DeviceEdit the catalog refused, so that each face
// can name it in its own words (the command line by its flag).
type DeviceEditError struct {
	// Problem is one of "unknown-software", "setting-syntax", "no-software",
	// "unknown-setting" and "bad-value".
	Problem  string   `json:"problem"`
	Software string   `json:"software,omitempty"`
	Key      string   `json:"key,omitempty"`
	Value    string   `json:"value,omitempty"`
	Label    string   `json:"label,omitempty"`
	Choices  []string `json:"choices,omitempty"`
}

func (e *DeviceEditError) Error() string {
	return e.Say(EditWords{Software: "the sync software", Setting: "the setting", SoftwareFirst: "name the sync software first"})
}

// EditWords are what a face calls the two parts of a device edit: the windows and the
// service say "the sync software", the command line names its flags.
type EditWords struct{ Software, Setting, SoftwareFirst string }

// Say words the refusal with w, one wording for every face.
func (e *DeviceEditError) Say(w EditWords) string {
	choices := strings.Join(e.Choices, ", ")
	switch e.Problem {
	case "unknown-software":
		return fmt.Sprintf("%s %q is not in the catalog; use one of: %s", w.Software, e.Software, choices)
	case "setting-syntax":
		return fmt.Sprintf("%s %q: write KEY=VALUE", w.Setting, e.Value)
	case "no-software":
		return fmt.Sprintf("%s %s: %s, so the setting can be checked", w.Setting, e.Key, w.SoftwareFirst)
	case "unknown-setting":
		return fmt.Sprintf("%s %s: %s has no such setting; use one of: %s", w.Setting, e.Key, e.Software, choices)
	}
	return fmt.Sprintf("%s %s=%s: not a value of %q; use one of: %s", w.Setting, e.Key, e.Value, e.Label, choices)
}

// apply copies the edit onto dev, checking software and settings against the catalog so
// that a typo in an IT script fails loudly instead of never matching.
func (e DeviceEdit) apply(cat *conduit.Catalog, dev *conduit.Device) error {
	if e.Name != nil {
		dev.Name = *e.Name
	}
	if e.Model != nil {
		dev.Model = *e.Model
	}
	if e.Version != nil {
		dev.Version = *e.Version
	}
	if e.Software != nil {
		sw, ok := cat.Lookup(*e.Software)
		if !ok {
			return &DeviceEditError{Problem: "unknown-software", Software: *e.Software, Choices: cat.IDs()}
		}
		dev.Software = sw.ID
	}
	if e.LastSync != nil {
		dev.LastSync = e.LastSync.UTC()
	}
	for _, kv := range e.Settings {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return &DeviceEditError{Problem: "setting-syntax", Value: kv}
		}
		sw, found := cat.Lookup(dev.Software)
		if !found {
			return &DeviceEditError{Problem: "no-software", Key: k}
		}
		st, found := sw.Setting(k)
		if !found {
			keys := make([]string, len(sw.Settings))
			for i, s := range sw.Settings {
				keys[i] = s.Key
			}
			return &DeviceEditError{Problem: "unknown-setting", Key: k, Software: sw.ID, Choices: keys}
		}
		if dev.Settings == nil {
			dev.Settings = map[string]string{}
		}
		if v == "" && !hasEmptyValue(st) {
			delete(dev.Settings, st.Key)
			continue
		}
		if _, ok := st.Match(v); !ok && len(st.Values) > 0 {
			vals := make([]string, 0, len(st.Values))
			for _, sv := range st.Values {
				vals = append(vals, fmt.Sprintf("%q", sv.Value))
			}
			return &DeviceEditError{Problem: "bad-value", Key: st.Key, Value: v, Label: st.Label, Choices: vals}
		}
		if sv, ok := st.Match(v); ok && sv.Value != "*" {
			v = sv.Value // store the catalog's value, whichever spelling was given
		}
		dev.Settings[st.Key] = v
	}
	return nil
}

func hasEmptyValue(st *conduit.Setting) bool {
	for _, v := range st.Values {
		if v.Value == "" {
			return true
		}
	}
	return false
}

// ErrNoSuchDevice is EditDevice's error for an id neither declared nor detected here.
var ErrNoSuchDevice = errors.New("no such device is declared or detected here")

// DeclareDevice adds a device to devices.json with the edit applied (an error when its id
// is there already).
func (s *Service) DeclareDevice(id string, e DeviceEdit) error {
	dev := conduit.Device{ID: id, Source: conduit.SourceDeclared}
	if err := e.apply(s.catalog, &dev); err != nil {
		return err
	}
	return conduit.OpenStore(s.dataDir).Add(dev)
}

// EditDevice applies the edit to a declared device in one read-modify-write of
// devices.json. A device only detected (a partnership, an Apple pairing, looked for in
// detect's places or the service's own) is declared on its first edit, so the user can
// complete what detection cannot see; any other id is ErrNoSuchDevice.
func (s *Service) EditDevice(id string, e DeviceEdit, detect *conduit.DetectOptions) error {
	store := conduit.OpenStore(s.dataDir)
	var applyErr error
	err := store.Update(id, func(d *conduit.Device) {
		// On a copy: an edit the catalog refuses changes nothing.
		c := *d
		c.Settings = maps.Clone(d.Settings)
		if applyErr = e.apply(s.catalog, &c); applyErr == nil {
			*d = c
		}
	})
	if applyErr != nil {
		return applyErr
	}
	if err == nil || !errors.Is(err, conduit.ErrNotFound) {
		return err
	}
	o := s.detectOptions()
	if detect != nil {
		o = *detect
	}
	detected, _ := conduit.Detect(o)
	for _, dev := range detected {
		if strings.EqualFold(dev.ID, id) {
			dev.ID, dev.Source = id, conduit.SourceDeclared
			if err := e.apply(s.catalog, &dev); err != nil {
				return err
			}
			return store.Add(dev)
		}
	}
	return ErrNoSuchDevice
}

// RemoveDevice takes a declared device out of devices.json.
func (s *Service) RemoveDevice(id string) error {
	return conduit.OpenStore(s.dataDir).Remove(id)
}
