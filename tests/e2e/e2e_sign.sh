#!/bin/sh
# End-to-end tests of credconv sign and verify, and an independent check with the openssl
# command-line tool alone: what credconv signs, openssl verifies, and the other way round.
# Test keys are generated here, in the temporary folder; none is committed.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_sign.sh    (run from the project root)
. tests/e2e/sh_lib.sh
OB=$CORPUS/ob
GEN=$OB/test-vectors/generated
DCPV=$OB/validator-dcpv
EDC=$CORPUS/edc/edci-1.x/samples

b64u() { basenc --base64url -w0 | tr -d '='; }
unb64u() { tr -d '\n' | tr '_-' '/+' | awk '{ n = length($0) % 4; if (n) $0 = $0 substr("==", 1, 4 - n); print }' | base64 -d; }
hex() { od -An -tx1 -v | tr -d ' \n'; }

# ------------------------------------------------------------ keys (generated now)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$T/p384.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$T/rsa1024.pem" 2>/dev/null
for k in rsa ec ed; do openssl pkey -in "$T/$k.pem" -pubout -out "$T/$k.pub.pem" 2>/dev/null; done
openssl req -x509 -new -key "$T/rsa.pem" -subj /CN=test -days 2 -out "$T/rsa.crt" 2>/dev/null

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat >"$T/cred.json" <<JSON
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://ecole.example/issuer","type":["Profile"],"name":"École"},"validFrom":"2024-06-30T00:00:00Z","validUntil":"2099-12-31T00:00:00Z","name":"Bloc 1","credentialSubject":{"id":"did:example:jeanne","type":["AchievementSubject"],"achievement":{"id":"https://ecole.example/a/1","type":["Achievement"],"name":"Bloc 1","description":"d","criteria":{"narrative":"n"}}}}
JSON

# ------------------------------------------------------------ the command line
run 0 help "$CC_BIN" --help
for opt in --key --alg --kid --embed-jwk --jwks --issuer-profile --revocation-list; do
    has "$T/out" -- "$opt" "help mentions $opt"
done
run 2 "sign without --key" "$CC_BIN" sign "$T/cred.json"
has "$T/err" 'sign needs --key' "the missing key is named"
run 2 "--kid and --embed-jwk" "$CC_BIN" sign --key "$T/rsa.pem" --kid x --embed-jwk "$T/cred.json"
run 2 "unknown alg" "$CC_BIN" sign --key "$T/rsa.pem" --alg HS256 "$T/cred.json"
run 2 "--key and --jwks" "$CC_BIN" verify --key "$T/rsa.pub.pem" --jwks "$T/rsa.pub.pem" "$T/cred.json"
run 2 "sign with a public key" "$CC_BIN" sign --key "$T/rsa.pub.pem" "$T/cred.json"
has "$T/err" 'key-not-private' "a public key cannot sign"
run 2 "verify: missing input" "$CC_BIN" verify "$T/nope.jwt"

