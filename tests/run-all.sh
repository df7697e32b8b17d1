#!/bin/sh
# make check: every cmocka binary, every end-to-end script and the JSON-Schema-Test-Suite,
# each run to its end (one failing suite does not hide the others), then one totals line:
#   tests: N passed, N failed, N skipped
# The corpus is $CREDCONV_CORPUS (default ../shared/corpus).  With CORPUS_REQUIRED=1 (CI), a
# missing corpus or any skipped corpus test fails the run: green must mean tested.
# TEST_JOBS=N runs N suites at once (default 1; make valgrind uses one per core), each into
# a log of its own, printed whole and in the usual order once all have run.  TEST_WRAP is a
# command put before each cmocka binary and the suite (make valgrind: valgrind memcheck);
# the end-to-end scripts take theirs from $CREDCONV.
# Usage: run-all.sh SUITE_BINARY UNIT_BINARY...
set -u

# One suite, by its number in the list (run-all.sh --one N KIND PATH, called through xargs
# with $logs exported): its output goes to $logs/N.log, its exit status to $logs/N.rc.
if [ "${1:-}" = --one ]; then
    n=$2 kind=$3 path=$4
    case $kind in
        unit) ${TEST_WRAP:-} "$path" >"$logs/$n.log" 2>&1 ;;
        e2e) sh "$path" >"$logs/$n.log" 2>&1 ;;
        suite) ${TEST_WRAP:-} "$path" "$CORPUS/json-schema-test-suite" >"$logs/$n.log" 2>&1 ;;
    esac
    echo $? >"$logs/$n.rc"
    echo "   done: $path"
    exit 0
fi

suite=$1
shift
export CORPUS="${CREDCONV_CORPUS:-../shared/corpus}"
logs=$(mktemp -d)
export logs
trap 'rm -rf "$logs"' EXIT
pass=0 fail=0 skip=0 corpus_skip=0 broken=""

add() { pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3)); }

n=0
for t in "$@"; do n=$((n + 1)); echo "$n unit $t"; done >"$logs/list"
for s in tests/e2e/e2e*.sh; do n=$((n + 1)); echo "$n e2e $s"; done >>"$logs/list"
echo "$((n + 1)) suite $suite" >>"$logs/list"
# Each suite's own status is in its .rc file; a missing one (the child died) is a failure.
xargs -P "${TEST_JOBS:-1}" -L 1 sh "$0" --one <"$logs/list"

# cmocka: "[  PASSED  ] N test(s)." and the like; a binary that dies counts as one failure.
unit_totals() {
    echo "== $2"
    cat "$logs/$1.log"
    rc=$(cat "$logs/$1.rc" 2>/dev/null || echo 1)
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$logs/$1.log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$logs/$1.log" | awk '{s+=$1} END {print s+0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$logs/$1.log" | awk '{s+=$1} END {print s+0}')
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    add "$p" "$f" "$s"
    corpus_skip=$((corpus_skip + s))
    [ "$rc" -ne 0 ] && broken="$broken $2"
}

# End-to-end scripts: their last line is "NAME: N passed, N failed, N skipped".
e2e_totals() {
    echo "== $2"
    cat "$logs/$1.log"
    rc=$(cat "$logs/$1.rc" 2>/dev/null || echo 1)
    line=$(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$logs/$1.log" | tail -1)
    if [ -z "$line" ]; then
        add 0 1 0
        broken="$broken $2"
        return
    fi
    set -- "$2" $(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
    add "$2" "$3" "$4"
    cs=$(echo "$line" | sed -nE 's/.*\(([0-9]+) for want of the corpus\).*/\1/p')
    corpus_skip=$((corpus_skip + ${cs:-$4}))
    [ "$rc" -ne 0 ] && [ "$3" -eq 0 ] && { add 0 1 0; broken="$broken $1"; }
}

# The JSON-Schema-Test-Suite: the in-scope required tests count (the optional ones are
# reported by the suite itself); its own skips need meta-schemas the corpus does not hold.
suite_totals() {
    echo "== $2"
    cat "$logs/$1.log"
    rc=$(cat "$logs/$1.rc" 2>/dev/null || echo 1)
    if grep -q '^SKIP: ' "$logs/$1.log"; then
        add 0 0 1
        corpus_skip=$((corpus_skip + 1))
    else
        for req in $(sed -nE 's/^draft[0-9-]+ required: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1,\2,\3/p' "$logs/$1.log"); do
            add $(echo "$req" | tr ',' ' ')
        done
    fi
    [ "$rc" -ne 0 ] && { add 0 1 0; broken="$broken $2"; }
}

while read -r n kind path; do
    "${kind}_totals" "$n" "$path"
done <"$logs/list"

[ -n "$broken" ] && echo "failed or crashed:$broken"
if [ "${CORPUS_REQUIRED:-0}" = 1 ]; then
    if [ ! -d "$CORPUS" ]; then
        echo "CORPUS_REQUIRED=1: the corpus $CORPUS is absent"
        fail=$((fail + 1))
    elif [ "$corpus_skip" -gt 0 ]; then
        echo "CORPUS_REQUIRED=1: $corpus_skip corpus tests were skipped"
        fail=$((fail + corpus_skip))
    fi
fi
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
