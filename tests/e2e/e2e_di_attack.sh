#!/bin/sh
# End-to-end attacks on Data Integrity proofs and VC-JWT kid URLs (issue 10 items 4, 5, 9;
# issue 11 item 1): keys not bound to the issuer, members JSON-LD would drop unsigned, proof
# dates and purpose, an issuer that the signed RDF names differently from the JSON, and
# oversized proofValues.  Every forged input must exit non-zero with no "signature valid"
# (or only with the key-not-bound reason where the signature itself is genuine).
# The contexts come from ../shared/corpus/ob/contexts through --map-url, as in e2e_di.sh;
# controller documents are files mapped to the issuer's URL with --map-url.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_di_attack.sh    (run from the project root)
. tests/e2e/sh_lib.sh
V=$OB/test-vectors/eddsa-rdfc-2022

if ! [ -d "$OB/contexts" ]; then
    skipped "Data Integrity attacks"
    finish e2e_di_attack
    exit $?
fi
ctx_map
A=--accept-unbound-key

# keys: the issuer's and the attacker's, with their Multikeys (base58btc of 0xed01 ‖ key)
multikey() {
    openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n' |
        python3 -c "import sys;n=int('ed01'+sys.stdin.read(),16);A='123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';s=''
while n: n,r=divmod(n,58); s=A[r]+s
print('z'+s)"
}
openssl genpkey -algorithm ED25519 -out "$T/issuer.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/attacker.pem" 2>/dev/null
MK=$(multikey "$T/issuer.pem")
MKA=$(multikey "$T/attacker.pem")
ISS=https://ecole.example/issuer
cat >"$T/cred.json" <<JSON
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"$ISS","type":["Profile"],"name":"École"},"validFrom":"2024-06-30T00:00:00Z","name":"Bloc 1","credentialSubject":{"id":"did:example:jeanne","type":["AchievementSubject"],"achievement":{"id":"https://ecole.example/a/1","type":["Achievement"],"name":"Bloc 1","description":"d","criteria":{"narrative":"n"}}}}
JSON
# controller documents of the issuer (served at its id), and the attacker's key document
mkdir -p "$T/docs"
method() { printf '{"id":"%s","type":"Multikey","controller":"%s","publicKeyMultibase":"%s"}' "$1" "$2" "$3"; }
M1=$(method "$ISS#key-1" "$ISS" "$MK")
echo "{\"id\":\"$ISS\",\"verificationMethod\":[$M1],\"assertionMethod\":[\"$ISS#key-1\"]}" >"$T/docs/by-ref.json"
echo "{\"id\":\"$ISS\",\"assertionMethod\":[$M1]}" >"$T/docs/embedded.json"
echo "{\"id\":\"$ISS\",\"verificationMethod\":[$M1],\"authentication\":[\"$ISS#key-1\"]}" >"$T/docs/auth-only.json"
echo "{\"id\":\"https://other.example/issuer\",\"verificationMethod\":[$M1],\"assertionMethod\":[\"$ISS#key-1\"]}" >"$T/docs/other-id.json"
MA=$(method "https://attacker.example/key.json#k" "$ISS" "$MKA")
echo "{\"id\":\"https://attacker.example/key.json\",\"verificationMethod\":[$MA],\"assertionMethod\":[\"https://attacker.example/key.json#k\"]}" >"$T/docs/attacker-key.json"
issuer_doc() { echo "--map-url $ISS=$T/docs/$1.json"; }
KEYDOC="--map-url https://attacker.example/key.json=$T/docs/attacker-key.json"

# forged: exit 1, the reason, and no "signature valid" verdict
refused() {
    has "$T/out" "INVALID \\($1\\)" "$2: INVALID ($1)"
    hasnt "$T/out" 'signature valid' "$2: no valid verdict"
}

