#!/usr/bin/env bash
# make windows: cross-builds SyncGuard for 64-bit Windows with Debian's mingw-w64.
#   dist/SyncGuard.exe   the tray app, a GUI program: no console window from the Start
#                        menu or the Run key (cgo: Fyne's OpenGL driver)
#   dist/syncguard.com   the same commands as a console program, for cmd.exe, PowerShell
#                        and IT's scripts: it prints there and sets %ERRORLEVEL%; cmd.exe
#                        and PowerShell run .com before .exe, so "syncguard check" finds it
#                        (no cgo: it hands the tray over to SyncGuard.exe)
# Both carry the app icon, a version resource and the manifest of packaging/windows/.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' internal/version/version.go)
[[ $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || { echo "internal/version: cannot read Version ($version)" >&2; exit 1; }
quad="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.0"
gen=.cache/windows
mkdir -p "$gen" dist

# The icon, in the sizes Explorer and the taskbar pick from.
if [ ! -f "$gen/SyncGuard.ico" ] || [ assets/icon-app.png -nt "$gen/SyncGuard.ico" ]; then
	convert assets/icon-app.png -define icon:auto-resize=256,64,48,32,24,16 "$gen/SyncGuard.ico"
fi
sed "s/VERSION_QUAD/$quad/" packaging/windows/SyncGuard.exe.manifest >"$gen/SyncGuard.exe.manifest"

# go build links every .syso of the package; it exists only for the two builds below.
syso=cmd/syncguard/rsrc_windows_amd64.syso
trap 'rm -f "$syso"' EXIT
resources() { # FILE_NAME DESCRIPTION
	x86_64-w64-mingw32-windres -O coff -I "$gen" -I packaging/windows \
		-DVERSION_STR="\\\"$version\\\"" -DVERSION_NUM="${quad//./,}" \
		-DFILE_NAME="\\\"$1\\\"" -DFILE_DESCRIPTION="\\\"$2\\\"" \
		-o "$syso" packaging/windows/SyncGuard.rc
}
export GOOS=windows GOARCH=amd64
# -s -w: no symbol table or DWARF (a third of the size); a crash still prints its stack.
resources SyncGuard.exe "SyncGuard"
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go build -trimpath -ldflags "-H=windowsgui -s -w" -o dist/SyncGuard.exe ./cmd/syncguard
resources syncguard.com "SyncGuard command line"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.console=yes" -o dist/syncguard.com ./cmd/syncguard
ls -l dist/SyncGuard.exe dist/syncguard.com
