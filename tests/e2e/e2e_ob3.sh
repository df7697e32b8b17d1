#!/bin/sh
# End-to-end tests of the Open Badges 3.0 format through the credconv command.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_ob3.sh    (run from the project root)
. tests/e2e/sh_lib.sh
OB=$CORPUS/ob
SPEC=$OB/examples/ob3-spec
FULL=$SPEC/fullOpenBadge--01-complete-openbadgecredential.json
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
RS8=$CORPUS/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml

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
jqtrue "$T/rep.json" '[.diagnostics[] | select(.rule == "ob3-type")][0] | .pointer == "/credentialSubject" and (.message | test("\\(at ") | not)' "the report keeps the JSON pointer as a field, not in the message"
jqtrue "$T/out" '.validFrom == "2024-05-01T00:00:00Z"' "a date-only validFrom gets a time and a zone"
jqtrue "$T/out" '(.proof | type) == "array" and (.credentialSubject.identifier | type) == "array"' "multi-valued properties are arrays"
printf '{"type":"Achievement","id":"x","id":"y"}\n' >"$T/dup.json"
run 1 "duplicate keys" "$CC_BIN" convert -f ob3 -t model "$T/dup.json"
has "$T/err" 'dup.json:1:[0-9]+: error: .*duplicate.*\[json-syntax\]' "duplicate keys are a syntax error with a position"

if [ ! -f "$FULL" ]; then
    skipped "OB 3.0 corpus cases"
    finish e2e_ob3
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
        "$CC_BIN" convert --allow-invalid -t ob3 -o "$T/v.json" "$T/v1.json" 2>/dev/null || continue
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
run 0 "VC 1.1 is valid with a warning" "$CC_BIN" validate -f ob3 "$OB/validator-dcpv/ob30/simple_v1.json"
has "$T/err" 'warning: .*\[ob3-vc11\]' "VC 1.1 read with a warning"

# The 1EdTech validator's expectations for the samples its schema and type probes decide
# (validator-dcpv/EXPECTED.md): the verdict and the reason.
V=$OB/validator-dcpv/ob30
while read -r file want rule; do
    run "$want" "validator sample $file" "$CC_BIN" validate -f ob3 "$V/$file"
    [ "$rule" = - ] || has "$T/err" "error: .*\\[$rule\\]" "$file fails for $rule"
done <<'TABLE'
simple.json 0 -
simple-did-key-method.json 0 -
simple-context-alias.json 0 -
simple-eddsa-2022.json 0 -
endorsement-valid.json 0 -
bit-string-list/credential-status-revoked.json 0 -
simple-err-type.json 1 ob3-type
simple-err-context.json 1 ob3-context
simple-err-expired.json 1 ob3-expired
simple-err-issued.json 1 ob3-not-yet-valid
simple-err-issuer.json 1 ob3-schema
simple-err-credential-subject-type.json 1 ob3-subject
simple-err-credential-subject-identifier-type.json 1 ob3-subject
simple-err-credential-subject-result-type.json 1 ob3-subject
simple-err-credential-subject-achievement-result-description-type.json 1 ob3-subject
simple-err-credential-subject-profile-type.json 1 ob3-subject
simple-err-evidence-type.json 1 ob3-evidence
simple-err-issuer-type.json 1 ob3-issuer-profile
simple-err-issuer-parentorg-type.json 1 ob3-issuer-profile
simple-err-issuer-otheridentifier-type.json 1 ob3-issuer-profile
TABLE
run 0 "context version: valid with a message" "$CC_BIN" validate -f ob3 "$V/simple-context-version.json"
has "$T/err" 'warning: .*\[ob3-context-version\]' "another context version warns"
run 0 "official schema with --schema" "$CC_BIN" validate -f ob3 --schema "$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json" "$FULL"

