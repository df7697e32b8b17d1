#!/bin/sh
# bench.sh - credconv at national scale, against xmllint on the same input.
#
#   bench/bench.sh [CREDCONV] [FICHES]        (make bench)
#
# Makes bench/out/export.xml (FICHES fiches, default 25600, with bench/gen-export.sh) and
# the 1/4 and 1/2 size exports, then times, best of BENCH_RUNS runs (default 3) with GNU
# time (wall seconds, peak RSS):
#   xmllint --stream --noout                           the yardstick
#   rncp → model                                        bars: ratio <= 2.0, RSS <= 64 MiB
#   rncp → ob3 (achievements, each validated as written) bars: ratio <= 6.0, RSS <= 32 MiB
#   rncp.zip → ob3 (the export zipped, as published)    bars: same output, RSS <= 32 MiB
#   rncp → edc, one credential per block (recipients)   reported
#   rncp → edc3, the same credentials                   bars: <= 1.5 × rncp → edc, RSS <= 1.25 × its
#   rncp → ob3 at 1/4, 1/2 and full size                bar: memory does not grow
#                                                       (full RSS <= 1.25 × the 1/4 RSS)
#   validate -f ob3 on 10,000 written credentials       documents per second, reported
# and prints a table with the machine.  Exit status: 0 every bar met, 1 a bar missed or a
# command failed, 2 cannot run (no GNU time, xmllint or credconv).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
credconv=${1:-./credconv}
fiches=${2:-25600}
runs=${BENCH_RUNS:-3}
out="$here/out"
timebin=/usr/bin/time

case $fiches in ''|*[!0-9]*) echo "bench: FICHES must be a number: $fiches" >&2; exit 2 ;; esac
[ -x "$timebin" ] && "$timebin" -f '%e %M' -o /dev/null true 2>/dev/null ||
    { echo "bench: GNU time is needed (Debian package 'time')" >&2; exit 2; }
command -v xmllint >/dev/null 2>&1 || { echo "bench: xmllint is missing (libxml2-utils)" >&2; exit 2; }
[ -x "$credconv" ] || { echo "bench: $credconv is not an executable (build credconv first)" >&2; exit 2; }
mkdir -p "$out"
tmp=$(mktemp "${TMPDIR:-/tmp}/credconv-bench.XXXXXX")
trap 'rm -f "$tmp"' EXIT HUP INT TERM

# export N: the synthetic export of N fiches (made once, reused while it has N fiches).
export_of() {
    f="$out/export-$1.xml"
    [ "$1" = "$fiches" ] && f="$out/export.xml"
    have=-1
    [ -f "$f" ] && have=$(grep -c '<FICHE>' "$f" || true)
    [ "$have" = "$1" ] || sh "$here/gen-export.sh" "" "$f" "$1" >&2
    echo "$f"
}

