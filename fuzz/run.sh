#!/bin/sh
# Runs every fuzz target for FUZZ_SECONDS each (default 60) on a seed corpus made from
# samples/ and the tests' own cases; prints libFuzzer's last status line per target and
# fails if any target found a crash or a leak (the input is kept in fuzz/crashes/).
# Usage: sh fuzz/run.sh BUILD_DIR [SECONDS]
set -u
bin=$1
secs=${2:-${FUZZ_SECONDS:-60}}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/crashes"
status=0
for target in "$bin"/fuzz_*; do
    [ -f "$target" ] && [ -x "$target" ] || continue
    name=$(basename "$target")
    seeds="$bin/corpus-$name"
    mkdir -p "$seeds"
    case $name in
        fuzz_rncp) cp "$here/../samples/"*.xml "$here/seeds/"*.xml "$seeds/" 2>/dev/null ;;
        fuzz_model) cp "$here/seeds/"*.json "$seeds/" 2>/dev/null ;;
        fuzz_ob3) cp "$here/seeds/"ob3-*.json "$here/../../shared/corpus/ob/examples/ob3-spec/"*.json "$seeds/" 2>/dev/null ;;
        fuzz_csv) cp "$here/../samples/"*.csv "$here/seeds/"*.csv "$seeds/" 2>/dev/null ;;
    esac
    log="$bin/log-$name"
    (cd "$here/.." && "$target" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
        -artifact_prefix="$here/crashes/$name-" "$seeds" >"$log" 2>&1)
    rc=$?
    last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
    execs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1)
    printf '%-12s %s  %s\n' "$name" "${execs:-?}" "$last"
    if [ $rc -ne 0 ]; then
        echo "$name: FAILED (exit $rc), see $log and fuzz/crashes/"
        grep -E 'ERROR|SUMMARY' "$log" | head -5
        status=1
    fi
done
exit $status
