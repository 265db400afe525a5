#!/usr/bin/env bash
# Measures the idle tray app under Xvfb for SECONDS (default 60): CPU time used (from
# /proc/PID/stat) and resident memory (VmRSS, VmHWM). DESIGN.md §6: CPU near zero, < 80 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECONDS_TO_MEASURE:-60}
sandbox=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$sandbox"' EXIT
export LANG=en_US.UTF-8 DISPLAY=:${IDLE_DISPLAY:-98}
go build -o bin/genbook ./cmd/genbook
bin/genbook -n 10000 -format outlook-csv -out "$sandbox/contacts.csv"
touch -d '2 minutes ago' "$sandbox/contacts.csv"
mkdir -p "$sandbox/data"
printf '{"export_location": "%s/contacts.csv"}\n' "$sandbox" >"$sandbox/data/settings.json"
Xvfb "$DISPLAY" -screen 0 1024x768x24 >/dev/null 2>&1 &
sleep 1
eval "$(dbus-launch --sh-syntax)"
export DBUS_SESSION_BUS_ADDRESS
status-notifier-watcher >/dev/null 2>&1 &
sleep 1
gtk-sni-tray-standalone --bottom >/dev/null 2>&1 &
sleep 1
bin/syncguard --data "$sandbox/data" >"$sandbox/app.log" 2>&1 &
pid=$!
sleep 10 # the first snapshot of 10,000 contacts, then idle
ticks() { awk '{print $14+$15}' /proc/$pid/stat; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
sleep "$secs"
t1=$(ticks)
rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
cpu=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$secs" 'BEGIN{printf "%.2f", 100*d/hz/s}')
echo "idle tray app over ${secs}s with 10,000 contacts watched: CPU ${cpu} % ($((t1 - t0)) ticks), RSS $((rss / 1024)) MB (peak $((hwm / 1024)) MB)"
