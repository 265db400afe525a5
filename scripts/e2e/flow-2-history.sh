#!/usr/bin/env bash
# Contact history: the change the sync made → "Restore everything this change removed…"
# → the file holds exactly the contacts that the earlier point in time has and the
# export no longer has; then the Restore tab: a point in time → the whole book as it was.
source "$(dirname "$0")/lib.sh"
demo=$FLOW_DIR/demo
"$BIN" demo --no-tray --dir "$demo" >"$FLOW_DIR/demo.txt" || fail "syncguard demo --no-tray failed"
app_start --data "$demo/data" --policy "$demo/policy.toml"
w="SyncGuard: contact history"
# The sandbox holds the bad sync already: the app records it (after reading the export a
# second time, as a large deletion is confirmed) and warns. Read the warning's title, then
# close it, so it does not cover the history window later.
win "SyncGuard warning" >/dev/null
close_window "SyncGuard warning"

from_tray 3 "$w" # Contact history…
wait_shows "$w" '40 removed'
click_button "$w" 'Restore everything this change removed…'
save_as "$w" removed.csv
wait_file "$E2E_HOME/removed.csv"
wait_shows "$w" '^40 contacts were written'
click_button "$w" OK

# The Restore tab: the first snapshot, the whole address book.
click "$w" text '^Restore$'
click "$w" select 'Choose a point in time'
click "$w" text '400 contacts'
wait_el "$w" select '400 contacts' >/dev/null
click_button "$w" 'Restore…'
save_as "$w" "whole book.csv"
wait_file "$E2E_HOME/whole book.csv"
wait_shows "$w" '^400 contacts were written'
shot

"$BIN" scan --json "$E2E_HOME/removed.csv" >"$FLOW_DIR/removed.json" || fail "syncguard scan cannot read removed.csv cleanly"
"$BIN" scan --json "$E2E_HOME/whole book.csv" >"$FLOW_DIR/whole.json" || fail "syncguard scan cannot read the whole book cleanly"
"$BIN" scan --json "$demo/export/contacts.csv" >"$FLOW_DIR/export.json" || fail "syncguard scan cannot read the export"
contacts_of scan "$FLOW_DIR/removed.json" >"$FLOW_DIR/removed.txt"
contacts_of scan "$FLOW_DIR/whole.json" >"$FLOW_DIR/whole.txt"
contacts_of scan "$FLOW_DIR/export.json" >"$FLOW_DIR/export.txt"
[ "$(wc -l <"$FLOW_DIR/whole.txt")" = 400 ] || fail "the whole book holds $(wc -l <"$FLOW_DIR/whole.txt") contacts, not the 400 of the first snapshot"
# Removed: in the book then, by name and company no longer in the export.
cut -d'|' -f1,2 "$FLOW_DIR/export.txt" | sort >"$FLOW_DIR/export.keys"
awk -F'|' 'NR == FNR { now[$0] = 1; next } !(($1 "|" $2) in now)' "$FLOW_DIR/export.keys" "$FLOW_DIR/whole.txt" >"$FLOW_DIR/expected-removed.txt"
[ "$(wc -l <"$FLOW_DIR/expected-removed.txt")" = 40 ] || fail "the whole book and the export differ by $(wc -l <"$FLOW_DIR/expected-removed.txt") contacts, not 40"
same_contacts "$FLOW_DIR/expected-removed.txt" "$FLOW_DIR/removed.txt" "removed.csv"
