package app

import "github.com/syncguard/syncguard/internal/policy"

// PolicySetting is one setting of the admin policy in force.
type PolicySetting struct {
	Key    string `json:"key"`              // "thresholds.mass_deletion_min", as in the policy file
	Value  any    `json:"value"`            // number, text, true/false, or null (unset: detect)
	Source string `json:"source"`           // "file", "registry" or "default"
	Where  string `json:"where,omitempty"`  // the file's path or the registry value's full name
	Locked bool   `json:"locked,omitempty"` // the user may not change it
}

// PolicyReport is the admin policy in force, each setting with where it came from.
type PolicyReport struct {
	File       string          `json:"file,omitempty"`       // the policy file read, if any
	Registries []string        `json:"registries,omitempty"` // registry keys that set something
	Settings   []PolicySetting `json:"settings"`
}

// PolicyReport says which policy this service runs under, setting by setting: the one
// the tray applies is the one a command reports.
func (s *Service) PolicyReport() (PolicyReport, error) {
	p := s.policy
	r := PolicyReport{File: p.File, Registries: p.Registries, Settings: []PolicySetting{}}
	for _, k := range policy.Keys() {
		st := PolicySetting{Key: k.Name, Value: p.Value(k), Source: "default", Where: p.Where(k.Name), Locked: p.IsLocked(k.Name)}
		switch {
		case st.Where == "":
		case st.Where == p.File:
			st.Source = "file"
		default:
			st.Source = "registry"
		}
		r.Settings = append(r.Settings, st)
	}
	return r, nil
}
