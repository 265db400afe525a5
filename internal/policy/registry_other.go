//go:build !windows

package policy

// MachineRegistries is empty where there is no registry: the policy file alone sets the
// policy.
func MachineRegistries() []Registry { return nil }
