#!/bin/sh
# --jobs N (issue 17.5): with 1, 2 and 0 (one per core) threads, convert (plain rncp -> ob3,
# issuing + VC-JWT, issuing + Data Integrity) and sign (Data Integrity, VC-JWT EdDSA and
# ES256) give the same stdout, stderr, exit status and --report, byte for byte, inputs with
# bad records and bad rows mixed in; ES256 (a random signature) the same headers and
# payloads, each token verified.  A bad --jobs is a usage error.
. tests/e2e/sh_lib.sh
export SOURCE_DATE_EPOCH=1790000000
S=samples/rncp-sample.xml
I=samples/issuer.json
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl pkey -in "$T/ec.pem" -pubout -out "$T/ec.pub.pem" 2>/dev/null

# same_jobs NAME RC CMD...: CMD with --jobs 1, 2 and 0 exits RC each time and writes the same
# stdout ($T/j1.out), stderr and --report ($T/j1.rep) as with 1 (CMD puts --report itself
# where it takes one: the word REPORT is replaced by the file).
same_jobs() {
    name=$1 want=$2
    shift 2
    for j in 1 2 0; do
        rep="$T/j$j.rep"
        : >"$rep"
        # shellcheck disable=SC2046
        "$@" --jobs "$j" $(printf '%s' "${REPORT:+--report $rep}") >"$T/j$j.out" 2>"$T/j$j.err"
        got=$?
        [ "$got" -eq "$want" ] && ok || { ko "$name --jobs $j: exit $got, expected $want"; head -3 "$T/j$j.err"; }
    done
    [ -s "$T/j1.out" ] && ok || ko "$name: no output with --jobs 1"
    for j in 2 0; do
        same "$T/j1.out" "$T/j$j.out" "$name: stdout with --jobs $j"
        same "$T/j1.err" "$T/j$j.err" "$name: stderr with --jobs $j"
        same "$T/j1.rep" "$T/j$j.rep" "$name: --report with --jobs $j"
    done
}

# recipients with bad rows (an address that is none, an impossible date, an unknown code)
# among good ones, many of them so records are in flight when the bad ones come
{
    cat samples/recipients.csv
    i=0
    while [ $i -lt 300 ]; do
        echo "p$i@example.org,Prénom,Nom$i,RNCP99001BC0$((i % 2 + 1)),,2026-06-30"
        [ $((i % 50)) -eq 7 ] && echo "bad$i,Zoé,Durand,RS99002,,"
        [ $((i % 70)) -eq 3 ] && echo "x$i@example.org,Omar,Diallo,RNCP12345,,"
        i=$((i + 1))
    done
} >"$T/r.csv"

REPORT=1
# -v: the writers' notes (losses) come from the workers, between the readers' diagnostics
same_jobs "convert rncp -> ob3" 0 "$CC_BIN" convert -v -t ob3 "$S"
same_jobs "issuing, bad rows mixed in" 1 "$CC_BIN" convert -v -t ob3 --issuer "$I" --recipients "$T/r.csv" "$S"
has "$T/j2.err" "csv-unknown-code" "the bad rows are reported"
jqtrue "$T/j2.rep" '.records.rejected > 0 and .records.written > 300' "the counts have rejected and written records"
same_jobs "issuing + VC-JWT EdDSA" 1 "$CC_BIN" convert -t ob3 --issuer "$I" --recipients "$T/r.csv" --sign "$T/ed.pem" "$S"
count "$T/j0.out" '^ey' "$(wc -l <"$T/j1.out")" "one token a line"
# ES256 signatures are random: the same headers and payloads, each verified
"$CC_BIN" convert -q -t ob3 --issuer "$I" --recipients "$T/r.csv" --sign "$T/ec.pem" "$S" >"$T/es1" 2>/dev/null
"$CC_BIN" convert -q -t ob3 --issuer "$I" --recipients "$T/r.csv" --sign "$T/ec.pem" --jobs 2 "$S" >"$T/es2" 2>/dev/null
cut -d. -f1,2 "$T/es1" >"$T/es1.hp"
cut -d. -f1,2 "$T/es2" >"$T/es2.hp"
[ -s "$T/es1.hp" ] && same "$T/es1.hp" "$T/es2.hp" "ES256 --jobs 2: the same headers and payloads, in order" ||
    ko "ES256: no tokens"
