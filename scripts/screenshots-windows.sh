#!/usr/bin/env bash
# The Windows screenshots (make screenshots-windows, also run by make screenshots): the
# MSI installed per user in a private Wine prefix, the installed SyncGuard.exe started on
# the demo's sandbox inside Wine's desktop (explorer /desktop=…, whose taskbar has a
# notification area) in Xvfb, and saved into docs/screenshots/:
#
#   windows-popup.png      the warning after the device sync, as it pops up at start
#   windows-tray-menu.png  the tray menu, opened with a right click on the icon
#   windows-status.png     the status window, with the red tray icon in the taskbar
#   windows-wizard.png     the wizard's checklist
#
# It also checks the second start: SyncGuard.exe started again must exit 0 at once and
# bring the running one's window forward (the screen must change), not show an error.
#   scripts/screenshots-windows.sh dist/SyncGuard-<version>.msi
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
msi=$(realpath "${1:?usage: screenshots-windows.sh SyncGuard-VERSION.msi}")
out=$root/docs/screenshots
work=$root/.cache/windows-shots
rm -rf "$work" && mkdir -p "$work" "$out"
export WINEDEBUG=-all LANG=en_US.UTF-8
export DISPLAY=:${WIN_SCREENSHOT_DISPLAY:-98}
export WINEPREFIX
WINEPREFIX=$("$root/scripts/wine/prefix.sh" "$work/prefix")
xvfb=""
cleanup() {
	wineserver -k 2>/dev/null
	[ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
}
trap cleanup EXIT
w() { timeout 300 wine "$@"; }
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# ALLUSERS="": the per-user install Windows makes by default (Wine knows no MSIINSTALLPERUSER).
w msiexec /i "$msi" 'ALLUSERS=""' /qn || { echo "FAIL: msiexec /i"; exit 1; }
inst=$(winepath -u "$(w cmd /c echo '%LOCALAPPDATA%\Programs\SyncGuard' | tr -d '\r')")
[ -x "$inst/SyncGuard.exe" ] || { echo "FAIL: SyncGuard.exe is not installed in $inst"; exit 1; }

# The demo's sandbox, built by the installed command line: a device sync has just deleted
# and collapsed contacts, and the phone is paired with another InterAction workstation.
w "$inst/syncguard.com" demo --dir 'C:\sgdemo' --no-tray >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; echo "FAIL: syncguard demo"; exit 1; }
args=(--data 'C:\sgdemo\data' --policy 'C:\sgdemo\policy.toml')

Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.2; done

# start WHAT: the installed tray app in Wine's desktop, opening WHAT (ui/screenshot.go).
start() {
	SYNCGUARD_SCREENSHOT=$1 wine explorer /desktop=shell,1280x800 "$inst/SyncGuard.exe" "${args[@]}" >>"$work/app.log" 2>&1 &
}
stop() {
	wineserver -k 2>/dev/null
	sleep 2
}
# settle: wait until the screen stops changing (Wine and Fyne's software GL draw slowly
# on a busy machine), at most 90 s.
settle() {
	local prev="" cur
	for _ in $(seq 45); do
		sleep 2
		cur=$(import -window root -depth 8 rgb:- 2>/dev/null | md5sum)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
	done
}
shot() {
	import -window root "$out/$1.png" && echo "saved docs/screenshots/$1.png"
}

# The first start on the sandbox: the warning pops up by itself (once: the app remembers
# it), the tray icon turns red; then the tray menu, with a right click on the icon, which
# sits in the notification area at the right end of Wine's taskbar.
start ""
sleep 10
settle
shot windows-popup
xdotool mousemove 1262 788 click 3
sleep 3
settle
shot windows-tray-menu
stop

start status
sleep 10
settle
shot windows-status
stop

start wizard-7
sleep 10
settle
shot windows-wizard
stop

# A second start while SyncGuard runs: no error, the first one's window comes forward.
start ""
sleep 10
settle
before=$(import -window root -depth 8 rgb:- | md5sum)
import -window root "$work/before-second-start.png"
w "$inst/SyncGuard.exe" "${args[@]}" >"$work/second.log" 2>&1
code=$?
[ $code -eq 0 ] || fail "the second start exited $code ($(cat "$work/second.log"))"
settle
import -window root "$work/after-second-start.png"
after=$(import -window root -depth 8 rgb:- | md5sum)
if [ "$before" = "$after" ]; then fail "the second start did not bring a window forward"; else echo "PASS: a second start exits 0 and brings the status window forward"; fi
stop
[ "$failed" -eq 0 ]
