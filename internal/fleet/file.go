// Package fleet is the firm-wide registry of workstations and their devices: a folder on
// the firm's file server where each workstation publishes one small JSON file (DESIGN.md
// §5) naming itself, whether it syncs with InterAction, and the devices paired with it.
// Reading the others' files is how a workstation learns that one of its devices is also
// paired elsewhere, the first of InterAction's rules for handhelds.
//
// The folder is shared and not trusted: any file in it may be huge, malformed, a link, or
// written by a broken or hostile client, and the server may be offline or slow. So a
// workstation writes only its own file, atomically, and never any contact data; it reads
// the others through a filesystem seam with a size limit, a schema check and a timeout;
// each bad file becomes a "skipped" entry, never a crash; and when the folder cannot be
// read in time the last good view (cached in the data folder) is used and its age shown.
package fleet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/syncguard/syncguard/internal/conduit"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/workstation"
)

// Schema is the fleet file schema version this SyncGuard writes and reads.
const Schema = 1

// Limits on what a fleet file may hold. A real file is a few hundred bytes per device.
const (
	MaxFileSize   = 256 << 10
	maxDevices    = 500
	maxFieldBytes = 256
	maxSettings   = 32 // a device's conduit settings; the catalog knows a handful per software
	maxMailboxes  = 32 // a workstation's Outlook opens a few mailboxes (its own, a partner's)
)

