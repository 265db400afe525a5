#!/usr/bin/env bash
# make test-windows: every package that builds without cgo, cross-compiled for Windows, its
# tests run under Wine in a private prefix; then the registry checks (registry.sh) with the
# cross-built command line. Prints each package's result and ends with
# "Windows (Wine): N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p .cache
export WINEPREFIX
WINEPREFIX=$(scripts/wine/prefix.sh .cache/wine-test) || { echo "cannot make the Wine prefix" >&2; exit 1; }
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

# One wineserver for the whole run, started here with its output closed: otherwise the
# first test binary starts it, it inherits that binary's stdout, and go test waits a minute
# for a pipe that the server keeps open ("Test I/O incomplete").
wineserver -p >/dev/null 2>&1 </dev/null &
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT
wine cmd /c exit >/dev/null 2>&1 </dev/null || true

# The test build only: Go's internal/syscall/windows gets one more file that forces the
# deletion fallback Wine needs (see deleteat-fallback.go.in).
goroot=$(go env GOROOT)
overlay=$root/.cache/wine-overlay.json
printf '{"Replace":{"%s/src/internal/syscall/windows/zz_wine_deleteat_fallback.go":"%s/scripts/wine/deleteat-fallback.go.in"}}\n' \
	"$goroot" "$root" >"$overlay"

pkgs=$(CGO_ENABLED=0 GOOS=windows go list ./internal/... ./app/...) || exit 1
log=.cache/test-windows.log      # everything
golog=.cache/test-windows-go.log # the Go packages alone, counted below
start=$(date +%s)
# -short: the Linux run already measures speed (the few tests with a time bound skip it
# under -short) and runs the long crash loops; this run is about Windows semantics.
CGO_ENABLED=0 GOOS=windows go test -short -count=1 -timeout 20m -overlay "$overlay" \
	-exec "$root/scripts/wine/gotest-exec.sh" $pkgs 2>&1 | tee "$golog"
status=${PIPESTATUS[0]}
cp "$golog" "$log"

echo
echo "== Group Policy templates =="
if xmllint --noout packaging/windows/SyncGuard.admx packaging/windows/en-US/SyncGuard.adml; then
	echo "ok    packaging/windows: SyncGuard.admx and en-US/SyncGuard.adml are well-formed XML"
else
	status=1
fi

echo
echo "== registry, against Wine's real registry =="
bash scripts/wine/registry.sh 2>&1 | tee -a "$log"
regstatus=${PIPESTATUS[0]}
[ "$regstatus" = 0 ] || status=1

# A package line is "ok  <import path> <time>" or "FAIL <import path> <time>".
passed=$(grep -cE '^ok\s+\S+\s' "$golog")
failed=$(grep -cE '^FAIL\s+\S+\s' "$golog")
echo
echo "packages passing under Wine:"
grep -E '^ok\s+\S+\s' "$golog" | awk '{print "  " $2}'
if [ "$failed" != 0 ]; then
	echo "packages failing under Wine:"
	grep -E '^FAIL\s+\S+\s' "$golog" | awk '{print "  " $2}'
fi
echo "not run under Wine: ui/ and cmd/syncguard (Fyne needs cgo and OpenGL; winbuild's make windows builds them)"
echo "Windows (Wine) packages: $passed passed, $failed failed; registry checks $([ "$regstatus" = 0 ] && echo passed || echo FAILED) ($(($(date +%s) - start)) s)"
exit $status
