# Helpers of the end-to-end flows (make e2e; scripts/e2e/run.sh). Sourced, not run.
#
# The app is driven only by X input events (xdotool: pointer and keyboard), as a person
# drives it. To know where "the button labelled X" is in a window that OpenGL draws, the
# app writes what each window shows and where into the file named by
# SYNCGUARD_E2E_LAYOUT (ui/e2elayout.go): one line per element,
#   TITLE \t LAYER \t KIND \t X \t Y \t W \t H \t TEXT
# in pixels relative to the window's drawing area; LAYER 0 is the window, 1… its dialogs.
#
# Every wait is for a condition (a window, an element, a file, a colour) with a generous
# bound, never a fixed sleep: the machine may be busy.

E2E_TIMEOUT=${E2E_TIMEOUT:-45} # seconds any one condition may take on a busy machine
APP_PID=""
trap app_stop EXIT
trap 'exit 1' TERM INT

log() { echo "  [$(date +%T)] $*" >>"$E2E_LOG"; }

# fail MESSAGE: the flow fails here; the screen is kept as its screenshot.
fail() {
	local why="$*"
	if [ -n "${APP_PID:-}" ] && ! app_alive; then
		why="$why; the app died: $(grep -m1 '^panic' "$FLOW_DIR/app.log" || echo 'see app.log') $(grep -m1 -o '/ui/[a-z0-9_]*\.go:[0-9]*' "$FLOW_DIR/app.log")"
	fi
	log "FAIL: $why"
	echo "$why" >"$FLOW_DIR/reason"
	import -window root "$SHOT" 2>/dev/null || true
	exit 1
}

# shot: the flow's last step, for a person to look at.
shot() { import -window root "$SHOT" || fail "cannot take a screenshot"; }

# until_ok SECONDS CMD...: runs CMD every 0.3 s until it succeeds; fails after SECONDS.
until_ok() {
	local limit=$1 start=$SECONDS
	shift
	while ! "$@" 2>/dev/null; do
		((SECONDS - start < limit)) || return 1
		sleep 0.3
	done
}

# app_start ARGS...: the real binary, with its own HOME (so file dialogs open there and
# Fyne's preferences stay in the sandbox) and the layout file.
app_start() {
	: >"$LAYOUT"
	HOME="$E2E_HOME" SYNCGUARD_E2E_LAYOUT="$LAYOUT" "$BIN" "$@" >>"$FLOW_DIR/app.log" 2>&1 &
	APP_PID=$!
	echo "$APP_PID" >>"$FLOW_DIR/app.pids" # run.sh ends it if the flow could not
	log "started $BIN $* (pid $APP_PID)"
}

# app_alive: the app did not die (a crash in a dialog ends it: issue 16).
app_alive() { kill -0 "$APP_PID" 2>/dev/null; }

app_stop() {
	[ -n "${APP_PID:-}" ] || return 0
	kill "$APP_PID" 2>/dev/null || true
	wait "$APP_PID" 2>/dev/null || true
	APP_PID=""
}

_win() { xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | tail -1 | grep .; }

# win TITLE: the X window id of the visible window titled TITLE, waiting for it.
win() {
	local id
	until_ok "$E2E_TIMEOUT" _win "$1" >/dev/null || fail "no window \"$1\" appeared"
	_win "$1"
}

# close_window TITLE: closes the window titled TITLE as a user does, with the window
# manager's Alt+F4 on it, and waits until it is gone.
close_window() {
	local id
	id=$(win "$1")
	xdotool windowactivate --sync "$id" 2>/dev/null || true
	xdotool key --delay 80 alt+F4
	until_ok "$E2E_TIMEOUT" _gone "$1" || fail "the window \"$1\" did not close"
}

_gone() { ! _win "$1" >/dev/null; }