# ------------------------------------------------------------ 10.4: who signed
"$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-1" "$T/cred.json" >"$T/good.json" 2>"$T/sign.err"
jqtrue "$T/good.json" '.proof[0].verificationMethod == "https://ecole.example/issuer#key-1"' "signed with the issuer's method"
has "$T/sign.err" "note: --kid $ISS#key-1: verifiers bind it to the issuer $ISS only when $ISS serves a controller document" "sign prints what to publish"
run 0 "controller document lists the method by reference" "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/good.json"
has "$T/out" "signature valid \\(eddsa-rdfc-2022, key fetched from $ISS\\)" "by reference: the issuer's key"
hasnt "$T/out" "who signed" "by reference: bound, nothing left unsaid about the key"
run 0 "controller document embeds the method in assertionMethod" "$CC_BIN" verify $M $(issuer_doc embedded) "$T/good.json"
hasnt "$T/out" "who signed" "embedded: bound"
run 1 "listed only under authentication" "$CC_BIN" verify $M $(issuer_doc auth-only) "$T/good.json"
refused key-not-bound "authentication only"
has "$T/err" "does not list $ISS#key-1 under assertionMethod \\(only under authentication" "says authentication does not sign credentials"
run 1 "controller document whose id is another's" "$CC_BIN" verify $M $(issuer_doc other-id) "$T/good.json"
refused key-not-bound "document id not the issuer's"
has "$T/err" "has id https://other.example/issuer, not the issuer's id" "says the id differs"
run 1 "no controller document" "$CC_BIN" verify $M "$T/good.json"
hasnt "$T/out" 'signature valid' "no controller document: no valid verdict"

# The attacker signs the issuer's credential with a key whose own document names the issuer
# as controller (and even lists it under assertionMethod): that document is not the issuer's.
"$CC_BIN" sign $M --key "$T/attacker.pem" --suite eddsa-rdfc-2022 --kid "https://attacker.example/key.json#k" "$T/cred.json" >"$T/forged-keydoc.json" 2>/dev/null
run 1 "attacker's key document naming the issuer as controller" "$CC_BIN" verify $M $KEYDOC $(issuer_doc by-ref) "$T/forged-keydoc.json"
refused key-not-bound "attacker's key document"
run 1 "attacker's key document, no issuer document" "$CC_BIN" verify $M $KEYDOC "$T/forged-keydoc.json"
refused key-not-bound "attacker's key document alone"
run 0 "integrity alone with --accept-unbound-key" "$CC_BIN" verify $M $A $KEYDOC "$T/forged-keydoc.json"
has "$T/out" "who signed \\(key fetched from https://attacker.example/key.json is not shown to be the issuer's" "says it is integrity only"
# An unrelated did:key.
"$CC_BIN" sign $M --key "$T/attacker.pem" --suite eddsa-rdfc-2022 --kid "did:key:$MKA#$MKA" "$T/cred.json" >"$T/forged-didkey.json" 2>/dev/null
run 1 "unrelated did:key" "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/forged-didkey.json"
refused key-not-bound "unrelated did:key"
# The Multikey in the fragment (the 1EdTech vectors): integrity only, unless the issuer's
# controller document lists that method.
VM=$(jq -r '.proof | if type == "array" then .[0] else . end | .verificationMethod' "$V/obv3p0/signed-credential.json")
run 1 "fragment Multikey, no controller document" "$CC_BIN" verify $M "$V/obv3p0/signed-credential.json"
refused key-not-bound "fragment Multikey"
echo "{\"id\":\"${VM%%#*}\",\"assertionMethod\":[\"$VM\"]}" >"$T/docs/vector.json"
echo "{\"id\":\"${VM%%#*}\",\"authentication\":[\"$VM\"]}" >"$T/docs/vector-auth.json"
run 0 "fragment Multikey listed by the issuer" "$CC_BIN" verify $M --map-url "${VM%%#*}=$T/docs/vector.json" "$V/obv3p0/signed-credential.json"
has "$T/out" "signature valid \\(eddsa-rdfc-2022, the Multikey in the fragment of $VM\\)" "bound by the issuer's listing"
run 1 "fragment Multikey listed only under authentication" "$CC_BIN" verify $M --map-url "${VM%%#*}=$T/docs/vector-auth.json" "$V/obv3p0/signed-credential.json"
refused key-not-bound "fragment Multikey, authentication"

