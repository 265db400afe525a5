package policy

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// testKey makes a policy key of the test's own under HKCU in the real registry (Wine's under
// make test-windows) and removes it after: never the machine's policy key.
func testKey(t *testing.T, values map[string]any) WindowsRegistry {
	t.Helper()
	base := fmt.Sprintf(`Software\SyncGuardTest\%d-%s`, os.Getpid(), t.Name())
	var subs []string
	for path, v := range values {
		sub, name, _ := strings.Cut(path, `\`)
		k, _, err := registry.CreateKey(registry.CURRENT_USER, base+`\`+sub, registry.SET_VALUE)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
		switch x := v.(type) {
		case uint32:
			err = k.SetDWordValue(name, x)
		case uint64:
			err = k.SetQWordValue(name, x)
		case string:
			if strings.Contains(x, "%") {
				err = k.SetExpandStringValue(name, x)
			} else {
				err = k.SetStringValue(name, x)
			}
		case []byte:
			err = k.SetBinaryValue(name, x)
		}
		k.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, s := range subs {
			registry.DeleteKey(registry.CURRENT_USER, base+`\`+s)
		}
		registry.DeleteKey(registry.CURRENT_USER, base)
	})
	return WindowsRegistry{Root: registry.CURRENT_USER, RootName: "HKCU", Path: base}
}

func TestWindowsRegistryReadsWhatGroupPolicyWrites(t *testing.T) {
	os.Setenv("SYNCGUARD_TEST_SHARE", `\\fs1\it`)
	reg := testKey(t, map[string]any{
		`Thresholds\mass_deletion_min`:     uint32(25),                     // an ADMX decimal: REG_DWORD
		`Thresholds\mass_deletion_percent`: "2.5",                          // an ADMX text: REG_SZ
		`Fleet\folder`:                     `%SYNCGUARD_TEST_SHARE%\fleet`, // expandable text
		`Fleet\timeout`:                    uint32(20),                     // seconds
		`Retention\weekly`:                 uint32(0),                      // an ADMX enabled/disabled policy
		`Workstation\interaction_sync`:     uint64(1),                      // a QWORD typed in regedit
	})
	p, err := LoadSources(Sources{Registries: []Registry{reg}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Thresholds.MassDeletionMin != 25 || p.Thresholds.MassDeletionPercent != 2.5 || p.Fleet.Folder != `\\fs1\it\fleet` ||
		p.Fleet.Timeout.Seconds() != 20 || p.Retention.Weekly || p.Workstation.InteractionSync == nil || !*p.Workstation.InteractionSync {
		t.Errorf("policy = %+v %+v %+v %+v", p.Thresholds, p.Fleet, p.Retention, p.Workstation)
	}
	if w := p.Where("fleet.folder"); w != reg.Name()+`\Fleet\folder` {
		t.Errorf("fleet.folder from %q", w)
	}
	if len(p.Registries) != 1 || p.Registries[0] != reg.Name() {
		t.Errorf("registries = %v", p.Registries)
	}
}

func TestWindowsRegistryRefusesWhatItCannotRead(t *testing.T) {
	reg := testKey(t, map[string]any{`Fleet\folder`: []byte{1, 2}})
	_, err := LoadSources(Sources{Registries: []Registry{reg}})
	if err == nil || !strings.Contains(err.Error(), `Fleet\folder: must be a REG_SZ or a REG_DWORD`) {
		t.Errorf("error = %v", err)
	}
}

func TestWindowsRegistryWithNoKeyIsNoPolicy(t *testing.T) {
	reg := WindowsRegistry{Root: registry.LOCAL_MACHINE, RootName: "HKLM", Path: `Software\Policies\SyncGuardTestNoSuchKey`}
	vs, err := reg.Values()
	if err != nil || len(vs) != 0 {
		t.Errorf("Values = %v, %v", vs, err)
	}
}
