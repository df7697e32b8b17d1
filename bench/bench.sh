#!/bin/sh
# bench.sh - time credconv against xmllint on a full-size RNCP V4.1 export.
#
#   bench/bench.sh [CREDCONV] [FICHES]
#
#   CREDCONV  the credconv binary (default ./credconv)
#   FICHES    fiches in the synthetic export (default 25600)
#
# 1. Makes bench/out/export.xml with bench/gen-export.sh when it is missing or
#    holds another number of fiches (counted as lines with "<FICHE>").
# 2. Times, best of 3 runs each, with GNU time (/usr/bin/time -f '%e %M':
#    wall seconds, peak RSS in KiB):
#        xmllint --stream --noout FILE
#        CREDCONV convert -f rncp -t model FILE > /dev/null
# 3. Prints input size, fiches, both wall times, the ratio credconv/xmllint,
#    credconv's peak RSS (highest of the 3 runs) and the machine, then a
#    verdict on the bars: ratio <= 2.0 and peak RSS <= 64 MiB.
#
# Exit status: 0 bars met; 1 a bar missed or a timed command failed;
# 2 cannot run (no /usr/bin/time, xmllint or CREDCONV).
#
# Environment:
#   CREDCONV_ARGS     arguments put before FILE (default
#                     "convert -f rncp -t model"); with CREDCONV_ARGS= and
#                     CREDCONV=cat the script times "cat FILE > /dev/null",
#                     a stand-in to test the script without credconv:
#                         CREDCONV_ARGS= bench/bench.sh cat 25600
#   BENCH_RUNS        runs per command (default 3)
#   BENCH_MAX_RATIO   bar for credconv/xmllint (default 2.0)
#   BENCH_MAX_RSS_MB  bar for credconv peak RSS in MiB (default 64)
#   GEN_*             passed to gen-export.sh (see there)

set -eu

here=$(cd "$(dirname "$0")" && pwd)

credconv=${1:-./credconv}
fiches=${2:-25600}
credconv_args=${CREDCONV_ARGS-convert -f rncp -t model}
runs=${BENCH_RUNS:-3}
max_ratio=${BENCH_MAX_RATIO:-2.0}
max_rss_mb=${BENCH_MAX_RSS_MB:-64}
out="$here/out"
file="$out/export.xml"
timebin=/usr/bin/time

case $fiches in ''|*[!0-9]*) echo "bench: FICHES must be a number: $fiches" >&2; exit 2 ;; esac
case $runs in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be a positive number: $runs" >&2; exit 2 ;; esac

# ---- tools
if [ ! -x "$timebin" ]; then
    echo "bench: $timebin is missing: install GNU time (Debian package 'time': apt-get install time)" >&2
    exit 2
fi
if ! "$timebin" -f '%e %M' -o /dev/null true 2>/dev/null; then
    echo "bench: $timebin does not accept -f/-o: GNU time (Debian package 'time') is needed" >&2
    exit 2
fi
if ! command -v xmllint >/dev/null 2>&1; then
    echo "bench: xmllint is missing (Debian package libxml2-utils)" >&2
    exit 2
fi
case $credconv in
    */*) [ -x "$credconv" ] || { echo "bench: $credconv is not an executable file (build credconv first)" >&2; exit 2; } ;;
    *) command -v "$credconv" >/dev/null 2>&1 || { echo "bench: command not found: $credconv" >&2; exit 2; } ;;
esac

# ---- input
have=-1
[ -f "$file" ] && have=$(grep -c '<FICHE>' "$file" || true)
if [ "$have" != "$fiches" ]; then
    if [ "$have" = -1 ]; then echo "bench: generating $file ($fiches fiches)"
    else echo "bench: $file has $have fiches, regenerating with $fiches"; fi
    sh "$here/gen-export.sh" "" "$file" "$fiches"
fi
bytes=$(wc -c < "$file" | tr -d ' ')

tmp=$(mktemp "${TMPDIR:-/tmp}/credconv-bench.XXXXXX")
trap 'rm -f "$tmp"' EXIT HUP INT TERM

# bestof NAME CMD...: runs CMD (stdout to /dev/null) $runs times; sets
# best_wall (lowest wall seconds) and max_rss (highest peak RSS, KiB).
bestof() {
    name=$1; shift
    best_wall=; max_rss=0
    i=1
    while [ "$i" -le "$runs" ]; do
        if ! "$timebin" -f '%e %M' -o "$tmp" "$@" > /dev/null; then
            echo "bench: FAIL: $name exited with an error (run $i): $*" >&2
            exit 1
        fi
        line=$(tail -n 1 "$tmp")      # the figures are on the last line
        wall=${line% *}; rss=${line#* }
        echo "  $name run $i: ${wall}s, $rss KiB" >&2
        if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
            best_wall=$wall
        fi
        [ "$rss" -gt "$max_rss" ] && max_rss=$rss
        i=$((i + 1))
    done
}

cat "$file" > /dev/null      # warm the page cache for both tools alike

echo "bench: timing xmllint ($runs runs)" >&2
bestof xmllint xmllint --stream --noout "$file"
x_wall=$best_wall; x_rss=$max_rss

echo "bench: timing $credconv${credconv_args:+ $credconv_args} ($runs runs)" >&2
# shellcheck disable=SC2086  # CREDCONV_ARGS is split into words on purpose
bestof credconv "$credconv" $credconv_args "$file"
c_wall=$best_wall; c_rss=$max_rss

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu" ] || cpu=unknown
ncpu=$(nproc 2>/dev/null || echo '?')

awk -v bytes="$bytes" -v fiches="$fiches" -v xw="$x_wall" -v xr="$x_rss" \
    -v cw="$c_wall" -v cr="$c_rss" -v maxr="$max_ratio" -v maxm="$max_rss_mb" \
    -v cmd="$credconv${credconv_args:+ $credconv_args}" -v ncpu="$ncpu" -v cpu="$cpu" -v runs="$runs" '
BEGIN {
    ratio = (xw > 0) ? cw / xw : (cw > 0 ? 999 : 1)
    rss_mb = cr / 1024
    printf "\n"
    printf "%-26s %s\n", "input", sprintf("%.1f MB (%d bytes)", bytes / 1e6, bytes)
    printf "%-26s %d\n", "fiches", fiches
    printf "%-26s %.2f s (peak RSS %.1f MiB)\n", "xmllint --stream --noout", xw, xr / 1024
    printf "%-26s %.2f s\n", "credconv", cw
    printf "%-26s %.2f (bar <= %s)\n", "ratio credconv/xmllint", ratio, maxr
    printf "%-26s %.1f MiB (bar <= %s)\n", "credconv peak RSS", rss_mb, maxm
    printf "%-26s %s\n", "credconv command", cmd " FILE"
    printf "%-26s best of %d runs, GNU time\n", "timing", runs
    printf "%-26s %s CPUs, %s\n", "machine", ncpu, cpu
    ok_ratio = (ratio <= maxr + 0); ok_rss = (rss_mb <= maxm + 0)
    printf "\nverdict: %s (ratio %.2f %s %s, peak RSS %.1f MiB %s %s)\n",
        (ok_ratio && ok_rss) ? "PASS" : "FAIL",
        ratio, ok_ratio ? "<=" : ">", maxr, rss_mb, ok_rss ? "<=" : ">", maxm
    exit (ok_ratio && ok_rss) ? 0 : 1
}'
