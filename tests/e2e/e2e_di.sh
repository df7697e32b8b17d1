#!/bin/sh
# End-to-end tests of Data Integrity proofs (eddsa-rdfc-2022): verify the published vectors
# and the 1EdTech validator's OB 3.0 samples (the "sig" column of validator-dcpv/EXPECTED.md),
# reproduce the published proofValue by signing with the published test key, sign and verify
# with keys made here, and refuse what was changed after signing.
# The JSON-LD contexts come from ../shared/corpus/ob/contexts through --map-url: a folder laid
# out by host and path, made of links in the temporary folder.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_di.sh    (run from the project root)
. tests/e2e/sh_lib.sh
V=$OB/test-vectors
DCPV=$OB/validator-dcpv/ob30

# ------------------------------------------------------------ without the corpus
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
cat >"$T/cred.json" <<'JSON'
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://ecole.example/issuer","type":["Profile"],"name":"École"},"validFrom":"2024-06-30T00:00:00Z","name":"Bloc 1","credentialSubject":{"id":"did:example:jeanne","type":["AchievementSubject"],"achievement":{"id":"https://ecole.example/a/1","type":["Achievement"],"name":"Bloc 1","description":"d","criteria":{"narrative":"n"}}}}
JSON
run 2 "--suite without signing" "$CC_BIN" verify --suite eddsa-rdfc-2022 "$T/cred.json"
has "$T/err" -- '--suite goes with sign and convert --sign \[usage\]' "--suite is for signing"
run 2 "unknown suite" "$CC_BIN" sign --key "$T/ed.pem" --suite ecdsa-rdfc-2019 "$T/cred.json"
has "$T/err" "unknown --suite 'ecdsa-rdfc-2019' \\(eddsa-rdfc-2022\\)" "names the suite it knows"
run 2 "--suite with --alg" "$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 --alg EdDSA "$T/cred.json"
run 1 "--suite with a P-256 key" "$CC_BIN" sign --key "$T/ec.pem" --suite eddsa-rdfc-2022 "$T/cred.json"
has "$T/err" 'eddsa-rdfc-2022 signs with an Ed25519 key \[di-key\]' "Ed25519 only"
run 1 "contexts not available: not signed" "$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 "$T/cred.json"
has "$T/err" 'loading remote context failed: https://www.w3.org/ns/credentials/v2: not fetched: give --fetch.* \[di-jsonld\]' "says which context, and how to give it"
[ -s "$T/out" ] && ko "nothing is written when signing fails" || ok

if ! [ -d "$OB/contexts" ]; then
    skipped "Data Integrity vectors and samples"
    finish e2e_di
    exit $?
fi

# ------------------------------------------------------------ the contexts, by host and path
ctx_map
C=$(cd "$OB/contexts" && pwd)
# A key that is not shown to be the issuer's gives key-not-bound (exit 1); A accepts it.
A=--accept-unbound-key

# ------------------------------------------------------------ published vectors
for v in obv3p0 clrv2p0; do
    run 1 "vector $v: a fragment Multikey is not the issuer's key" "$CC_BIN" verify $M "$V/eddsa-rdfc-2022/$v/signed-credential.json"
    has "$T/out" 'Data Integrity proof: INVALID \(key-not-bound\)' "$v: key-not-bound"
    hasnt "$T/out" 'signature valid' "$v: no valid verdict for an unbound key"
    run 0 "vector $v verifies" "$CC_BIN" verify $M $A "$V/eddsa-rdfc-2022/$v/signed-credential.json"
    has "$T/out" 'Data Integrity proof: signature valid \(eddsa-rdfc-2022, the Multikey in the fragment of https://example.edu/issuers/565049#z6Mk' "$v: key from the verificationMethod's fragment"
    has "$T/out" "not evaluated: who signed \\(the Multikey in the fragment of .* is not shown to be the issuer's: the issuer's controller document https://example.edu/issuers/565049 cannot be read" "$v: says the key is not bound to the issuer"
