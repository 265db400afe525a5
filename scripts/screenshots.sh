#!/usr/bin/env bash
# make screenshots: run the real tray app in a virtual display with a StatusNotifier host
# (DESIGN.md §3) on the demo's sandbox (syncguard demo: a device sync just deleted and
# collapsed contacts; the phone is also paired with another InterAction workstation), and
# save PNGs into docs/screenshots/:
#
#   tray-menu.png            the open tray menu (whole screen: the bar is at the bottom)
#   popup-before-sync.png    the warning when the sync software starts while a check fails
#   popup-warning.png        the warning after a risky change
#   status-window.png        "Open SyncGuard"
#   wizard-1.png … wizard-7.png  each step of "Check my device setup", ending in the checklist
#   history.png, restore.png the history window's timeline and restore tabs
#   settings.png             the settings, with the policy's fleet folder locked
#
# Each window is opened with SYNCGUARD_SCREENSHOT=<name> (see ui/screenshot.go), because
# a script cannot click through the tray menu reliably; the tray menu itself is opened
# with a real click on the icon.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
bin=${SYNCGUARD_BIN:-bin/syncguard}
mkdir -p "$out"
sandbox=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
	rm -rf "$sandbox"
}
trap cleanup EXIT
export LANG=en_US.UTF-8
export DISPLAY=:${SCREENSHOT_DISPLAY:-99}
[ -x "$bin" ] || go build -o "$bin" ./cmd/syncguard

Xvfb "$DISPLAY" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.2; done
eval "$(dbus-launch --sh-syntax)"
export DBUS_SESSION_BUS_ADDRESS
status-notifier-watcher >/dev/null 2>&1 &
pids+=($!)
sleep 1
gtk-sni-tray-standalone --bottom >/dev/null 2>&1 &
pids+=($!)
sleep 2

"$bin" demo --dir "$sandbox" --no-tray >/dev/null
run=("$bin" --data "$sandbox/data" --policy "$sandbox/policy.toml")
app=""

start() { # start [SCREENSHOT]: the app, alone (the history allows one instance)
	SYNCGUARD_SCREENSHOT="${1:-}" "${run[@]}" >>"$sandbox/app.log" 2>&1 &
	app=$!
	pids+=("$app")
}
stop() {
	kill "$app" 2>/dev/null || true
	wait "$app" 2>/dev/null || true
}
# shoot NAME TITLE: wait for the window titled TITLE, let it draw, save it.
shoot() {
	local id
	id=$(timeout 30 xdotool search --sync --onlyvisible --name "^$2\$" | tail -1)
	sleep 2
	import -window "$id" "$out/$1.png"
	echo "saved $out/$1.png"
}

# 1. The first start on the sandbox: its warnings pop up, the tray icon turns red. Then
# the tray menu, opened with a click on the icon; then HotSync "starts" (a process named
# as its executable) while the device check fails: the warning before the sync.
start
timeout 30 xdotool search --sync --onlyvisible --name "^SyncGuard warning\$" >/dev/null
sleep 4
xdotool mousemove 15 753 click 1
sleep 2
import -window root "$out/tray-menu.png"
echo "saved $out/tray-menu.png"
xdotool key Escape
(exec -a HOTSYNC.EXE sleep 60) &
pids+=($!)
sleep 20 # the app looks at running programs every 15 s
import -window "$(xdotool search --onlyvisible --name '^SyncGuard warning$' | tail -1)" "$out/popup-before-sync.png"
echo "saved $out/popup-before-sync.png"
stop

# 2. One window per run.
shots=(
	"popup-warning|SyncGuard warning|popup"
	"status-window|SyncGuard|status"
	"history|SyncGuard: contact history|history"
	"restore|SyncGuard: contact history|restore"
	"settings|SyncGuard: settings|settings"
)
for n in 1 2 3 4 5 6 7; do shots+=("wizard-$n|SyncGuard: check my device setup|wizard-$n"); done
for s in "${shots[@]}"; do
	IFS='|' read -r name title what <<<"$s"
	start "$what"
	shoot "$name" "$title"
	stop
done
