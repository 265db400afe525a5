//go:build windows

package policy

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// WindowsRegistry reads policy values from one key of the real registry.
type WindowsRegistry struct {
	Root     registry.Key // registry.LOCAL_MACHINE or registry.CURRENT_USER
	RootName string       // "HKLM", "HKCU": how Name() spells the root
	Path     string       // RegistryPath, or a test's own key
}

// MachineRegistries are this machine's policy keys, lowest precedence first: the user's
// (HKCU) then the machine's (HKLM). A machine policy wins over a user policy, as Windows'
// own settings and other managed applications do it.
func MachineRegistries() []Registry {
	return []Registry{
		WindowsRegistry{Root: registry.CURRENT_USER, RootName: "HKCU", Path: RegistryPath},
		WindowsRegistry{Root: registry.LOCAL_MACHINE, RootName: "HKLM", Path: RegistryPath},
	}
}

// Name implements Registry.
func (w WindowsRegistry) Name() string { return w.RootName + `\` + w.Path }

// Values implements Registry: the values of every subkey (a section) and of the key itself.
func (w WindowsRegistry) Values() ([]RegistryValue, error) {
	// A 64-bit SyncGuard reads the 64-bit view, where Group Policy writes HKLM\Software\Policies.
	k, err := registry.OpenKey(w.Root, w.Path, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil // no policy pushed: nothing to apply
	}
	if err != nil {
		return nil, err
	}
	defer k.Close()
	out, err := keyValues(k, "")
	if err != nil {
		return nil, err
	}
	subs, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return nil, fmt.Errorf("cannot list the subkeys: %v", err)
	}
	for _, s := range subs {
		sk, err := registry.OpenKey(k, s, registry.QUERY_VALUE)
		if err != nil {
			return nil, fmt.Errorf(`%s: cannot open: %v`, s, err)
		}
		vs, err := keyValues(sk, s)
		sk.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

func keyValues(k registry.Key, sub string) ([]RegistryValue, error) {
	names, err := k.ReadValueNames(-1)
	if err != nil {
		return nil, fmt.Errorf(`%s: cannot list the values: %v`, sub, err)
	}
	var out []RegistryValue
	for _, n := range names {
		v := RegistryValue{Subkey: sub, Name: n}
		_, typ, err := k.GetValue(n, nil)
		if err != nil && !errors.Is(err, registry.ErrShortBuffer) {
			return nil, fmt.Errorf(`%s\%s: cannot read: %v`, sub, n, err)
		}
		switch typ {
		case registry.DWORD, registry.QWORD:
			v.IsNumber = true
			if v.Number, _, err = k.GetIntegerValue(n); err != nil {
				return nil, fmt.Errorf(`%s\%s: cannot read: %v`, sub, n, err)
			}
		case registry.SZ, registry.EXPAND_SZ:
			if v.String, _, err = k.GetStringValue(n); err != nil {
				return nil, fmt.Errorf(`%s\%s: cannot read: %v`, sub, n, err)
			}
			if typ == registry.EXPAND_SZ {
				// Group Policy writes paths like %USERPROFILE%\Documents as REG_EXPAND_SZ.
				if v.String, err = registry.ExpandString(v.String); err != nil {
					return nil, fmt.Errorf(`%s\%s: cannot expand: %v`, sub, n, err)
				}
			}
		default:
			return nil, fmt.Errorf(`%s\%s: must be a REG_SZ or a REG_DWORD (it is of registry type %d)`, sub, n, typ)
		}
		out = append(out, v)
	}
	return out, nil
}
