#!/usr/bin/env bash
# make msi-test: installs the MSI under Wine in a private prefix made for this run and
# checks what a Windows user and IT would check: the program files, the Start menu
# shortcut, the uninstall entry with its version, the installed commands (their output in
# cmd.exe and their exit codes), the history in %LOCALAPPDATA%\SyncGuard, an upgrade in
# place, the uninstall (program, shortcut and Run value gone, history kept) and the
# per-machine install IT uses (ALLUSERS=1). Prints PASS/FAIL lines and "N passed, N failed".
#   scripts/windows/msi-test.sh dist/SyncGuard-<version>.msi
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
msi=$(realpath "${1:?usage: msi-test.sh SyncGuard-VERSION.msi}")
version=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' "$root/internal/version/version.go")
work=$root/.cache/msi-test
rm -rf "$work" && mkdir -p "$work"
export WINEDEBUG=-all
export WINEPREFIX
WINEPREFIX=$("$root/scripts/wine/prefix.sh" "$work/prefix") || { echo "FAIL: cannot make a Wine prefix"; exit 1; }
trap 'wineserver -k 2>/dev/null' EXIT

passed=0 failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
w() { timeout 300 wine "$@"; }
# winpath C:\... -> the file under the prefix; env VAR -> a Windows variable's value.
unix() { winepath -u "$1" 2>/dev/null; }
winenv() { w cmd /c echo "%$1%" 2>/dev/null | tr -d '\r'; }
msiexec() { w msiexec "$@"; }
uninstall_entry() { # prints the uninstall entries named SyncGuard: key, DisplayVersion
	for hive in HKCU HKLM; do
		w reg query "$hive\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall" /s 2>/dev/null | tr -d '\r'
	done | awk '/^HKEY/{key=$0} /DisplayName/ && /SyncGuard/{name=key} /DisplayVersion/{ver[key]=$NF} END{for (k in ver) if (k==name) print k, ver[k]}'
}
one_entry() { [ -n "$1" ] && [ "$(wc -l <<<"$1")" -eq 1 ] && [ "${1##* }" = "$2" ]; }

localappdata=$(winenv LOCALAPPDATA)
appdata=$(winenv APPDATA)
perUser=$(unix "$localappdata\\Programs\\SyncGuard")
shortcut=$(unix "$appdata\\Microsoft\\Windows\\Start Menu\\Programs\\SyncGuard.lnk")
history=$(unix "$localappdata\\SyncGuard")
[ -n "$perUser" ] && [ -n "$history" ] || { echo "FAIL: Wine gives no %LOCALAPPDATA%"; exit 1; }

echo "== the package: per user by default, no administrator rights asked"
props=$(msiinfo export "$msi" Property | tr -d '\r')
check "ALLUSERS=2 with MSIINSTALLPERUSER=1 (Windows 7 and later install per user unless told ALLUSERS=1)" \
	bash -c 'grep -qx "ALLUSERS.2" <<<"$1" && grep -qx "MSIINSTALLPERUSER.1" <<<"$1"' _ "$props"
# Summary information, Word Count: bit 3 (8) = no elevation needed (InstallScope="perUser").
words=$(msiinfo suminfo "$msi" | sed -n 's/^Source: *\([0-9]*\).*/\1/p')
check "the package asks for no elevation (summary Word Count $words has bit 8)" test $((words & 8)) -eq 8

# Wine's msiexec runs as an administrator and turns ALLUSERS=2 into 1 (it does not know
# MSIINSTALLPERUSER), so the per-user install that Windows makes by default is asked for
# here the older way, with ALLUSERS empty: the same per-user context.
echo "== per-user install: msiexec /i $(basename "$msi") ALLUSERS=\"\" /qn"
msiexec /i "$msi" 'ALLUSERS=""' /qn
check "msiexec /i exits 0" test $? -eq 0
check "SyncGuard.exe (tray) and syncguard.com (commands) in %LOCALAPPDATA%\\Programs\\SyncGuard" \
	test -s "$perUser/SyncGuard.exe" -a -s "$perUser/syncguard.com"
check "the Start menu shortcut SyncGuard.lnk, pointing at SyncGuard.exe" \
	bash -c "test -f '$shortcut' && strings -el '$shortcut' | grep -qi 'SyncGuard.exe'"
entry=$(uninstall_entry)
check "one uninstall entry \"SyncGuard\" with DisplayVersion $version ($entry)" \
	one_entry "$entry" "$version"

echo "== the installed commands, typed in cmd.exe in the install folder"
instdir="$localappdata\\Programs\\SyncGuard"
# typed LINE...: the lines run by cmd.exe one after the other, as typed at its prompt (a
# batch file: on one command line cmd expands %ERRORLEVEL% before running anything).
typed() {
	printf '%s\r\n' "@echo off" "cd /d $instdir" "$@" >"$WINEPREFIX/drive_c/typed.bat"
	w cmd /c 'C:\typed.bat' 2>&1 | tr -d '\r'
}
out=$(typed "syncguard version" "echo exit=%ERRORLEVEL%")
check "\"syncguard version\" runs syncguard.com, prints \"SyncGuard $version\" in the console and exits 0" \
	bash -c 'grep -qx "SyncGuard $2" <<<"$1" && grep -qx "exit=0" <<<"$1"' _ "$out" "$version"
