#!/bin/sh
# make interop: credconv's verdicts against independent verifiers, offline.
#   Data Integrity (eddsa-rdfc-2022): Digital Bazaar's verifyCredential (verify-di.mjs)
#   VC-JWT (RS256, ES256, EdDSA):      jose's compactVerify and CompactSign (jose.mjs)
#   EDC XAdES seals:                   xmlsec1 --verify, plus "convert reads only signed bytes"
#   JAdES seals (JWS JSON, b64 false):  jose's generalVerify / flattenedVerify (jades.mjs)
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
    node "$HERE/jose.mjs" sign "$alg" "$T/$alg.p8" "$T/cred.json" >"$T/jose-$alg.jwt"
    jwt_pair "jose $alg" "$alg" "$T/jose-$alg.jwt"
    tamper_jwt "$T/jose-$alg.jwt" "$T/jose-$alg-t.jwt"
    jwt_pair "jose $alg+payload" "$alg" "$T/jose-$alg-t.jwt"
done

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

# ------------------------------------------------------------ summary
echo
echo "interop: $agree agree / $disagree disagree ($expected of them listed as expected)"
if [ "$stale" -gt 0 ]; then
    echo "interop: $stale case(s) in $EXPECTED agree now: remove them"
fi
if [ $((disagree - expected)) -gt 0 ] || [ "$stale" -gt 0 ]; then
    echo "interop: FAILED"; grep 'DISAGREE\|listed as expected' "$T/rows" | grep -v '(expected)'
    exit 1
fi
echo "interop: OK"
