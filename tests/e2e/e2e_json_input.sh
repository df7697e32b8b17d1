#!/bin/sh
# End-to-end tests of how JSON enters credconv (converters/util/jsonread.c, one loader for all):
# JSON that two parsers read differently is refused (duplicate keys in every JSON read or
# verified, \u0000, integers beyond 64 bits); NDJSON lines are independent records (a bad
# one is reported with its line, the next ones are read, the counts add up); a document
# larger than --max-json-size, or whose values would take more than 8 times that in memory,
# is one error for that record, within 2 s and 256 MB (ulimit -v), never a crash or a hang.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_json_input.sh    (run from the project root)
. tests/e2e/sh_lib.sh
S=samples

# bounded WANT NAME CMD...: runs CMD under `ulimit -v 262144` (256 MB of address space) and
# checks its exit status, that it took at most 2 s of CPU (user + system: the machine is
# shared, so elapsed time says more about the others' load), and its peak RSS (/usr/bin/time).
# A sanitizer build cannot run under that limit (its shadow memory) and is slower: with it,
# only the exit status and the messages are checked.
LIMITED=$( (sh -c 'ulimit -v 262144; "$0" --version >/dev/null 2>&1 && echo yes' "$CC_BIN") 2>/dev/null)
bounded() {
    want=$1 name=$2
    shift 2
    if [ -z "$LIMITED" ]; then
        run "$want" "$name" "$@"
        skip=$((skip + 1)); echo "SKIP: $name: time and memory (a sanitizer build cannot run under ulimit -v)"
        return
    fi
    (ulimit -v 262144; exec /usr/bin/time -f '%U %S %M %e' -o "$T/time" "$@") >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else ko "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
    set -- $(tail -n 1 "$T/time")
    secs=$(awk -v u="${1:-99}" -v s="${2:-0}" 'BEGIN { printf "%.2f", u + s }') kb=${3:-999999}
    case "$secs$kb" in *[!0-9.]*) secs=99 kb=999999 ;; esac
    echo "    $name: $secs s CPU (${4:-?} s elapsed), $((kb / 1024)) MB peak RSS"
    awk -v s="$secs" 'BEGIN { exit !(s <= 2.0) }' && ok || ko "$name: $secs s of CPU, more than 2 s"
    [ "$kb" -le 262144 ] && ok || ko "$name: $kb KB peak RSS, more than 256 MB"
}
records() { jq -c .records "$1"; }

# ------------------------------------------------------------ inputs made from the samples
"$CC_BIN" convert -t model "$S/rncp-sample.xml" >"$T/m.jsonl"       # 2 records
"$CC_BIN" convert -t ob3 "$S/rncp-sample.xml" >"$T/ob3.jsonl"       # 4 documents: 2 fiches, 2 blocks
M1=$(sed -n 1p "$T/m.jsonl") M2=$(sed -n 2p "$T/m.jsonl")
O1=$(sed -n 1p "$T/ob3.jsonl") O3=$(sed -n 3p "$T/ob3.jsonl")

# ------------------------------------------------------------ NDJSON: one bad line
# A line cut short (the next record starts on the next line), a line that is not JSON, a
# line with a syntax error inside: each is one rejected record, the others are written.
for kind in cut garbage syntax; do
    case $kind in
        cut) bad=$(printf '%s' "$M2" | cut -c1-60) ;;
        garbage) bad='this is not JSON' ;;
        syntax) bad='{"model":"credconv-model/1",,"achievement":{}}' ;;
    esac
    printf '%s\n%s\n%s\n' "$M1" "$bad" "$M2" >"$T/m3.jsonl"
    run 1 "model NDJSON, bad middle line ($kind)" "$CC_BIN" convert -t model --report "$T/rep.json" "$T/m3.jsonl"
    has "$T/err" "m3.jsonl:2:[0-9]+: error: .*\\[json-syntax\\]" "model ($kind): the bad line, with line and column"
    count "$T/out" '"model":"credconv-model/1"' 2 "model ($kind): the lines before and after it are written"
    has "$T/err" '3 records read, 2 written, 1 rejected' "model ($kind): the counts add up"
    [ "$(records "$T/rep.json")" = '{"read":3,"written":2,"rejected":1,"filtered":0,"invalid":0,"discarded":0}' ] && ok \
        || ko "model ($kind): --report counts $(records "$T/rep.json")"
