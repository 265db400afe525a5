#!/usr/bin/env bash
# go test -exec wrapper: runs one cross-built Windows test binary under Wine.
#   GOOS=windows go test -exec scripts/wine/gotest-exec.sh ./pkg/...
# WINEPREFIX must name a prefix made by scripts/wine/prefix.sh (make test-windows does it),
# so that tests write to a registry and a C: drive of their own, never the machine's ~/.wine.
set -euo pipefail
if [ -z "${WINEPREFIX:-}" ] || [ ! -f "$WINEPREFIX/system.reg" ]; then
	echo "gotest-exec.sh: WINEPREFIX must be a prefix made by scripts/wine/prefix.sh" >&2
	exit 2
fi
export WINEDEBUG=${WINEDEBUG:--all} WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
exec wine "$@"
