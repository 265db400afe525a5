#!/usr/bin/env bash
# "Pause warnings for 1 hour" while a danger is open: the tray icon keeps the danger's red
# and gains a pause mark (read from the screen's pixels), the status window says both;
# "Resume warnings" brings back the very same icon as before.
source "$(dirname "$0")/lib.sh"
demo=$FLOW_DIR/demo
"$BIN" demo --no-tray --dir "$demo" >"$FLOW_DIR/demo.txt" || fail "syncguard demo --no-tray failed"
app_start --data "$demo/data" --policy "$demo/policy.toml"

# RED BADGE pixel counts of the tray icon: a danger is mostly red; paused adds the badge.
danger() { read -r red badge < <(tray_colours) && [ "$red" -gt 40 ] && [ "$badge" -lt 4 ]; }
danger_paused() { read -r red badge < <(tray_colours) && [ "$red" -gt 40 ] && [ "$badge" -gt 8 ]; }

until_ok "$E2E_TIMEOUT" danger || fail "the tray icon never showed the danger (red, badge pixels: $(tray_colours))"
import -window root -crop 32x32+0+736 +repage "$FLOW_DIR/icon-before.png"
log "danger icon: $(tray_colours)"

tray_menu 5 # Pause warnings for 1 hour
# A menu that closed without choosing (a window took the focus) is chosen from once more.
until_ok 20 danger_paused || { log "not paused yet: the menu once more"; tray_menu 5; }
until_ok "$E2E_TIMEOUT" danger_paused || fail "paused, the tray icon does not show the danger with a pause mark (red, badge pixels: $(tray_colours))"
log "paused icon: $(tray_colours)"
from_tray 2 SyncGuard # Open SyncGuard
wait_shows SyncGuard 'Warnings are paused until'
shows SyncGuard '^Danger' || fail "paused, the status window no longer says Danger"
import -window root "${SHOT%.png}-paused.png" # the paused icon and window, for a person to look at

tray_menu 5 # Resume warnings
until_ok 20 danger || { log "not resumed yet: the menu once more"; tray_menu 5; }
until_ok "$E2E_TIMEOUT" danger || fail "resumed, the tray icon is not the danger's again (red, badge pixels: $(tray_colours))"
import -window root -crop 32x32+0+736 +repage "$FLOW_DIR/icon-after.png"
[ "$(compare -metric AE "$FLOW_DIR/icon-before.png" "$FLOW_DIR/icon-after.png" null: 2>&1)" = 0 ] ||
	fail "resumed, the tray icon differs from the danger icon before the pause"
until_ok "$E2E_TIMEOUT" bash -c "! grep -q 'Warnings are paused' '$LAYOUT'" || fail "resumed, the status window still says warnings are paused"
shot