run 0 "ES256 --jobs 2: every token verifies" "$CC_BIN" verify -q --key "$T/ec.pub.pem" "$T/es2"

if ctx_map; then
    same_jobs "issuing + Data Integrity" 1 "$CC_BIN" convert -t ob3 --issuer "$I" --recipients "$T/r.csv" \
        --sign "$T/ed.pem" --suite eddsa-rdfc-2022 --kid did:key:z6Mk $M "$S"
else
    skipped "issuing + Data Integrity --jobs"
fi
if [ -f "$R12" ]; then
    same_jobs "12 real fiches -> ob3" 0 "$CC_BIN" convert -v -t ob3 "$R12"
    count "$T/j0.err" 'note: .*loss' "$(grep -c 'note: .*loss' "$T/j1.err")" "the notes, all of them"
    same_jobs "12 real fiches -> ob3 --strict ignored" 0 "$CC_BIN" convert --strict -t ob3 "$R12"
else
    skipped "12 real fiches --jobs"; skipped "12 real fiches --jobs --strict"
fi

# sign: NDJSON with lines that are not credentials, and an input that is missing
REPORT=
"$CC_BIN" convert -q -t ob3 --issuer "$I" --recipients "$T/r.csv" "$S" >"$T/creds" 2>/dev/null
{ head -n 40 "$T/creds"; echo '{"bad":'; echo 'not json'; tail -n +41 "$T/creds"; } >"$T/mixed"
same_jobs "sign VC-JWT EdDSA, bad lines" 2 "$CC_BIN" sign --key "$T/ed.pem" "$T/mixed" "$T/missing.json" "$T/mixed"
has "$T/j2.err" "missing.json: error: cannot read" "the missing input is reported"
has "$T/j2.err" "mixed:41: error" "the bad line is reported where it is"
same_jobs "sign VC-JWT EdDSA, from stdin" 1 sh -c '"$0" sign --key "$1" "$2" <"$3"' "$CC_BIN" "$T/ed.pem" - "$T/mixed"
if ctx_map; then
    same_jobs "sign Data Integrity, bad lines" 1 "$CC_BIN" sign --suite eddsa-rdfc-2022 --key "$T/ed.pem" \
        --kid https://www.ecole-du-cycle.example/#key-1 $M "$T/mixed"
else
    skipped "sign Data Integrity --jobs"
fi
"$CC_BIN" sign -q --key "$T/ec.pem" "$T/creds" 2>/dev/null | cut -d. -f1,2 >"$T/s1"
"$CC_BIN" sign -q --key "$T/ec.pem" --jobs 2 "$T/creds" 2>/dev/null >"$T/s2.full"
cut -d. -f1,2 "$T/s2.full" >"$T/s2"
same "$T/s1" "$T/s2" "sign ES256 --jobs 2: the same headers and payloads"
run 0 "sign ES256 --jobs 2: every token verifies" "$CC_BIN" verify -q --key "$T/ec.pub.pem" "$T/s2.full"

run 2 "--jobs x refused" "$CC_BIN" convert -t ob3 --jobs x "$S"
has "$T/err" "--jobs takes a whole number" "the message says what it takes"
run 2 "--jobs -1 refused" "$CC_BIN" convert -t ob3 --jobs -1 "$S"
run 2 "--jobs 2x refused" "$CC_BIN" convert -t ob3 -j 2x "$S"
run 2 "--jobs with validate refused" "$CC_BIN" validate --jobs 2 "$S"
has "$T/err" "--jobs goes with convert and sign" "which commands take it"
run 0 "-j 2" "$CC_BIN" convert -q -t ob3 -j 2 "$S"
e2e_end e2e-jobs
