#!/usr/bin/env bash
# make screenshots: run the real tray app in a virtual display with a StatusNotifier host
# (DESIGN.md §3) on the demo's sandbox (syncguard demo: a device sync just deleted and
# collapsed contacts; the phone is also paired with another InterAction workstation), and
# save PNGs into docs/screenshots/:
#
#   tray-menu.png            the open tray menu (whole screen: the bar is at the bottom)
#   popup-before-sync.png    the warning when the sync software starts while a check fails
#   popup-warning.png        the warning after a risky change
#   status-window.png        "Open SyncGuard": the worst harm first
#   status-accepted.png      the same, scrolled to a finding accepted as intended (with who
#                            and when, and Reopen): the outdated HotSync, accepted with
#                            'syncguard ack' between the runs
#   tray-paused.png          warnings paused: the tray icon keeps the danger with a pause
#                            badge, and the menu's status line says both (the last run:
#                            the pause is kept in the data folder)
#   wizard-1.png … wizard-7.png  each step of "Check my device setup", ending in the checklist
#   history.png, restore.png the history window's timeline and restore tabs
#   settings.png             the settings, with the policy's fleet folder locked
#
# Each window is opened with SYNCGUARD_SCREENSHOT=<name> (see ui/screenshot.go), because
# a script cannot click through the tray menu reliably: the service (ui/tray) starts the
# window process for it, as for a menu item, and the variable reaches that process, which
# opens the window; the tray menu itself is opened with a real click on the icon.
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
# shoot NAME TITLE [SECONDS]: wait for the window titled TITLE, let it draw (2 s, or
# SECONDS), save it.
shoot() {
	local id
	id=$(timeout 30 xdotool search --sync --onlyvisible --name "^$2\$" | tail -1)
	sleep "${3:-2}"
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
hotsync=$!
pids+=($hotsync)
sleep 20 # the app looks at running programs every 15 s
import -window "$(xdotool search --onlyvisible --name '^SyncGuard warning$' | tail -1)" "$out/popup-before-sync.png"
echo "saved $out/popup-before-sync.png"
kill "$hotsync" 2>/dev/null || true
stop

# The user accepts the outdated HotSync as intended (the command line runs the windows'
# workflow), so the status window has an accepted finding to show.
# (findings exits 2 while a danger is open: that is its answer, not a failure)
outdated=$({ "${run[@]}" findings --json || true; } | grep -o '"outdated-software-[0-9a-f]*"' | head -1 | tr -d '"')
"${run[@]}" ack --yes "$outdated" >/dev/null

# 2. One window per run.
shots=(
	"popup-warning|SyncGuard warning|popup"
	"status-window|SyncGuard|status"
	"status-accepted|SyncGuard|status-accepted|6"
	"history|SyncGuard: contact history|history"
	"restore|SyncGuard: contact history|restore"
	"settings|SyncGuard: settings|settings"
)
for n in 1 2 3 4 5 6 7; do shots+=("wizard-$n|SyncGuard: check my device setup|wizard-$n"); done
for s in "${shots[@]}"; do
	IFS='|' read -r name title what wait <<<"$s"
	start "$what"
	shoot "$name" "$title" "$wait"
	stop
done

# 3. Paused, last (the pause is kept in the data folder): the icon keeps the red cross
# with a pause badge, and the open menu's status line names the danger and the pause.
sleep 5 # the tray host drops the last run's icon, so the click lands on this run's
start paused
sleep 10 # nothing pops up while paused: give the first scan and the check their time
xdotool mousemove 15 753 click 1
sleep 2
# The bottom left corner only, twice as large: the icon is 16 px in the panel.
import -window root "$sandbox/root.png"
convert "$sandbox/root.png" -crop 540x250+0+518 +repage -scale 200% "$out/tray-paused.png"
echo "saved $out/tray-paused.png"
xdotool key Escape
stop
