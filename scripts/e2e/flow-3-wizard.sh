#!/usr/bin/env bash
# The first start: nothing is set up, so "Check my device setup" opens by itself. The
# user answers every step as the owner of a Palm Treo set to overwrite Outlook and also
# synced at another InterAction workstation, picks the export with the open dialog, and
# saves the checklist with "Save report…": the report exists and names each failed item
# the window showed.
source "$(dirname "$0")/lib.sh"
"$BIN" demo --no-tray --dir "$FLOW_DIR/demo" >"$FLOW_DIR/demo.txt" || fail "syncguard demo --no-tray failed"
cp "$FLOW_DIR/demo/export/contacts.csv" "$E2E_HOME/contacts.csv"
: >"$FLOW_DIR/policy.toml" # no policy: SyncGuard's defaults, never the machine's
app_start --data "$FLOW_DIR/data" --policy "$FLOW_DIR/policy.toml"
w="SyncGuard: check my device setup"

win "$w" >/dev/null
wait_shows "$w" '^Step 1 of 7'
click "$w" entry "Anna's iPhone"
type_text "Anna's Treo"
click "$w" select 'Choose the software'
click "$w" text '^Palm Desktop HotSync Manager$'
wait_el "$w" select '^Palm Desktop HotSync Manager$' >/dev/null
click "$w" 'button' '^Next$'

wait_shows "$w" '^Step 2 of 7'
click "$w" entry '.*'
type_text "4.1"
click "$w" button '^Next$'

wait_shows "$w" '^Step 3 of 7'
click "$w" text '^Handheld overwrites Desktop$'
click "$w" button '^Next$'

wait_shows "$w" '^Step 4 of 7'
click "$w" text '^Yes, also with another computer$'
click "$w" text "^That computer's Outlook also syncs with InterAction\$"
wait_el "$w" check-on 'also syncs with InterAction' >/dev/null
click "$w" text '^Yes$'
click "$w" button '^Next$'

wait_shows "$w" '^Step 5 of 7'
click "$w" button '^Next$'

# The export, chosen with the open dialog (it opens in the home folder; the grid shows
# names without their extension).
wait_shows "$w" '^Step 6 of 7'
click_button "$w" 'File…'
click "$w" text '^contacts$'
click_button "$w" Open
wait_el "$w" entry "^$(re_quote "$E2E_HOME/contacts.csv")\$" >/dev/null
wait_shows "$w" '^360 contacts found'
click "$w" button '^(Check|Next)$'

wait_shows "$w" '^Step 7 of 7'
wait_shows "$w" '^Fail: '
click_button "$w" 'Save report…'
save_as "$w" "device check.txt"
report="$E2E_HOME/device check.txt"
wait_file "$report"
# The app confirms where it saved, naming the path; that dialog is closed before reading
# the checklist on.
wait_shows "$w" '^Report saved$'
shows "$w" "$(re_quote "$report")" || fail "the confirmation does not name the report's path"
shot
click_button "$w" OK
until_ok "$E2E_TIMEOUT" no_dialog "$w" || fail "the confirmation did not close"

# Every item the window marked failed (read down to the end of the checklist) is in the
# report, as failed.
texts_scrolling "$w" label '^Fail: ' | sed 's/^Fail: //' >"$FLOW_DIR/failed.txt"
[ -s "$FLOW_DIR/failed.txt" ] || fail "the checklist showed no failed item"
while read -r item; do
	grep -qF "[FAIL] $item" "$report" || fail "the report does not name the failed item \"$item\""
done <"$FLOW_DIR/failed.txt"
grep -qx 'Other workstations' "$FLOW_DIR/failed.txt" || fail "the checklist does not fail the other InterAction workstation"