# ------------------------------------------------------------ credconv → openssl
for alg in RS256 ES256; do
    k=rsa; [ $alg = ES256 ] && k=ec
    run 0 "sign $alg" "$CC_BIN" sign --key "$T/$k.pem" --alg $alg "$T/cred.json"
    tr -d '\n' <"$T/out" >"$T/$alg.jwt"
    cut -d. -f1,2 "$T/$alg.jwt" | tr -d '\n' >"$T/$alg.input"
    cut -d. -f3 "$T/$alg.jwt" | unb64u >"$T/$alg.sig"
    if [ $alg = ES256 ]; then
        # JOSE raw r‖s (64 bytes) → DER ECDSA-Sig-Value, built by openssl asn1parse.
        h=$(hex <"$T/$alg.sig")
        printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$(echo "$h" | cut -c1-64)" \
            "$(echo "$h" | cut -c65-128)" >"$T/der.cnf"
        openssl asn1parse -genconf "$T/der.cnf" -out "$T/$alg.der" -noout >/dev/null
        mv "$T/$alg.der" "$T/$alg.sig"
    fi
    if openssl dgst -sha256 -verify "$T/$k.pub.pem" -signature "$T/$alg.sig" "$T/$alg.input" >/dev/null 2>&1; then
        ok; else ko "openssl does not verify the $alg token credconv signed"; fi
    head -c 20 "$T/$alg.input" >"$T/x"; printf 'X' >>"$T/x"; tail -c +22 "$T/$alg.input" >>"$T/x"
    if openssl dgst -sha256 -verify "$T/$k.pub.pem" -signature "$T/$alg.sig" "$T/x" >/dev/null 2>&1; then
        ko "openssl verifies a changed $alg input"; else ok; fi
    # A header jwk proves integrity only: anyone can sign with a key of their own.
    run 1 "verify $alg (header jwk): the key is not the issuer's" "$CC_BIN" verify "$T/$alg.jwt"
    has "$T/out" "VC-JWT: INVALID \\(key-not-bound\\)" "$alg: header jwk is key-not-bound"
    hasnt "$T/out" "signature valid" "$alg: no valid verdict for an unbound key"
    has "$T/err" "not shown to be the issuer's \\(the token carries its own key in its header jwk\\)" "$alg: says why"
    run 0 "verify $alg (header jwk, --accept-unbound-key)" "$CC_BIN" verify --accept-unbound-key "$T/$alg.jwt"
    has "$T/out" "signature valid \\($alg, key from header jwk\\); claims match the credential; valid now" "$alg verdict"
    has "$T/out" "not evaluated: who signed" "the header key is said to be unbound"
    has "$T/err" "accepted by --accept-unbound-key \\[key-not-bound\\]" "$alg: the accepted risk is warned about"
    run 0 "verify $alg (--key)" "$CC_BIN" verify --key "$T/$k.pub.pem" "$T/$alg.jwt"
done
cut -d. -f2 "$T/RS256.jwt" | unb64u >"$T/payload.json"
has "$T/payload.json" '"iss":"https://ecole.example/issuer","jti":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","sub":"did:example:jeanne","nbf":1719705600,"exp":4102358400' "claims from the credential"
cut -d. -f1 "$T/RS256.jwt" | unb64u >"$T/header.json"
has "$T/header.json" '^\{"alg":"RS256","typ":"JWT","jwk":\{"kty":"RSA","e":"AQAB","n":"[A-Za-z0-9_-]+"\}\}$' "header: alg, typ, jwk only"
run 0 "sign EdDSA" "$CC_BIN" sign --key "$T/ed.pem" "$T/cred.json"
has "$T/err" 'vcjwt-eddsa' "EdDSA: the validator's limit is said"
cp "$T/out" "$T/ed.jwt"
run 0 "verify EdDSA" "$CC_BIN" verify --key "$T/ed.pub.pem" "$T/ed.jwt"
run 0 "sign with --kid" "$CC_BIN" sign --key "$T/ec.pem" --kid https://ecole.example/keys/1 "$T/cred.json"
cp "$T/out" "$T/kid.jwt"
run 1 "kid only: not checked" "$CC_BIN" verify "$T/kid.jwt"
has "$T/out" 'NOT CHECKED \(jws-no-key\)' "no key, no fetching"
openssl pkey -in "$T/ec.pem" -pubout 2>/dev/null >"$T/ec2.pub.pem"
printf '{"keys":[{"kty":"RSA","kid":"other","n":"AQAB","e":"AQAB"},%s]}\n' \
    "$(cut -d. -f1 "$T/ES256.jwt" | unb64u | sed 's/.*"jwk":\({[^}]*}\).*/\1/; s/^{/{"kid":"https:\/\/ecole.example\/keys\/1",/')" >"$T/jwks.json"
run 0 "verify standard input" sh -c '"$1" verify --key "$2" - <"$3"' sh "$CC_BIN" "$T/ed.pub.pem" "$T/ed.jwt"
has "$T/out" '^<stdin>: VC-JWT: signature valid' "standard input is named <stdin>"
hasnt "$T/out" 'credconv-stdin' "not by the name of its spooled copy (stdout)"
hasnt "$T/err" 'credconv-stdin' "not by the name of its spooled copy (stderr)"
run 0 "--jwks picks by kid" "$CC_BIN" verify --jwks "$T/jwks.json" "$T/kid.jwt"
has "$T/out" 'key kid https://ecole.example/keys/1 from' "the key used is named"
run 0 "certificate as --key" "$CC_BIN" verify --key "$T/rsa.crt" "$T/RS256.jwt"

