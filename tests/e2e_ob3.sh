#!/bin/sh
# End-to-end tests of the Open Badges 3.0 format through the credconv command.
# Usage: CREDCONV=path/to/credconv sh tests/e2e_ob3.sh    (run from the project root)
set -u
CC_BIN=${CREDCONV:-./credconv}
CORPUS=${CORPUS:-../shared/corpus}
OB=$CORPUS/ob
SPEC=$OB/examples/ob3-spec
FULL=$SPEC/fullOpenBadge--01-complete-openbadgecredential.json
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
RS8=$CORPUS/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP: $* (../shared/corpus absent)"; }
run() {
    want=$1 name=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else ko "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
has() { if grep -Eq -- "$2" "$1"; then ok; else ko "$3: no /$2/ in $(basename "$1")"; head -c 600 "$1" | sed 's/^/    /'; fi; }
count() { n=$(grep -Ec -- "$2" "$1"); if [ "$n" -eq "$3" ]; then ok; else ko "$4: $n lines match /$2/, expected $3"; fi; }
# jqtrue FILE FILTER NAME: the jq filter is true for every line (jq -e); without jq, skipped.
jqtrue() {
    if ! command -v jq >/dev/null 2>&1; then skip=$((skip + 1)); return; fi
    if jq -e "$2" "$1" >/dev/null 2>"$T/jqerr" && ! jq -e "$2" "$1" 2>/dev/null | grep -qx false; then ok
    else ko "$3: jq '$2' is not true for every line"; head -3 "$T/jqerr"; fi
}

run 0 formats "$CC_BIN" formats
has "$T/out" '^ob3 +yes +yes +yes' "formats lists ob3: read, write, validate"

# ------------------------------------------------------------ hand-made input
cat >"$T/two.json" <<'JSON'
{"type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:uuid:bad","issuer":"urn:i","credentialSubject":42}
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id":"urn:uuid:ok","type":["VerifiableCredential","OpenBadgeCredential"],
 "issuer":{"id":"https://ex.org/i","type":["Profile"],"name":"Ex"},"validFrom":"2024-05-01",
 "credentialSubject":{"identifier":{"type":"IdentityObject","identityHash":"a@ex.org","identityType":"emailAddress","hashed":false},
  "achievement":{"id":"urn:uuid:a","type":"Achievement","name":"A","description":"d","criteria":{"narrative":"n"}}},
 "proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofValue":"z1"}}
JSON
run 1 "bad document among good" "$CC_BIN" convert -t ob3 --report "$T/rep.json" "$T/two.json"
has "$T/err" 'two.json:1: error: urn:uuid:bad: credentialSubject must be one object .*\(at /credentialSubject\) \[ob3-type\]' "line, id, pointer and rule"
count "$T/out" '"id":"urn:uuid:ok"' 1 "the next document converts"
has "$T/rep.json" '"read":2,"written":1,"rejected":1' "report counts"
jqtrue "$T/out" '.validFrom == "2024-05-01T00:00:00Z"' "a date-only validFrom gets a time and a zone"
jqtrue "$T/out" '(.proof | type) == "array" and (.credentialSubject.identifier | type) == "array"' "multi-valued properties are arrays"
printf '{"type":"Achievement","id":"x","id":"y"}\n' >"$T/dup.json"
run 1 "duplicate keys" "$CC_BIN" convert -f ob3 -t model "$T/dup.json"
has "$T/err" 'dup.json:1:[0-9]+: error: .*duplicate.*\[json-syntax\]' "duplicate keys are a syntax error with a position"

if [ ! -f "$FULL" ]; then
    skipped "OB 3.0 corpus cases"
    echo "e2e_ob3: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ]
    exit
fi

# ------------------------------------------------------------ spec examples
run 0 "spec example detected" "$CC_BIN" convert -t model "$FULL"
count "$T/out" '"model":"credconv-model/1"' 1 "one credential"
cp "$T/out" "$T/m1.json"
run 0 "model to ob3" "$CC_BIN" convert -t ob3 -o "$T/o1.json" "$T/m1.json"
run 0 "ob3 to model" "$CC_BIN" convert -t model -o "$T/m2.json" "$T/o1.json"
if cmp -s "$T/m1.json" "$T/m2.json"; then ok; else ko "ob3 → model → ob3 → model differs"; fi
jqtrue "$T/o1.json" '."@context"[0:2] == ["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]' "context order"
jqtrue "$T/o1.json" '.type == ["VerifiableCredential","OpenBadgeCredential"] and .issuer.type == ["Profile"] and .issuer.name == "1EdTech University"' "credential type, embedded issuer"
jqtrue "$T/o1.json" '.credentialSubject.achievement | .name == "1EdTech University Degree" and .humanCode == "R1" and .achievementType == "Degree" and (.alignment | length) == 2' "achievement fields"
jqtrue "$T/o1.json" '.credentialSubject.result | length == 3' "results kept whole"
n=0
for f in "$SPEC"/*.json "$OB"/community/mynextid/open-badge-mc-example.json "$OB"/community/edubadges/_data/credentials/*.json; do
    "$CC_BIN" convert -t ob3 "$f" >"$T/x.json" 2>/dev/null && n=$((n + 1))
done
if [ "$n" -eq 39 ]; then ok; else ko "$n of 39 spec and community examples convert to ob3"; fi
# the 1EdTech validator's samples: those that map and write come back to the same model
n=0 same=0
for f in "$OB"/validator-dcpv/ob30/*.json "$OB"/validator-dcpv/ob30/*/*.json; do
    "$CC_BIN" convert -f ob3 -t model -o "$T/v1.json" "$f" 2>/dev/null &&
        "$CC_BIN" convert -t ob3 -o "$T/v.json" "$T/v1.json" 2>/dev/null || continue
    "$CC_BIN" convert -t model -o "$T/v2.json" "$T/v.json" 2>/dev/null
    n=$((n + 1))
    cmp -s "$T/v1.json" "$T/v2.json" && same=$((same + 1))
