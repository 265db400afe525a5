#!/usr/bin/env bash
# make screenshots: run the real tray app in a virtual display with a StatusNotifier host
# (DESIGN.md §3) on a sandbox where a device sync just deleted contacts, and save PNGs of
# the status window and the open tray menu into docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"
sandbox=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$sandbox"' EXIT
export LANG=en_US.UTF-8
export DISPLAY=:${SCREENSHOT_DISPLAY:-99}

# The sandbox: 300 contacts, a snapshot, then an export missing 40 of them (genbook's
# books are prefixes of one another for one seed).
go build -o bin/genbook ./cmd/genbook
bin/genbook -n 300 -format outlook-csv -out "$sandbox/contacts.csv"
touch -d '2 minutes ago' "$sandbox/contacts.csv"
bin/syncguard --data "$sandbox/data" snapshot --export "$sandbox/contacts.csv" >/dev/null
printf '{"export_location": "%s/contacts.csv"}\n' "$sandbox" >"$sandbox/data/settings.json"
bin/genbook -n 260 -format outlook-csv -out "$sandbox/contacts.csv" # the same book, 40 fewer
touch -d '1 minute ago' "$sandbox/contacts.csv"

Xvfb "$DISPLAY" -screen 0 1024x768x24 >/dev/null 2>&1 &
sleep 1
eval "$(dbus-launch --sh-syntax)"
export DBUS_SESSION_BUS_ADDRESS
status-notifier-watcher >/dev/null 2>&1 &
sleep 1
gtk-sni-tray-standalone --bottom >/dev/null 2>&1 &
sleep 2
bin/syncguard --data "$sandbox/data" >"$sandbox/app.log" 2>&1 &
sleep 6
import -window root "$out/status-window.png"
xdotool mousemove 15 753 click 1
sleep 2
import -window root "$out/tray-menu.png"
echo "saved $out/status-window.png and $out/tray-menu.png"
