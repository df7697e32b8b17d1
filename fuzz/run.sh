#!/bin/sh
# Runs every fuzz target on a seed corpus made from samples/ and the tests' own cases; prints
# libFuzzer's last status line per target and fails if any target found a crash or a leak
# (the input is kept in fuzz/crashes/).
#
# Each target first replays fuzz/regress/<target>-*: inputs that once crashed or leaked.
# Then it fuzzes, in one of two modes:
#   sh fuzz/run.sh BUILD_DIR time SECONDS   random seed, SECONDS per target (exploration)
#   sh fuzz/run.sh BUILD_DIR runs N         seed 1, N inputs per target: the same inputs on
#                                           every machine, so CI cannot turn red by luck
set -u
bin=$1
mode=${2:-time}
amount=${3:-60}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/crashes"
case $mode in
    time) budget="-max_total_time=$amount" ;;
    runs) budget="-runs=$amount -seed=1" ;;
    *) echo "usage: sh fuzz/run.sh BUILD_DIR time SECONDS | runs N" >&2; exit 2 ;;
esac
status=0
for target in "$bin"/fuzz_*; do
    [ -f "$target" ] && [ -x "$target" ] || continue
    name=$(basename "$target")
    seeds="$bin/corpus-$name"
    mkdir -p "$seeds"
    S=$here/seeds C=$here/../../shared/corpus
    case $name in
        fuzz_rncp) cp "$here/../samples/"*.xml "$S/legacy.xml" "$seeds/" 2>/dev/null ;;
        fuzz_model) cp "$S/record.json" "$seeds/" 2>/dev/null ;;
        fuzz_ob3) cp "$S/"ob3-*.json "$C/ob/examples/ob3-spec/"*.json "$seeds/" 2>/dev/null ;;
        fuzz_csv) cp "$here/../samples/"*.csv "$S/"*.csv "$seeds/" 2>/dev/null ;;
        fuzz_edc) cp "$S/"edc-*.xml "$C/edc/edci-1.x/samples/"*.xml "$seeds/" 2>/dev/null ;;
        fuzz_ob2) cp "$S/"ob2-*.json "$C/ob/validator-dcpv/ob20/"*.json "$C/ob/validator-dcpv/ob20/"*.jwt \
                     "$C/ob/test-vectors/generated/"ob2-*.json* "$seeds/" 2>/dev/null ;;
        fuzz_jose) cp "$S/"jose-* "$C/ob/validator-dcpv/"*/*.jwt "$C/ob/test-vectors/generated/"*.jw* \
                      "$seeds/" 2>/dev/null ;;
        fuzz_bake) cp "$S/"bake-* "$here/../samples/"badge.* "$C/ob/community/mozilla-bakery/"* "$C/ob/validator-dcpv/ob30/"*.svg \
                      "$C/ob/test-vectors/generated/"*baked* "$seeds/" 2>/dev/null ;;
        fuzz_rdf) cp "$S/"rdf-* "$C/ob/test-vectors/rdfc-1.0-w3c/rdfc10/"*-in.nq \
                     "$C/ob/test-vectors/eddsa-rdfc-2022/"*/*.txt "$seeds/" 2>/dev/null ;;
        fuzz_jsonschema) cp "$S/"schema-*.json "$S/"ob3-*.json "$C/ob/examples/ob3-spec/"*.json "$seeds/" 2>/dev/null ;;
    esac
    log="$bin/log-$name"
    regress=$(ls "$here/regress/$name-"* 2>/dev/null)
    if [ -n "$regress" ]; then
        # shellcheck disable=SC2086  # one argument per file; the names have no spaces
        if ! (cd "$here/.." && "$target" $regress >"$log" 2>&1); then
            echo "$name: FAILED on a regression input, see $log"
            grep -E 'ERROR|SUMMARY|Running' "$log" | head -5
            status=1
            continue
        fi
    fi
    # shellcheck disable=SC2086  # $budget is two options in runs mode
    (cd "$here/.." && "$target" $budget -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
        -artifact_prefix="$here/crashes/$name-" "$seeds" >"$log" 2>&1)
    rc=$?
    last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
    execs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1)
    printf '%-16s %s  %s\n' "$name" "${execs:-?}" "$last"
    if [ $rc -ne 0 ]; then
        echo "$name: FAILED (exit $rc), see $log and fuzz/crashes/"
        grep -E 'ERROR|SUMMARY' "$log" | head -5
        status=1
    fi
done
exit $status
