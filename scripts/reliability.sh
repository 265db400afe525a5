#!/usr/bin/env bash
# make reliability: the long checks that stay out of `make test` (DESIGN.md §6).
#  1. the SIGKILL loops over snapshots (KILLS, default 300) and streamed first snapshots (KILLS/3);
#     folder restores killed (KILLS/10); a second process waiting while the history is
#     compacted (COMPACTIONS, default 10);
#  2. every fuzz target of the project for FUZZTIME each (default 60s), seeded with the
#     real exports where a target seeds from them;
#  3. the bad-input suite (build tag `reliability`): a 200 MB export, a file that grows
#     while it is read, an export folder that vanishes or is emptied, a full disk, and
#     files of millions of tiny contacts read by the command line in child processes
#     whose peak memory is held to the README's bound.
# It ends with one line of counts; contacts lost must be 0.
set -uo pipefail
cd "$(dirname "$0")/.."
KILLS=${KILLS:-300}
FUZZTIME=${FUZZTIME:-60s}
COMPACTIONS=${COMPACTIONS:-10}
log=.cache/reliability
mkdir -p "$log"
failed=0

echo "== SIGKILL loop: $KILLS kills"
SYNCGUARD_KILLS=$KILLS CGO_ENABLED=0 go test -count=1 -timeout 60m -run 'Crash' -v ./internal/history/ >"$log/crash.txt" 2>&1 || failed=1
# Two loops: snapshots over an existing history (KILLS), and first snapshots taken in a
# stream (KILLS/3): the total of both is what survived.
survived=$(grep -oE '^crash test.*survived [0-9]+' "$log/crash.txt" | grep -oE '[0-9]+$' | awk '{s += $1} END {print s + 0}')
[ -z "$survived" ] && survived=0
# Kills that landed inside a write transaction (the child reports entering and leaving each
# one): a loop where none did proved nothing about crashes, and the test fails then too.
midwrite=$(grep -oE '^crash test.*[0-9]+ inside a write' "$log/crash.txt" | grep -oE '[0-9]+ inside' | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
[ -z "$midwrite" ] && midwrite=0
streamkills=$(( KILLS / 3 > 6 ? KILLS / 3 : 6 ))
KILLS_TOTAL=$(( KILLS + streamkills ))
grep -E 'survived|FAIL|ok ' "$log/crash.txt" | tail -5

echo "== folder restores killed ($(( KILLS / 10 > 4 ? KILLS / 10 : 4 )) kills), compaction with a second process waiting ($COMPACTIONS runs)"
# A folder restore killed at random: the folder is absent or complete, never a cut-off card.
SYNCGUARD_KILLS=$KILLS CGO_ENABLED=0 go test -count=1 -timeout 30m -run 'TestCrashDuringAFolderRestore' -v ./internal/exports/ >"$log/restore-kills.txt" 2>&1 || failed=1
restorekills=$(grep -oE '^crash test \(folder restore\): survived [0-9]+' "$log/restore-kills.txt" | grep -oE '[0-9]+$' | awk '{s += $1} END {print s + 0}')
restoremid=$(grep -oE '^crash test \(folder restore\).*[0-9]+ inside a write' "$log/restore-kills.txt" | grep -oE '[0-9]+ inside' | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
[ "$restoremid" -gt 0 ] || failed=1
# A second process waiting for the history while the first compacts it records its
# snapshot in the history (not in the replaced file); a failed compaction leaves it
# working; compaction under concurrent readers is race-free (the race detector needs cgo).
CGO_ENABLED=0 go test -count="$COMPACTIONS" -timeout 30m -run 'TestCompactionDoesNotLoseAWaitingSnapshot|TestCompactionFailureLeavesAWorkingHistory' -v ./internal/history/ >"$log/compaction.txt" 2>&1 || failed=1
go test -race -count=1 -run 'TestCompactionWhileReading' ./internal/history/ >>"$log/compaction.txt" 2>&1 || failed=1
compacted=$(grep -c -- '^--- PASS: TestCompactionDoesNotLoseAWaitingSnapshot' "$log/compaction.txt" || true)
grep -E '^(--- FAIL|ok|FAIL)|DATA RACE' "$log/compaction.txt" | sort | uniq -c | sed 's/^/  /'
echo "  folder restores: survived $restorekills kills ($restoremid inside a write); waiting snapshots kept across compaction: $compacted of $COMPACTIONS"
[ "$compacted" -ge "$COMPACTIONS" ] || failed=1

echo "== fuzzing, $FUZZTIME per target"
targets=0 crashes=0 execs=0
for pkg in $(go list ./internal/... ./assets/... 2>/dev/null); do
	for t in $(CGO_ENABLED=0 go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz'); do
		targets=$((targets + 1))
		out="$log/fuzz-${t}.txt"
		# Minimizing each new interesting input may otherwise take a minute of the budget
		# (the file-based targets spend it writing files), so it is capped.
		if CGO_ENABLED=0 go test -run '^$' -fuzz "^${t}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 2s "$pkg" >"$out" 2>&1; then
			n=$(grep -oE 'execs: [0-9]+' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
			echo "  $t ($pkg): $n inputs, no crash"
		else
			n=$(grep -oE 'execs: [0-9]+' "$out" | tail -1 | grep -oE '[0-9]+' || echo 0)
			crashes=$((crashes + 1))
			failed=1
			echo "  $t ($pkg): FAILED after $n inputs; see $out (the crasher is saved under testdata/fuzz)"
		fi
		execs=$((execs + n))
	done
done

echo "== bad-input suite"
CGO_ENABLED=0 go test -count=1 -timeout 30m -tags reliability -run 'Reliability' -v ./internal/... >"$log/badinput.txt" 2>&1 || failed=1
runs=$(grep -c -E '^\s*--- (PASS|FAIL): TestReliability' "$log/badinput.txt" || true)
lost=$(grep -oE 'contacts lost: [0-9]+' "$log/badinput.txt" | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
[ -z "$lost" ] && lost=0
grep -E -- '--- (PASS|FAIL)|contacts lost' "$log/badinput.txt" | sed 's/^/  /'
# The memory-bound case runs the command line in child processes on files of millions of
# tiny contacts; each run prints its peak resident memory.
memruns=$(grep -cE 'exit [0-9]+, peak [0-9]+ MB' "$log/badinput.txt" || true)
mempeak=$(grep -oE 'peak [0-9]+ MB' "$log/badinput.txt" | grep -oE '[0-9]+' | sort -n | tail -1)
[ -z "$mempeak" ] && mempeak=0

echo
echo "reliability: runs: $runs bad-input cases, kills survived: $survived of $KILLS_TOTAL ($midwrite inside a write), folder restore kills survived: $restorekills ($restoremid inside a write), snapshots kept across compaction: $compacted of $COMPACTIONS, fuzz targets: $targets, inputs tried: $execs, crashes found: $crashes, contacts lost: $lost, memory-bound runs: $memruns (highest peak $mempeak MB)"
[ "$survived" -ge "$KILLS_TOTAL" ] || failed=1
[ "$midwrite" -gt 0 ] || failed=1
[ "$lost" = 0 ] || failed=1
exit $failed
