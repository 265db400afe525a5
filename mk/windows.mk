# Windows, built and tested from Linux (issue 10): make windows, make msi, and the MSI's
# install/uninstall under Wine, which make test runs (msi-test in TEST_EXTRA).
# Everything comes from Debian's packages and the Go module proxy: mingw-w64 for the
# cgo cross-build, wixl/msitools for the MSI, Wine to run it, ImageMagick for the .ico.

APT_WINDOWS := gcc-mingw-w64-x86-64 wine64 wixl msitools imagemagick xvfb xdotool
WIN_VERSION := $(shell sed -n 's/^const Version = "\(.*\)"$$/\1/p' internal/version/version.go)
WIN_MSI     := dist/SyncGuard-$(WIN_VERSION).msi

.PHONY: windows-deps windows msi msi-test screenshots-windows

TEST_EXTRA += msi-test

windows-deps:
	$(call apt_install,$(APT_WINDOWS))

# dist/SyncGuard.exe (the tray app, no console window) and dist/syncguard.com (the same
# commands for cmd.exe and PowerShell, with their exit codes). scripts/windows/build.sh
# says why two.
windows: go-deps windows-deps
	bash scripts/windows/build.sh

msi: windows
	bash scripts/windows/msi.sh

# Installs the MSI in a private Wine prefix, checks what Windows users and IT would check,
# runs the installed program, uninstalls it and checks that the history stays.
msi-test: msi
	bash scripts/windows/msi-test.sh $(WIN_MSI)

# The installed tray app under Wine's desktop in Xvfb: docs/screenshots/windows-*.png.
screenshots-windows: msi
	bash scripts/screenshots-windows.sh $(WIN_MSI)

# make screenshots takes the Windows ones too.
screenshots: screenshots-windows