# el TITLE KINDS TEXT [BELOW]: "X Y W H" of the element of window TITLE whose kind matches
# KINDS and whose text matches the extended regex TEXT, on the topmost layer that has one.
# With BELOW, the first such element under the first element whose text matches BELOW
# (the "Restore" button of the card titled "40 contacts…"). Fails when none is shown.
el() {
	awk -F'\t' -v t="$1" -v k="^($2)\$" -v re="$3" -v below="${4:-}" '
		$1 != t { next }
		below != "" && by == "" && $8 ~ below { bl = $2; by = $5; next }
		$3 ~ k && $8 ~ re {
			if (below != "") {
				if (by == "" || $2 != bl || $5 <= by) next
				if (found == "" || $5 < fy) { found = $4 " " $5 " " $6 " " $7; fy = $5 }
				next
			}
			if (found == "" || $2 > fl) { found = $4 " " $5 " " $6 " " $7; fl = $2 }
		}
		END { if (found == "") exit 1; print found }' "$LAYOUT"
}

# wait_el TITLE KINDS TEXT [BELOW]: like el, waiting until it is shown. The layout lists
# hidden windows too, so the window must first be on the screen.
wait_el() {
	win "$1" >/dev/null
	until_ok "$E2E_TIMEOUT" el "$@" >/dev/null || fail "window \"$1\" never showed $2 \"$3\"${4:+ below \"$4\"}"
	el "$@"
}

# shows TITLE TEXT: the window shows a text matching TEXT.
shows() { el "$1" '.*' "$2" >/dev/null; }

# wait_shows TITLE TEXT
wait_shows() {
	win "$1" >/dev/null
	until_ok "$E2E_TIMEOUT" shows "$1" "$2" || fail "window \"$1\" never showed \"$2\""
}

# no_dialog TITLE: no dialog or menu is shown over the window.
no_dialog() { ! awk -F'\t' -v t="$1" '$1 == t && $2 > 0 { f = 1 } END { exit !f }' "$LAYOUT"; }

# activate WID: bring a window to the front and give it the keyboard, as a click on its
# title bar would.
activate() {
	timeout 10 xdotool windowactivate --sync "$1" 2>/dev/null || xdotool windowraise "$1" windowfocus "$1"
}

# click TITLE KINDS TEXT [BELOW]: a real pointer click in the middle of that element.
click() {
	local wid x y w h
	wid=$(win "$1") || exit 1
	read -r x y w h < <(wait_el "$@") || exit 1
	[ -n "$h" ] || exit 1
	activate "$wid"
	xdotool mousemove --window "$wid" $((x + w / 2)) $((y + h / 2)) click 1
	log "clicked $2 \"$3\" in \"$1\" at $((x + w / 2)),$((y + h / 2))"
}

# click_button TITLE LABEL [BELOW]: the enabled button whose label is exactly LABEL.
click_button() { click "$1" button "^$(re_quote "$2")\$" "${3:-}"; }

re_quote() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

