#!/bin/sh
# Ids and -O names are made from the content, and -O files are one JSON document each
# (issue 12.3, docs/decisions.md): a credential id is the RFC 9562 version 5 UUID, in
# credconv's credential namespace, of issuer id, achievement code, lower-cased e-mail and UTC
# issue date; a rerun gives the same files, a reordered CSV the same ids, a duplicate row is
# reported; every credential writer (ob3, ob2, edc, --sign) uses those ids; `sign` signs each
# line of the NDJSON `convert` writes; the README's --sign example gives no warning.
. tests/e2e/sh_lib.sh
S=samples/rncp-sample.xml
I=samples/issuer.json
export SOURCE_DATE_EPOCH=1790000000  # the default issue date (2026-09-21): the same on both runs
NS=f4d6a072-4be4-574b-9d79-a0de07d95c57  # documented in docs/decisions.md
V5='[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>"$T/jerr"; }

# ------------------------------------------------------------ -O -t ob3: one document per file
run 0 "-O ob3 achievements" "$CC_BIN" convert -t ob3 -O "$T/ach" "$S"
n=0 bad=0
for f in "$T/ach"/*.json; do n=$((n + 1)); json_ok "$f" || { bad=$((bad + 1)); head -1 "$T/jerr"; }; done
[ "$n" -eq 2 ] && [ "$bad" -eq 0 ] && ok || ko "-O ob3 achievements: $bad of $n files refused by json.load"
jqtrue "$T/ach/RNCP99001.json" 'type == "array" and length == 3 and .[0].humanCode == "RNCP99001"' "a fiche with 2 blocks: one array, fiche first"
jqtrue "$T/ach/RS99002.json" 'type == "object" and .type == ["Achievement"]' "a fiche without blocks: the Achievement itself"
run 0 "each Achievement of the -O files validates" "$CC_BIN" validate -f ob3 "$T"/ach/*.json
"$CC_BIN" convert -q -t ob3 -o "$T/stream.jsonl" "$S"
"$CC_BIN" convert -q -f ob3 -t model "$T/stream.jsonl" >"$T/from-stream.ndjson"
run 0 "the -O files read back" "$CC_BIN" convert -f ob3 -t model "$T"/ach/*.json
same "$T/out" "$T/from-stream.ndjson" "the -O files read back as the NDJSON stream does (blocks regrouped)"
count "$T/out" '"model"' 2 "two records: the blocks are back in their fiche"
run 0 "-O files to RNCP" "$CC_BIN" convert -f ob3 -t rncp --allow-invalid "$T"/ach/*.json
count "$T/out" '<FICHE>' 2 "RNCP: two fiches"
count "$T/out" '<BLOC_COMPETENCES>' 2 "RNCP: the two blocks, inside their fiche"

# ------------------------------------------------------------ a recipients file of good rows
cat >"$T/r.csv" <<'EOF'
email,given_name,family_name,achievement,id,issued
lea.martin@example.org,Léa,Martin,RNCP99001,,2026-06-30
karim.benali@example.org,Karim,Ben Ali,RNCP99001BC02,https://ecole.example/etudiants/42,2026-07-01T10:00:00+02:00
 Yann.Le-Goff@Example.ORG ,Yann,Le Goff,RS99002,,
zoe.durand@example.org,Zoé,Durand,RS99002,,2026-02-28
EOF
{ head -1 "$T/r.csv"; tail -n +2 "$T/r.csv" | tac; } >"$T/reversed.csv"
issue() {  # issue DIR CSV [options…]: -O DIR
    d=$1 csv=$2
    shift 2
    "$CC_BIN" convert -q --issuer "$I" --recipients "$csv" -O "$d" "$@" "$S"
}
ids() { jq -r .id "$@" | sort; }

# The uuid, from the documented inputs, with Python's own uuid5.
python3 - "$T/r.csv" "$NS" "$(jq -r .id "$I")" >"$T/expected.uuids" <<'EOF'
import csv, sys, uuid, datetime
path, ns, issuer = sys.argv[1], uuid.UUID(sys.argv[2]), sys.argv[3]
for row in csv.DictReader(open(path, encoding="utf-8-sig")):
    d = row["issued"].strip()
    if len(d) == 10:
        d += "T00:00:00Z"
    if d:
        t = datetime.datetime.fromisoformat(d.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
        d = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    name = "\n".join([issuer, row["achievement"].strip(), row["email"].strip().lower(), d])
    print(uuid.uuid5(ns, name))
EOF
sort -o "$T/expected.uuids" "$T/expected.uuids"
[ "$(wc -l <"$T/expected.uuids")" -eq 4 ] && ok || ko "python computed $(wc -l <"$T/expected.uuids") uuids"

run 0 "issue -t ob3 -O" issue "$T/run1" "$T/r.csv" -t ob3
run 0 "issue -t ob3 -O again" issue "$T/run2" "$T/r.csv" -t ob3
ls "$T/run1" >"$T/ls1"; ls "$T/run2" >"$T/ls2"
same "$T/ls1" "$T/ls2" "a rerun writes the same file names"
count "$T/ls1" "^urn_uuid_$V5\\.json\$" 4 "four files, each named after a v5 uuid id"
diffs=0
for f in $(cat "$T/ls1"); do cmp -s "$T/run1/$f" "$T/run2/$f" || diffs=$((diffs + 1)); done
[ "$diffs" -eq 0 ] && ok || ko "a rerun: $diffs files differ"
issue "$T/run1" "$T/r.csv" -t ob3
[ "$(ls "$T/run1" | wc -l)" -eq 4 ] && ok || ko "a rerun into the same folder adds files: $(ls "$T/run1")"
ids "$T"/run1/*.json | sed 's/^urn:uuid://' >"$T/ob3.uuids"
same "$T/ob3.uuids" "$T/expected.uuids" "the ids are python's uuid5 of issuer, code, lower-cased email, UTC date"
bad=0
for f in "$T"/run1/*.json; do json_ok "$f" || bad=$((bad + 1)); done
[ "$bad" -eq 0 ] && ok || ko "json.load refuses $bad credential files"

run 0 "issue from the reversed CSV" issue "$T/rev" "$T/reversed.csv" -t ob3
ls "$T/rev" >"$T/lsrev"
same "$T/lsrev" "$T/ls1" "a reordered CSV: the same file names"
ids "$T"/rev/*.json | sed 's/^urn:uuid://' >"$T/rev.uuids"
same "$T/rev.uuids" "$T/expected.uuids" "a reordered CSV: the same ids"

# --id-base: BASE/<uuid>, and the file <uuid>.json.
B=https://www.ecole-du-cycle.example/credentials
run 0 "--id-base" issue "$T/base" "$T/r.csv" -t ob3 --id-base "$B/"
ids "$T"/base/*.json | sed "s|^$B/||" >"$T/base.uuids"
same "$T/base.uuids" "$T/expected.uuids" "--id-base ids are BASE/<the same uuid>"
ls "$T/base" | sed 's/\.json$//' >"$T/lsbase"
same "$T/lsbase" "$T/expected.uuids" "--id-base -O names are <uuid>.json"

# Every credential writer uses those ids.
run 0 "issue -t ob2" issue "$T/ob2" "$T/r.csv" -t ob2 --id-base "$B" --badge-image "$B/badge.png"
ls "$T/ob2" | grep -E "^$V5\\.json\$" | sed 's/\.json$//' >"$T/ob2.names"
same "$T/ob2.names" "$T/expected.uuids" "ob2: the assertion files are <uuid>.json"
ids "$T"/ob2/????????-????-5???-????-????????????.json | sed "s|^$B/||" >"$T/ob2.uuids"
same "$T/ob2.uuids" "$T/expected.uuids" "ob2: the assertion ids"
run 0 "issue -t edc" issue "$T/edc" "$T/r.csv" -t edc
grep -ho 'cred:id="urn:uuid:[^"]*"' "$T"/edc/*.xml | sed 's/cred:id="urn:uuid://; s/"$//' | sort >"$T/edc.uuids"
same "$T/edc.uuids" "$T/expected.uuids" "edc: the credential ids"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl pkey -in "$T/ec.pem" -pubout -out "$T/ec.pub.pem"
run 0 "--sign VC-JWT" "$CC_BIN" convert -t ob3 --issuer "$I" --recipients "$T/r.csv" --sign "$T/ec.pem" -o "$T/c.jwt" "$S"
python3 -c '
import base64, json, sys
for line in open(sys.argv[1]):
    p = line.split(".")[1]
    print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["jti"])
' "$T/c.jwt" | sed 's/^urn:uuid://' | sort >"$T/jwt.uuids"
same "$T/jwt.uuids" "$T/expected.uuids" "--sign VC-JWT: jti is the id"
hasnt "$T/err" 'warning' "--sign VC-JWT: no warning (each subject has an id, so sub is there)"
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub.pem"
DI="--map-url https://www.w3.org/ns/credentials/v2=$CORPUS/ob/contexts/validator-credentials-v2.jsonld \
--map-url https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json=$CORPUS/ob/contexts/ob-v3p0-context-3.0.3.json \
--map-url https://w3id.org/security/data-integrity/v1=$CORPUS/ob/contexts/validator-data-integrity-v1.jsonld"
if [ -f "$CORPUS/ob/contexts/validator-credentials-v2.jsonld" ]; then
    # shellcheck disable=SC2086
    run 0 "--sign Data Integrity -O" issue "$T/di" "$T/r.csv" -t ob3 --sign "$T/ed.pem" --suite eddsa-rdfc-2022 --kid https://www.ecole-du-cycle.example/#key-1 $DI
    ls "$T/di" >"$T/lsdi"
    same "$T/lsdi" "$T/ls1" "Data Integrity: the same -O names as unsigned"
    ids "$T"/di/*.json | sed 's/^urn:uuid://' >"$T/di.uuids"
    same "$T/di.uuids" "$T/expected.uuids" "Data Integrity: the same ids"
else
    skipped "Data Integrity contexts"
fi

# The OB 2.0 → 3.0 upgrade: a name-based id too, the same on every conversion.
"$CC_BIN" convert -q -t ob2 --issuer "$I" --recipients "$T/r.csv" --id-base "$B" --badge-image "$B/badge.png" "$S" |
    head -1 >"$T/assertion.json"
run 0 "upgrade an OB 2.0 assertion" "$CC_BIN" convert -f ob2 -t ob3 "$T/assertion.json"
jq -r .id "$T/out" >"$T/up1.id"
"$CC_BIN" convert -q -f ob2 -t ob3 "$T/assertion.json" | jq -r .id >"$T/up2.id"
same "$T/up1.id" "$T/up2.id" "an upgraded OB 2.0 assertion gets the same id each time"
python3 -c 'import json, sys, uuid; print("urn:uuid:%s" % uuid.uuid5(uuid.NAMESPACE_URL, json.load(open(sys.argv[1]))["id"]))' \
    "$T/assertion.json" >"$T/up.expected"
same "$T/up1.id" "$T/up.expected" "the upgraded id: uuid5(URL namespace, the assertion id)"

# The default issue date ("now") is not in the id: without SOURCE_DATE_EPOCH a rerun a
# second later still names the same files.
run 0 "issue with the clock's date" env -u SOURCE_DATE_EPOCH "$CC_BIN" convert -q --issuer "$I" --recipients "$T/r.csv" -t ob3 -O "$T/now1" "$S"
sleep 1
env -u SOURCE_DATE_EPOCH "$CC_BIN" convert -q --issuer "$I" --recipients "$T/r.csv" -t ob3 -O "$T/now2" "$S"
ls "$T/now1" >"$T/lsnow1"; ls "$T/now2" >"$T/lsnow2"
same "$T/lsnow1" "$T/lsnow2" "the clock's date: the same names on a rerun"
same "$T/lsnow1" "$T/ls1" "the clock's date: the same names as with SOURCE_DATE_EPOCH"

# Ids too long for a file name: 80 characters and the UUID of the whole id, so two ids that
# share their start get two names (no -2 copy, whose order would depend on the input's).
P=$(printf 'A%.0s' $(seq 1 125))
printf '{"model":"credconv-model/1","achievement":{"code":"%sX1","title":{"fr":"x"}}}\n{"model":"credconv-model/1","achievement":{"code":"%sX2","title":{"fr":"y"}}}\n' "$P" "$P" >"$T/long.ndjson"
tac "$T/long.ndjson" >"$T/long-rev.ndjson"
run 0 "long ids" "$CC_BIN" convert -t model -O "$T/long" "$T/long.ndjson"
"$CC_BIN" convert -q -t model -O "$T/long-rev" "$T/long-rev.ndjson"
ls "$T/long" >"$T/lslong"; ls "$T/long-rev" >"$T/lslongrev"
u=$(python3 -c 'import sys, uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, sys.argv[1]))' "${P}X1")
count "$T/lslong" "^A{80}-$V5\.json\$" 2 "two long ids: two names, each 80 characters and a uuid"
has "$T/lslong" "^A{80}-$u\.json\$" "the uuid is uuid5(URL namespace, the whole id)"
same "$T/lslong" "$T/lslongrev" "long ids: the same names whatever the order"

# ------------------------------------------------------------ duplicate rows
cp "$T/r.csv" "$T/dup.csv"
echo 'LEA.MARTIN@example.org,Léa,Martin,RNCP99001,,2026-06-30T02:00:00+02:00' >>"$T/dup.csv"
run 1 "a duplicate row" "$CC_BIN" convert --issuer "$I" --recipients "$T/dup.csv" -t ob3 -O "$T/dup" --report "$T/dup.json" "$S"
has "$T/err" 'dup.csv:6: error: LEA.MARTIN@example.org: the same award as line 2 .*row skipped .*\[csv-duplicate\]' "the second row of one award is reported, with both lines"
ls "$T/dup" >"$T/lsdup"
same "$T/lsdup" "$T/ls1" "a duplicate row: the same four files, no -2 copy"
jqtrue "$T/dup.json" '.records.read == 5 and .records.written == 4 and .records.rejected == 1' "a duplicate row counts as one rejected"

# ------------------------------------------------------------ sign reads NDJSON
"$CC_BIN" convert -q -t ob3 --issuer "$I" --recipients "$T/r.csv" -o "$T/creds.jsonl" "$S"
run 0 "sign an NDJSON file" "$CC_BIN" sign --key "$T/ec.pem" "$T/creds.jsonl"
count "$T/out" '^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' 4 "one token per line"
[ "$(wc -l <"$T/out")" -eq 4 ] && ok || ko "sign wrote $(wc -l <"$T/out") lines for 4"
hasnt "$T/err" 'warning|error' "sign: nothing to warn about"
cp "$T/out" "$T/signed.jwt"
run 0 "the tokens verify" "$CC_BIN" verify --key "$T/ec.pub.pem" "$T/signed.jwt"
count "$T/out" 'signature valid' 4 "four valid signatures"
python3 -c '
import base64, json, sys
for line in open(sys.argv[1]):
    p = line.split(".")[1]
    print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["jti"])
' "$T/signed.jwt" >"$T/signed.ids"
jq -r .id "$T/creds.jsonl" >"$T/creds.ids"
same "$T/signed.ids" "$T/creds.ids" "the tokens in the lines' order"
{ sed -n 1p "$T/creds.jsonl"; echo '{"not": "a credential"'; echo; sed -n 2p "$T/creds.jsonl"; } >"$T/mixed.jsonl"
run 1 "sign NDJSON with a bad line" "$CC_BIN" sign --key "$T/ec.pem" "$T/mixed.jsonl"
count "$T/out" '^eyJ' 2 "the good lines are signed"
has "$T/err" 'mixed.jsonl:2: error: ' "the bad line is named FILE:LINE"
# Larger than the largest single document (16 MiB): read a line at a time, never whole.
case "$CC_BIN" in
*valgrind*) skip=$((skip + 1)); echo "SKIP: a 29 MB NDJSON file (under valgrind)" ;;
*)
    cp "$T/creds.jsonl" "$T/big.jsonl"
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do cat "$T/big.jsonl" "$T/big.jsonl" >"$T/big2"; mv "$T/big2" "$T/big.jsonl"; done
    [ "$(wc -c <"$T/big.jsonl")" -gt 16777216 ] && ok || ko "the big NDJSON file is not over 16 MiB"
    "$CC_BIN" sign --key "$T/ec.pem" "$T/big.jsonl" >"$T/big.jwt" 2>"$T/err"
    [ $? -eq 0 ] && ok || { ko "sign a 29 MB NDJSON file: exit status"; head -3 "$T/err"; }
    [ "$(wc -l <"$T/big.jwt")" -eq "$(wc -l <"$T/big.jsonl")" ] && ok || ko "sign a big NDJSON file: $(wc -l <"$T/big.jwt") tokens for $(wc -l <"$T/big.jsonl") lines"
    rm -f "$T/big.jsonl" "$T/big.jwt" ;;
esac
run 0 "sign a pretty-printed document" "$CC_BIN" sign --key "$T/ec.pem" "$T/run1/$(head -1 "$T/ls1")"
count "$T/out" '^eyJ' 1 "a single document still gives one token"
jq . "$T/run1/$(head -1 "$T/ls1")" >"$T/pretty.json"
run 0 "sign a multi-line JSON document" "$CC_BIN" sign --key "$T/ec.pem" "$T/pretty.json"
count "$T/out" '^eyJ' 1 "a pretty-printed credential is one document, one token"

# ------------------------------------------------------------ the README's --sign example
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/issuer-key.pem" 2>/dev/null
"$CC_BIN" convert -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv \
    --sign "$T/issuer-key.pem" samples/rncp-sample.xml >"$T/badges.jwt" 2>"$T/readme.err"
grep -q 'convert -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv' README.md &&
    grep -q -- '--sign /tmp/issuer-key.pem samples/rncp-sample.xml > /tmp/badges.jwt' README.md && ok ||
    ko "the README's --sign example is not the command tested here"
hasnt "$T/readme.err" 'warning' "the README --sign example: no warning"
hasnt "$T/readme.err" 'vcjwt-no-sub' "the README --sign example: no missing sub"
count "$T/badges.jwt" '^eyJ' 3 "the README --sign example: three tokens"
openssl pkey -in "$T/issuer-key.pem" -pubout -out "$T/issuer-pub.pem"
run 0 "the README tokens verify with the issuer's key" "$CC_BIN" verify --key "$T/issuer-pub.pem" "$T/badges.jwt"
python3 -c '
import base64, json, sys
for line in open(sys.argv[1]):
    p = line.split(".")[1]
    c = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    print(c["sub"] == c["credentialSubject"]["id"], c["sub"])
' "$T/badges.jwt" >"$T/subs"
count "$T/subs" '^True ' 3 "sub is credentialSubject.id in every token"
has "$T/subs" '^True mailto:lea\.martin@example\.org$' "a subject without id: the mailto: URI of its e-mail"
has "$T/subs" '^True https://ecole\.example/etudiants/42$' "a subject with an id keeps it"
run 1 "hashed recipients" "$CC_BIN" convert -q -t ob3 --issuer "$I" --recipients samples/recipients.csv --hash-recipients "$S"
hasnt "$T/out" 'mailto:|example\.org' "hashed recipients: no mailto id, no e-mail anywhere"

e2e_end e2e_stable_ids
