#!/usr/bin/env bash
# "This was intended" on ONE finding, the 40 deleted contacts: SyncGuard asks first,
# naming what is accepted; that finding alone leaves the open ones and is listed as
# accepted, with who and when; Reopen takes it back, and every finding is open again
# (checked in the window, then with syncguard findings once the app has quit).
source "$(dirname "$0")/lib.sh"
demo=$FLOW_DIR/demo
"$BIN" demo --no-tray --dir "$demo" >"$FLOW_DIR/demo.txt" || fail "syncguard demo --no-tray failed"
app_start --data "$demo/data" --policy "$demo/policy.toml"
w=SyncGuard

from_tray 2 "$w" # Open SyncGuard
# The service's first device check (the demo's one device and its findings) may still be
# running when the window opens: count the findings after it, not before.
wait_shows "$w" '^Open: .* [1-9][0-9]* devices?$'
counts() { awk -F'\t' -v t="$w" '$1 == t && $2 == 0 && $3 == "label" && $8 ~ /^Open: / { print $8; exit }' "$LAYOUT"; }
before=$(counts)
log "before: $before"

scroll_to "$w" button '^This was intended$' '40 contacts disappeared'
click_button "$w" 'This was intended' '40 contacts disappeared'
wait_el "$w" button '^Accept$' >/dev/null
shows "$w" '40 contacts' || fail "the confirmation does not name the 40 deleted contacts"
click_button "$w" Accept

# Only that finding left the open ones: one danger fewer, and it is listed as accepted.
until_ok "$E2E_TIMEOUT" bash -c "[ \"\$(awk -F'\t' -v t='$w' '\$1 == t && \$2 == 0 && \$3 == \"label\" && \$8 ~ /^Open: / { print \$8; exit }' '$LAYOUT')\" != '$before' ]" ||
	fail "the open findings did not change after accepting one"
after=$(counts)
log "after: $after"
nb=$(grep -o '[0-9]* danger' <<<"$before" | grep -o '[0-9]*')
na=$(grep -o '[0-9]* danger' <<<"$after" | grep -o '[0-9]*')
[ "$((nb - 1))" = "${na:-0}" ] || fail "accepting one finding changed the open dangers from $nb to ${na:-0} (\"$before\" → \"$after\")"
[ "$(sed 's/[0-9]* danger[s]*//' <<<"$before")" = "$(sed 's/[0-9]* danger[s]*//' <<<"$after")" ] || fail "accepting the deletion changed other findings: \"$before\" → \"$after\""
scroll_to "$w" label '^Accepted by ' 'Accepted as intended'
shows "$w" '40 contacts disappeared' || fail "the accepted list does not name the deletion"
import -window root "${SHOT%.png}-accepted.png" # the accepted list, for a person to look at

click_button "$w" Reopen
scroll_top "$w"
until_ok "$E2E_TIMEOUT" bash -c "[ \"\$(awk -F'\t' -v t='$w' '\$1 == t && \$2 == 0 && \$3 == \"label\" && \$8 ~ /^Open: / { print \$8; exit }' '$LAYOUT')\" = '$before' ]" ||
	fail "after Reopen the open findings are \"$(counts)\", not \"$before\" again"
[ -z "$(texts_scrolling "$w" label '^Accepted (by|as intended)')" ] || fail "the accepted list is still shown after Reopen"
scroll_top "$w"
shot

tray_menu 7 # Quit
until_ok "$E2E_TIMEOUT" bash -c "! kill -0 $APP_PID" || fail "Quit in the tray menu did not end the app"
APP_PID=""
"$BIN" --data "$demo/data" --policy "$demo/policy.toml" findings --json --all >"$FLOW_DIR/findings.json"
python3 - "$FLOW_DIR/findings.json" <<'PY' || fail "syncguard findings: $(cat "$FLOW_DIR/findings.check")"
import json, sys
fs = json.load(open(sys.argv[1]))
fs = fs.get("findings", fs) if isinstance(fs, dict) else fs
bad = [f["title"] + ": " + f["state"] for f in fs if f["state"] != "open"]
dele = [f for f in fs if f["kind"] == "mass-deletion"]
msg = ""
if bad: msg = "not open after Reopen: " + "; ".join(bad)
elif not dele: msg = "no mass-deletion finding"
open(sys.argv[1].replace("findings.json", "findings.check"), "w").write(msg)
sys.exit(1 if msg else 0)
PY