# Default signing: the did:key only when the issuer is that did:key.
run 1 "sign --suite, no --kid, issuer not the did:key" "$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 "$T/cred.json"
has "$T/err" '\[di-kid\]' "refused: di-kid"
has "$T/err" "\"assertionMethod\"" "prints the controller document to publish"

# VC-JWT with a kid URL: bound only by the issuer's controller document.
"$CC_BIN" sign --key "$T/issuer.pem" --embed-jwk "$T/cred.json" >"$T/jwk.jwt" 2>/dev/null
JWK=$(cut -d. -f1 "$T/jwk.jwt" | tr '_-' '/+' | python3 -c "import sys,base64,json;s=sys.stdin.read().strip();print(json.dumps(json.loads(base64.b64decode(s+'='*(-len(s)%4)))['jwk']))")
JM="{\"id\":\"$ISS#jwt-1\",\"type\":\"JsonWebKey\",\"controller\":\"$ISS\",\"publicKeyJwk\":$JWK}"
echo "{\"id\":\"$ISS\",\"assertionMethod\":[$JM]}" >"$T/docs/jwt.json"
echo "{\"id\":\"$ISS\",\"verificationMethod\":[$JM],\"authentication\":[\"$ISS#jwt-1\"]}" >"$T/docs/jwt-auth.json"
"$CC_BIN" sign --key "$T/issuer.pem" --kid "$ISS#jwt-1" "$T/cred.json" >"$T/kid.jwt" 2>/dev/null
run 0 "VC-JWT kid listed by the issuer (embedded JWK)" "$CC_BIN" verify $(issuer_doc jwt) "$T/kid.jwt"
has "$T/out" "VC-JWT: signature valid \\(EdDSA, key the issuer's controller document gives for kid $ISS#jwt-1\\)" "the issuer's JWK"
hasnt "$T/out" "who signed" "VC-JWT kid: bound"
run 1 "VC-JWT kid listed only under authentication" "$CC_BIN" verify $(issuer_doc jwt-auth) "$T/kid.jwt"
refused key-not-bound "VC-JWT authentication only"
# the attacker's kid URL serving its own JWK, the issuer's document not listing it
mkdir -p "$T/ak"
"$CC_BIN" sign --key "$T/attacker.pem" --embed-jwk "$T/cred.json" | cut -d. -f1 | tr '_-' '/+' | python3 -c "import sys,base64,json;s=sys.stdin.read().strip();k=json.loads(base64.b64decode(s+'='*(-len(s)%4)))['jwk'];k['kid']='k';print(json.dumps({'keys':[k]}))" >"$T/ak/jwks.json"
"$CC_BIN" sign --key "$T/attacker.pem" --kid "https://attacker.example/jwks.json#k" "$T/cred.json" >"$T/forged-kid.jwt" 2>/dev/null
run 1 "VC-JWT kid URL of the attacker" "$CC_BIN" verify --map-url "https://attacker.example/=$T/ak/" $(issuer_doc jwt) "$T/forged-kid.jwt"
refused key-not-bound "VC-JWT attacker kid"