// File is one workstation's fleet file in the schema of DESIGN.md §5, plus one optional
// key per device, "settings" (the conduit settings declared for it, catalog key -> value),
// so that the admin's firm-wide report can name risky settings; readers that do not know
// the key ignore it. It has no field for contact data, so none can be published by mistake.
type File struct {
	Schema      int         `json:"schema"`
	Workstation Workstation `json:"workstation"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Devices     []Device    `json:"devices"`
}

// Workstation describes the publishing workstation.
type Workstation struct {
	ID              string `json:"id"`
	Hostname        string `json:"hostname"`
	User            string `json:"user"`
	InteractionSync bool   `json:"interaction_sync"`
	AppVersion      string `json:"app_version"`
	// Mailboxes are the addresses of the mailboxes this workstation's Outlook opens
	// (optional, DESIGN.md §5): the workstation's own mailboxes, never contact data. A
	// reader matches them against IT's list of InterAction-synced mailboxes, and finds
	// one mailbox opened on two workstations that sync the same device.
	Mailboxes []string `json:"mailboxes,omitempty"`
}

// Device is one device paired with the workstation. LastSync is null when unknown.
type Device struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	Model           string     `json:"model"`
	Software        string     `json:"software"`
	SoftwareVersion string     `json:"software_version"`
	LastSync        *time.Time `json:"last_sync"`
	// Settings are the device's conduit settings (catalog key -> value), judged against
	// the catalog by whoever reads them, as the version is.
	Settings map[string]string `json:"settings,omitempty"`
}

// DeviceOf is how a workstation publishes one of its devices.
func DeviceOf(d conduit.Device) Device {
	fd := Device{ID: d.ID, Name: d.Name, Model: d.Model, Software: d.Software, SoftwareVersion: d.Version}
	if !d.LastSync.IsZero() {
		t := d.LastSync
		fd.LastSync = &t
	}
	if len(d.Settings) > 0 {
		fd.Settings = make(map[string]string, len(d.Settings))
		for k, v := range d.Settings {
			fd.Settings[k] = v
		}
	}
	return fd
}

// Marshal encodes the file as published: RFC 3339 times in UTC, indented for people.
func (f File) Marshal() ([]byte, error) {
	f.Schema = Schema
	f.UpdatedAt = f.UpdatedAt.UTC().Truncate(time.Second)
	if f.Devices == nil {
		f.Devices = []Device{}
	}
	for i := range f.Devices {
		if t := f.Devices[i].LastSync; t != nil {
			u := t.UTC().Truncate(time.Second)
			f.Devices[i].LastSync = &u
		}
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// rawFile mirrors File with pointers and strings, so that a missing key and a wrong type
// are told apart and the message names the key.
type rawFile struct {
	Schema      *int `json:"schema"`
	Workstation *struct {
		ID              *string  `json:"id"`
		Hostname        string   `json:"hostname"`
		User            string   `json:"user"`
		InteractionSync *bool    `json:"interaction_sync"`
		AppVersion      string   `json:"app_version"`
		Mailboxes       []string `json:"mailboxes"`
	} `json:"workstation"`
	UpdatedAt *string `json:"updated_at"`
	Devices   []struct {
		ID              string            `json:"id"`
		Name            string            `json:"name"`
		Model           string            `json:"model"`
		Software        string            `json:"software"`
		SoftwareVersion string            `json:"software_version"`
		LastSync        *string           `json:"last_sync"`
		Settings        map[string]string `json:"settings"`
	} `json:"devices"`
}

// Parse reads one fleet file. Unknown keys are allowed (a newer SyncGuard may add some);
// everything else is checked, and the error names the line or the key.
func Parse(data []byte) (File, error) {
	if len(data) > MaxFileSize {
		return File{}, fmt.Errorf("%d bytes is more than the %d a fleet file may have", len(data), MaxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var r rawFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return File{}, jsonError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return File{}, errors.New("text after the closing brace")
	}
	switch {
	case r.Schema == nil:
		return File{}, errors.New(`no "schema" key: not a SyncGuard fleet file`)
	case *r.Schema != Schema:
		return File{}, fmt.Errorf("schema %d is not understood (this SyncGuard reads schema %d); update SyncGuard on this workstation", *r.Schema, Schema)
	case r.Workstation == nil || r.Workstation.ID == nil:
		return File{}, errors.New(`no "workstation.id"`)
	case r.Workstation.InteractionSync == nil:
		return File{}, errors.New(`no "workstation.interaction_sync"`)
	case r.UpdatedAt == nil:
		return File{}, errors.New(`no "updated_at"`)
	}
	f := File{
		Schema: *r.Schema,
		Workstation: Workstation{
			ID: *r.Workstation.ID, Hostname: r.Workstation.Hostname, User: r.Workstation.User,
			InteractionSync: *r.Workstation.InteractionSync, AppVersion: r.Workstation.AppVersion,
			Mailboxes: r.Workstation.Mailboxes,
		},
	}
	t, err := time.Parse(time.RFC3339, *r.UpdatedAt)
	if err != nil {
		return File{}, fmt.Errorf("updated_at %.40q is not an RFC 3339 time", *r.UpdatedAt)
	}
	f.UpdatedAt = t
	if len(r.Devices) > maxDevices {
		return File{}, fmt.Errorf("%d devices is more than the %d a workstation may list", len(r.Devices), maxDevices)
	}
	f.Devices = make([]Device, 0, len(r.Devices))
	for i, d := range r.Devices {
		dev := Device{ID: d.ID, Name: d.Name, Model: d.Model, Software: d.Software, SoftwareVersion: d.SoftwareVersion, Settings: d.Settings}
		if d.LastSync != nil && *d.LastSync != "" {
			t, err := time.Parse(time.RFC3339, *d.LastSync)
			if err != nil {
				return File{}, fmt.Errorf("devices[%d].last_sync %.40q is not an RFC 3339 time", i, *d.LastSync)
			}
			dev.LastSync = &t
		}
		f.Devices = append(f.Devices, dev)
	}
	if err := f.validate(); err != nil {
		return File{}, err
	}
	return f, nil
}

// validate checks the rules both the writer and the reader enforce.
func (f File) validate() error {
	if err := workstation.ValidID(f.Workstation.ID); err != nil {
		return err
	}
	fields := []struct{ key, v string }{
		{"workstation.hostname", f.Workstation.Hostname},
		{"workstation.user", f.Workstation.User},
		{"workstation.app_version", f.Workstation.AppVersion},
	}
	if len(f.Devices) > maxDevices {
		return fmt.Errorf("%d devices is more than the %d a workstation may list", len(f.Devices), maxDevices)
	}
	if len(f.Workstation.Mailboxes) > maxMailboxes {
		return fmt.Errorf("workstation.mailboxes has %d entries, more than the %d a workstation may list", len(f.Workstation.Mailboxes), maxMailboxes)
	}
	for i, m := range f.Workstation.Mailboxes {
		if !policy.LooksLikeAddress(m) {
			return fmt.Errorf("workstation.mailboxes[%d] is not an e-mail address", i)
		}
	}
	for i, d := range f.Devices {
		if strings.TrimSpace(d.ID) == "" && strings.TrimSpace(d.Name) == "" {
			return fmt.Errorf("devices[%d] has neither an id nor a name", i)
		}
		p := fmt.Sprintf("devices[%d].", i)
		if len(d.Settings) > maxSettings {
			return fmt.Errorf("%ssettings has %d entries, more than the %d a device may have", p, len(d.Settings), maxSettings)
		}
		for k, v := range d.Settings {
			if strings.TrimSpace(k) == "" {
				return fmt.Errorf("%ssettings has an empty key", p)
			}
			fields = append(fields, struct{ key, v string }{p + "settings key", k}, struct{ key, v string }{p + "settings." + safeKey(k), v})
		}
		fields = append(fields,
			struct{ key, v string }{p + "id", d.ID}, struct{ key, v string }{p + "name", d.Name},
			struct{ key, v string }{p + "model", d.Model}, struct{ key, v string }{p + "software", d.Software},
			struct{ key, v string }{p + "software_version", d.SoftwareVersion})
	}
	for _, fl := range fields {
		if len(fl.v) > maxFieldBytes {
			return fmt.Errorf("%s is longer than %d bytes", fl.key, maxFieldBytes)
		}
		// Control characters would let a hostile file rewrite the admin's terminal when
		// the fleet report prints the value.
		if !utf8.ValidString(fl.v) || strings.IndexFunc(fl.v, unicode.IsControl) >= 0 {
			return fmt.Errorf("%s holds control characters or invalid text", fl.key)
		}
	}
	return nil
}

// safeKey is a settings key as an error may quote it: short, without control characters.
func safeKey(k string) string {
	if len(k) > 40 || !utf8.ValidString(k) || strings.IndexFunc(k, unicode.IsControl) >= 0 {
		return "(a key)"
	}
	return k
}

// jsonError turns a decoding error into "line N: ..." with the key where it is known.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	line := func(off int64) int {
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		if off < 0 {
			off = 0
		}
		return bytes.Count(data[:off], []byte("\n")) + 1
	}
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("line %d: not valid JSON: %v", line(se.Offset), se)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "the file"
		}
		return fmt.Errorf("line %d: %s is a JSON %s, not a %s", line(te.Offset), field, te.Value, jsonType(te.Type.String()))
	case errors.Is(err, io.EOF):
		return errors.New("empty file")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the file ends in the middle of the JSON (cut off?)")
	}
	return err
}

func jsonType(goType string) string {
	switch {
	case strings.Contains(goType, "string"):
		return "string"
	case strings.Contains(goType, "bool"):
		return "true or false"
	case strings.Contains(goType, "int"):
		return "number"
	case strings.HasPrefix(goType, "[]"):
		return "list"
	}
	return "JSON object"
}