done
run 0 "contexts mapped URL=FILE" "$CC_BIN" verify $A --map-url "https://www.w3.org/ns/credentials/v2=$C/validator-credentials-v2.jsonld" \
    --map-url "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json=$C/ob-v3p0-context-3.0.3.json" \
    "$V/eddsa-rdfc-2022/obv3p0/signed-credential.json"
has "$T/out" 'signature valid \(eddsa-rdfc-2022' "one file per context URL"
run 0 "W3C vector (did:key)" "$CC_BIN" verify $M $A "$V/w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"
has "$T/out" 'signature valid \(eddsa-rdfc-2022, did:key' "key from the did:key"
run 1 "contexts not given: not checked" "$CC_BIN" verify "$V/eddsa-rdfc-2022/obv3p0/signed-credential.json"
has "$T/out" 'NOT CHECKED \(di-jsonld\)' "not checked, not invalid"
has "$T/err" 'loading remote context failed: https://www.w3.org/ns/credentials/v2: not fetched' "says why"

# Tampering: one character of a signed text, the proof's date, the signature itself.
S=$V/eddsa-rdfc-2022/obv3p0/signed-credential.json
sed 's/Teamwork Badge/Teamwork Badgf/' "$S" >"$T/t1.json"
sed 's/2010-01-01T19:23:24Z/2010-01-01T19:23:25Z/' "$S" >"$T/t2.json"
sed 's/"z5x9aCBYovW3/"z5x9aCBYovW4/' "$S" >"$T/t3.json"
for t in t1 t2 t3; do
    run 1 "tampered copy $t" "$CC_BIN" verify $M "$T/$t.json"
    has "$T/out" 'INVALID \(di-signature\)' "$t: the signature does not match"
done

sed 's/"name": "some name"/"name": "some other name"/' "$DCPV/simple-eddsa-2022.json" >"$T/t4.json"
if cmp -s "$DCPV/simple-eddsa-2022.json" "$T/t4.json"; then ko "the legacy sample was not changed"; else ok; fi
run 1 "tampered legacy proof" "$CC_BIN" verify $M "$T/t4.json"
has "$T/out" 'INVALID \(di-signature\)' "a legacy suite is checked as strictly"

# Signing with the published key reproduces the published proof byte for byte (Ed25519 is
# deterministic): same canonical forms, same hashes, same signature.
VM=https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi
for v in obv3p0 clrv2p0; do
    published=$(jq -r ".expected.$v.proofValue" "$V/eddsa-rdfc-2022/key.json")
    run 0 "sign vector $v with the published key" env SOURCE_DATE_EPOCH=1262373804 "$CC_BIN" sign $M \
        --key "$V/eddsa-rdfc-2022/key.json" --suite eddsa-rdfc-2022 --kid "$VM" "$V/eddsa-rdfc-2022/$v/credential.json"
    got=$(jq -r '.proof[0].proofValue' "$T/out")
    [ "$got" = "$published" ] && ok || ko "$v: proofValue $got, published $published"
    jqtrue "$T/out" '.proof[0] | .type == "DataIntegrityProof" and .cryptosuite == "eddsa-rdfc-2022" and .created == "2010-01-01T19:23:24Z" and .proofPurpose == "assertionMethod"' "$v: the proof's fields"
done

# ------------------------------------------------------------ the validator's samples
# file, exit status, and the verdict: valid, or the rule of the failure
while read -r f want verdict; do
    run "$want" "validator sample $f" "$CC_BIN" verify $M $A "$DCPV/$f"
    case $verdict in
        valid) has "$T/out" 'Data Integrity proof: signature valid \(eddsa-rdfc-2022' "$f: signature valid" ;;
        legacy) has "$T/out" 'Data Integrity proof: signature valid \((Ed25519Signature2020|eddsa-2022), a legacy suite' "$f: valid, a legacy suite" ;;
        ob3-*) has "$T/out" 'signature valid \(eddsa-rdfc-2022' "$f: signature valid"
               has "$T/err" "error: .*\\[$verdict\\]" "$f: the credential itself fails $verdict" ;;
        *) has "$T/out" "\\($verdict\\)" "$f: $verdict" ;;
    esac