done
if [ "$n" -eq 30 ] && [ "$same" -eq 30 ]; then ok; else ko "validator samples: $same of $n round trips equal (30 expected)"; fi
run 0 "VC 1.1 credential" "$CC_BIN" convert -t ob3 "$OB/validator-dcpv/ob30/simple_v1.json"
has "$T/err" 'warning: .*VC Data Model 1.1 .*\[ob3-vc11\]' "VC 1.1 is read with a warning"
jqtrue "$T/out" '.validFrom != null and .issuanceDate == null and (.proof | type) == "array"' "written as VC 2.0, proof kept as an array"

# ------------------------------------------------------------ validation
run 0 "spec examples validate" "$CC_BIN" validate -f ob3 "$SPEC"/*.json "$OB"/community/edubadges/_data/credentials/*.json
has "$T/err" '38 records read, 38 valid, 0 invalid' "every spec and community credential is valid"
run 1 "no issuer" "$CC_BIN" validate -f ob3 "$OB/validator-dcpv/ob30/simple-err-issuer.json"
has "$T/err" "error: .*required property 'issuer' is missing \(at /\) \[ob3-schema\]" "schema error with its pointer"
run 1 "VC 1.1 against the VC 2.0 schema" "$CC_BIN" validate -f ob3 "$OB/validator-dcpv/ob30/simple_v1.json"
has "$T/err" "required property 'validFrom' is missing" "VC 1.1 has no validFrom"
run 0 "official schema with --schema" "$CC_BIN" validate -f ob3 --schema "$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json" "$FULL"

# ------------------------------------------------------------ RNCP → OB 3.0
run 0 "12 RNCP fiches to ob3" "$CC_BIN" convert -t ob3 --report "$T/loss.json" "$R12"
count "$T/out" '^\{"@context":\["https://www.w3.org/ns/credentials/v2"' 65 "12 fiches + 53 blocks, one document per line"
count "$T/out" '"achievementType":"Certificate"' 12 "fiches are Certificates"
count "$T/out" '"achievementType":"Competency"' 53 "blocks are Competencies"
count "$T/out" '"targetType":"ceterms:Credential"' 53 "each block points at its fiche"
jqtrue "$T/out" '.type == ["Achievement"] and (.id|length) > 0 and (.name|length) > 0 and (.description|length) > 0 and (.criteria.narrative // .criteria.id | length) > 0' "required Achievement fields"
jqtrue "$T/out" '[.alignment[]? | select(.targetName == null or .targetUrl == null)] | length == 0' "every alignment has targetName and targetUrl"
jqtrue "$T/out" '.creator == null or (.creator.id | startswith("https://annuaire-entreprises.data.gouv.fr/etablissement/"))' "creator Profile with its SIRET page as id"
has "$T/loss.json" '"rule":"loss","message":"loss: achievement.nqfLevel not expressible in ob3"' "losses go to the report"
cp "$T/out" "$T/rncp.ob3.json"
run 0 "ob3 achievements back to the model" "$CC_BIN" convert -t model "$T/rncp.ob3.json"
count "$T/out" '"partOf":"RNCP' 53 "blocks know their fiche again"
count "$T/out" '"eqfLevel":' 65 "EQF level read back from its alignment"
run 0 "8 RS fiches to ob3" "$CC_BIN" convert -t ob3 "$RS8"
count "$T/out" '"type":\["Achievement"\]' 8 "8 RS achievements"
run 0 "written achievements validate" "$CC_BIN" validate -f ob3 "$T/rncp.ob3.json"
has "$T/err" '65 records read, 65 valid' "our schema accepts what we write"
run 0 "and against the official schema" "$CC_BIN" validate -f ob3 --schema "$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json" "$T/rncp.ob3.json"
run 0 "select a block" "$CC_BIN" convert -t ob3 --select RNCP34762BC02 "$R12"
count "$T/out" '"humanCode":"RNCP34762BC02"' 1 "one block, alone"
has "$T/out" '"targetCode":"RNCP34762"' "still linked to its fiche"

echo "e2e_ob3: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
