#!/usr/bin/env bash
# Settings: the user moves the export to another folder with the folder picker ("Folder…",
# a click on the folder, Open); the status window then shows that folder as the export.
source "$(dirname "$0")/lib.sh"
demo=$FLOW_DIR/demo
"$BIN" demo --no-tray --dir "$demo" >"$FLOW_DIR/demo.txt" || fail "syncguard demo --no-tray failed"
folder="$E2E_HOME/Outlook exports"
mkdir -p "$folder"
cp "$demo/export/contacts.csv" "$folder/contacts 2026-12-01.csv"
app_start --data "$demo/data" --policy "$demo/policy.toml"
w="SyncGuard: settings"

from_tray 6 "$w" # Settings…
wait_el "$w" entry "$(re_quote "$demo/export/contacts.csv")" >/dev/null
click_button "$w" 'Folder…' # the export's; the policy locks the fleet folder
wait_el "$w" button '^Open$|^Cancel$' >/dev/null
click "$w" label '^Outlook exports$' # the folder's name under its icon
wait_el "$w" button "^$(re_quote "Outlook exports")\$" >/dev/null # the dialog is in it now (its path bar)
click_button "$w" Open
wait_el "$w" entry "^$(re_quote "$folder")\$" >/dev/null

from_tray 2 SyncGuard # Open SyncGuard
scroll_to SyncGuard label "^$(re_quote "$folder")"
shot
app_alive || fail "the app died"