done
printf '%s\n%s\n%s\n' "$O1" "$(printf '%s' "$O3" | cut -c1-80)" "$O3" >"$T/o3.jsonl"
run 1 "ob3 NDJSON, bad middle line" "$CC_BIN" convert -f ob3 -t model --report "$T/rep.json" "$T/o3.jsonl"
has "$T/err" 'o3.jsonl:2:[0-9]+: error: premature end of input.*\[json-syntax\]' "ob3: the cut line, with line and column"
count "$T/out" '"model":"credconv-model/1"' 2 "ob3: the lines before and after it are written"
[ "$(records "$T/rep.json")" = '{"read":3,"written":2,"rejected":1,"filtered":0,"invalid":0,"discarded":0}' ] && ok \
    || ko "ob3: --report counts $(records "$T/rep.json")"
run 1 "ob3 NDJSON, bad middle line (validate)" env CREDCONV_SCHEMAS="${CREDCONV_SCHEMAS:-schemas}" \
    "$CC_BIN" validate -f ob3 "$T/o3.jsonl"
has "$T/err" 'o3.jsonl:2:[0-9]+: error: premature end of input' "validate: the cut line"
has "$T/err" '3 records read, 2 valid, 0 invalid, 1 rejected' "validate: the counts add up"

# Pretty-printed documents are still read, and a broken one is skipped up to the next.
jq . "$T/m.jsonl" >"$T/pretty.json"
run 0 "pretty-printed model records" "$CC_BIN" convert -t model "$T/pretty.json"
count "$T/out" '"model":"credconv-model/1"' 2 "pretty: both records"
{ printf '%s\n' "$M1" | jq . | sed '3s/"/"\\q/'; jq . <<EOF
$M2
EOF
} >"$T/pretty-bad.json"
run 1 "pretty-printed, the first one broken" "$CC_BIN" convert -t model "$T/pretty-bad.json"
has "$T/err" 'pretty-bad.json:3:[0-9]+: error: invalid escape' "pretty: the error where it is"
count "$T/out" '"model":"credconv-model/1"' 1 "pretty: the next document is read"

# ------------------------------------------------------------ duplicate keys
printf '%s\n' "$M1" | sed 's/"kind":"certification"/"kind":"block","kind":"certification"/' >"$T/dup-model.json"
run 1 "duplicate key (model input)" "$CC_BIN" convert -t model "$T/dup-model.json"
has "$T/err" 'dup-model.json:1:[0-9]+: error: duplicate object key near .*kind.*\[json-syntax\]' "model: refused at line:col"
[ -s "$T/out" ] && ko "model: nothing is written for a document with a duplicate key" || ok
printf '%s\n' "$O1" | sed 's/"name":"/"name":"Forged","name":"/' >"$T/dup-ob3.json"
run 1 "duplicate key (ob3 convert)" "$CC_BIN" convert -f ob3 -t model "$T/dup-ob3.json"
has "$T/err" 'dup-ob3.json:1:[0-9]+: error: duplicate object key near .*name.*\[json-syntax\]' "ob3 convert: refused"
hasnt "$T/out" 'Forged|Technicien' "ob3 convert: no value of either name"
run 1 "duplicate key (ob3 validate)" env CREDCONV_SCHEMAS="${CREDCONV_SCHEMAS:-schemas}" "$CC_BIN" validate -f ob3 "$T/dup-ob3.json"
has "$T/err" 'dup-ob3.json:1:[0-9]+: error: duplicate object key' "ob3 validate: refused"
hasnt "$T/err" '1 valid' "ob3 validate: not valid"
sed 's/"name": "École/"name": "Autre école", "name": "École/' "$S/issuer.json" >"$T/dup-issuer.json"
run 2 "duplicate key (--issuer)" "$CC_BIN" convert -t edc --issuer "$T/dup-issuer.json" \
    --recipients "$S/recipients.csv" -O "$T/edc" "$S/rncp-sample.xml"