# ------------------------------------------------------------ issuing OB 3.0 credentials
# The RNCP corpus + a recipients file naming every fiche and block (and one bad row):
# every credential passes the official OB 3.0 schema; the bad row is reported, the rest written.
"$CC_BIN" convert -t model "$R12" "$RS8" |
    grep -Eo '"code":"(RNCP|RS)[0-9]+(BC[0-9]+)?","kind":"(certification|skills-block)"' |
    cut -d'"' -f4 | sort -u |
    awk 'BEGIN { print "email,given_name,family_name,achievement,issued" }
         { n++; printf "p%d@example.org,Prénom%d,Nom%d,%s,2026-06-30\n", n, n, n, $0 }
         END { print "not-an-email,X,Y,RNCP34762," }' >"$T/all.csv"
rows=$(($(wc -l <"$T/all.csv") - 2))
run 1 "RNCP corpus + recipients → OB 3.0" "$CC_BIN" convert -t ob3 --issuer samples/issuer.json \
    --recipients "$T/all.csv" --report "$T/issued.json" "$R12" "$RS8"
cp "$T/out" "$T/issued.jsonl"
has "$T/err" "all.csv:$((rows + 2)): error: not-an-email: bad email address in column 'email': row skipped \\[csv-row\\]" "the bad row, with its line"
has "$T/issued.json" "\"read\":$((rows + 1)),\"written\":$rows,\"rejected\":1" "one credential per good row ($rows)"
run 0 "every issued credential passes the official schema" "$CC_BIN" validate -f ob3 \
    --schema "$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json" "$T/issued.jsonl"
has "$T/err" "$rows records read, $rows valid" "all $rows valid"

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
count "$T/out" '"model"' 12 "each fiche with its blocks is one record again"
occurrences "$T/out" '"partOf":"RNCP' 53 "blocks know their fiche again"
occurrences "$T/out" '"eqfLevel":' 65 "EQF level read back from its alignment"
run 0 "8 RS fiches to ob3" "$CC_BIN" convert -t ob3 "$RS8"
count "$T/out" '"type":\["Achievement"\]' 8 "8 RS achievements"
run 0 "written achievements validate" "$CC_BIN" validate -f ob3 "$T/rncp.ob3.json"
has "$T/err" '12 records read, 12 valid' "our schema accepts what we write (65 documents)"
run 0 "and against the official schema" "$CC_BIN" validate -f ob3 --schema "$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json" "$T/rncp.ob3.json"
run 0 "select a block" "$CC_BIN" convert -t ob3 --select RNCP34762BC02 "$R12"
count "$T/out" '"humanCode":"RNCP34762BC02"' 1 "one block, alone"
has "$T/out" '"targetCode":"RNCP34762"' "still linked to its fiche"

# The write check runs on the tree the signer then signs (cc_write_ctx.doc_out): a record the
# OB 3.0 schema rejects (an issuer id that is no URI) is still refused, signed or not, and
# the same record made valid is written and signed.
CRED='{"model":"credconv-model/1","credential":{"id":"urn:c","issuer":{"id":"ISSUER","name":{"en":"I"}},"issued":"2024-01-01","subject":{"id":"did:x"},"achievement":{"id":"urn:a","title":{"en":"A"},"criteria":{"en":"c"}}}}'
echo "$CRED" | sed 's/ISSUER/not a uri/' >"$T/badiss.json"
echo "$CRED" | sed 's/ISSUER/urn:i/' >"$T/goodiss.json"
openssl genpkey -algorithm ED25519 -out "$T/wc-ed.pem" 2>/dev/null
run 1 "schema-invalid record refused" "$CC_BIN" convert -f model -t ob3 "$T/badiss.json"
has "$T/err" "oneOf \(at /issuer\) \[ob3-schema\]" "the schema's error"
count "$T/out" . 0 "nothing written"
run 1 "schema-invalid record refused with --sign" "$CC_BIN" convert -f model -t ob3 --sign "$T/wc-ed.pem" "$T/badiss.json"
has "$T/err" "\[write-invalid\]" "refused by the write check"
count "$T/out" . 0 "nothing signed"
run 0 "the valid one is signed" "$CC_BIN" convert -f model -t ob3 --sign "$T/wc-ed.pem" "$T/goodiss.json"
count "$T/out" "^ey" 1 "one token"

finish e2e_ob3