done <<'LIST'
simple.json 0 valid
simple-did-key-method.json 0 valid
simple-context-alias.json 0 valid
simple-json.png 0 valid
simple-json.svg 0 valid
complete.json 0 valid
endorsement-valid.json 0 valid
simple-err-type.json 1 di-jsonld-dropped
simple-err-proof-value.json 1 di-signature
simple-err-context.json 1 di-jsonld-dropped
simple-err-credential-subject-type.json 1 di-jsonld-dropped
simple-err-issuer-type.json 1 di-jsonld-dropped
simple-err-evidence-type.json 1 di-jsonld-dropped
simple-err-proof-method-no-scheme.json 1 di-proof-method
simple_v1.json 0 legacy
simple-eddsa-2022.json 0 legacy
credential-status-revoked.json 0 legacy
sd/derivedcredential.json 1 proof-unsupported
simple-err-expired.json 1 ob3-expired
simple-err-issued.json 1 ob3-not-yet-valid
LIST
run 1 "multiple proofs: the one credconv knows is checked" "$CC_BIN" verify $M $A "$DCPV/simple-multiple-proofs.json"
has "$T/err" 'warning: .*a SomeProofType proof is not verified by credconv .*\[proof-unsupported\]' "the other is named"
has "$T/out" 'signature valid \(eddsa-rdfc-2022' "the eddsa proof is valid"
has "$T/err" "error: .*defined by none of the credential's contexts, so JSON-LD drops them: 'SomeProofType', 'created', 'proofPurpose' \\[ob3-jsonld-undefined\\]" \
    "the validator's JSON-LD error: an undefined proof type"