# ------------------------------------------------------------ openssl → credconv
make_token() {  # ALG KEY OUT: a token whose signature openssl made
    printf '{"alg":"%s","typ":"JWT"}' "$1" | b64u >"$T/h"
    b64u <"$T/cred.json" >"$T/p"
    printf '%s.%s' "$(cat "$T/h")" "$(cat "$T/p")" >"$T/in"
    openssl dgst -sha256 -sign "$2" -out "$T/sig" "$T/in"
    if [ "$1" = ES256 ]; then  # DER → raw r‖s, each integer left-padded to 32 bytes
        openssl asn1parse -inform DER -in "$T/sig" | awk -F: '/INTEGER/ { printf "%064s\n", $NF }' |
            tr ' ' 0 | tr -d '\n' | tr a-f A-F | basenc --base16 -d >"$T/sig.raw"
        mv "$T/sig.raw" "$T/sig"
    fi
    printf '%s.%s\n' "$(cat "$T/in")" "$(b64u <"$T/sig")" >"$3"
}
# The credential has no iss/jti/... claims: valid, with a warning for each missing claim.
make_token RS256 "$T/rsa.pem" "$T/ossl-rs.jwt"
run 0 "openssl RS256 → credconv" "$CC_BIN" verify --key "$T/rsa.pub.pem" "$T/ossl-rs.jwt"
has "$T/err" 'no iss claim .*vcjwt-claim-missing' "missing claims are warnings"
make_token ES256 "$T/ec.pem" "$T/ossl-es.jwt"
run 0 "openssl ES256 → credconv" "$CC_BIN" verify --key "$T/ec.pub.pem" "$T/ossl-es.jwt"
run 1 "wrong key" "$CC_BIN" verify --key "$T/ec2.pub.pem" "$T/ossl-rs.jwt"
has "$T/err" 'jws-alg-key-mismatch' "an EC key never checks an RS256 token"

