#!/bin/sh
# make interop: credconv's verdicts against independent verifiers, offline.
#   Data Integrity (eddsa-rdfc-2022): Digital Bazaar's verifyCredential (verify-di.mjs)
#   VC-JWT (RS256, ES256, EdDSA):      jose's compactVerify and CompactSign (jose.mjs)
#   EDC XAdES seals:                   xmlsec1 --verify, plus "convert reads only signed bytes"
#   JAdES seals (JWS JSON, b64 false):  jose's generalVerify / flattenedVerify (jades.mjs)
#   CLR 2.0 JSON Schema:               ajv (draft 2019-09, formats) on the official schema (schema.mjs)
#   CASE 1.0 / 1.1 CFPackage schemas:   ajv on the official 1.0 schema and credconv's 1.1 one (schema.mjs)
# Each case prints one row: kind, case, credconv's verdict, the independent verdict, and
# whether they agree.  credconv is run with --accept-unbound-key where the other side does
# not bind the key to the issuer (the JS verifiers and xmlsec1 check signatures only), so the
# comparison is of the signature and the proof's own rules.
#
# Exits 1 on any disagreement not listed in interop/expected-disagreements.txt (one case
# name a line, '#' comments; empty by default), and on a listed one that now agrees (so the
# list cannot go stale).  Usage, from the project root, after `npm ci` in interop/:
#   sh interop/run.sh path/to/credconv
set -u
CC=${1:?usage: sh interop/run.sh CREDCONV}
case $CC in /*) ;; *) CC=$PWD/$CC ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${CREDCONV_CORPUS:-$ROOT/../shared/corpus}
# absolute: the context map links to its files from a temporary folder (CI gives a relative path)
CORPUS=$(cd "$ROOT" && cd "$CORPUS" && pwd) || { echo "interop: no corpus at $CORPUS" >&2; exit 2; }
CTX=$CORPUS/ob/contexts
VEC=$CORPUS/ob/test-vectors
EDC=$CORPUS/edc/edci-1.x/samples
EXPECTED=$HERE/expected-disagreements.txt
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2
export CREDCONV_SCHEMAS="${CREDCONV_SCHEMAS:-$ROOT/schemas}"
for need in "$CTX" "$VEC" "$EDC"; do
    [ -d "$need" ] || { echo "interop: corpus folder missing: $need" >&2; exit 2; }
done
[ -d "$HERE/node_modules" ] || { echo "interop: run npm ci in interop/ first" >&2; exit 2; }

agree=0 disagree=0 expected=0 stale=0
: >"$T/rows"
# row KIND CASE CREDCONV INDEPENDENT [NOTE]
row() {
    if [ "$3" = "$4" ]; then
        if grep -qxF "$2" "$EXPECTED" 2>/dev/null; then
            res="AGREE, but listed as expected: remove it"; stale=$((stale + 1))
        else
            res=agree
        fi
        agree=$((agree + 1))
    elif grep -qxF "$2" "$EXPECTED" 2>/dev/null; then
        res="DISAGREE (expected)"; disagree=$((disagree + 1)); expected=$((expected + 1))
    else
        res=DISAGREE; disagree=$((disagree + 1))
    fi
    printf '%-6s %-52s %-8s %-8s %s%s\n' "$1" "$2" "$3" "$4" "$res" "${5:+  ($5)}" | tee -a "$T/rows"
}
# credconv's verdict from its exit status: 0 valid, 1 invalid, anything else an error.
ccv() {
    "$CC" "$@" >"$T/cc.out" 2>"$T/cc.err"
    rc=$?
    case $rc in 0) echo valid ;; 1) echo invalid ;; *) echo "error$rc" ;; esac
}
# The contexts by host and path, for credconv's --map-url (the same table as loader.mjs).
node -e '
  import("'"$HERE"'/loader.mjs").then(({CONTEXTS}) => {
    for (const [u, f] of Object.entries(CONTEXTS)) console.log(u.replace("https://", "") + " " + f);
  });' | while read -r path file; do
    mkdir -p "$T/ctx/$(dirname "$path")" && ln -s "$CTX/$file" "$T/ctx/$path"
done
M="--map-url https://=$T/ctx/"
A=--accept-unbound-key

printf '%-6s %-52s %-8s %-8s %s\n' KIND CASE CREDCONV OTHER RESULT
# ------------------------------------------------------------ Data Integrity
# di NAME FILE: credconv verify (signature and proof rules) vs verifyCredential.
di() {
    c=$(ccv verify $M $A "$2")
    o=$(node "$HERE/verify-di.mjs" "$CTX" "$2" | cut -f2,3)
    verdict=${o%%	*}
    row DI "$1" "$c" "${verdict:-error}" "$(echo "$o" | cut -f2 | cut -c1-70 | sed 's/^-$//')"
}
# The tampered copies of one signed credential: a changed signed string, an undefined term
# (safe mode: a member no context defines is not signed, so it must not verify), at the top
# and in credentialSubject, and a changed proof.created.
tamper_di() {
    jq -c '.name |= . + "!"' "$2" >"$T/$1-string.json"
    jq -c '. + {"foo": "x"}' "$2" >"$T/$1-foo.json"
    jq -c '.credentialSubject += {"foo": "x"}' "$2" >"$T/$1-subject-foo.json"
    jq -c '.proof |= (if type == "array" then map(.created = "2011-01-01T00:00:00Z")
                      else .created = "2011-01-01T00:00:00Z" end)' "$2" >"$T/$1-created.json"
    for t in string foo subject-foo created; do di "$1+$t" "$T/$1-$t.json"; done
}
for v in obv3p0 clrv2p0; do
    di "vector $v" "$VEC/eddsa-rdfc-2022/$v/signed-credential.json"
    tamper_di "vector $v" "$VEC/eddsa-rdfc-2022/$v/signed-credential.json"
done
di "vector w3c signedDataInt" "$VEC/w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"
tamper_di "vector w3c" "$VEC/w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"

# credconv's own output, default options: every credential of the samples, signed.  With
# default options credconv signs only for an issuer whose id is the key's did:key (any other
# issuer needs --kid naming a method it controls), so the issuer file gets that id; the
# did:key is computed here with node, independently of credconv.
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
did=$(node -e '
const c = require("crypto"), pem = require("fs").readFileSync(process.argv[1]);
const x = Buffer.from(c.createPublicKey(pem).export({format: "jwk"}).x, "base64url");
const b = Buffer.concat([Buffer.from([0xed, 0x01]), x]);
const A = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
let n = BigInt("0x" + b.toString("hex")), s = "";
while (n > 0n) { s = A[Number(n % 58n)] + s; n /= 58n; }
for (const byte of b) { if (byte === 0) s = "1" + s; else break; }
console.log("did:key:z" + s);' "$T/ed.pem")
jq --arg d "$did" '.id = $d' samples/issuer.json >"$T/issuer-did.json"
# (the samples' CSV has rows it rejects on purpose: exit 1 with the good rows written)
"$CC" convert -t ob3 --issuer "$T/issuer-did.json" --recipients samples/recipients.csv \
    samples/rncp-sample.xml >"$T/creds.jsonl" 2>"$T/convert.err"
[ -s "$T/creds.jsonl" ] || { cat "$T/convert.err"; exit 2; }
n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s\n' "$line" >"$T/cred-$n.json"
done <"$T/creds.jsonl"
# di_signed HOW FILE: each line of a file credconv signed, checked on its own.
di_signed() {
    k=0
    while IFS= read -r line; do
        k=$((k + 1))
        printf '%s\n' "$line" >"$T/signed-$k.json"
        di "credconv $1 #$k" "$T/signed-$k.json"
    done <"$2"
    [ "$k" -gt 0 ] || row DI "credconv $1: no credential written" invalid valid
}
# `sign` takes one credential per file and writes one line for each.
if "$CC" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 $M "$T"/cred-*.json >"$T/signed.jsonl" 2>"$T/sign.err"; then
    di_signed sign "$T/signed.jsonl"
    tamper_di "credconv sign #1" "$T/signed-1.json"
else
    row DI "credconv sign (failed, see below)" error valid; head -3 "$T/sign.err"
fi
# `convert --sign` with the suite: the same credentials, signed while written.
"$CC" convert -t ob3 --issuer "$T/issuer-did.json" --recipients samples/recipients.csv \
    --sign "$T/ed.pem" --suite eddsa-rdfc-2022 $M samples/rncp-sample.xml >"$T/csigned.jsonl" 2>"$T/sign.err"
di_signed "convert --sign" "$T/csigned.jsonl"

# CLR 2.0, signed while written: a fiche's record, and the learners' records of the samples'
# rows, their nested credentials signed first.  Each record is checked by both sides, then each
# nested credential on its own (verifyCredential checks the outer proof only; credconv checks
# the nested ones too, so a record whose nested credential was changed and re-signed outside
# is INVALID for credconv: that case is checked on the nested credential alone, where both
# sides judge it).
"$CC" convert -t clr --issuer "$T/issuer-did.json" --sign "$T/ed.pem" --suite eddsa-rdfc-2022 $M \
    samples/rncp-sample.xml >"$T/clr-fiche.jsonl" 2>"$T/sign.err"
di_signed "convert -t clr --sign (fiche)" "$T/clr-fiche.jsonl"
"$CC" convert -t clr --issuer "$T/issuer-did.json" --recipients samples/recipients.csv \
    --sign "$T/ed.pem" --suite eddsa-rdfc-2022 $M samples/rncp-sample.xml >"$T/clr-learners.jsonl" 2>"$T/sign.err"
di_signed "convert -t clr --sign (learners)" "$T/clr-learners.jsonl"
cp "$T/signed-1.json" "$T/clr-1.json"
tamper_di "credconv clr #1" "$T/clr-1.json"
jq -c '.credentialSubject.verifiableCredential[]' "$T/clr-1.json" >"$T/clr-1-nested.jsonl"
k=0
while IFS= read -r line; do
    k=$((k + 1))
    printf '%s\n' "$line" >"$T/clr-nested-$k.json"
    di "credconv clr #1 nested #$k" "$T/clr-nested-$k.json"
done <"$T/clr-1-nested.jsonl"
jq -c '.name |= . + "!"' "$T/clr-nested-1.json" >"$T/clr-nested-1-t.json"
di "credconv clr #1 nested #1+string" "$T/clr-nested-1-t.json"
"$CC" convert -t clr --issuer samples/issuer.json --recipients samples/recipients.csv \
    samples/rncp-sample.xml 2>/dev/null | head -1 >"$T/clr.json"

# ------------------------------------------------------------ VC-JWT
cp "$T/cred-1.json" "$T/cred.json"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/RS256.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ES256.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/EdDSA.pem" 2>/dev/null
# The payload with its name changed, the header and signature kept.
tamper_jwt() {
    python3 - "$1" "$2" <<'PY'
import base64, json, sys
h, p, s = open(sys.argv[1]).read().strip().split(".")
d = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
d["name"] = str(d.get("name", "")) + "!"
p = base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
open(sys.argv[2], "w").write(".".join([h, p, s]) + "\n")
PY
}
jwt_pair() {  # NAME ALG TOKEN: credconv verify --key vs jose compactVerify
    c=$(ccv verify --key "$T/$2.pub" "$3")
    o=$(node "$HERE/jose.mjs" verify "$2" "$T/$2.pub" "$3" | cut -f2,3)
    verdict=${o%%	*}
    row JWT "$1" "$c" "${verdict:-error}" "$(echo "$o" | cut -f2 | cut -c1-60)"
}
for alg in RS256 ES256 EdDSA; do
    openssl pkey -in "$T/$alg.pem" -pubout -out "$T/$alg.pub" 2>/dev/null
    # PKCS#8 for jose's importPKCS8 (openssl genpkey writes it already; kept explicit).
    openssl pkcs8 -topk8 -nocrypt -in "$T/$alg.pem" -out "$T/$alg.p8" 2>/dev/null
    if "$CC" sign --key "$T/$alg.pem" "$T/cred.json" >"$T/cc-$alg.jwt" 2>"$T/sign.err"; then
        jwt_pair "credconv $alg" "$alg" "$T/cc-$alg.jwt"
        tamper_jwt "$T/cc-$alg.jwt" "$T/cc-$alg-t.jwt"
        jwt_pair "credconv $alg+payload" "$alg" "$T/cc-$alg-t.jwt"
    else
        row JWT "credconv $alg (sign failed)" error valid
    fi
    if "$CC" sign --key "$T/$alg.pem" "$T/clr.json" >"$T/cc-clr-$alg.jwt" 2>"$T/sign.err"; then
        jwt_pair "credconv clr $alg" "$alg" "$T/cc-clr-$alg.jwt"
        tamper_jwt "$T/cc-clr-$alg.jwt" "$T/cc-clr-$alg-t.jwt"
        jwt_pair "credconv clr $alg+payload" "$alg" "$T/cc-clr-$alg-t.jwt"
    else
        row JWT "credconv clr $alg (sign failed)" error valid
    fi
    node "$HERE/jose.mjs" sign "$alg" "$T/$alg.p8" "$T/cred.json" >"$T/jose-$alg.jwt"
    jwt_pair "jose $alg" "$alg" "$T/jose-$alg.jwt"
    tamper_jwt "$T/jose-$alg.jwt" "$T/jose-$alg-t.jwt"
    jwt_pair "jose $alg+payload" "$alg" "$T/jose-$alg-t.jwt"
done

# ------------------------------------------------------------ CLR 2.0 schema
# The same files against the official CLR 2.0 schema: credconv's engine (validate -f clr
# --schema) and ajv.  Every corpus export credconv writes as CLRs (a fiche each), the learners'
# CLRs, the signed ones, the 1EdTech samples, and broken copies that must fail both.
CLR_SCHEMA=$CORPUS/ob/schemas/clr2/clr_v2p0_clrcredential_schema.json
schema_row() {  # NAME FILE
    c=$(ccv validate -f clr --schema "$CLR_SCHEMA" "$2")
    o=$(node "$HERE/schema.mjs" "$CLR_SCHEMA" "$2" | head -1)
    row SCHEMA "$1" "$c" "${o%%	*}" "$(echo "$o" | cut -f2 | cut -c1-60)"
}
for x in "$CORPUS"/rncp/*.xml; do
    b=$(basename "$x" .xml)
    "$CC" convert -t clr --issuer samples/issuer.json "$x" >"$T/$b.clr.jsonl" 2>/dev/null
    [ -s "$T/$b.clr.jsonl" ] && schema_row "clr of $(echo "$b" | cut -c1-40)" "$T/$b.clr.jsonl"
done
"$CC" convert -t clr --issuer samples/issuer.json --recipients samples/recipients.csv \
    samples/rncp-sample.xml >"$T/learners.clr.jsonl" 2>/dev/null
schema_row "clr learners (samples)" "$T/learners.clr.jsonl"
schema_row "clr learners signed (eddsa-rdfc-2022)" "$T/clr-learners.jsonl"
schema_row "dcpv clr20/simple.json" "$CORPUS/ob/validator-dcpv/clr20/simple.json"
schema_row "vector clrv2p0 signed-credential" "$VEC/eddsa-rdfc-2022/clrv2p0/signed-credential.json"
head -1 "$T/learners.clr.jsonl" >"$T/l1.json"
jq -c 'del(.name)' "$T/l1.json" >"$T/clr-noname.json"
schema_row "clr learner without name" "$T/clr-noname.json"
jq -c '.credentialSubject.verifiableCredential = []' "$T/l1.json" >"$T/clr-novc.json"
schema_row "clr learner with no credential" "$T/clr-novc.json"
jq -c '.credentialSubject.association = [{"type":"Association","associationType":"isBlockOf","sourceId":"urn:x:a","targetId":"urn:x:b"}]' \
    "$T/l1.json" >"$T/clr-assoc.json"
schema_row "clr learner, unknown associationType" "$T/clr-assoc.json"
jq -c '."@context"[1] = "https://purl.imsglobal.org/spec/clr/v2p0/context-3.json"' "$T/l1.json" >"$T/clr-ctx.json"
schema_row "clr learner, wrong CLR context" "$T/clr-ctx.json"

# ------------------------------------------------------------ CASE schemas
# The CFPackages credconv writes against the official CASE 1.0 schema (--case-version 1.0)
# and credconv's own 1.1 schema (schemas/case/, draft 2020-12): credconv's engine (validate
# -f case, with --schema for 1.0) and ajv (schema.mjs).  Every corpus export (a package per
# fiche with blocks), the OpenSALT sample packages, and broken copies that must fail both.
V10=$CORPUS/case/case-v1p0-cfpackage-schema.json
V11=$ROOT/schemas/case/case-v1p1-cfpackage.json
case_row() {  # NAME VERSION FILE
    if [ "$2" = 1.0 ]; then c=$(ccv validate -f case --schema "$V10" "$3"); s=$V10; else c=$(ccv validate -f case "$3"); s=$V11; fi
    o=$(node "$HERE/schema.mjs" "$s" "$3" | head -1)
    row SCHEMA "$1" "$c" "${o%%	*}" "$(echo "$o" | cut -f2 | cut -c1-60)"
}
if [ -f "$V10" ]; then
    for x in "$CORPUS"/rncp/*.xml; do
        b=$(basename "$x" .xml | cut -c1-34)
        for v in 1.1 1.0; do
            "$CC" convert -t case --case-version $v "$x" >"$T/$b.case$v.jsonl" 2>/dev/null
            [ -s "$T/$b.case$v.jsonl" ] && case_row "case $v of $b" $v "$T/$b.case$v.jsonl"
        done
    done
    for f in "$CORPUS"/case/opensalt/*.json; do
        case_row "opensalt $(basename "$f" .json | cut -c1-30) (1.0)" 1.0 "$f"
    done
    "$CC" convert -t case --select RNCP40344 "$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml" \
        >"$T/case1.json" 2>/dev/null
    jq -c '. + {extensions: {x: 1}}' "$T/case1.json" >"$T/case-ext.json"
    case_row "case 1.1 + package extensions, 1.0 schema" 1.0 "$T/case-ext.json"
    case_row "case 1.1 + package extensions, 1.1 schema" 1.1 "$T/case-ext.json"
    for v in 1.0 1.1; do
        jq -c 'del(.CFDocument.identifier)' "$T/case1.json" >"$T/case-noid.json"
        case_row "case without CFDocument.identifier ($v)" $v "$T/case-noid.json"
        jq -c '.CFAssociations[0].associationType = "isBlockOf"' "$T/case1.json" >"$T/case-assoc.json"
        case_row "case, unknown associationType ($v)" $v "$T/case-assoc.json"
    done
else
    echo "interop: no CASE 1.0 schema at $V10: CASE rows not run" >&2
fi

# ------------------------------------------------------------ EDC seals
# The other side: xmlsec1 checks the digests and the signature value with the embedded
# certificate (--insecure: no trust chain, as credconv does not evaluate trust either), and
# what `convert` reads from the document equals what it reads from the signed node-set (the
# document without its ds:Signature elements, which every corpus seal's transform removes).
# credconv needs --accept-unbound-key: an embedded certificate is not bound to the issuer.
# xmlsec1 checks the seal where EDC puts it (and where credconv looks): the root's proof.
unsigned_view() {
    python3 - "$1" "$2" <<'PY'
import sys, xml.dom.minidom as m
DS = "http://www.w3.org/2000/09/xmldsig#"
doc = m.parse(sys.argv[1])
for e in list(doc.getElementsByTagNameNS(DS, "Signature")):
    e.parentNode.removeChild(e)
open(sys.argv[2], "wb").write(doc.toxml(encoding="UTF-8"))
PY
}
edc() {
    c=$(ccv verify $A "$2")
    if xmlsec1 --verify --insecure --enabled-reference-uris empty,same-doc \
            --id-attr:Id "http://uri.etsi.org/01903/v1.3.2#:SignedProperties" \
            --enabled-key-data x509 --node-xpath "/*/*[local-name()='proof']/*[local-name()='Signature']" \
            "$2" >"$T/xs.log" 2>&1; then
        o=valid note="xmlsec1 OK"
        unsigned_view "$2" "$T/view.xml"
        "$CC" convert -f edc -t model "$2" >"$T/m1.json" 2>/dev/null
        "$CC" convert -f edc -t model "$T/view.xml" >"$T/m2.json" 2>/dev/null
        nsig=$(xmllint --xpath "count(//*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#'])" "$2" 2>/dev/null)
        if ! cmp -s "$T/m1.json" "$T/m2.json"; then
            o=invalid note="xmlsec1 OK, but convert reads bytes outside the signed node-set"
        elif [ "${nsig:-0}" != 1 ]; then
            # every corpus seal's transform removes all ds:Signature elements from what it
            # digests: a second one is content in the document that nothing signs
            o=invalid note="xmlsec1 OK, but $nsig ds:Signature elements: all but the seal are unsigned content"
        fi
    else
        o=invalid note="xmlsec1: $(grep -m1 -o 'reason=[^;]*\|FAIL' "$T/xs.log" | cut -c1-50)"
    fi
    row EDC "$1" "$c" "$o" "$note"
}
for f in signed/edci_accredited_credential_step2_awardingBody_true.xml \
         signed/edci_credential-generic-profile-xsd-signed.xml signed/edci_sampleQSEAL.xml \
         signed/edci_sewing_course.xml signed/edci_signedSampleXML-B.badSign.xml \
         elm_edci_credential_basic_v1.0.xml elm_AnaAndromeda_CivilEngineering_v1.0.xml \
         elm_IldikoMazar_CertificateOfExcellence_v1.0.xml elm_edci_credential_complex_v1.0.xml \
         presentations/elm_EDC_DiplomaSupplement_AA_mandated_dp_1.2.xml \
         presentations/edci_verificable_presentation_mandated-xsd_v1.2.xml \
         presentations/edci_verificable_presentation_mandated_dp-xsd_v1.2.xml; do
    [ -f "$EDC/$f" ] && edc "$(basename "$f" .xml)" "$EDC/$f"
done
S=$EDC/signed/edci_sewing_course.xml
sed 's/>Sewing course</>Sewing Course</' "$S" >"$T/edited.xml"
edc "sewing_course+signed-text-edited" "$T/edited.xml"
# Words inside a ds:Signature nested in a signed text: the seal's transform removes them, so
# they are not signed (issue 10, item 1).
sed 's|>Sewing course</text>|>Sewing course<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"> and Doctor of Medicine (summa cum laude)</ds:Signature></text>|' \
    "$S" >"$T/inside.xml"
grep -q 'Doctor of Medicine' "$T/inside.xml" || echo "interop: the ds:Signature injection did not apply" >&2
edc "sewing_course+text-inside-ds:Signature" "$T/inside.xml"

# ------------------------------------------------------------ JAdES seals
# jose's generalVerify / flattenedVerify (RFC 7797 b64 false; sigT and adoTst recognised as
# critical) with the x5c leaf key, against credconv verify --accept-unbound-key (jose binds
# no key either).  Seals made by credconv and by jose, the corpus's EC seals, tampered copies.
JT="python3 $ROOT/tests/e2e/jws_tool.py"
jades_pair() {  # NAME FILE
    c=$(ccv verify $A "$2")
    o=$(node "$HERE/jades.mjs" verify "$2" | cut -f2,3)
    verdict=${o%%	*}
    row JAdES "$1" "$c" "${verdict:-error}" "$(echo "$o" | cut -f2 | cut -c1-60)"
}
jades_tampered() {  # NAME FILE: the payload, a header member and the signature changed
    for m in payload-byte header-member signature; do
        $JT edit "$2" "$T/jt-$m.json" "$m" && jades_pair "$1+$m" "$T/jt-$m.json"
    done
}
ELM=$CORPUS/edc/elm-v3
if [ -f "$ELM/samples/Sample-CertOfPart-signed.jsonld" ]; then
    # the credential the EC sealed (a sealed EDC 3 credential: issued, eIDAS identifier), so
    # that verify's edc3 checks pass and the comparison is of the seal alone
    python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["payload"])' \
        "$ELM/samples/Sample-CertOfPart-signed.jsonld" >"$T/edc3.json"
    for alg in RS256 PS256 ES256; do
        kf=$T/$alg.pem
        [ "$alg" = PS256 ] && kf=$T/RS256.pem
        openssl req -x509 -new -key "$kf" -subj "/C=FR/O=Interop/CN=Interop Seal $alg" -days 2 \
            -out "$T/seal-$alg.crt" 2>/dev/null
        if "$CC" sign --key "$kf" --cert "$T/seal-$alg.crt" --alg "$alg" "$T/edc3.json" >"$T/cc-seal-$alg.json" 2>"$T/sign.err"; then
            jades_pair "credconv seal $alg" "$T/cc-seal-$alg.json"
            jades_tampered "credconv seal $alg" "$T/cc-seal-$alg.json"
            $JT edit "$T/cc-seal-$alg.json" "$T/cc-flat-$alg.json" flatten
            jades_pair "credconv seal $alg flattened" "$T/cc-flat-$alg.json"
        else
            row JAdES "credconv seal $alg (sign failed)" error valid
        fi
        openssl pkcs8 -topk8 -nocrypt -in "$kf" -out "$T/seal-$alg.p8" 2>/dev/null
        node "$HERE/jades.mjs" sign "$alg" "$T/seal-$alg.p8" "$T/seal-$alg.crt" "$T/edc3.json" >"$T/jose-seal-$alg.json"
        jades_pair "jose seal $alg" "$T/jose-seal-$alg.json"
        $JT edit "$T/jose-seal-$alg.json" "$T/jose-seal-$alg-t.json" payload-byte
        jades_pair "jose seal $alg+payload-byte" "$T/jose-seal-$alg-t.json"
    done
    # b64 confusion: the header says base64url, the payload is the raw credential
    $JT resign "$T/cc-seal-RS256.json" "$T/b64-true.json" "$T/RS256.pem" RS256 'h["b64"] = True'
    jades_pair "credconv seal RS256, b64 true over a raw payload" "$T/b64-true.json"
    # a b64 true seal (payload base64url): both read it
    $JT resign "$T/cc-seal-RS256.json" "$T/b64-enc.json" "$T/RS256.pem" RS256 \
        'p = b64u(p.encode()); del h["b64"]; h["crit"] = ["sigT"]'
    jades_pair "credconv seal RS256, b64 true, base64url payload" "$T/b64-enc.json"
    # credconv's stricter rules: jose accepts a JWS with one good signature of several, and
    # knows nothing of JAdES's rule that sigT must be listed in crit (both listed as expected)
    $JT edit "$T/cc-seal-RS256.json" "$T/two-sigs.json" second-signature
    jades_pair "credconv seal RS256, a second signature" "$T/two-sigs.json"
    $JT resign "$T/cc-seal-RS256.json" "$T/no-crit.json" "$T/RS256.pem" RS256 'h["crit"] = ["b64"]'
    jades_pair "credconv seal RS256, sigT not in crit" "$T/no-crit.json"
    for f in "$ELM/samples/Sample-CertOfPart-signed.jsonld" "$ELM/samples/Sample-MC-Annex1-signed.jsonld" \
             "$ELM/edci-2.x-samples/test_credential-signed.jsonld"; do
        jades_pair "$(basename "$f" .jsonld)" "$f"
    done
    jades_tampered "Sample-CertOfPart-signed" "$ELM/samples/Sample-CertOfPart-signed.jsonld"
fi
# ------------------------------------------------------------ status lists
# Lists credconv publishes are read by Digital Bazaar's vc-bitstring-status-list (and by python's
# zlib + base64, a second decoder); a list that library encodes is read by credconv verify.
# Each case: the bits at the credentials' indexes, as credconv and as the other side say.
ST=https://www.ecole-du-cycle.example/status/1
openssl genpkey -algorithm ED25519 -out "$T/st.pem" 2>/dev/null
openssl pkey -in "$T/st.pem" -pubout -out "$T/st.pub" 2>/dev/null
{ echo "email,given_name,family_name,achievement,id,issued"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "s$i@example.org,S$i,Interop,RNCP99001,,2026-06-30"; done; } >"$T/st.csv"
"$CC" convert -q -t ob3 --issuer samples/issuer.json --recipients "$T/st.csv" --status-list "$ST" \
    --status-state "$T/st.state" samples/rncp-sample.xml >"$T/st.jsonl" 2>/dev/null
"$CC" sign --key "$T/st.pem" "$T/st.jsonl" >"$T/st.jwt" 2>/dev/null
idx=$(jq -r '.credentialStatus.statusListIndex' "$T/st.jsonl" | tr '\n' ' ')
"$CC" status publish --state "$T/st.state" --purpose revocation --key "$T/st.pem" -o "$T/st-list.jwt" 2>/dev/null
"$CC" status revoke --state "$T/st.state" --list "$T/st-list.jwt" --key "$T/st.pem" \
    $(sed -n '2p;7p;11p' "$T/st.jsonl" | jq -r .id) >/dev/null 2>&1
# the same list re-signed with a Data Integrity proof, its method the key's Multikey in the
# fragment of the issuer's id (what the offline loader resolves, as --accept-unbound-key)
cp "$T/st-list.jwt" "$T/st-list.json"
mk=$(node -e '
const c = require("crypto"), pem = require("fs").readFileSync(process.argv[1]);
const x = Buffer.from(c.createPublicKey(pem).export({format: "jwk"}).x, "base64url");
const b = Buffer.concat([Buffer.from([0xed, 0x01]), x]);
const A = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
let n = BigInt("0x" + b.toString("hex")), s = "";
while (n > 0n) { s = A[Number(n % 58n)] + s; n /= 58n; }
console.log("z" + s);' "$T/st.pem")
"$CC" status publish $M --state "$T/st.state" --purpose revocation --key "$T/st.pem" --suite eddsa-rdfc-2022 \
    --kid "https://www.ecole-du-cycle.example/#$mk" -o "$T/st-list.json" 2>/dev/null
jq -e '.proof[0].cryptosuite == "eddsa-rdfc-2022"' "$T/st-list.json" >/dev/null 2>&1 ||
    row STATUS "credconv Data Integrity list written" no yes
# credconv's bits: from verify's verdicts (revoked = 1), one per credential line
"$CC" verify --key "$T/st.pub" --status-list-file "$T/st-list.jwt" "$T/st.jwt" 2>/dev/null |
    sed -n 's/.*st.jwt:\([0-9]*\): .*/\0/p' | awk '{ print (/status-revoked/ ? 1 : 0) }' | tr '\n' ' ' >"$T/st.cc"