has "$T/err" 'dup-issuer.json:[0-9]+:[0-9]+: error: duplicate object key near .*name.*\[issuer\]' "--issuer: refused at line:col"
# A JWK made here: the Ed25519 key's raw halves, base64url; a second "x" after the true one.
b64u() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
d=$(openssl pkey -in "$T/ed.pem" -outform DER | tail -c 32 | b64u)
x=$(openssl pkey -in "$T/ed.pem" -pubout -outform DER | tail -c 32 | b64u)
printf '{"kty":"OKP","crv":"Ed25519","x":"%s","d":"%s"}\n' "$x" "$d" >"$T/ed.jwk"
printf '{"kty":"OKP","crv":"Ed25519","x":"%s","d":"%s","x":"%s"}\n' "$x" "$d" "$x" >"$T/dup.jwk"
cat >"$T/one.json" <<'JSON'
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://ecole.example/issuer","type":["Profile"],"name":"École"},"validFrom":"2024-06-30T00:00:00Z","name":"Bloc 1","credentialSubject":{"id":"did:example:jeanne","type":["AchievementSubject"],"achievement":{"id":"https://ecole.example/a/1","type":["Achievement"],"name":"Bloc 1","description":"d","criteria":{"narrative":"n"}}}}
JSON
run 0 "a JWK made here signs" "$CC_BIN" sign --key "$T/ed.jwk" "$T/one.json"
run 2 "duplicate key (--key JWK)" "$CC_BIN" sign --key "$T/dup.jwk" "$T/one.json"
has "$T/err" 'dup.jwk: error: .*duplicate object key.*\[key-invalid\]' "--key: a JWK with a duplicate member is refused"

# The published CLR 2.0 vector with a second "name" before the signed one: jansson keeps the
# last value (the signed one), another parser the first: refused, never "valid".
CLR=$OB/test-vectors/eddsa-rdfc-2022/clrv2p0/signed-credential.json
if [ -f "$CLR" ] && [ -d "$OB/contexts" ]; then
    ctx_map
    MAP=$M
    run 0 "CLR vector verifies (integrity)" "$CC_BIN" verify $MAP --accept-unbound-key "$CLR"
    has "$T/out" 'signature valid' "CLR vector: the unchanged vector is valid"
    sed '19s/"name": "Sample Transcript",/"name": "Forged Transcript", "name": "Sample Transcript",/' "$CLR" >"$T/dup-clr.json"
    cmp -s "$CLR" "$T/dup-clr.json" && ko "the CLR vector was not changed" || ok
    run 1 "duplicate key (verify CLR 2.0)" "$CC_BIN" verify $MAP --accept-unbound-key "$T/dup-clr.json"
    has "$T/err" 'dup-clr.json:19:[0-9]+: error: duplicate object key near .*"name".* \(line 19, column [0-9]+\) \[json-syntax\]' "verify: the duplicate at line:col"
    hasnt "$T/out" 'valid \(' "verify: no valid verdict"
    hasnt "$T/out" 'signature valid' "verify: no signature valid"
    has "$T/out" 'dup-clr.json: JSON: INVALID \(json-syntax\)' "verify: INVALID, not NOT CHECKED"
    hasnt "$T/err" 'nothing to verify' "verify: no second, misleading message"
else
    skipped "CLR 2.0 vector with a duplicate name"
fi

# ------------------------------------------------------------ \u0000 and big integers
printf '%s\n' "$O1" | sed 's/"name":"/"name":"a\\u0000b/' >"$T/nul.json"
run 1 "\\u0000 in a string (ob3)" "$CC_BIN" convert -f ob3 -t model "$T/nul.json"
has "$T/err" 'nul.json:1:[0-9]+: error: \\u0000 is not allowed.*\[json-syntax\]' "\\u0000: refused with where"
printf '%s\n' "$M1" | sed 's/"kind":/"k\\u0000ind":"x","kind":/' >"$T/nulkey.json"
run 1 "\\u0000 in a key (model)" "$CC_BIN" convert -t model "$T/nulkey.json"
has "$T/err" 'nulkey.json:1:[0-9]+: error: .*(NUL|\\u0000).*\[json-syntax\]' "\\u0000 in a key: refused"
for n in 18446744073709551617 -9223372036854775809 100000000000000000000000000000; do
    printf '%s\n' "$O1" | sed "s/^{/{\"x\":$n,/" >"$T/int.json"
    run 1 "integer $n (ob3)" "$CC_BIN" convert -f ob3 -t model "$T/int.json"
    has "$T/err" 'int.json:1:[0-9]+: error: too big (negative )?integer.*\[json-syntax\]' "$n: refused, not read as another number"
    [ -s "$T/out" ] && ko "$n: nothing written" || ok
done
printf '%s\n' "$O1" | sed 's/^{/{"x":9223372036854775807,"y":-9223372036854775808,/' >"$T/int64.json"
run 0 "integers at the 64-bit limits are read exactly" "$CC_BIN" convert -f ob3 -t ob3 "$T/int64.json"
has "$T/out" '"x":9223372036854775807' "2^63-1 kept exactly"
has "$T/out" '"y":-9223372036854775808' "-2^63 kept exactly"