# ------------------------------------------------------------ 10.5: JSON-LD safe mode
CLR=$V/clrv2p0/signed-credential.json
CVM=$(jq -r '.proof[0].verificationMethod' "$CLR")
echo "{\"id\":\"${CVM%%#*}\",\"assertionMethod\":[\"$CVM\"]}" >"$T/docs/clr.json"
B="--map-url ${CVM%%#*}=$T/docs/clr.json"
run 0 "the CLR vector, its key listed: valid" "$CC_BIN" verify $M $B "$CLR"
while read -r name filter pointer; do
    jq "$filter" "$CLR" >"$T/$name.json"
    run 1 "undefined member: $name" "$CC_BIN" verify $M $B "$T/$name.json"
    refused di-jsonld-dropped "$name"
    has "$T/err" "at $pointer: JSON-LD would drop it" "$name: names the JSON pointer $pointer"
    [ "$name" = proof ] && has "$T/err" "in the proof: JSON-LD safe mode" "the proof options are named"
done <<'LIST'
top .foo="x" /foo
subject .credentialSubject.foo="x" /credentialSubject/foo
issuer .issuer.foo="x" /issuer/foo
proof .proof[0].foo="x" /foo
keyword-like .credentialSubject["@foo"]="x" /credentialSubject/@foo
relative-id .credentialSubject.id="jeanne" /credentialSubject/id
relative-type .credentialSubject.type=["ClrSubject","Other"] /credentialSubject/type
LIST
has "$T/err" "relative @type reference Other" "the relative type is named"
# the validator's no-scheme sample: a broken proof, INVALID (10.9)
run 1 "verificationMethod without a scheme" "$CC_BIN" verify $M "$OB/validator-dcpv/ob30/simple-err-proof-method-no-scheme.json"
refused di-proof-method "no-scheme verificationMethod"

# Signing what safe mode refuses: a VC 1.1 credential (no DI terms) and a dropped member.
jq -c '.["@context"] = ["https://www.w3.org/2018/credentials/v1"] | .type = ["VerifiableCredential"] | del(.validFrom, .name) | .issuanceDate = "2024-06-30T00:00:00Z" | .credentialSubject = {"id": "did:example:jeanne"} | .issuer = "did:key:'"$MK"'"' "$T/cred.json" >"$T/v11.json"
run 1 "sign a VC 1.1 credential: its proof terms are undefined" "$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 "$T/v11.json"
has "$T/err" "does not define the proof's terms .*add https://w3id.org/security/data-integrity/v2 to its @context.*\\[di-context\\]" "refused, says what to add"
jq -c '.credentialSubject.foo = "x"' "$T/cred.json" >"$T/cred-foo.json"
run 1 "sign a credential with a member no context defines" "$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-1" "$T/cred-foo.json"
has "$T/err" 'at /credentialSubject/foo.*\[di-jsonld-dropped\]' "refused, names the member"

# ------------------------------------------------------------ proof created / expires / purpose
DID="did:key:$MK"
jq -c --arg d "$DID" '.issuer.id = $d' "$T/cred.json" >"$T/cred-did.json"
now=$(date +%s)
env SOURCE_DATE_EPOCH=$((now + 3600)) "$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 "$T/cred-did.json" >"$T/future.json" 2>/dev/null
run 1 "proof created an hour ahead" "$CC_BIN" verify $M "$T/future.json"
refused di-proof-created "created in the future"
env SOURCE_DATE_EPOCH=$((now + 60)) "$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 "$T/cred-did.json" >"$T/skew.json" 2>/dev/null
run 0 "proof created a minute ahead: within the 5-minute skew" "$CC_BIN" verify $M "$T/skew.json"
"$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 "$T/cred-did.json" >"$T/now.json" 2>/dev/null
run 0 "the did:key issuer's own proof" "$CC_BIN" verify $M "$T/now.json"
jq -c '.proof[0].expires = "2001-01-01T00:00:00Z"' "$T/now.json" >"$T/expired.json"
run 1 "proof expired" "$CC_BIN" verify $M "$T/expired.json"
refused di-proof-expired "expires past"
jq -c '.proof[0].proofPurpose = "authentication"' "$T/now.json" >"$T/purpose.json"
run 1 "proofPurpose authentication" "$CC_BIN" verify $M "$T/purpose.json"
refused di-purpose "wrong purpose"

