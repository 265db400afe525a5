package testkit

import "golang.org/x/sys/windows"

// UnderWine reports that this Windows is Wine (make test-windows).
func UnderWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
