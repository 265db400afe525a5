package policy

import (
	"fmt"
	"strings"
)

// RegistryPath is where Group Policy (and Intune's ADMX-backed settings) put SyncGuard's
// policy, under HKLM for the machine and HKCU for the user: one subkey per section of the
// policy file, named like it (`Thresholds`, `Fleet`...; the registry ignores case), holding
// one value per key with the file's key name (`mass_deletion_min`).
const RegistryPath = `Software\Policies\SyncGuard`

// RegistryValue is one value found under a policy key.
type RegistryValue struct {
	Subkey string // the section's subkey, "Thresholds"
	Name   string // the value's name, "mass_deletion_min"
	// A REG_DWORD or REG_QWORD is a Number; a REG_SZ or REG_EXPAND_SZ (already expanded)
	// is a String.
	IsNumber bool
	Number   uint64
	String   string
}

// Registry is one root of policy values: the real HKLM or HKCU policy key on Windows
// (MachineRegistries), a map in tests.
type Registry interface {
	// Name is the key's full name as IT sees it in regedit: `HKLM\Software\Policies\SyncGuard`.
	Name() string
	// Values lists what is set under the key; no key at all is no values and no error.
	Values() ([]RegistryValue, error)
}

// MapRegistry is a Registry held in memory: for tests on systems without a registry, and
// for anything that has read the values some other way.
type MapRegistry struct {
	Root string
	// Set maps `Subkey\name` to a uint64 (a REG_DWORD) or a string (a REG_SZ).
	Set map[string]any
}

// Name implements Registry.
func (m MapRegistry) Name() string { return m.Root }

// Values implements Registry.
func (m MapRegistry) Values() ([]RegistryValue, error) {
	var out []RegistryValue
	for path, v := range m.Set {
		rv := RegistryValue{Name: path}
		if i := strings.LastIndex(path, `\`); i >= 0 {
			rv.Subkey, rv.Name = path[:i], path[i+1:]
		}
		switch x := v.(type) {
		case uint64:
			rv.IsNumber, rv.Number = true, x
		case int:
			rv.IsNumber, rv.Number = true, uint64(x)
		case string:
			rv.String = x
		default:
			return nil, fmt.Errorf(`%s\%s: a value of type %T cannot be in the registry`, m.Root, path, v)
		}
		out = append(out, rv)
	}
	return out, nil
}

// applyRegistry lays one registry root's values over p, recording each as p's source. An
// unknown subkey or value is an error naming it, as an unknown key in the file is: a typo
// in a hand-made registry entry must not silently leave the default in force.
func (p *Policy) applyRegistry(r Registry) error {
	values, err := r.Values()
	if err != nil {
		return fmt.Errorf("%s: cannot read the policy: %v", r.Name(), err)
	}
	used := false
	for _, v := range values {
		where := r.Name() + `\` + v.Subkey + `\` + v.Name
		if v.Subkey == "" {
			where = r.Name() + `\` + v.Name
		}
		// Group Policy's own markers: "**del.x" and "**delvals." record deletions in
		// Registry.pol, and a key's unnamed default value is never a setting.
		if v.Name == "" || strings.HasPrefix(v.Name, "**") {
			continue
		}
		k, ok := lookupKey(v.Subkey, v.Name)
		if !ok {
			return fmt.Errorf("%s: unknown policy setting; the names are those of the policy file (a subkey per section, like Thresholds\\mass_deletion_min): see the README's policy section", where)
		}
		if err := p.set(k, v.String, v.Number, v.IsNumber); err != nil {
			return fmt.Errorf("%s: %v; fix it in Group Policy or the registry", where, err)
		}
		p.Locked[k.Name] = true
		p.Sources[k.Name] = where
		used = true
	}
	if used {
		p.Registries = append(p.Registries, r.Name())
	}
	return nil
}