# ------------------------------------------------------------ the issuer the RDF signs
# An inline context makes "did:key:…" a compact IRI: the signed issuer is a university URL,
# not the did:key the JSON shows, so the did:key does not bind.
jq -c --arg d "$DID" '.["@context"] += [{"did": "https://university.example/issuers/"}] | .issuer.id = $d' "$T/cred.json" >"$T/compact.json"
"$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 --kid "$DID#$MK" "$T/compact.json" >"$T/compact-signed.json" 2>/dev/null
run 1 "compact-IRI issuer: the signed issuer is not the did:key" "$CC_BIN" verify $M "$T/compact-signed.json"
refused key-not-bound "compact-IRI issuer"
has "$T/err" "the signed issuer is https://university.example/issuers/key:$MK, not $DID as the JSON reads" "names the signed issuer"
run 1 "sign it without --kid: the signed issuer is not the did:key" "$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 "$T/compact.json"
has "$T/err" "the issuer's id https://university.example/issuers/key:$MK is not this key's did:key" "sign reads the signed issuer too"

# ------------------------------------------------------------ 11.1: proofValue size
big() { python3 -c "import sys;sys.stdout.write('z'+'5'*int(sys.argv[1]))" "$1" >"$T/big"; }
ms() { date +%s%N | cut -c1-13; }
for n in 30000 301000; do
    big $n
    jq -c --rawfile v "$T/big" '.proof[0].proofValue = $v' "$T/now.json" >"$T/pv$n.json"
    t0=$(ms)
    run 1 "proofValue of $n characters" "$CC_BIN" verify $M "$T/pv$n.json"
    t1=$(ms)
    eval "t$n=$((t1 - t0))"
    refused di-proof-value "proofValue $n"
done
within "$t301000" 1999 "a 301 KB proofValue, ms"
within "$t301000" $((15 * t30000 + 50)) "proofValue 10x, ms (vs $t30000 ms: at most 15x)"
echo "    proofValue 30 KB: $t30000 ms, 301 KB: $t301000 ms"
big 300000
jq -c --rawfile v "$T/big" '.proof[0].verificationMethod = "https://example.edu/issuers/565049#z6Mk" + $v' "$T/now.json" >"$T/bigmk.json"
t0=$(ms)
run 1 "a 300 KB Multikey fragment" "$CC_BIN" verify $M "$T/bigmk.json"
t1=$(ms)
hasnt "$T/out" 'signature valid' "huge Multikey: no valid verdict"
within $((t1 - t0)) 1999 "a 300 KB Multikey, ms"

# ------------------------------------------------------------ issue 17: the run's key cache
# A run keeps the keys controller documents bound, by method id and issuer: a later record
# with another issuer (the same method id), another method of the same issuer, or another
# signer must get the verdict it gets alone.
jq -c '.issuer.id = "https://other.example/issuer"' "$T/cred.json" >"$T/other-iss.json"
"$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-1" "$T/other-iss.json" >"$T/k2.json" 2>/dev/null
"$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-2" "$T/cred.json" >"$T/k3.json" 2>/dev/null
"$CC_BIN" sign $M --key "$T/attacker.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-1" "$T/cred.json" >"$T/k4.json" 2>/dev/null
for f in good k2 k3 k4 good; do jq -c . "$T/$f.json"; done >"$T/run.jsonl"
: >"$T/alone"
# verdicts [N]: the lines about records, each "N:" (a one-line file's have no number: N).
verdicts() { grep '\.jsonl:' | grep -v '^credconv:' | sed -E "s/^.*\\.jsonl:([0-9]+:)?/${1:-}\\1/"; }
i=0
for f in good k2 k3 k4 good; do
    i=$((i + 1))
    jq -c . "$T/$f.json" >"$T/one.jsonl"
    "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/one.jsonl" 2>&1 | verdicts "$i:" >>"$T/alone"
