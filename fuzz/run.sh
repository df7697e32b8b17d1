#!/bin/sh
# Runs every fuzz target on a seed corpus made from samples/ and the tests' own cases; prints
# libFuzzer's last status line per target and fails if any target found a crash or a leak
# (the input is kept in fuzz/crashes/).
#
# Each target first replays fuzz/regress/<target>-*: inputs that once crashed or leaked.
# Inputs may be as large as the format needs (max_len_of): 1 MiB where cost grows with
# structure (JSON-LD contexts, EDC idrefs, RNCP attributes, CSV rows of one code, SVG
# namespaces), 256 KiB for tokens and signed documents.  Each input has FUZZ_TIMEOUT seconds
# (default 5: the 2 s every input must stay under, uninstrumented, times the ASan+UBSan
# slowdown), so a super-linear path at those sizes fails the run as a timeout, with the input
# kept in fuzz/crashes/.
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
timeout=${FUZZ_TIMEOUT:-5}
max_len_of() {
    case $1 in
        fuzz_jose|fuzz_ob2|fuzz_signed) echo 262144 ;;
        *) echo 1048576 ;;
    esac
}
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
        fuzz_edc3) cp "$C/edc/elm-v3/samples/"*.json* "$C/edc/elm-v3/ebsi-vcdm2.0-europass-edc-schema/examples/"*.json \
                      "$C/edc/elm-v3/edci-2.x-samples/"*.json* "$seeds/" 2>/dev/null ;;
        fuzz_edc) cp "$S/"edc-*.xml "$C/edc/edci-1.x/samples/"*.xml "$seeds/" 2>/dev/null ;;
        fuzz_ob2) cp "$S/"ob2-*.json "$C/ob/validator-dcpv/ob20/"*.json "$C/ob/validator-dcpv/ob20/"*.jwt \
                     "$C/ob/test-vectors/generated/"ob2-*.json* "$seeds/" 2>/dev/null ;;
        fuzz_jose) cp "$S/"jose-* "$C/ob/validator-dcpv/"*/*.jwt "$C/ob/test-vectors/generated/"*.jw* \
                      "$seeds/" 2>/dev/null ;;
        fuzz_bake) cp "$S/"bake-* "$here/../samples/"badge.* "$C/ob/community/mozilla-bakery/"* "$C/ob/validator-dcpv/ob30/"*.svg \
                      "$C/ob/test-vectors/generated/"*baked* "$seeds/" 2>/dev/null ;;
        fuzz_rdf) cp "$S/"rdf-* "$C/ob/test-vectors/rdfc-1.0-w3c/rdfc10/"*-in.nq \
                     "$C/ob/test-vectors/eddsa-rdfc-2022/"*/*.txt "$seeds/" 2>/dev/null ;;
        fuzz_signed) cp "$S/"ob3-*.json "$S/"rdf-inline-context.json "$C/ob/examples/ob3-spec/"*.json \
                        "$C/ob/test-vectors/eddsa-rdfc-2022/"*/credential.json "$seeds/" 2>/dev/null
                     cp "$C/ob/test-vectors/eddsa-rdfc-2022/obv3p0/signed-credential.json" "$seeds/ob-signed.json" 2>/dev/null
                     cp "$C/ob/test-vectors/eddsa-rdfc-2022/clrv2p0/credential.json" "$seeds/clr-credential.json" 2>/dev/null ;;
        fuzz_jsonschema) cp "$S/"schema-*.json "$S/"ob3-*.json "$C/ob/examples/ob3-spec/"*.json "$seeds/" 2>/dev/null ;;
        fuzz_jsonfast) cp "$S/"*.json "$C/ob/examples/ob3-spec/"*.json "$seeds/" 2>/dev/null ;;
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
    (cd "$here/.." && "$target" $budget -max_len="$(max_len_of "$name")" -timeout="$timeout" -rss_limit_mb=1024 \
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
