#!/usr/bin/env bash
# The registry code against Wine's real registry, as IT and the sync software write it:
# values added with `wine reg add` (both registry views), read by the cross-built console
# command line (cmd/syncguard-cli). Run by scripts/wine/test.sh inside its private prefix;
# every key it adds is removed again. Prints one "ok"/"FAIL" line per check and fails if
# any check does.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
: "${WINEPREFIX:?run under scripts/wine/test.sh (WINEPREFIX must be its private prefix)}"
export WINEDEBUG=-all
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exe=$work/syncguard.exe
CGO_ENABLED=0 GOOS=windows go build -o "$exe" ./cmd/syncguard-cli || exit 1
data='C:\users\Public\SyncGuardRegistryTest'
fails=0

reg() { wine reg "$@" >/dev/null 2>&1; }
sg() { wine "$exe" --data "$data" "$@" 2>&1 | tr -d '\r'; }
check() { # name, output, expected text (grep -F)
	if grep -qF -- "$3" <<<"$2"; then
		echo "ok    $1"
	else
		echo "FAIL  $1: expected $3 in:"
		sed 's/^/        /' <<<"$2"
		fails=$((fails + 1))
	fi
}
absent() { # name, output, text that must not be there
	if grep -qF -- "$3" <<<"$2"; then
		echo "FAIL  $1: $3 should not be in:"
		sed 's/^/        /' <<<"$2"
		fails=$((fails + 1))
	else
		echo "ok    $1"
	fi
}

partners='HKCU\Software\Microsoft\Windows CE Services\Partners'
addins='HKLM\Software\Microsoft\Office\Outlook\Addins'
policy='HKLM\Software\Policies\SyncGuard'
upolicy='HKCU\Software\Policies\SyncGuard'
cleanup() {
	reg delete "$partners\\4F1A2B3C" /f
	reg delete "$addins\\InterAction.OutlookAddin" /f /reg:64
	reg delete "$addins\\InterAction.OutlookAddin" /f /reg:32
	reg delete "$policy" /f
	reg delete "$upolicy" /f
}
cleanup

# ActiveSync / Windows Mobile Device Center partnership, as WMDC records it.
absent "no partnership before one is added" "$(sg device list --json)" '"4F1A2B3C"'
reg add "$partners\\4F1A2B3C" /v DisplayName /t REG_SZ /d "Jane's Pocket PC" /f
reg add "$partners\\4F1A2B3C" /v PId /t REG_DWORD /d 1330260796 /f
out=$(sg device list --json)
check "ActiveSync partnership in HKCU is listed by device list" "$out" "Jane's Pocket PC"
check "  ...with the registry key it came from" "$out" 'Windows CE Services\\Partners\\4F1A2B3C'
reg delete "$partners\\4F1A2B3C" /f

# The InterAction Outlook add-in, in the 64-bit view and in the 32-bit view (WOW6432Node,
# where 32-bit Office registers machine-wide add-ins on 64-bit Windows).
out=$(sg workstation show --json)
check "no add-in: InterAction sync unknown" "$out" '"source": "unknown"'
for view in 64 32; do
	reg add "$addins\\InterAction.OutlookAddin" /v FriendlyName /t REG_SZ /d "InterAction for Microsoft Outlook" /f /reg:$view
	reg add "$addins\\InterAction.OutlookAddin" /v LoadBehavior /t REG_DWORD /d 3 /f /reg:$view
	out=$(sg workstation show --json)
	check "InterAction add-in in the $view-bit view is detected" "$out" '"source": "add-in"'
	if [ $view = 32 ]; then
		check "  ...and named as found in the 32-bit view" "$out" 'HKLM (32-bit view)'
	else
		absent "  ...and named as found in the 64-bit view" "$out" '32-bit view'
	fi
	reg delete "$addins\\InterAction.OutlookAddin" /f /reg:$view
done

# Group Policy: what an ADMX policy writes under HKLM and HKCU\Software\Policies\SyncGuard.
reg add "$policy\\Thresholds" /v mass_deletion_min /t REG_DWORD /d 25 /f
reg add "$policy\\Thresholds" /v mass_deletion_percent /t REG_SZ /d 2.5 /f
reg add "$policy\\Fleet" /v folder /t REG_SZ /d '\\fs1\it\syncguard-fleet' /f
reg add "$upolicy\\Thresholds" /v mass_deletion_min /t REG_DWORD /d 99 /f
reg add "$upolicy\\Notifications" /v enabled /t REG_DWORD /d 0 /f
out=$(sg policy --json)
check "policy: HKLM value read" "$out" '"value": 25'
check "  ...with where it came from" "$out" '"where": "HKLM\\Software\\Policies\\SyncGuard\\Thresholds\\mass_deletion_min"'
check "  ...a REG_SZ number" "$out" '"value": 2.5'
check "  ...a path" "$out" '"value": "\\\\fs1\\it\\syncguard-fleet"'
absent "  ...HKLM wins over HKCU for the same key" "$out" '"value": 99'
check "  ...HKCU sets what HKLM leaves" "$out" '"where": "HKCU\\Software\\Policies\\SyncGuard\\Notifications\\enabled"'
# The policy file at %ProgramData% still works; the registry wins where both set a key.
pd=$(wine cmd /c 'echo %ProgramData%' 2>/dev/null | tr -d '\r')
pfile=$(winepath -u "$pd\\SyncGuard\\policy.toml" 2>/dev/null)
mkdir -p "$(dirname "$pfile")"
printf '[thresholds]\nmass_deletion_min = 40\nrevert_min = 4\n' >"$pfile"
out=$(sg policy --json)
check "policy file in %ProgramData% read beside the registry" "$out" '"value": 4,'
absent "  ...the registry wins over the file" "$out" '"value": 40'
# A bad value is refused with the value's full name.
reg add "$policy\\Thresholds" /v mass_deletion_min /t REG_SZ /d ten /f
out=$(sg policy)
check "a bad registry value is named" "$out" 'HKLM\Software\Policies\SyncGuard\Thresholds\mass_deletion_min: "ten" is not a whole number'
rm -f "$pfile"
cleanup

# Outlook's object model through COM, where no Outlook is installed (Wine): one line that
# names Outlook, exit 3, nothing recorded, no panic.
out=$(sg snapshot --outlook; echo "exit=$?")
check "snapshot --outlook without Outlook exits 3" "$out" 'exit=3'
check "  ...with one line that names Outlook" "$out" 'Microsoft Outlook is not installed on this computer'
absent "  ...and no panic" "$out" 'panic'
out=$(sg history --json)
absent "  ...and records no snapshot" "$out" '"id"'

if [ $fails != 0 ]; then
	echo "registry checks: $fails failed"
	exit 1
fi
echo "registry checks: all passed"
