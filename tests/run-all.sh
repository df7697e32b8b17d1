#!/bin/sh
# make check: every cmocka binary, every end-to-end script and the JSON-Schema-Test-Suite,
# each run to its end (one failing suite does not hide the others), then one totals line:
#   tests: N passed, N failed, N skipped
# The corpus is $CREDCONV_CORPUS (default ../shared/corpus).  With CORPUS_REQUIRED=1 (CI), a
# missing corpus or any skipped corpus test fails the run: green must mean tested.
# Usage: run-all.sh SUITE_BINARY UNIT_BINARY...
set -u
suite=$1
shift
export CORPUS="${CREDCONV_CORPUS:-../shared/corpus}"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pass=0 fail=0 skip=0 corpus_skip=0 broken=""

add() { pass=$((pass + $1)); fail=$((fail + $2)); skip=$((skip + $3)); }

# cmocka: "[  PASSED  ] N test(s)." and the like; a binary that dies counts as one failure.
for t in "$@"; do
    echo "== $t"
    "$t" >"$logs/unit" 2>&1
    rc=$?
    cat "$logs/unit"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$logs/unit" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$logs/unit" | awk '{s+=$1} END {print s+0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$logs/unit" | awk '{s+=$1} END {print s+0}')
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    add "$p" "$f" "$s"
    corpus_skip=$((corpus_skip + s))
    [ "$rc" -ne 0 ] && broken="$broken $t"
done

# End-to-end scripts: their last line is "NAME: N passed, N failed, N skipped".
for s in tests/e2e/e2e*.sh; do
    echo "== $s"
    sh "$s" >"$logs/e2e" 2>&1
    rc=$?
    cat "$logs/e2e"
    line=$(grep -E '^[^ ]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$logs/e2e" | tail -1)
    if [ -z "$line" ]; then
        add 0 1 0
        broken="$broken $s"
        continue
    fi
    set -- $(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
    add "$1" "$2" "$3"
    cs=$(echo "$line" | sed -nE 's/.*\(([0-9]+) for want of the corpus\).*/\1/p')
    corpus_skip=$((corpus_skip + ${cs:-$3}))
    [ "$rc" -ne 0 ] && [ "$2" -eq 0 ] && { add 0 1 0; broken="$broken $s"; }
done

# The JSON-Schema-Test-Suite: the in-scope required tests count (the optional ones are
# reported by the suite itself); its own skips need meta-schemas the corpus does not hold.
echo "== $suite"
"$suite" "$CORPUS/json-schema-test-suite" >"$logs/suite" 2>&1
rc=$?
cat "$logs/suite"
if grep -q '^SKIP: ' "$logs/suite"; then
    add 0 0 1
    corpus_skip=$((corpus_skip + 1))
else
    for req in $(sed -nE 's/^draft[0-9-]+ required: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1,\2,\3/p' "$logs/suite"); do
        add $(echo "$req" | tr ',' ' ')
    done
fi
[ "$rc" -ne 0 ] && { add 0 1 0; broken="$broken $suite"; }

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
