package settings

import (
	"os"
	"testing"
)

// Notepad saves UTF-8 with a byte order mark; a settings file edited there is not damaged.
func TestSettingsWithAByteOrderMarkAreRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(Path(dir), []byte("\ufeff{\"export_location\": \"C:\\\\Exports\\\\contacts.csv\"}\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Load(dir)
	if err != nil || st.Export != `C:\Exports\contacts.csv` {
		t.Errorf("settings with a BOM: %+v, %v; want the export location read", st, err)
	}
}