# ------------------------------------------------------------ size and memory
run 2 "--max-json-size below 1024" "$CC_BIN" convert -t model --max-json-size 10 "$T/m.jsonl"
has "$T/err" -- '--max-json-size needs a whole number from 1024' "the option's range"
python3 - "$T" <<'EOF'
import json, sys
T = sys.argv[1]
ob3 = open(T + '/ob3.jsonl').read().splitlines()
m = open(T + '/m.jsonl').read().splitlines()
def write(name, lines):
    with open(T + '/' + name, 'w') as f:
        f.write('\n'.join(lines) + '\n')
d = json.loads(ob3[0]); d['name'] = 'x' * (60 << 20)
write('s60.jsonl', [ob3[0], json.dumps(d), ob3[2]])
d = json.loads(m[0]); d['achievement']['title']['fr'] = 'y' * (100 << 20)
write('m100.jsonl', [m[0], json.dumps(d), m[1]])
for n in (200000, 120000):
    d = json.loads(ob3[0])
    d['alignment'] = [{"type": ["Alignment"], "targetName": "N%d" % i, "targetUrl": "u:%d" % i} for i in range(n)]
    write('align%d.jsonl' % n, [json.dumps(d, separators=(',', ':'))])
EOF
bounded 1 "60 MB string, 256 MB limit (ob3)" "$CC_BIN" convert -f ob3 -t model "$T/s60.jsonl"
has "$T/err" 's60.jsonl:2:1: error: a JSON document larger than 16777216 bytes \(--max-json-size\): skipped \[json-too-large\]' "60 MB: refused, with where and why"
count "$T/out" '"model":"credconv-model/1"' 2 "60 MB: the documents around it are converted"
bounded 1 "60 MB string, 256 MB limit (ob3 validate)" env CREDCONV_SCHEMAS="${CREDCONV_SCHEMAS:-schemas}" "$CC_BIN" validate -f ob3 "$T/s60.jsonl"
has "$T/err" 's60.jsonl:2:1: error: a JSON document larger than 16777216 bytes .*\[json-too-large\]' "validate 60 MB: refused"
has "$T/err" '3 records read, 2 valid, 0 invalid, 1 rejected' "validate 60 MB: the others are validated"
if [ -n "$LIMITED" ]; then  # out of memory needs the limit
    bounded 2 "60 MB string, --max-json-size 200 MB, 256 MB limit" "$CC_BIN" convert --max-json-size 200000000 -f ob3 -t model "$T/s60.jsonl"
    has "$T/err" 's60.jsonl:2:1: error: out of memory: reading this JSON document of [0-9]+ bytes needs about [0-9]+ MB \[json-memory\]' "out of memory: one error for that record"
    count "$T/out" '"model":"credconv-model/1"' 2 "out of memory: the documents around it are converted"
else
    skip=$((skip + 1)); echo "SKIP: out of memory under ulimit -v (a sanitizer build)"
fi
bounded 1 "100 MB model line, 256 MB limit" "$CC_BIN" convert -t model "$T/m100.jsonl"
has "$T/err" 'm100.jsonl:2:1: error: a JSON document larger than 16777216 bytes .*\[json-too-large\]' "100 MB line: refused"
count "$T/out" '"model":"credconv-model/1"' 2 "100 MB line: the lines around it are converted"
bounded 1 "200,000 alignments, 256 MB limit" "$CC_BIN" convert -f ob3 -t model "$T/align200000.jsonl"
has "$T/err" 'align200000.jsonl:1:1: error: a JSON document of [0-9]+ bytes whose values would take about [0-9]+ MB in memory: more than 8 × --max-json-size .*\[json-too-large\]' "200k alignments: refused before parsing"
bounded 0 "120,000 alignments, 256 MB limit" "$CC_BIN" convert -f ob3 -t model "$T/align120000.jsonl"
[ "$(jq '.achievement.alignments | length' "$T/out")" -eq 120000 ] 2>/dev/null && ok \
    || ko "120k alignments: every alignment read ($(jq '.achievement.alignments | length' "$T/out" 2>&1 | head -1))"
rm -f "$T"/s60.jsonl "$T"/m100.jsonl "$T"/align*.jsonl

# A broken document whose first line inside it starts a new one at its own start (found by
# fuzz_model and fuzz_ob2 in CI: the stream did not move on, for ever): each ends at once.
for f in fuzz/regress/fuzz_model-loop-restart-at-start.json fuzz/regress/fuzz_ob2-loop-restart-at-start.json; do
    fmt=model; case $f in *ob2*) fmt=ob2 ;; esac
    run 1 "no endless loop on $(basename "$f")" timeout 10 "$CC_BIN" convert -f $fmt -t model "$f"
done
finish e2e_json_input
