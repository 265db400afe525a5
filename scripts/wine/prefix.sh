#!/usr/bin/env bash
# Makes (once) and prints a private 64-bit Wine prefix in which Go programs run: the
# machine's own ~/.wine is never touched, and tests get a registry of their own.
#   WINEPREFIX=$(scripts/wine/prefix.sh [DIR])   default DIR: .cache/wine
# Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which every Go >= 1.22 program needs
# at start; a small replacement built with mingw-w64 from processprng.c goes into the
# prefix's system32 (real Windows 10+ has the real one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${1:-$root/.cache/wine}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
export WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$prefix/system.reg" ]; then
	wineboot -i >/dev/null 2>&1 || true
	wineserver -w 2>/dev/null || true
fi
dll=$prefix/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$dll.syncguard" ] || [ "$here/processprng.c" -nt "$dll.syncguard" ]; then
	x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" "$here/processprng.c" "$here/processprng.def" -ladvapi32
	touch "$dll.syncguard"
	# Native first for this one DLL, so Wine's own stub (if any) does not shadow it.
	wine reg add 'HKCU\Software\Wine\DllOverrides' /v bcryptprimitives /d native,builtin /f >/dev/null 2>&1 || true
	wineserver -w 2>/dev/null || true
fi
echo "$prefix"