# ------------------------------------------------------------ rejections
tok_with_header() {  # HEADER OUT: RS256-signed by credconv's key, any header
    printf '%s' "$1" | b64u >"$T/h"
    printf '%s.%s' "$(cat "$T/h")" "$(cut -d. -f2 "$T/RS256.jwt")" >"$T/in"
    openssl dgst -sha256 -sign "$T/rsa.pem" -out "$T/sig" "$T/in"
    printf '%s.%s\n' "$(cat "$T/in")" "$(b64u <"$T/sig")" >"$2"
}
for c in 'none:{"alg":"none"}:jws-alg-none' 'hmac:{"alg":"HS256"}:jws-alg-hmac' \
         'crit:{"alg":"RS256","crit":["exp"]}:jws-crit' 'unknown:{"alg":"RS512"}:jws-alg-unsupported' \
         'privjwk:{"alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}}:jws-jwk-private' \
         'mismatch:{"alg":"ES256"}:jws-alg-key-mismatch'; do
    name=${c%%:*} rule=${c##*:} h=${c#*:}; h=${h%:*}
    tok_with_header "$h" "$T/$name.jwt"
    run 1 "reject $name" "$CC_BIN" verify --key "$T/rsa.pub.pem" "$T/$name.jwt"
    has "$T/err" "\\[$rule\\]" "$name: rule $rule"
done
# An unsigned token ("alg":"none", empty signature) is refused too.
printf '%s.%s.\n' "$(printf '{"alg":"none"}' | b64u)" "$(cut -d. -f2 "$T/RS256.jwt")" >"$T/unsigned.jwt"
run 1 "reject unsigned" "$CC_BIN" verify --key "$T/rsa.pub.pem" "$T/unsigned.jwt"
run 2 "P-384 key" "$CC_BIN" sign --key "$T/p384.pem" "$T/cred.json"
run 1 "1024-bit RSA" "$CC_BIN" sign --key "$T/rsa1024.pem" "$T/cred.json"
has "$T/err" 'key-weak' "short RSA keys are refused"
for part in 1 2 3; do  # one changed character in each part
    awk -F. -v p=$part 'BEGIN { OFS = "." } { c = substr($p, 10, 1); $p = substr($p, 1, 9) (c == "A" ? "B" : "A") substr($p, 11); print }' \
        "$T/RS256.jwt" >"$T/tampered.jwt"
    run 1 "tampered part $part" "$CC_BIN" verify --key "$T/rsa.pub.pem" "$T/tampered.jwt"
done
sed 's/"validUntil":"2099-12-31T00:00:00Z"/"validUntil":"2001-01-01T00:00:00Z"/' "$T/cred.json" >"$T/expired.json"
"$CC_BIN" sign --key "$T/rsa.pem" "$T/expired.json" >"$T/expired.jwt" 2>/dev/null
run 1 "expired" "$CC_BIN" verify "$T/expired.jwt"
has "$T/err" 'vcjwt-expired' "expiry checked"

# ------------------------------------------------------------ OB 2.0
cat >"$T/ob2.json" <<'JSON'
{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:uuid:c1a2b3d4-0000-4000-8000-000000000001","recipient":{"type":"email","hashed":false,"identity":"a@example.org"},"issuedOn":"2024-01-01T00:00:00Z","badge":"https://ecole.example/badge.json","verification":{"type":"SignedBadge","creator":"https://ecole.example/key.json"}}
JSON
run 0 "sign OB 2.0" "$CC_BIN" sign --key "$T/rsa.pem" "$T/ob2.json"
cp "$T/out" "$T/ob2.jws"
cut -d. -f1 "$T/ob2.jws" | unb64u >"$T/ob2.h"
has "$T/ob2.h" '^\{"alg":"RS256"\}$' "OB 2.0 header"
if [ "$(cut -d. -f2 "$T/ob2.jws" | unb64u)" = "$(cat "$T/ob2.json")" ]; then ok; else ko "OB 2.0: the assertion's bytes are the payload"; fi
pem=$(awk '{ printf "%s\\n", $0 }' "$T/rsa.pub.pem")
printf '{"@context":"https://w3id.org/openbadges/v2","type":"CryptographicKey","id":"https://ecole.example/key.json","owner":"https://ecole.example/issuer.json","publicKeyPem":"%s"}\n' "$pem" >"$T/key.json"
printf '{"@context":"https://w3id.org/openbadges/v2","type":"Issuer","id":"https://ecole.example/issuer.json","name":"É","url":"https://ecole.example","email":"a@ecole.example","publicKey":"https://ecole.example/key.json","revocationList":"https://ecole.example/rl.json"}\n' >"$T/issuer.json"
printf '{"@context":"https://w3id.org/openbadges/v2","type":"RevocationList","id":"https://ecole.example/rl.json","revokedAssertions":[{"id":"urn:uuid:c1a2b3d4-0000-4000-8000-000000000001","revocationReason":"error"}]}\n' >"$T/rl.json"
run 0 "verify OB 2.0" "$CC_BIN" verify --key "$T/key.json" --issuer-profile "$T/issuer.json" "$T/ob2.jws"
has "$T/out" 'creator https://ecole.example/key.json\); the issuer lists the key; key bound to the issuer: the key was given \(--key\); not evaluated: .*revocation \(give https://ecole.example/rl.json' "creator and list"
run 1 "OB 2.0 revoked" "$CC_BIN" verify --key "$T/key.json" --issuer-profile "$T/issuer.json" --revocation-list "$T/rl.json" "$T/ob2.jws"
has "$T/err" 'revoked: error \[ob2-revoked\]' "revocation reason"
sed 's/key.json"/other-key.json"/' "$T/issuer.json" >"$T/issuer2.json"
run 1 "OB 2.0 unlisted creator" "$CC_BIN" verify --key "$T/key.json" --issuer-profile "$T/issuer2.json" "$T/ob2.jws"
has "$T/err" 'ob2-creator-unlisted' "a key the issuer does not list is refused"
sed 's/SignedBadge/HostedBadge/' "$T/ob2.json" >"$T/hosted.json"
run 1 "OB 2.0 hosted cannot be signed" "$CC_BIN" sign --key "$T/rsa.pem" "$T/hosted.json"
has "$T/err" 'ob2-not-signed' "hosted assertion named"
run 1 "OB 2.0 with ES256" "$CC_BIN" sign --key "$T/ec.pem" "$T/ob2.json"

# ------------------------------------------------------------ convert --sign
printf 'email,given_name,family_name,achievement\na@example.org,Ann,Lee,RNCP99001\nb@example.org,Bo,Ng,RNCP99001BC01\n' >"$T/r.csv"
run 0 "convert -t ob3 --sign" "$CC_BIN" convert -t ob3 --issuer samples/issuer.json --recipients "$T/r.csv" \
    --sign "$T/ec.pem" --kid https://ecole.example/keys/1 samples/rncp-sample.xml
count "$T/out" '^ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' 2 "one VC-JWT per credential"
cp "$T/out" "$T/signed.jwts"
run 0 "verify a file of tokens" "$CC_BIN" verify --jwks "$T/jwks.json" "$T/signed.jwts"
count "$T/out" 'signed.jwts:[12]: VC-JWT: signature valid \(ES256, key kid https://ecole.example/keys/1' 2 "each line verified"
run 0 "convert -t ob2 --sign -O" "$CC_BIN" convert -t ob2 --issuer samples/issuer.json --recipients "$T/r.csv" \
    --badge-image https://ecole.example/badge.png --sign "$T/rsa.pem" --kid https://ecole.example/key.json -O "$T/signed" samples/rncp-sample.xml
if [ "$(ls "$T/signed" | grep -c '\.jws$')" -eq 2 ]; then ok; else ko "-O: one .jws per assertion"; ls "$T/signed"; fi
run 0 "verify the signed assertions" "$CC_BIN" verify --key "$T/key.json" "$T"/signed/*.jws
count "$T/out" 'OB 2.0 signed assertion: signature valid \(RS256, key from .*creator https://ecole.example/key.json\)' 2 "SignedBadge, creator = --kid"
run 2 "--sign to rncp" "$CC_BIN" convert -t rncp --sign "$T/rsa.pem" samples/rncp-sample.xml
run 2 "--sign on validate" "$CC_BIN" validate --sign "$T/rsa.pem" samples/rncp-sample.xml

# ------------------------------------------------------------ the corpus
if [ -f "$GEN/ob3-vcjwt-rs256.jwt" ]; then
    run 0 "generated VC-JWT" "$CC_BIN" verify --key "$GEN/ob3-vcjwt-rs256.public.jwk.json" "$GEN/ob3-vcjwt-rs256.jwt"
    run 0 "generated OB 2.0" "$CC_BIN" verify --key "$GEN/ob2-publicKey.json" "$GEN/ob2-signed-assertion.jws"
    run 0 "re-sign the generated OB 3.0 vector" "$CC_BIN" sign --key "$OB/community/mozilla-bakery/rsa-private.pem" \
        "$OB/test-vectors/eddsa-rdfc-2022/obv3p0/credential.json"
    if cmp -s "$T/out" "$GEN/ob3-vcjwt-rs256.jwt" || [ "$(cat "$T/out")" = "$(cat "$GEN/ob3-vcjwt-rs256.jwt")" ]; then
        ok; else ko "re-signing does not reproduce ob3-vcjwt-rs256.jwt"; fi
    run 1 "DCPV CLR VC-JWT: header jwk, not the issuer's" "$CC_BIN" verify "$DCPV/clr20/simple.jwt"
    has "$T/out" "INVALID \(key-not-bound\)" "DCPV CLR VC-JWT: key-not-bound"
    run 0 "DCPV CLR VC-JWT (vc claim)" "$CC_BIN" verify --accept-unbound-key "$DCPV/clr20/simple.jwt"
    has "$T/err" 'vcjwt-vc-claim' "VC 1.1 warning"
    A=$DCPV/ob20/assets
    run 0 "DCPV ob20 simple" "$CC_BIN" verify --key "$A/key1.json" --issuer-profile "$A/organization.json" "$DCPV/ob20/simple.jwt"
    run 0 "DCPV ob20 not revoked" "$CC_BIN" verify --key "$A/key2.json" --issuer-profile "$A/organization-with-empty-revocation-list.json" \
        --revocation-list "$A/empty-revocation-list.json" "$DCPV/ob20/simple-not-revoked.jwt"
    run 1 "DCPV ob20 revoked" "$CC_BIN" verify --key "$A/key3.json" --issuer-profile "$A/organization-with-revocation-list.json" \
        --revocation-list "$A/revocation-list.json" "$DCPV/ob20/simple-revoked.jwt"
    has "$T/err" 'ob2-revoked' "revoked by the list"
    run 1 "DCPV ob20 wrong key" "$CC_BIN" verify --key "$A/key2.json" "$DCPV/ob20/simple.jwt"
    has "$T/err" 'ob2-creator-mismatch' "the creator names another key"
    run 1 "DCPV ob30 without keys" "$CC_BIN" verify "$DCPV/ob30/simple.jwt" "$DCPV/ob30/velocity.jwt"
    count "$T/out" 'NOT CHECKED \(jws-no-key\)' 2 "no key: not checked"
    run 0 "baked VC-JWTs (PNG, SVG, VC 1.1)" "$CC_BIN" verify --accept-unbound-key "$DCPV/ob30/simple-jwt.png" "$DCPV/ob30/simple-jwt.svg" \
        "$DCPV/ob30/simple-jwt_v1.png" "$DCPV/ob30/simple-jwt_v1.svg" "$GEN/ob3-vcjwt-baked.png"
    count "$T/out" 'VC-JWT: signature valid \(RS256, key from header jwk\)' 5 "five baked VC-JWTs"
    run 0 "baked OB 2.0 JWS" "$CC_BIN" verify --key "$GEN/ob2-publicKey.json" "$GEN/ob2-signed-baked.png" "$GEN/ob2-signed-baked.svg"
    count "$T/out" 'OB 2.0 signed assertion: signature valid' 2 "two baked JWS"
    run 1 "an embedded proof without its contexts" "$CC_BIN" verify "$DCPV/ob30/simple.json"
    has "$T/out" 'Data Integrity proof: NOT CHECKED \(di-jsonld\)' "not checked, and said so (tests/e2e/e2e_di.sh gives the contexts)"
else
    skipped "OB corpus signature cases"
fi
if [ -f "$EDC/signed/edci_sewing_course.xml" ]; then
    run 1 "EDC seal: the embedded certificate is not bound to the issuer" "$CC_BIN" verify "$EDC"/signed/edci_sewing_course.xml
    has "$T/out" "EDC e-seal: INVALID \(key-not-bound\)" "EDC seal: key-not-bound without a given or trusted certificate"
    run 0 "EDC sealed samples" "$CC_BIN" verify --accept-unbound-key "$EDC"/signed/edci_sewing_course.xml "$EDC"/signed/edci_sampleQSEAL.xml \
        "$EDC"/signed/edci_signedSampleXML-B.badSign.xml "$EDC"/signed/edci_accredited_credential_step2_awardingBody_true.xml \
        "$EDC"/elm_edci_credential_basic_v1.0.xml "$EDC"/elm_AnaAndromeda_CivilEngineering_v1.0.xml \
        "$EDC"/elm_IldikoMazar_CertificateOfExcellence_v1.0.xml "$EDC"/presentations/elm_EDC_DiplomaSupplement_AA_mandated_dp_1.2.xml
    count "$T/out" 'EDC e-seal: seal valid \(XAdES, 2/2 references' 8 "eight seals check"
    has "$T/out" 'sewing_course.xml: .*signer .*CN=Nombre Servicio Sellado TEST.*; signing time 2021-08-16T10:50:34Z; not evaluated: who signed \(the seal.s certificate comes from the document itself.*\); certificate trust and qualified status' "signer, time, limits"
    run 1 "EDC edited after sealing" "$CC_BIN" verify "$EDC"/signed/edci_credential-generic-profile-xsd-signed.xml \
        "$EDC"/elm_edci_credential_complex_v1.0.xml "$EDC"/presentations/edci_verificable_presentation_mandated-xsd_v1.2.xml \
        "$EDC"/presentations/edci_verificable_presentation_mandated_dp-xsd_v1.2.xml
    count "$T/out" 'INVALID \(edc-seal-invalid\)' 4 "four edited documents fail"
    sed 's/>Sewing course</>Sewing Course</' "$EDC/signed/edci_sewing_course.xml" >"$T/edited.xml"
    run 1 "EDC: one name changed" "$CC_BIN" verify "$T/edited.xml"
    has "$T/err" 'digest of the credential document does not match' "the credential digest"
    sed 's/<xades:SigningTime>2021/<xades:SigningTime>2020/' "$EDC/signed/edci_sewing_course.xml" >"$T/edited.xml"
    run 1 "EDC: signing time changed" "$CC_BIN" verify "$T/edited.xml"
    has "$T/err" 'digest of the SignedProperties' "the SignedProperties digest"
    run 1 "EDC: unsealed" "$CC_BIN" verify "$EDC/elm_EDC_WileECoyote_Simple.xml"
    has "$T/out" 'NOT CHECKED \(edc-no-seal\)' "no seal"
else
    skipped "EDC corpus signature cases"
fi

# A credential credconv signs, baked into a PNG and an SVG, unbaked: it still verifies.
"$CC_BIN" convert -q -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv \
    samples/rncp-sample.xml 2>/dev/null | head -n 1 >"$T/one.json"
run 0 "sign for baking" "$CC_BIN" sign --key "$T/ec.pem" "$T/one.json"
cp "$T/out" "$T/one.jwt"
for img in png svg; do
    run 0 "bake the VC-JWT ($img)" "$CC_BIN" bake --image "samples/badge.$img" -o "$T/signed.$img" "$T/one.jwt"
    run 1 "a baked credential signed by an embedded jwk is not the issuer's ($img)" "$CC_BIN" verify "$T/signed.$img"
    has "$T/out" "INVALID \(key-not-bound\)" "baked $img: key-not-bound"
    run 0 "a baked signed credential verifies ($img)" "$CC_BIN" verify --accept-unbound-key "$T/signed.$img"
    has "$T/out" 'VC-JWT: signature valid \(ES256' "baked $img: signature valid"
    run 0 "unbake ($img)" "$CC_BIN" unbake -o "$T/unbaked.jwt" "$T/signed.$img"
    run 0 "the unbaked token verifies ($img)" "$CC_BIN" verify --accept-unbound-key "$T/unbaked.jwt"
    tr -d '\n' <"$T/one.jwt" >"$T/a"; tr -d '\n' <"$T/unbaked.jwt" >"$T/b"
    same "$T/a" "$T/b" "unbake gives the token back ($img)"
done

# kid URLs and OB 2.0 key links resolved through --map-url (the same code path as --fetch,
# without the network): the public JWK is taken from an --embed-jwk token's header.
"$CC_BIN" sign --key "$T/ec.pem" --embed-jwk "$T/one.json" 2>/dev/null | cut -d. -f1 | tr '_-' '/+' >"$T/h64"
pad=$(( (4 - $(tr -d '\n' <"$T/h64" | wc -c) % 4) % 4 ))
{ tr -d '\n' <"$T/h64"; [ $pad -gt 0 ] && printf '%*s' "$pad" '' | tr ' ' '='; } | base64 -d 2>/dev/null >"$T/header.json"
mkdir -p "$T/keys"
sed 's/.*"jwk":\({[^}]*}\).*/{"keys":[\1]}/; s/}]}$/,"kid":"key-1"}]}/' "$T/header.json" >"$T/keys/issuer.json"
run 0 "sign with a kid URL" "$CC_BIN" sign --key "$T/ec.pem" --kid "https://keys.example/issuer.json#key-1" "$T/one.json"
cp "$T/out" "$T/kid.jwt"
run 1 "a kid URL without --fetch is not checked" "$CC_BIN" verify "$T/kid.jwt"
has "$T/err" 'named by kid https://keys.example/issuer.json#key-1, which is not fetched: give --fetch' "says how to resolve it"
run 1 "a kid URL the issuer does not list is not the issuer's key" "$CC_BIN" verify --map-url "https://keys.example/=$T/keys/" "$T/kid.jwt"
has "$T/out" "INVALID \(key-not-bound\)" "kid URL: key-not-bound"
run 0 "the kid URL resolved" "$CC_BIN" verify --accept-unbound-key --map-url "https://keys.example/=$T/keys/" "$T/kid.jwt"
has "$T/out" 'signature valid \(ES256, key fetched from kid https://keys.example/issuer.json#key-1\)' "key from the kid's JWK Set"
if have_ob; then
    A=$OB/validator-dcpv/ob20
    M="--map-url http://example.org/=$A/assets/ --map-url https://example.org/=$A/assets/"
    # shellcheck disable=SC2086
    run 0 "OB 2.0: the creator key and its owner fetched" "$CC_BIN" verify $M "$A/simple-not-revoked.jwt"
    has "$T/out" 'signature valid \(RS256, key from the key the issuer lists, fetched.*the issuer lists the key; not revoked' "key, owner and revocation list followed"
    # shellcheck disable=SC2086
    run 1 "OB 2.0: revoked through the fetched list" "$CC_BIN" verify $M "$A/simple-revoked.jwt"
    has "$T/out" 'INVALID \(ob2-revoked\)' "revoked"