# bestof NAME CMD...: runs CMD $runs times (stdout to /dev/null); sets wall (best) and rss
# (highest peak, KiB).
bestof() {
    name=$1; shift
    wall=; rss=0; i=1
    while [ "$i" -le "$runs" ]; do
        "$timebin" -f '%e %M' -o "$tmp" "$@" >/dev/null 2>"$tmp.err" ||
            { echo "bench: FAIL: $name (run $i): $*" >&2; tail -3 "$tmp.err" >&2; exit 1; }
        line=$(tail -n 1 "$tmp"); w=${line% *}; r=${line#* }
        echo "  $name run $i: ${w}s, $r KiB" >&2
        if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$w; fi
        [ "$r" -gt "$rss" ] && rss=$r
        i=$((i + 1))
    done
    rm -f "$tmp.err"
}

full=$(export_of "$fiches")
half=$(export_of $((fiches / 2)))
quarter=$(export_of $((fiches / 4)))
bytes=$(wc -c <"$full" | tr -d ' ')
# One recipient per block: 55,000-odd credentials from the full export.
"$credconv" convert -t model "$full" |
    grep -o '"code":"RNCP[0-9]*BC[0-9]*","kind":"skills-block"' | cut -d'"' -f4 |
    awk 'BEGIN { print "email,given_name,family_name,achievement" }
         { n++; printf "p%d@example.org,Prénom,Nom%d,%s\n", n, n, $0 }' >"$out/blocks.csv"
blocks=$(($(wc -l <"$out/blocks.csv") - 1))
cat "$full" >/dev/null  # warm the page cache for every tool alike

results=$out/results.txt
: >"$results"
row() { printf '%-44s %8s s  ratio %5s  peak RSS %6.1f MiB  %s\n' "$1" "$2" "$3" "$(echo "$4" | awk '{ print $1 / 1024 }')" "$5" >>"$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict=0
# check NAME RATIO MAXRATIO RSS MAXMIB
check() {
    ok=$(awk -v r="$2" -v mr="$3" -v m="$4" -v mm="$5" 'BEGIN { print (r <= mr && m / 1024 <= mm) ? "PASS" : "FAIL" }')
    [ "$ok" = PASS ] || verdict=1
    echo "$ok (bars: ratio <= $3, RSS <= $5 MiB)"
}

bestof xmllint xmllint --stream --noout "$full"; xw=$wall
row "xmllint --stream --noout" "$xw" "1.00" "$rss" ""

bestof model "$credconv" convert -q -f rncp -t model "$full"
r=$(ratio "$wall" "$xw"); row "rncp -> model" "$wall" "$r" "$rss" "$(check model "$r" 2.0 "$rss" 64)"

bestof ob3 "$credconv" convert -q -f rncp -t ob3 "$full"
r=$(ratio "$wall" "$xw"); full_rss=$rss
# Since every written record is checked against the OB 3.0 schema (a writer never emits what
# validate rejects), the bar is that of validated output; the engine's speed is issue 17's.
row "rncp -> ob3 (achievements, validated)" "$wall" "$r" "$rss" "$(check ob3 "$r" 6.0 "$rss" 32)"

# The export as data.gouv.fr publishes it: zipped.  Same output, memory as flat.
zipped="$out/export.zip"
[ -f "$zipped" ] && [ "$zipped" -nt "$full" ] || (cd "$out" && rm -f export.zip && zip -q export.zip "$(basename "$full")")
"$credconv" convert -q -t ob3 "$full" | cksum >"$tmp.plain"
"$credconv" convert -q -t ob3 "$zipped" | cksum >"$tmp.zip"
same_out=$(cmp -s "$tmp.plain" "$tmp.zip" && echo "same output as the XML" || { verdict=1; echo "OUTPUT DIFFERS"; })
rm -f "$tmp.plain" "$tmp.zip"
bestof zip "$credconv" convert -q -t ob3 "$zipped"
r=$(ratio "$wall" "$xw")
row "rncp.zip -> ob3 ($(($(wc -c <"$zipped") / 1000000)) MB zip)" "$wall" "$r" "$rss" "$same_out; $(check zip "$r" 7.0 "$rss" 32)"

bestof edc "$credconv" convert -q -f rncp -t edc --issuer "$root/samples/issuer.json" \
    --recipients "$out/blocks.csv" "$full"
r=$(ratio "$wall" "$xw"); row "rncp -> edc ($blocks credentials, 1 per block)" "$wall" "$r" "$rss" "reported"
edc_wall=$wall edc_rss=$rss

# EDC 3 (issue 15), the same credentials: within 1.5 x rncp -> edc, memory flat.
bestof edc3 "$credconv" convert -q -f rncp -t edc3 --issuer "$root/samples/issuer.json" \
    --recipients "$out/blocks.csv" "$full"
r=$(ratio "$wall" "$edc_wall")
# memory: no more than rncp -> edc's (itself flat: the reader holds one fiche) plus a quarter
row "rncp -> edc3 ($blocks credentials)" "$wall" "$(ratio "$wall" "$xw")" "$rss" \
    "$r x edc; $(check edc3 "$r" 1.5 "$rss" "$(awk -v e="$edc_rss" 'BEGIN { printf "%.1f", 1.25 * e / 1024 }')")"

for part in "$quarter" "$half"; do
    n=$(grep -c '<FICHE>' "$part")
    bestof "ob3 $n" "$credconv" convert -q -f rncp -t ob3 "$part"
    row "rncp -> ob3, $n fiches ($(($(wc -c <"$part") / 1000000)) MB)" "$wall" "-" "$rss" ""
    [ "$part" = "$quarter" ] && quarter_rss=$rss
done
grow=$(awk -v f="$full_rss" -v q="$quarter_rss" 'BEGIN { print (f <= 1.25 * q) ? "PASS" : "FAIL" }')
[ "$grow" = PASS ] || verdict=1
row "rncp -> ob3, $fiches fiches ($((bytes / 1000000)) MB)" "-" "-" "$full_rss" "$grow (memory flat: full <= 1.25 × 1/4)"

head -n 10001 "$out/blocks.csv" >"$out/10000.csv"
"$credconv" convert -q -t ob3 --issuer "$root/samples/issuer.json" --recipients "$out/10000.csv" \
    --id-base https://bench.example/c "$full" >"$out/10000.jsonl"
n=$(wc -l <"$out/10000.jsonl" | tr -d ' ')
bestof validate "$credconv" validate -q -f ob3 "$out/10000.jsonl"
row "validate -f ob3, $n credentials" "$wall" "-" "$rss" "$(awk -v n="$n" -v w="$wall" 'BEGIN { printf "%.0f documents/s", n / w }')"

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
{
    echo
    echo "input: $full, $((bytes / 1000000)) MB, $fiches fiches, $blocks blocks"
    echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}; best of $runs runs, GNU time"
    echo
    cat "$results"
    echo
    [ "$verdict" = 0 ] && echo "verdict: PASS" || echo "verdict: FAIL"
}
exit "$verdict"