# scroll_find TITLE KINDS TEXT [BELOW]: turns the mouse wheel over the window, a few
# notches at a time (less than a screenful), until the element is shown (a long status
# window); fails quietly at the end.
scroll_find() {
	local wid i g now last="" still=0 y
	wid=$(_win "$1") || return 1
	for i in $(seq 40); do
		el "$@" >/dev/null && return 0
		now=$(awk -F'\t' -v t="$1" '$1 == t && $2 == 0' "$LAYOUT")
		if [ "$now" = "$last" ]; then
			# The wheel moved nothing: the end, or the turn was lost on a busy machine. Once,
			# wait and turn it again elsewhere in the window.
			still=$((still + 1))
			[ "$still" -ge 3 ] && { log "scroll_find: \"$1\" no longer scrolls"; break; }
			sleep 1
		else
			still=0
		fi
		last=$now
		g=$(xdotool getwindowgeometry "$wid" | awk '/Geometry/ {print $2}')
		y=$((${g#*x} / 2 - still * ${g#*x} / 6))
		activate "$wid"
		xdotool mousemove --window "$wid" $((${g%x*} / 2)) "$y" click --repeat 3 --delay 30 5
		sleep 0.5 # the app rewrites its layout file at most every 0.2 s
	done
	el "$@" >/dev/null
}

# scroll_to TITLE KINDS TEXT [BELOW]: like scroll_find; the flow fails if it is not there.
scroll_to() {
	win "$1" >/dev/null
	scroll_find "$@" || fail "window \"$1\" has no $2 \"$3\"${4:+ below \"$4\"}, even scrolled down"
}

# texts_scrolling TITLE KINDS TEXT: every text of such elements the window shows from
# where it is scrolled now down to its end (where the wheel no longer changes what it
# shows), one a line.
texts_scrolling() {
	local wid i g now last=""
	wid=$(win "$1") || exit 1
	for i in $(seq 60); do
		now=$(awk -F'\t' -v t="$1" '$1 == t && $2 == 0' "$LAYOUT")
		awk -F'\t' -v k="^($2)\$" -v re="$3" '$3 ~ k && $8 ~ re { print $8 }' <<<"$now"
		if [ "$now" = "$last" ]; then # the end, unless the app was slow to redraw: look again
			sleep 1
			[ "$(awk -F'\t' -v t="$1" '$1 == t && $2 == 0' "$LAYOUT")" = "$now" ] && break
			continue # it did scroll: read it before turning the wheel again
		fi
		last=$now
		g=$(xdotool getwindowgeometry "$wid" | awk '/Geometry/ {print $2}')
		xdotool mousemove --window "$wid" $((${g%x*} / 2)) $((${g#*x} / 2)) click --repeat 3 --delay 30 5
		sleep 0.6 # the app rewrites its layout file at most every 0.2 s
	done | sort -u
}

# scroll_top TITLE: the wheel turned up until the window's content no longer moves.
scroll_top() {
	local wid g i now last=""
	wid=$(win "$1") || exit 1
	g=$(xdotool getwindowgeometry "$wid" | awk '/Geometry/ {print $2}')
	activate "$wid"
	for i in $(seq 12); do
		xdotool mousemove --window "$wid" $((${g%x*} / 2)) $((${g#*x} / 2)) click --repeat 15 --delay 20 4
		sleep 0.8
		now=$(awk -F'\t' -v t="$1" '$1 == t && $2 == 0' "$LAYOUT")
		[ "$now" = "$last" ] && return 0
		last=$now
	done
}

# heading TITLE: the window's topmost label (its heading).
heading() {
	awk -F'\t' -v t="$1" '$1 == t && $2 == 0 && $3 == "label" && (y == "" || $5 < y) { y = $5; h = $8 } END { print h }' "$LAYOUT"
}

# type_text TEXT: types into the focused field. Fyne takes a keystroke per key event.
type_text() { xdotool type --delay 40 -- "$1"; }

key() { xdotool key --delay 80 "$@"; }

# save_as TITLE NAME: in the save dialog opened over window TITLE, replaces the proposed
# name with NAME and presses Save (a real click). The dialog opens in the user's home
# folder, which is the sandbox's.
save_as() {
	wait_el "$1" button-disabled\|button '^Save$' >/dev/null
	click "$1" entry '.*'   # the file name field, the only entry of the dialog layer
	key ctrl+a
	type_text "$2"
	wait_el "$1" entry "^$(re_quote "$2")\$" >/dev/null
	click_button "$1" Save
}

# wait_file PATH: the file exists and holds something.
wait_file() { until_ok "$E2E_TIMEOUT" test -s "$1" || fail "$1 was never written"; }

# tray_menu N: opens the tray icon's menu with a click and chooses its Nth enabled item
# with the keyboard (the menu is the tray host's, not the app's: it is not in the layout).
# 1 Check my device setup… 2 Open SyncGuard 3 Contact history… 4 Restore contacts…
# 5 Pause/Resume warnings 6 Settings… 7 Quit
tray_menu() {
	_tray_choose "$1" && return 0
	# A window that popped up as the menu opened took the keys: a click beside the menu
	# closes it (GTK), then again.
	log "the tray menu did not take the keys: once more"
	xdotool mousemove 1015 745 click 1
	until_ok 10 _menu_closed || fail "the tray menu did not close"
	_tray_choose "$1" || fail "the tray menu did not close after choosing item $1"
}

_tray_choose() {
	local i
	until_ok "$E2E_TIMEOUT" _tray_icon || fail "the app's icon never appeared in the tray"
	# Right after the app starts, the tray host may not have its menu yet: the click opens
	# nothing, or an empty menu. Close whatever opened and click again, up to three times.
	local try
	for try in 1 2 3; do
		xdotool mousemove 15 753 click 1
		until_ok 8 _menu_open && break
		log "the tray menu did not open (try $try)"
		xdotool mousemove 1015 745 click 1
		sleep 1
	done
	_menu_open || fail "the tray menu did not open"
	for i in $(seq "$1"); do key Down; done
	key Return
	log "tray menu item $1"
	until_ok 10 _menu_closed
}

# from_tray N TITLE: chooses the tray menu's Nth item and waits for the window TITLE it
# opens; if none comes (the choice was lost on a busy machine), chooses it once more.
from_tray() {
	tray_menu "$1"
	until_ok 20 _win "$2" >/dev/null || { log "no \"$2\" yet: the tray menu once more"; tray_menu "$1"; }
	win "$2" >/dev/null
}

# The tray's corner is no longer plain black: the app's icon is there.
_tray_icon() {
	[ "$(import -window root -crop 32x32+0+736 +repage -depth 8 txt:- 2>/dev/null | grep -vc '#000000')" -gt 50 ]
}

_menu_closed() { ! _menu_open; }

# The open menu is a popup window of the tray host's above the bar.
_menu_open() { xdotool search --onlyvisible --class 'gtk-sni-tray-standalone' 2>/dev/null | while read -r w; do xdotool getwindowgeometry "$w"; done | grep -q 'Geometry: [0-9]*x[0-9]\{3\}'; }

# scan_names FILE: the names of the contacts in FILE, sorted, as syncguard scan reads them.
scan_names() {
	"$BIN" scan --json "$1" | python3 -c 'import json,sys; print("\n".join(sorted(c.get("name","") for c in json.load(sys.stdin)["contacts"])))'
}

# contacts_of KIND FILE: one line per contact (name, company, e-mails, phones,
# categories), sorted, so two sets of contacts compare with diff. KIND is "scan" for what
# syncguard scan --json printed, "removed" for the removed contacts of syncguard diff --json.
contacts_of() {
	python3 - "$1" "$2" <<'PY'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
cs = d["contacts"] if kind == "scan" else [e["contact"] for e in d["removed"]]
def vals(c, k): return ",".join(sorted(v["value"] for v in c.get(k) or []))
for line in sorted("|".join([c.get("name", ""), c.get("organization", ""), vals(c, "emails"), vals(c, "phones"),
                             ",".join(sorted(c.get("categories") or []))]) for c in cs):
    print(line)
PY
}

# same_contacts A B WHAT: the two lists are equal, else the flow fails saying how.
same_contacts() {
	diff "$1" "$2" >"$FLOW_DIR/contacts.diff" ||
		fail "$3: $(grep -c '^<' "$FLOW_DIR/contacts.diff") expected contacts missing, $(grep -c '^>' "$FLOW_DIR/contacts.diff") unexpected (see $FLOW_DIR/contacts.diff)"
}

# tray_colours: "RED BADGE" — how many pixels of the tray icon (the bottom-left corner,
# where the tray host draws it) are the danger red and the pause badge's grey-blue
# (assets/gen-icons: #D33333 and #6B7585), from a screenshot.
tray_colours() {
	import -window root -crop 32x32+0+736 +repage -depth 8 txt:- 2>/dev/null | awk -F'[(),]' '
		/^[0-9]/ { r = $3 + 0; g = $4 + 0; b = $5 + 0
			if (r > 180 && g < 90 && b < 90) red++
			if (r > 85 && r < 130 && g > 95 && g < 140 && b > 110 && b < 160 && b > r + 10) badge++ }
		END { print red + 0, badge + 0 }'
}