for f in st-list.jwt st-list.json; do
    node "$HERE/status.mjs" decode "$T/$f" $idx 2>"$T/st.err" | awk 'NR > 1 { print $2 }' | tr '\n' ' ' >"$T/st.db"
    row STATUS "credconv list ($f) read by vc-bitstring-status-list" "$(cat "$T/st.cc")" "$(cat "$T/st.db")" \
        "$(node "$HERE/status.mjs" decode "$T/$f" 2>&1 | head -1)"
done
# the library's whole check: the list's proof verified, issuers matched, the bit read
node "$HERE/status.mjs" check "$CTX" "$T/st-list.json" "$T/st.jsonl" 2>&1 | tr '\n' ' ' >"$T/st.chk"
"$CC" verify $M --key "$T/st.pub" --status-list-file "$T/st-list.json" "$T/st.jwt" 2>/dev/null |
    awk '{ print (/status-revoked/ ? 1 : /not revoked/ ? 0 : "error") }' | tr '\n' ' ' >"$T/st.cc3"
row STATUS "checkStatus (list proof, issuer) vs credconv verify" "$(cat "$T/st.cc3")" "$(cat "$T/st.chk")" \
    "$(cut -c1-60 "$T/st.chk")"
# a list of another issuer at the list's URL, properly signed by that issuer: both refuse it
openssl genpkey -algorithm ED25519 -out "$T/other.pem" 2>/dev/null
omk=$(node -e '
const c = require("crypto"), pem = require("fs").readFileSync(process.argv[1]);
const x = Buffer.from(c.createPublicKey(pem).export({format: "jwk"}).x, "base64url");
const b = Buffer.concat([Buffer.from([0xed, 0x01]), x]);
const A = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
let n = BigInt("0x" + b.toString("hex")), s = "";
while (n > 0n) { s = A[Number(n % 58n)] + s; n /= 58n; }
console.log("z" + s);' "$T/other.pem")
"$CC" status publish $M --state "$T/other.state" --issuer-id https://other.example/ --url "$ST" --purpose revocation \
    --key "$T/other.pem" --suite eddsa-rdfc-2022 --kid "https://other.example/#$omk" -o "$T/other-list.json" 2>/dev/null
node "$HERE/status.mjs" check "$CTX" "$T/other-list.json" "$T/st.jsonl" 2>&1 |
    awk '{ print (/^error/ ? "refused" : "read") }' | sort -u | tr '\n' ' ' >"$T/o.chk"
"$CC" verify $M --key "$T/st.pub" --status-list-file "$T/other-list.json" "$T/st.jwt" 2>/dev/null |
    awk '{ print (/status-list-issuer/ ? "refused" : "read") }' | sort -u | tr '\n' ' ' >"$T/o.cc"
row STATUS "a list of another issuer: refused" "$(cat "$T/o.cc")" "$(cat "$T/o.chk")"
python3 - "$T/st-list.jwt" $idx >"$T/st.py" <<'PY'
import sys, json, base64, zlib
t = open(sys.argv[1]).read().strip().split('.')[1]
enc = json.loads(base64.urlsafe_b64decode(t + '=' * (-len(t) % 4)))['credentialSubject']['encodedList']
assert enc[0] == 'u'
bits = zlib.decompress(base64.urlsafe_b64decode(enc[1:] + '=' * (-len(enc[1:]) % 4)), 16 + zlib.MAX_WBITS)
print(' '.join(str(bits[int(i) // 8] >> (7 - int(i) % 8) & 1) for i in sys.argv[2:]), end=' ')
PY
row STATUS "credconv list read by python zlib+base64" "$(cat "$T/st.cc")" "$(cat "$T/st.py")" "$(wc -c <"$T/st.py") chars"
# the other way: vc-bitstring-status-list encodes a list with credentials 1, 5 and 12 set
set -- $idx
enc=$(node "$HERE/status.mjs" encode 131072 "$1" "$5" "${12}")
python3 - "$T/st-list.jwt" "$enc" >"$T/db-list.json" <<'PY'
import sys, json, base64
t = open(sys.argv[1]).read().strip().split('.')[1]
d = json.loads(base64.urlsafe_b64decode(t + '=' * (-len(t) % 4)))
for k in ('iss', 'jti', 'sub', 'nbf', 'exp', 'iat'): d.pop(k, None)
d['credentialSubject']['encodedList'] = sys.argv[2]
print(json.dumps(d))
PY
"$CC" sign --key "$T/st.pem" "$T/db-list.json" >"$T/db-list.jwt" 2>/dev/null
"$CC" verify --key "$T/st.pub" --status-list-file "$T/db-list.jwt" "$T/st.jwt" 2>/dev/null |
    awk '{ print (/status-revoked/ ? 1 : 0) }' | tr '\n' ' ' >"$T/st.cc2"
row STATUS "vc-bitstring-status-list list read by credconv" "$(cat "$T/st.cc2")" "1 0 0 0 1 0 0 0 0 0 0 1 "

# ------------------------------------------------------------ summary
echo
echo "interop: $agree agree / $disagree disagree ($expected of them listed as expected)"
echo "interop: status lists: $(grep -c '^STATUS .* agree' "$T/rows") agree / $(grep -c '^STATUS .*DISAGREE' "$T/rows") disagree"
if [ "$stale" -gt 0 ]; then
    echo "interop: $stale case(s) in $EXPECTED agree now: remove them"
fi
if [ $((disagree - expected)) -gt 0 ] || [ "$stale" -gt 0 ]; then
    echo "interop: FAILED"; grep 'DISAGREE\|listed as expected' "$T/rows" | grep -v '(expected)'
    exit 1
fi
echo "interop: OK"
