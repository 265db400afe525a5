#!/usr/bin/env bash
# syncguard demo: a simulated device sync deletes 40 contacts; the warning pops up; the
# user restores the removed contacts through the save dialog; the file holds exactly the
# 40 contacts the sync removed (read back with syncguard scan, compared with syncguard diff).
source "$(dirname "$0")/lib.sh"
demo=$FLOW_DIR/demo
app_start demo --dir "$demo" --after 3s

# The warning after the sync: it names the 40 deleted contacts (scrolling down to them).
win "SyncGuard warning" >/dev/null
until_ok "$E2E_TIMEOUT" scroll_find "SyncGuard warning" '.*' '40 contacts disappeared' ||
	fail "the popup never told of the 40 deleted contacts"
# The popup offers the restore of its first finding; when that is not the deletion,
# "Review in SyncGuard" leads to the status window, where each finding has its own.
where="SyncGuard warning"
if [[ "$(heading "$where")" == *"40 contacts"* ]] && el "$where" button '^Restore these contacts…$' >/dev/null; then
	click_button "$where" 'Restore these contacts…' '40 contacts disappeared'
else
	click_button "$where" "Review in SyncGuard"
	where=SyncGuard
	scroll_to "$where" button '^Restore these contacts…$' '40 contacts disappeared'
	click_button "$where" 'Restore these contacts…' '40 contacts disappeared'
fi
save_as "$where" "rescued contacts.csv"
wait_file "$E2E_HOME/rescued contacts.csv"
wait_shows "$where" 'Contacts restored'
wait_shows "$where" '^40 contacts were written'
shot

# What the sync removed, from the history, once the app is gone (Quit in its tray menu).
tray_menu 7
until_ok "$E2E_TIMEOUT" bash -c "! kill -0 $APP_PID" || fail "Quit in the tray menu did not end the app"
APP_PID=""
"$BIN" --data "$demo/data" --policy "$demo/policy.toml" diff 1 2 --json >"$FLOW_DIR/diff.json" || fail "syncguard diff failed"
"$BIN" scan --json "$E2E_HOME/rescued contacts.csv" >"$FLOW_DIR/rescued.json" || fail "syncguard scan cannot read the restored file cleanly"
contacts_of removed "$FLOW_DIR/diff.json" >"$FLOW_DIR/removed.txt"
contacts_of scan "$FLOW_DIR/rescued.json" >"$FLOW_DIR/rescued.txt"
[ "$(wc -l <"$FLOW_DIR/removed.txt")" = 40 ] || fail "the history records $(wc -l <"$FLOW_DIR/removed.txt") removed contacts, not 40"
same_contacts "$FLOW_DIR/removed.txt" "$FLOW_DIR/rescued.txt" "the restored file"