fi

# ------------------------------------------------------------ inputs read a block at a time
# Lines are cut from 64 KiB blocks: a pretty-printed credential of several blocks is read
# whole, and NDJSON lines that straddle blocks (with a blank and a CRLF line among them,
# the last without a newline) keep their numbers and their bytes.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["description"] = "x" * 150000
print(json.dumps(d, indent=700))' "$T/cred.json" >"$T/big-pretty.json"
run 0 "sign: a pretty-printed credential of several read blocks" "$CC_BIN" sign --key "$T/ec.pem" --alg ES256 "$T/big-pretty.json"
tr -d '\n' <"$T/out" >"$T/big-pretty.jwt"
run 0 "verify its token" "$CC_BIN" verify --key "$T/ec.pub.pem" "$T/big-pretty.jwt"
has "$T/out" 'signature valid' "the several-block credential verifies"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
for i in range(60):
    d["id"] = "urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-%012d" % i; d["description"] = "y" * (i * 97 % 5000)
    sys.stdout.write(json.dumps(d) + ("\r\n" if i == 7 else "\n") + ("\n" if i == 30 else ""))' "$T/cred.json" |
    head -c -1 >"$T/many.jsonl"
run 0 "sign: NDJSON lines across read blocks" "$CC_BIN" sign --key "$T/ec.pem" --alg ES256 "$T/many.jsonl"
[ "$(wc -l <"$T/out")" = 60 ] && ok || ko "60 tokens for 60 lines, not $(wc -l <"$T/out")"
cp "$T/out" "$T/many.jwt"
run 0 "verify the 60 tokens" "$CC_BIN" verify --key "$T/ec.pub.pem" "$T/many.jwt"
[ "$(grep -c 'signature valid' "$T/out")" = 60 ] && ok || ko "60 verdicts, not $(grep -c 'signature valid' "$T/out")"
has "$T/out" '/many\.jwt:60: ' "the last token is named by its line"
python3 -c 'import base64, json, sys
for n, t in enumerate(open(sys.argv[1]).read().split("\n")[:60]):
    p = t.split(".")[1]; v = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))); v = v.get("vc", v)
    assert v["id"].endswith("%012d" % n), (n, v["id"])' "$T/many.jwt" 2>"$T/err" && ok ||
    ko "the tokens are not the lines in order: $(tail -1 "$T/err")"

finish e2e_sign
