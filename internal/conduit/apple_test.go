package conduit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"howett.net/plist"
)

const (
	udidOld = "00008030001A2D3C0E12802E"                 // too short for either form: not a UDID
	udid40  = "2b6f0cc904d137be2e1730235f5664094b831186" // the 40-hex-digit form
	udidNew = "00008101-001E30D20C38001E"                // the newer 8-16 form
)

// writePlist writes v as a property list in the given format, as Apple's tools do.
func writePlist(t *testing.T, path string, v any, format int) {
	t.Helper()
	data, err := plist.Marshal(v, format)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAppleLockdownAndBackupPlists(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	lockdown := filepath.Join(root, "Lockdown")
	backups := filepath.Join(root, "Backup")
	// Pairing records: the real schema holds certificates and host ids; the file name is
	// the device's UDID. One XML, one binary, plus the folder's other files.
	pairing := map[string]any{
		"HostID": "8A3F0E52-3F7C-4B1E-9D55-0C1B2A3D4E5F", "SystemBUID": "5C1F3E0A-2B7D-4C9E-8F11-223344556677",
		"HostCertificate": []byte("-----BEGIN CERTIFICATE-----"), "DeviceCertificate": []byte("-----BEGIN CERTIFICATE-----"),
		"WiFiMACAddress": "a4:d1:8c:00:11:22", "EscrowBag": []byte{1, 2, 3},
	}
	writePlist(t, filepath.Join(lockdown, strings.ToUpper(udid40)+".plist"), pairing, plist.XMLFormat)
	writePlist(t, filepath.Join(lockdown, udidNew+".plist"), pairing, plist.BinaryFormat)
	writePlist(t, filepath.Join(lockdown, "SystemConfiguration.plist"), map[string]any{"SystemBUID": "x"}, plist.XMLFormat)
	writePlist(t, filepath.Join(lockdown, udidOld+".plist"), pairing, plist.XMLFormat)
	if err := os.WriteFile(filepath.Join(lockdown, udidNew[:8]+"-0000000000000000.plist"), []byte("not a plist"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A backup's Info.plist in the real schema, binary as recent iTunes writes it.
	last := time.Date(2026, 11, 20, 18, 4, 5, 0, time.UTC)
	info := map[string]any{
		"Device Name": "Jane's iPhone", "Display Name": "Jane's iPhone", "Product Type": "iPhone14,5",
		"Product Version": "17.1.2", "Build Version": "21B101", "Last Backup Date": last,
		"Unique Identifier": strings.ToUpper(udid40), "Target Identifier": udid40, "Target Type": "Device",
		"Serial Number": "F2LXXXXXXXX", "GUID": "0123456789ABCDEF0123456789ABCDEF", "iTunes Version": "12.13.1.3",
		"Installed Applications": []string{"com.apple.mobilemail"},
	}
	writePlist(t, filepath.Join(backups, udid40, "Info.plist"), info, plist.BinaryFormat)
	// An XML Info.plist without the iTunes version (older backups, Finder on macOS).
	info2 := map[string]any{"Device Name": "Old iPad", "Product Type": "iPad7,5", "Product Version": "15.8",
		"Last Backup Date": last.Add(-240 * time.Hour), "Target Identifier": udidNew}
	writePlist(t, filepath.Join(backups, udidNew, "Info.plist"), info2, plist.XMLFormat)
	if err := os.MkdirAll(filepath.Join(backups, "unfinished"), 0o755); err != nil {
		t.Fatal(err)
	}

	devs, errs := Detect(DetectOptions{AppleLockdown: []string{lockdown}, AppleBackups: []string{backups}})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "-0000000000000000.plist") {
		t.Errorf("errors = %v, want one naming the broken pairing record", errs)
	}
	if len(devs) != 2 {
		t.Fatalf("devices = %+v", devs)
	}
	byID := map[string]Device{}
	for _, d := range devs {
		byID[d.ID] = d
	}
	d := byID[udid40]
	if d.Name != "Jane's iPhone" || d.Model != "iPhone14,5" || d.OSVersion != "17.1.2" || d.Version != "12.13.1.3" ||
		!d.LastSync.Equal(last) || d.Software != "itunes" || d.Source != SourceAppleLockdown {
		t.Errorf("iPhone = %+v", d)
	}
	d = byID[strings.ToLower(udidNew)]
	if d.Name != "Old iPad" || d.Model != "iPad7,5" || d.Version != "" {
		t.Errorf("iPad = %+v", d)
	}
}
