#!/bin/sh
# verify reads what credconv writes (files of records, line by line, of any size) and writes
# --report; counts add up after write errors; option values copied into the output are
# checked; the recipients CSV and the RNCP reader stay linear on hostile shapes; a fiche
# with two NUMERO_FICHE is rejected.
. tests/e2e/sh_lib.sh
S=samples
ISSUER="--issuer $S/issuer.json"
ms() { date +%s%N | cut -c1-13; }  # milliseconds
# counts_add_up REPORT NAME: read = written + rejected + filtered in a --report file.
counts_add_up() { jqtrue "$1" '.records | .read == .written + .rejected + .filtered' "$2: read = written + rejected + filtered"; }
asan() { case "$CC_BIN" in *asan*) true ;; *) false ;; esac; }
# Under valgrind (make valgrind) the sizes and timings below mean nothing: those runs are skipped.
valgrind_skip() { if under_valgrind; then skip=$((skip + 1)); echo "SKIP: $1 (under valgrind)"; else false; fi; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null

# ------------------------------------------------------------ verify: files of VC-JWTs
"$CC_BIN" convert -q -t ob3 $ISSUER --recipients $S/recipients.csv --sign "$T/ec.pem" -o "$T/three.jwt" $S/rncp-sample.xml 2>/dev/null
ntok=$(wc -l <"$T/three.jwt")
run 0 "token file: each line verified" "$CC_BIN" verify --accept-unbound-key --report "$T/vr.json" "$T/three.jwt"
count "$T/out" '^[^ ]*three\.jwt:[0-9]+: VC-JWT: signature valid' "$ntok" "one verdict per line, named FILE:LINE"
jqtrue "$T/vr.json" "(.verdicts | length) == $ntok and .verdictCounts.total == $ntok and .verdictCounts.valid == $ntok" "verify --report: one entry per line"
jqtrue "$T/vr.json" '.verdictCounts | .total == .valid + .invalid + .notChecked' "verify --report: verdict counts add up"
jqtrue "$T/vr.json" '[.verdicts[] | (.name | test("three\\.jwt:[0-9]+$")) and .kind == "VC-JWT" and .status == "valid" and .bound == false and (.checked | length > 0) and (.unchecked | test("who signed"))] | all' "verify --report: name, kind, status, bound, checked, unchecked"
run 1 "token file: unbound keys" "$CC_BIN" verify --report "$T/vr2.json" "$T/three.jwt"
count "$T/out" 'INVALID \(key-not-bound\)' "$ntok" "each line says key-not-bound"
hasnt "$T/out" 'signature valid' "no valid verdict for an unbound key"
jqtrue "$T/vr2.json" '[.verdicts[] | .status == "invalid" and .reason == "key-not-bound" and (.diagnostics | map(.rule) | index("key-not-bound"))] | all' "verify --report: reason and the entry's diagnostics"
# One tampered line among good ones: that line alone is INVALID.
awk 'NR == 2 { n = split($0, p, "."); p[2] = substr(p[2], 1, 20) (substr(p[2], 21, 1) == "A" ? "B" : "A") substr(p[2], 22); $0 = p[1] "." p[2] "." p[3] } { print }' "$T/three.jwt" >"$T/tampered.jwt"
run 1 "token file with one tampered line" "$CC_BIN" verify --accept-unbound-key "$T/tampered.jwt"
has "$T/out" 'tampered\.jwt:2: VC-JWT: INVALID' "the tampered line is INVALID"
hasnt "$T/out" 'tampered\.jwt:2: VC-JWT: signature valid' "no valid verdict for the tampered line"
count "$T/out" 'signature valid' $((ntok - 1)) "the other lines still verify"
# -q: errors only on stderr; the verdict lines (standard output) stay.
run 0 "verify -q: valid, unbound key accepted" "$CC_BIN" verify -q --accept-unbound-key "$T/three.jwt"
count "$T/out" 'signature valid' "$ntok" "verify -q still prints one verdict per line"
hasnt "$T/err" 'warning' "verify -q prints no per-line warning (key-not-bound accepted)"
"$CC_BIN" verify --accept-unbound-key "$T/three.jwt" >/dev/null 2>"$T/loud"
count "$T/loud" 'warning: .*\[key-not-bound\]' "$ntok" "without -q the same run warns once per line"
run 1 "verify -q: a tampered line" "$CC_BIN" verify -q --accept-unbound-key "$T/tampered.jwt"
has "$T/err" 'tampered\.jwt:2: error: ' "verify -q still prints the error"
has "$T/out" 'tampered\.jwt:2: VC-JWT: INVALID' "and the INVALID verdict"
# Standard input streams the same way.
run 0 "token file on standard input" sh -c "'$CC_BIN' verify --accept-unbound-key - <'$T/three.jwt'"
count "$T/out" '^<stdin>:[0-9]+: VC-JWT: signature valid' "$ntok" "stdin lines named <stdin>:LINE"
if ! valgrind_skip "a token file over 16 MiB"; then
# Larger than the old 16 MiB whole-file limit: 4,800 tokens (copies of the three), streamed.
awk -v n=1600 '{ l[NR] = $0 } END { for (i = 0; i < n; i++) for (j = 1; j <= NR; j++) print l[j] }' "$T/three.jwt" >"$T/big.jwt"
size=$(wc -c <"$T/big.jwt")
[ "$size" -gt 16777216 ] && ok || ko "the big token file is only $size bytes"
if command -v /usr/bin/time >/dev/null && ! asan; then
    run 0 "token file over 16 MiB streams" /usr/bin/time -o "$T/time" -f '%M' "$CC_BIN" verify -q --accept-unbound-key "$T/big.jwt"
    rss=$(tail -1 "$T/time")
    [ "$rss" -lt 65536 ] && ok || ko "verify of a $size-byte token file peaks at $rss KB (flat memory expected)"
else
    run 0 "token file over 16 MiB streams" "$CC_BIN" verify -q --accept-unbound-key "$T/big.jwt"
fi
count "$T/out" 'signature valid' 4800 "every one of the 4,800 lines verified"
hasnt "$T/err" 'File too large' "never refused for its size"
fi
# A line past the per-line bound is reported and skipped, the next one verified.
{ head -1 "$T/three.jwt"; head -c 17000000 /dev/zero | tr '\0' 'A'; echo; sed -n 2p "$T/three.jwt"; } >"$T/longline.jwt"
run 1 "a line over 16 MiB" "$CC_BIN" verify --accept-unbound-key "$T/longline.jwt"
has "$T/out" 'longline\.jwt:2: input: NOT CHECKED \(verify-limit\)' "the long line is NOT CHECKED, with its line"
has "$T/out" 'longline\.jwt:3: VC-JWT: signature valid' "the line after it is verified"
# A single document past the bound: NOT CHECKED, not an I/O error.
{ printf '{"a":"'; head -c 17000000 /dev/zero | tr '\0' 'A'; printf '"\n}\n'; } >"$T/huge.json"
run 1 "a single document over 16 MiB" "$CC_BIN" verify "$T/huge.json"
has "$T/out" 'huge\.json: input: NOT CHECKED \(verify-limit\)' "a huge document is NOT CHECKED"
# The report is atomic: an unwritable report path leaves nothing and exits 2.
run 2 "verify --report into a missing folder" "$CC_BIN" verify --report "$T/no/such/dir/r.json" "$T/three.jwt"
has "$T/err" 'cannot write the report' "the report error is said"
[ ! -e "$T/no" ] && ok || ko "a failed report left something behind"

# ------------------------------------------------------------ verify: Data Integrity NDJSON
C=$CORPUS/ob/contexts
if [ -f "$C/validator-credentials-v2.jsonld" ]; then
    # The issuer is not the did:key, so the method is named (--kid) and verify is given the key.
    KID="$(jq -r .id samples/issuer.json)#key-1"
    openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub.pem" 2>/dev/null
    CTX="--map-url https://www.w3.org/ns/credentials/v2=$C/validator-credentials-v2.jsonld --map-url https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json=$C/ob-v3p0-context-3.0.3.json"
    "$CC_BIN" convert -q -t ob3 $ISSUER --recipients $S/recipients.csv --sign "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "$KID" $CTX -o "$T/di.jsonl" $S/rncp-sample.xml 2>/dev/null
    ntok=$(wc -l <"$T/di.jsonl")
    [ "$ntok" -gt 1 ] && ok || ko "convert --suite wrote $ntok lines"
    run 0 "DI NDJSON from convert --sign --suite" "$CC_BIN" verify $CTX --key "$T/ed.pub.pem" --report "$T/di.json" "$T/di.jsonl"
    count "$T/out" '^[^ ]*di\.jsonl:[0-9]+: Data Integrity proof: signature valid' "$ntok" "each DI line verified, named FILE:LINE"
    hasnt "$T/err" 'nothing to verify' "no more 'nothing to verify'"
    jqtrue "$T/di.json" ".verdictCounts.valid == $ntok and (.verdicts | length) == $ntok" "DI report: one entry per line"
    counts_add_up "$T/di.json" "DI report records (the pipeline validated each line)"
    run 1 "DI NDJSON, the key not given nor fetchable" "$CC_BIN" verify $CTX "$T/di.jsonl"
    count "$T/out" 'NOT CHECKED \(di-no-key\)' "$ntok" "each DI line not checked"
    hasnt "$T/out" 'signature valid' "no valid DI verdict without the key"
    # sign --suite A B: one JSON credential per line.
    sed -n 1p "$T/di.jsonl" | jq -c 'del(.proof)' >"$T/c1.json"
    sed -n 2p "$T/di.jsonl" | jq -c 'del(.proof)' >"$T/c2.json"
    "$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "$KID" $CTX "$T/c1.json" "$T/c2.json" >"$T/signed2.jsonl" 2>/dev/null
    count "$T/signed2.jsonl" '"proof"' 2 "sign --suite A B writes two lines"
    run 0 "verify what sign --suite A B wrote" "$CC_BIN" verify $CTX --key "$T/ed.pub.pem" "$T/signed2.jsonl"
    has "$T/out" 'signed2\.jsonl:1: Data Integrity proof: signature valid' "line 1 verified"
    has "$T/out" 'signed2\.jsonl:2: Data Integrity proof: signature valid' "line 2 verified"
    # One changed credential among good lines.
    { sed -n 1p "$T/signed2.jsonl" | jq -c '.name = "Doctor of Medicine"'; sed -n 2p "$T/signed2.jsonl"; } >"$T/di-tampered.jsonl"
    run 1 "DI NDJSON with one changed line" "$CC_BIN" verify $CTX --key "$T/ed.pub.pem" "$T/di-tampered.jsonl"
    has "$T/out" 'di-tampered\.jsonl:1: Data Integrity proof: INVALID \(di-signature\)' "the changed line is INVALID"
    hasnt "$T/out" 'di-tampered\.jsonl:1: .*signature valid' "no valid verdict for the changed line"
    has "$T/out" 'di-tampered\.jsonl:2: Data Integrity proof: signature valid' "the other line verifies"
    # A pretty-printed credential (several lines, one document) is still one input.
    jq . "$T/c1.json" >/dev/null && sed -n 1p "$T/signed2.jsonl" | jq . >"$T/pretty.json"
    run 0 "a pretty-printed credential is one document" "$CC_BIN" verify $CTX --key "$T/ed.pub.pem" "$T/pretty.json"
    count "$T/out" 'pretty\.json: Data Integrity proof: signature valid' 1 "one verdict, named FILE"
else
    skipped "verify of DI NDJSON (contexts)"
fi

# ------------------------------------------------------------ write errors: counts
awk 'BEGIN { print "email,given_name,family_name,achievement"; for (i = 0; i < 300; i++) printf "p%d@example.org,A,B,RNCP99001\n", i }' >"$T/300.csv"
# A file size limit (ulimit -f, SIGXFSZ ignored so write fails with EFBIG) stands for a full disk.
run 2 "-o: the output fails midway" sh -c "trap '' XFSZ; ulimit -f 200; exec '$CC_BIN' convert -t model $ISSUER --recipients '$T/300.csv' -o '$T/out.jsonl' --report '$T/werr.json' $S/rncp-sample.xml"
[ ! -e "$T/out.jsonl" ] && ok || ko "a failed -o file was kept"
has "$T/err" 'records read, 0 written' "stderr says 0 written"
has "$T/err" 'the file is not kept, so none of the [0-9]+ records converted before is written' "stderr says why"
hasnt "$T/err" ' [1-9][0-9]* written' "no record counted written"
jqtrue "$T/werr.json" '.records.written == 0 and .records.discarded > 0 and .records.rejected == .records.read and (.outputError | test("File too large"))' "report: 0 written, discarded, outputError"
counts_add_up "$T/werr.json" "after a -o write error"
run 2 "stdout: a full device" sh -c "'$CC_BIN' convert -t model $ISSUER --recipients '$T/300.csv' --report '$T/full.json' $S/rncp-sample.xml >/dev/full"
has "$T/err" 'records read, 0 written' "stdout on /dev/full: 0 written"
has "$T/err" 'No space left on device' "stdout on /dev/full: why"
jqtrue "$T/full.json" '.records.written == 0 and .records.read == 1' "stdout on /dev/full: the run stops at the first record"
counts_add_up "$T/full.json" "after a stdout write error"
mkdir "$T/ro"
if chattr +i "$T/ro" 2>/dev/null; then
    run 2 "-O into a folder nothing can be created in" "$CC_BIN" convert -t model $ISSUER --recipients "$T/300.csv" -O "$T/ro" --report "$T/ro.json" $S/rncp-sample.xml
    has "$T/err" 'records read, 0 written' "-O: 0 written"
    has "$T/err" 'cannot create' "-O: why"
    counts_add_up "$T/ro.json" "after a -O write error"
    chattr -i "$T/ro"
else
    skipped "-O into an immutable folder (chattr)"
fi

# ------------------------------------------------------------ option values
REC="--recipients $S/recipients.csv"
for bad in "$(printf 'https://ecole.example/\377')" "relative/path" "https://ecole.example/a b" "$(printf 'https://e.example/\001')"; do
    run 2 "--id-base '$bad' refused" "$CC_BIN" convert -t edc $ISSUER $REC --id-base "$bad" -O "$T/idb" $S/rncp-sample.xml
    has "$T/err" '--id-base: .*\[usage\]' "--id-base '$bad': the reason"
    [ ! -e "$T/idb" ] && ok || ko "--id-base '$bad': output written"
done
run 2 "--badge-image URL with a space" "$CC_BIN" convert -t ob2 $ISSUER $REC --id-base https://e.example/b --badge-image "https://e.example/a b.png" $S/rncp-sample.xml
has "$T/err" '--badge-image: a URL cannot hold the character 0x20' "--badge-image: the reason"
run 2 "--kid with a control character" "$CC_BIN" sign --key "$T/ec.pem" --kid "$(printf 'did:web:e.example\001')" "$T/c1.json"
has "$T/err" '--kid: not UTF-8 text \(byte 0x01' "--kid: the reason"
printf '{"id":"https://e.example/","name":"\\u0001Ecole"}\n' >"$T/issuer-ctl.json"
run 2 "issuer file with a control character" "$CC_BIN" convert -t edc --issuer "$T/issuer-ctl.json" $REC $S/rncp-sample.xml
has "$T/err" "issuer's \"name\": not UTF-8 text" "issuer file: the reason"
printf '{"id":"not a url","name":"Ecole"}\n' >"$T/issuer-id.json"
run 2 "issuer file with an id that is not a URL" "$CC_BIN" convert -t edc --issuer "$T/issuer-id.json" $REC $S/rncp-sample.xml
has "$T/err" "issuer's \"id\": not an absolute URL" "issuer id: the reason"
run 1 "a good --id-base still issues" "$CC_BIN" convert -t edc $ISSUER $REC --id-base https://ecole.example/c -O "$T/edc" $S/rncp-sample.xml
for f in "$T"/edc/*.xml; do xmllint --nonet --noout "$f" 2>/dev/null && ok || ko "$f not well formed"; done

# ------------------------------------------------------------ recipients CSV: one code, many rows
# Every row names one code that no input has: the cost is loading and indexing the rows (it
# was quadratic: one linear-probing run for all of them).
gen_rows() { awk -v n="$1" 'BEGIN { print "email,given_name,family_name,achievement"; for (i = 0; i < n; i++) printf "p%d@example.org,A,B,RNCP77777\n", i }' >"$2"; }
if ! valgrind_skip "20k vs 200k recipient rows"; then
gen_rows 20000 "$T/20k.csv"
gen_rows 200000 "$T/200k.csv"
t0=$(ms); "$CC_BIN" convert -t model $ISSUER --recipients "$T/20k.csv" $S/rncp-sample.xml >/dev/null 2>"$T/err20"; rc20=$?; t1=$(ms)
"$CC_BIN" convert -t model $ISSUER --recipients "$T/200k.csv" --report "$T/200k.json" $S/rncp-sample.xml >/dev/null 2>/dev/null; rc200=$?; t2=$(ms)
small=$((t1 - t0)) large=$((t2 - t1))
echo "recipients of one code: 20k rows ${small} ms, 200k rows ${large} ms"
[ "$rc20" -eq 1 ] && [ "$rc200" -eq 1 ] && ok || ko "unknown-code rows: exit $rc20/$rc200, expected 1"
[ "$large" -le $((15 * (small > 100 ? small : 100))) ] && ok || ko "200k rows of one code cost ${large} ms, 20k ${small} ms: more than 15x"
jqtrue "$T/200k.json" '.records.read == 200000 and .records.rejected == 200000' "200k rows: each one read and rejected"
counts_add_up "$T/200k.json" "200k rows of an unknown code"
fi
# The same code awarded: 2,000 rows of one fiche, every credential issued.
awk 'BEGIN { print "email,given_name,family_name,achievement"; for (i = 0; i < 2000; i++) printf "p%d@example.org,A,B,RNCP99001\n", i }' >"$T/2k.csv"
run 0 "2,000 rows of one certification" "$CC_BIN" convert -t model $ISSUER --recipients "$T/2k.csv" --report "$T/2k.json" -o "$T/2k.jsonl" $S/rncp-sample.xml
jqtrue "$T/2k.json" '.records.written == 2000' "every row issued"
count "$T/2k.jsonl" 'p1999@example\.org' 1 "the last row issued once"
has "$T/2k.jsonl" 'p0@example\.org' "the first row issued"
[ "$(jq -r '.credential.subject.email // .subject.email // empty' "$T/2k.jsonl" 2>/dev/null | head -2 | tr '\n' ' ')" = "p0@example.org p1@example.org " ] && ok || ko "rows not issued in file order"

# ------------------------------------------------------------ RNCP: elements with many attributes
gen_attrs() {
    awk -v n="$1" 'BEGIN { printf "<?xml version=\"1.0\"?>\n<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>Un</INTITULE></FICHE>\n<FICHE"; for (i = 0; i < n; i++) printf " a%d=\"x\"", i; print "><NUMERO_FICHE>RNCP2</NUMERO_FICHE></FICHE></FICHES>" }' >"$2"
}
gen_attrs 10000 "$T/a10k.xml"
gen_attrs 100000 "$T/a100k.xml"
gen_attrs 60 "$T/a60.xml"
if valgrind_skip "attribute timings"; then
    run 1 "an element with 100,000 attributes" "$CC_BIN" convert -t model "$T/a100k.xml"
else
t0=$(ms); run 1 "an element with 10,000 attributes" "$CC_BIN" convert -t model "$T/a10k.xml"; t1=$(ms)
run 1 "an element with 100,000 attributes" "$CC_BIN" convert -t model "$T/a100k.xml"; t2=$(ms)
small=$((t1 - t0)) large=$((t2 - t1))
echo "RNCP start tag: 10k attributes ${small} ms, 100k ${large} ms"
[ "$large" -le 2000 ] && ok || ko "100,000 attributes took ${large} ms (limit 2 s)"
[ "$large" -le $((15 * (small > 100 ? small : 100))) ] && ok || ko "100k attributes ${large} ms vs 10k ${small} ms: more than 15x"
fi
has "$T/err" 'a100k\.xml:3: error: a start tag with more than 64 attributes: refused before it is parsed .*\[xml-attributes\]' "refused with line and rule"
count "$T/out" '"RNCP1"' 1 "the fiche before it converts"
hasnt "$T/out" 'RNCP2' "the refused fiche is not written"
run 0 "60 attributes are within the limit" "$CC_BIN" convert -t model "$T/a60.xml"
count "$T/out" '"RNCP2"' 1 "a fiche with 60 attributes converts"

# ------------------------------------------------------------ RNCP: a repeated single-valued element
printf '<?xml version="1.0"?>\n<FICHES>\n<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>\n<NUMERO_FICHE>RNCP2</NUMERO_FICHE></FICHE>\n<FICHE><NUMERO_FICHE>RNCP3</NUMERO_FICHE></FICHE>\n<FICHE><NUMERO_FICHE>RNCP4</NUMERO_FICHE><BLOCS_COMPETENCES><BLOC_COMPETENCES><CODE>RNCP4BC01</CODE>\n<CODE>RNCP4BC02</CODE></BLOC_COMPETENCES></BLOCS_COMPETENCES></FICHE>\n</FICHES>\n' >"$T/dup.xml"
run 1 "two NUMERO_FICHE in a fiche" "$CC_BIN" convert -t model --report "$T/dup.json" "$T/dup.xml"
has "$T/err" 'dup\.xml:4: error: RNCP1: a second <NUMERO_FICHE> in this fiche \(.RNCP2.\): .*rejected \[rncp-repeated\]' "the second NUMERO_FICHE: file:line and rule"
has "$T/err" 'dup\.xml:7: error: RNCP4: a second <CODE> in this skills block' "a block's second CODE: file:line"
count "$T/out" '"code":"RNCP3"' 1 "the good fiche converts"
hasnt "$T/out" 'RNCP[124]' "neither value of a repeated element is kept"
jqtrue "$T/dup.json" '.records.read == 3 and .records.written == 1 and .records.rejected == 2' "report: 3 read, 1 written, 2 rejected"
counts_add_up "$T/dup.json" "repeated elements"

finish e2e_cli_counts