# ------------------------------------------------------------ JSON-LD terms (validate)
run 0 "spec examples: every term defined" "$CC_BIN" validate -f ob3 $M "$OB"/examples/ob3-spec/*.json
hasnt "$T/err" 'ob3-jsonld' "no undefined term in the spec examples"
"$CC_BIN" convert -q -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv samples/rncp-sample.xml >"$T/written.jsonl" 2>/dev/null
"$CC_BIN" convert -q -t ob3 --issuer samples/issuer.json "$CORPUS"/rncp/*V4_1*.xml >>"$T/written.jsonl" 2>/dev/null
run 0 "what credconv writes: every term defined" "$CC_BIN" validate -f ob3 $M "$T/written.jsonl"
hasnt "$T/err" 'ob3-jsonld' "no undefined term in credconv's own credentials and achievements"
jq -c '.credentialSubject.favouriteColour = "blue"' "$V/eddsa-rdfc-2022/obv3p0/credential.json" >"$T/extra.json"
run 1 "an undefined property" "$CC_BIN" validate -f ob3 $M "$T/extra.json"
has "$T/err" "so JSON-LD drops it: 'favouriteColour' \\[ob3-jsonld-undefined\\]" "named"
run 0 "without contexts the terms are not checked" "$CC_BIN" validate -f ob3 "$T/extra.json"
hasnt "$T/err" 'ob3-jsonld' "nothing said without -v"

# ------------------------------------------------------------ sign, then verify
# Without --kid the proof names the key's did:key, which binds only when it is the issuer's
# id: for another issuer credconv refuses and says what to publish.
run 1 "sign, issuer not the did:key, no --kid: refused" "$CC_BIN" sign $M --key "$T/ed.pem" --suite eddsa-rdfc-2022 "$T/cred.json"
has "$T/err" "the issuer's id https://ecole.example/issuer is not this key's did:key.*give --kid .*\\[di-kid\\]" "di-kid"
has "$T/err" 'note: sign with --kid https://ecole.example/issuer#key-1: .*only when https://ecole.example/issuer serves a controller document' "says what to publish"
has "$T/err" '"assertionMethod"' "the controller document template lists the method under assertionMethod"
[ -s "$T/out" ] && ko "nothing is written when refused" || ok
dk=$(openssl pkey -in "$T/ed.pem" -pubout -outform DER 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n')
mk=$(python3 -c "import sys;b=bytes.fromhex('ed01'+sys.argv[1]);A='123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';n=int.from_bytes(b,'big');s='';
while n: n,r=divmod(n,58); s=A[r]+s
print('z'+s)" "$dk")
run 0 "sign with an explicit did:key --kid" "$CC_BIN" sign $M --key "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "did:key:$mk#$mk" "$T/cred.json"
cp "$T/out" "$T/signed.json"
jqtrue "$T/signed.json" '.proof | length == 1 and (.[0].verificationMethod | test("^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+#z6Mk"))' "verificationMethod: the key's did:key"
run 1 "verify it: a did:key that is not the issuer's id" "$CC_BIN" verify $M "$T/signed.json"
has "$T/out" 'INVALID \(key-not-bound\)' "did:key not the issuer: key-not-bound"
run 0 "verify it" "$CC_BIN" verify $M $A "$T/signed.json"
has "$T/out" 'signature valid \(eddsa-rdfc-2022, did:key\)' "did:key, not the issuer's id"
# The issuer is the did:key itself: then the key is the issuer's.
did=$(jq -r '.proof[0].verificationMethod | sub("#.*"; "")' "$T/signed.json")
jq -c --arg d "$did" '.issuer.id = $d' "$T/cred.json" >"$T/cred-did.json"
run 0 "sign, issuer = the key's did:key: the default" "$CC_BIN" sign $M --key "$T/ed.pem" --suite eddsa-rdfc-2022 "$T/cred-did.json"
cp "$T/out" "$T/signed-did.json"
run 0 "verify, issuer = did:key" "$CC_BIN" verify $M "$T/signed-did.json"
has "$T/out" "signature valid \\(eddsa-rdfc-2022, did:key, which is the issuer's id\\)" "bound to the issuer"
hasnt "$T/out" "that the key is the issuer's" "nothing left unsaid about the key"
# A VC-JWT whose kid is a did:key verifies offline too: the DID is the key.
vm=$(jq -r '.proof[0].verificationMethod' "$T/signed.json")
run 0 "VC-JWT with a did:key kid" "$CC_BIN" sign --key "$T/ed.pem" --kid "$vm" "$T/cred.json"
cp "$T/out" "$T/didkey.jwt"
run 1 "VC-JWT did:key kid, not the issuer's" "$CC_BIN" verify "$T/didkey.jwt"
has "$T/out" 'VC-JWT: INVALID \(key-not-bound\)' "VC-JWT did:key not the issuer: key-not-bound"
run 0 "verify it, no key given" "$CC_BIN" verify $A "$T/didkey.jwt"
has "$T/out" 'VC-JWT: signature valid \(EdDSA, did:key\)' "the kid is the key"
has "$T/out" "who signed \\(the did:key is not the issuer's id\\)" "and it is not the issuer's"
run 0 "VC-JWT, issuer = did:key" "$CC_BIN" sign --key "$T/ed.pem" --kid "$vm" "$T/cred-did.json"
cp "$T/out" "$T/didkey2.jwt"
run 0 "verify it" "$CC_BIN" verify "$T/didkey2.jwt"
has "$T/out" 'VC-JWT: signature valid \(EdDSA, did:key, which is the issuer\)' "bound to the issuer"
openssl genpkey -algorithm ED25519 -out "$T/ed2.pem" 2>/dev/null
run 0 "VC-JWT naming another key's did:key" "$CC_BIN" sign --key "$T/ed2.pem" --kid "$vm" "$T/cred.json"
cp "$T/out" "$T/wrongkid.jwt"
run 1 "does not verify" "$CC_BIN" verify "$T/wrongkid.jwt"
has "$T/out" 'INVALID \(jws-signature\)' "the did:key is not the key that signed"
# A did:web method: its DID document read at https://HOST/.well-known/did.json (here through
# --map-url); the key is the issuer's when the method's controller is the issuer.
mk=${vm#*#}
mkdir -p "$T/web/.well-known"
cat >"$T/web/.well-known/did.json" <<JSON
{"id":"did:web:issuer.example","verificationMethod":[{"id":"did:web:issuer.example#key-1","type":"Multikey","controller":"did:web:issuer.example","publicKeyMultibase":"$mk"}]}
JSON
jq -c '.issuer.id = "did:web:issuer.example"' "$T/cred.json" >"$T/cred-web.json"
"$CC_BIN" sign $M --key "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "did:web:issuer.example#key-1" "$T/cred-web.json" >"$T/signed-web.json" 2>/dev/null
run 0 "did:web method" "$CC_BIN" verify $M $A --map-url "https://issuer.example/=$T/web/" "$T/signed-web.json"
has "$T/out" "signature valid \\(eddsa-rdfc-2022, key fetched from https://issuer.example/.well-known/did.json\\)" "the DID document's key"
has "$T/out" "does not list did:web:issuer.example#key-1 under assertionMethod" "defined, but not listed under assertionMethod: not bound"
run 1 "did:web without --fetch or a map" "$CC_BIN" verify $M "$T/signed-web.json"
has "$T/out" 'NOT CHECKED \(di-no-key\)' "not fetched, not checked"
run 1 "another DID method" "$CC_BIN" verify $M "$DCPV/simple-err-proof-method-unknown-did-method.json"
has "$T/err" 'credconv resolves did:key and did:web, not this DID method' "says which methods it resolves"
run 1 "a signed credential is not signed twice" "$CC_BIN" sign $M --key "$T/ed.pem" --suite eddsa-rdfc-2022 "$T/signed.json"
has "$T/err" 'already has a proof \[di-key\]' "refused"
openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub.pem" 2>/dev/null
run 0 "verify with --key" "$CC_BIN" verify $M --key "$T/ed.pub.pem" "$T/signed.json"
has "$T/out" "signature valid \\(eddsa-rdfc-2022, key from $T/ed.pub.pem\\)" "the key given"
openssl genpkey -algorithm ED25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub.pem" 2>/dev/null
run 1 "another key" "$CC_BIN" verify $M --key "$T/other.pub.pem" "$T/signed.json"
has "$T/out" 'INVALID \(di-signature\)' "another key does not verify it"

# Baked, then unbaked: still valid.
if [ -f samples/badge.png ]; then
    run 0 "bake a signed credential" "$CC_BIN" bake --image samples/badge.png -o "$T/signed.png" "$T/signed.json"
    run 0 "the baked credential verifies" "$CC_BIN" verify $M $A "$T/signed.png"
    has "$T/out" 'signature valid \(eddsa-rdfc-2022' "baked and still valid"
fi

# convert --sign --suite --kid: every credential written carries a proof that verifies, bound
# to the issuer by the controller document it publishes (assertionMethod by relative reference).
ISS=https://www.ecole-du-cycle.example/
cat >"$T/cycle.json" <<JSON
{"id":"$ISS","verificationMethod":[{"id":"$ISS#key-1","type":"Multikey","controller":"$ISS","publicKeyMultibase":"$mk"}],"assertionMethod":["#key-1"]}
JSON
run 1 "convert --sign --suite (3 bad rows)" "$CC_BIN" convert -q $M -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv \
    --sign "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-1" -O "$T/issued" samples/rncp-sample.xml
n=$(ls "$T/issued"/*.json 2>/dev/null | wc -l)
[ "$n" -gt 0 ] && ok || ko "convert --sign --suite wrote no credential"
bad=0
for f in "$T/issued"/*.json; do "$CC_BIN" verify $M --map-url "$ISS=$T/cycle.json" "$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
[ "$bad" -eq 0 ] && ok || ko "$bad of $n issued credentials do not verify"

finish e2e_di
