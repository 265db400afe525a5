#!/usr/bin/env bash
# make e2e: the real app, driven as a person drives it. It starts a virtual desktop (Xvfb
# on a free display, a D-Bus session, a StatusNotifier watcher and tray host, the openbox
# window manager for title bars, focus and Escape) and runs each flow-*.sh in this folder
# against the real binary, by X input events only (scripts/e2e/lib.sh).
#
# Prints one line per flow, PASS name or FAIL name (screenshot: PATH), then
# "N passed, N failed"; exits 1 if any failed. The screenshot of each flow's last step is
# kept in .cache/e2e/NAME.png, its log and the app's output in .cache/e2e/run/NAME/.
#
#   E2E_FLOWS="demo-restore history"   run only these flows
#   E2E_DISPLAY=101                    use this display number instead of a free one
#   SYNCGUARD_BIN=path                 the binary (default bin/syncguard)
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export BIN=${SYNCGUARD_BIN:-$root/bin/syncguard}
out=$root/.cache/e2e
rm -rf "$out"
mkdir -p "$out/run"
export LANG=en_US.UTF-8
[ -x "$BIN" ] || { echo "e2e: $BIN is missing: run make e2e" >&2; exit 1; }

pids=()
cleanup() {
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
	[ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
}
trap cleanup EXIT

# The display: a free one, chosen by Xvfb itself, unless one was given.
if [ -n "${E2E_DISPLAY:-}" ]; then
	Xvfb ":$E2E_DISPLAY" -screen 0 1024x768x24 -nolisten tcp >"$out/run/xvfb.log" 2>&1 &
	pids+=($!)
	display=$E2E_DISPLAY
else
	exec {fd}>"$out/run/display"
	Xvfb -displayfd "$fd" -screen 0 1024x768x24 -nolisten tcp >"$out/run/xvfb.log" 2>&1 &
	pids+=($!)
	exec {fd}>&-
	for _ in $(seq 100); do [ -s "$out/run/display" ] && break; sleep 0.1; done
	display=$(head -1 "$out/run/display")
fi
export DISPLAY=:$display
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { echo "e2e: Xvfb did not start (see $out/run/xvfb.log)" >&2; exit 1; }
eval "$(dbus-launch --sh-syntax)"
export DBUS_SESSION_BUS_ADDRESS
status-notifier-watcher >"$out/run/watcher.log" 2>&1 &
pids+=($!)
sleep 0.5
gtk-sni-tray-standalone --bottom >"$out/run/tray.log" 2>&1 &
pids+=($!)
openbox >"$out/run/openbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do xdotool search --onlyvisible --class gtk-sni-tray-standalone >/dev/null 2>&1 && break; sleep 0.2; done

flows=()
for f in scripts/e2e/flow-*.sh; do
	name=$(basename "$f" .sh)
	name=${name#flow-}
	name=${name#[0-9]-}
	if [ -n "${E2E_FLOWS:-}" ] && [[ " $E2E_FLOWS " != *" $name "* ]]; then continue; fi
	flows+=("$f|$name")
done

passed=0 failed=0
for entry in "${flows[@]}"; do
	IFS='|' read -r f name <<<"$entry"
	export FLOW_DIR=$out/run/$name
	export E2E_HOME=$FLOW_DIR/home LAYOUT=$FLOW_DIR/layout.txt SHOT=$out/$name.png E2E_LOG=$FLOW_DIR/log
	mkdir -p "$E2E_HOME"
	# A flow that hangs is a failure, not a stuck build.
	if timeout -k 10 300 bash "$f" >>"$E2E_LOG" 2>&1; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		[ -s "$SHOT" ] || import -window root "$SHOT" 2>/dev/null
		echo "FAIL $name (screenshot: ${SHOT#"$root"/}): $(cat "$FLOW_DIR/reason" 2>/dev/null || echo "see ${E2E_LOG#"$root"/}")"
		failed=$((failed + 1))
	fi
	for p in $(cat "$FLOW_DIR/app.pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	xdotool key Escape 2>/dev/null # a menu the flow left open
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