done
"$CC_BIN" verify $M $(issuer_doc by-ref) "$T/run.jsonl" >"$T/out" 2>&1
[ $? -eq 1 ] && ok || ko "five records, one run, some not the issuer's: not exit 1"
verdicts <"$T/out" | sort >"$T/inrun"
sort -o "$T/alone" "$T/alone"
# stdout and stderr interleave differently in one file: the lines are compared as sets
[ "$(grep -c 'signature valid' "$T/inrun")" -eq 2 ] && cmp -s "$T/alone" "$T/inrun" && ok ||
    ko "a record's verdict in a run differs from its verdict alone: $(diff "$T/alone" "$T/inrun" | head -5)"
[ "$(grep -c 'key bound to the issuer' "$T/inrun")" -eq 2 ] && ok || ko "the issuer's two records bound, no other"

# ------------------------------------------------------------ issue 17: one conversion per document
# verify expands each credential once: the proof check tells the reader's terms check that
# a document has nothing undefined, by the document's own digest.  A credential whose
# contexts let an undefined term through (an issuer-dependent @vocab: signed, not dropped)
# must still be refused for it, alone or among clean ones, signed, tampered or proof-less.
IDV='{"@vocab":"https://www.w3.org/ns/credentials/issuer-dependent#"}'
jq -c --argjson v "$IDV" '.["@context"] += [$v] | .credentialSubject.favouriteColour = "blue"' "$T/cred.json" >"$T/undef.json"
"$CC_BIN" sign $M --key "$T/issuer.pem" --suite eddsa-rdfc-2022 --kid "$ISS#key-1" "$T/undef.json" >"$T/undef-signed.json" 2>/dev/null
jqtrue "$T/undef-signed.json" '.proof[0].proofValue | startswith("z")' "an undefined term under an issuer-dependent @vocab is signed"
run 1 "a signed credential with an undefined property" "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/undef-signed.json"
has "$T/out" 'signature valid' "its signature is valid"
has "$T/err" "so JSON-LD drops it: 'favouriteColour' \\[ob3-jsonld-undefined\\]" "and the undefined property is refused"
run 0 "the clean signed credential" "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/good.json"
hasnt "$T/err" 'ob3-jsonld' "no terms error for the clean one"
for f in good undef-signed good; do jq -c . "$T/$f.json"; done >"$T/mixed.jsonl"
run 1 "clean, undefined, clean in one run" "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/mixed.jsonl"
[ "$(grep -c 'ob3-jsonld-undefined' "$T/err")" -eq 1 ] && ok || ko "one terms error in the mixed run: $(grep -c ob3-jsonld "$T/err")"
has "$T/err" "mixed.jsonl:2: error: .*'favouriteColour' \\[ob3-jsonld-undefined\\]" "on the second record"
jq -c '.credentialSubject.favouriteColour = "blue"' "$T/good.json" >"$T/tampered.json"
jq -c . "$T/good.json" >"$T/pair.jsonl"
jq -c --argjson v "$IDV" '.["@context"] += [$v]' "$T/tampered.json" >>"$T/pair.jsonl"
run 1 "a clean credential, then the same tampered with an undefined property" "$CC_BIN" verify $M $(issuer_doc by-ref) "$T/pair.jsonl"
has "$T/err" "pair.jsonl:2: error: .*'favouriteColour' \\[ob3-jsonld-undefined\\]" "the tampered copy's term is still checked"
has "$T/out" "pair.jsonl:2: .*INVALID" "and its signature fails"
jq -c --argjson v "$IDV" '.["@context"] += [$v] | .credentialSubject.favouriteColour = "blue"' "$T/cred.json" >"$T/noproof.json"
run 1 "a proof-less credential with an undefined property" "$CC_BIN" verify $M "$T/noproof.json"
has "$T/err" "so JSON-LD drops it: 'favouriteColour' \\[ob3-jsonld-undefined\\]" "its terms are checked"

finish e2e_di_attack