out=$(typed "syncguard help")
check "\"syncguard help\" lists the commands" grep -q "snapshot" <<<"$out"
out=$(typed "syncguard scan C:\\no-such-export.csv" "echo exit=%ERRORLEVEL%")
check "a failing command sets %ERRORLEVEL% to 3 and says why (scan of a missing file)" \
	bash -c 'grep -qx "exit=3" <<<"$1" && grep -qi "no-such-export" <<<"$1"' _ "$out"
[ "$failed" -eq 0 ] || echo "$out"

# A real export, so the history exists before the uninstall.
export_unix=$work/prefix/drive_c/export/contacts.csv
mkdir -p "$(dirname "$export_unix")"
printf '%s\r\n' '"First Name","Last Name","E-mail Address","Categories"' \
	'"Anna","Keller","anna@example.com","Clients;VIP"' '"Ben","Ruiz","ben@example.com","Clients"' >"$export_unix"
out=$(w "$perUser/syncguard.com" snapshot --export 'C:\export\contacts.csv' 2>&1 | tr -d '\r'); code=$?
check "a snapshot with no --data goes to %LOCALAPPDATA%\\SyncGuard\\history.db (exit $code)" \
	test $code -eq 0 -a -s "$history/history.db"
# The user ticked "Start at login" in Settings: the app wrote its Run value.
w reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v SyncGuard /d "\"$instdir\\SyncGuard.exe\"" /f >/dev/null 2>&1 ||
	fail "could not write the Run value"

echo "== upgrade in place: the same MSI as version 9.9.0"
"$root/scripts/windows/msi.sh" 9.9.0 "$work/SyncGuard-9.9.0.msi" >/dev/null || fail "building the 9.9.0 MSI"
msiexec /i "$work/SyncGuard-9.9.0.msi" 'ALLUSERS=""' /qn
check "msiexec /i of the newer MSI exits 0" test $? -eq 0
entry=$(uninstall_entry)
check "still one uninstall entry, now DisplayVersion 9.9.0 ($entry)" \
	one_entry "$entry" 9.9.0
check "the program and the shortcut are still there" test -s "$perUser/SyncGuard.exe" -a -f "$shortcut"
# Windows sets UPGRADINGPRODUCTCODE while an upgrade removes the old version, so the
# Run value survives; Wine's RemoveExistingProducts does not, so under Wine the old
# version's uninstall removes it. Said, not asserted; put back for the checks below.
if w reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v SyncGuard >/dev/null 2>&1; then
	pass "the upgrade kept the Run value"
else
	echo "SKIP: the upgrade kept the Run value (Wine's upgrade does not set UPGRADINGPRODUCTCODE)"
	w reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v SyncGuard /d "\"$instdir\\SyncGuard.exe\"" /f >/dev/null 2>&1
fi

echo "== uninstall: msiexec /x /qn"
msiexec /x "$work/SyncGuard-9.9.0.msi" 'ALLUSERS=""' /qn
check "msiexec /x exits 0" test $? -eq 0
check "the program files are gone" test ! -e "$perUser/SyncGuard.exe" -a ! -e "$perUser/syncguard.com"
check "the Start menu shortcut is gone" test ! -e "$shortcut"
check "the uninstall entry is gone" test -z "$(uninstall_entry)"
check "the Run value is gone" bash -c "! timeout 120 wine reg query 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' /v SyncGuard >/dev/null 2>&1"
check "the history in %LOCALAPPDATA%\\SyncGuard is kept" test -s "$history/history.db"

echo "== per-machine install for IT: msiexec /i … ALLUSERS=1 /qn"
pf=$(unix "$(winenv ProgramW6432)\\SyncGuard")
msiexec /i "$msi" ALLUSERS=1 /qn
check "msiexec /i ALLUSERS=1 exits 0" test $? -eq 0
check "the program is in Program Files\\SyncGuard" test -s "$pf/SyncGuard.exe" -a -s "$pf/syncguard.com"
check "not in the user's own folder" test ! -e "$perUser/SyncGuard.exe"
entry=$(uninstall_entry)
check "the uninstall entry is in HKLM with DisplayVersion $version ($entry)" \
	bash -c '[[ $1 == HKEY_LOCAL_MACHINE* ]] && [ "${1##* }" = "$2" ]' _ "$entry" "$version"
msiexec /x "$msi" ALLUSERS=1 /qn
check "msiexec /x removes it (exit 0, files gone)" test $? -eq 0 -a ! -e "$pf/SyncGuard.exe"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
