#!/bin/sh
# OB 2.0 signed assertions and linked documents, tried as an attacker would (issue 10.2,
# 10.3): a pinned --key is the only key; a creator key is the issuer's only when the Profile
# at the BadgeClass's issuer IRI lists it and the key names that Profile as owner; a linked
# document whose id is not the URL it came from is not used (an error for verify).  The
# university's and the attacker's sites are local folders (--map-url) and, for redirects,
# tests/e2e/httpd.py on 127.0.0.1.  Keys are generated here.  Every forged input is checked for
# its exit status and for the absence of any "valid" verdict.
. tests/e2e/sh_lib.sh

b64u() { basenc --base64url -w0 | tr -d '='; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/uni.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/att.pem" 2>/dev/null
for k in uni att; do openssl pkey -in "$T/$k.pem" -pubout -out "$T/$k.pub.pem" 2>/dev/null; done
pem() { awk '{ printf "%s\\n", $0 }' "$1"; }

U=https://university.example
X=https://attacker.example
mkdir -p "$T/uni" "$T/att"
M="--map-url $U/=$T/uni/ --map-url $X/=$T/att/"
CTX='"@context":"https://w3id.org/openbadges/v2"'
profile() {  # FILE ID PUBLICKEY [EXTRA]
    printf '{%s,"type":"Issuer","id":"%s","name":"Issuer","url":"%s","email":"a@b.example","publicKey":"%s"%s}\n' \
        "$CTX" "$2" "$2" "$3" "${4:-}" >"$1"
}
cryptokey() {  # FILE ID OWNER PEMFILE
    printf '{%s,"type":"CryptographicKey","id":"%s","owner":"%s","publicKeyPem":"%s"}\n' "$CTX" "$2" "$3" "$(pem "$4")" >"$1"
}
badgeclass() {  # FILE ID ISSUER
    printf '{%s,"type":"BadgeClass","id":"%s","name":"Doctor of Medicine","description":"d","criteria":{"narrative":"n"},"issuer":"%s"}\n' \
        "$CTX" "$2" "$3" >"$1"
}
assertion() {  # FILE BADGE CREATOR
    printf '{%s,"type":"Assertion","id":"urn:uuid:7a1c0de0-0000-4000-8000-00000000000%s","recipient":{"type":"email","hashed":false,"identity":"eve@example.org"},"issuedOn":"2024-01-01T00:00:00Z","badge":%s,"verification":{"type":"SignedBadge","creator":"%s"}}\n' \
        "$CTX" "${4:-1}" "$2" "$3" >"$1"
}
# sign PAYLOAD PEM OUT: an OB 2.0 JWS made with openssl alone (so the forgeries do not
# depend on credconv's signer).
sign() {
    h=$(printf '{"alg":"RS256"}' | b64u)
    p=$(tr -d '\n' <"$1" | b64u)
    s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$2" -binary | b64u)
    printf '%s.%s.%s\n' "$h" "$p" "$s" >"$3"
}
# forged NAME: no verdict line says valid or bound (the pipeline's closing count on stderr
# is about the document's structure, not its signature).
forged() {
    hasnt "$T/out" 'signature valid|: valid|key bound' "$1: no valid verdict"
    hasnt "$T/err" 'signature valid' "$1: nothing says signature valid"
}

# The university: its Profile lists its key, which names the Profile as owner.
profile "$T/uni/issuer.json" "$U/issuer.json" "$U/key.json"
cryptokey "$T/uni/key.json" "$U/key.json" "$U/issuer.json" "$T/uni.pub.pem"
badgeclass "$T/uni/badge.json" "$U/badge.json" "$U/issuer.json"
cryptokey "$T/uni-key.json" "$U/key.json" "$U/issuer.json" "$T/uni.pub.pem"
# The attacker: its own key and Profile (which lists the key, as its owner).
profile "$T/att/profile.json" "$X/profile.json" "$X/key.json"
cryptokey "$T/att/key.json" "$X/key.json" "$X/profile.json" "$T/att.pub.pem"

# ------------------------------------------------------------ the genuine badge
assertion "$T/genuine.json" "\"$U/badge.json\"" "$U/key.json"
sign "$T/genuine.json" "$T/uni.pem" "$T/genuine.jws"
run 0 "genuine: key bound through the BadgeClass's issuer Profile" "$CC_BIN" verify $M "$T/genuine.jws"
has "$T/out" "signature valid \(RS256, key from the key the issuer lists, fetched, creator $U/key.json\); the issuer lists the key; key bound to the issuer: the issuer Profile $U/issuer.json lists the key, and the key names it as owner" "bound, and says how"
run 0 "genuine: --key the university's PEM" "$CC_BIN" verify --key "$T/uni.pub.pem" $M "$T/genuine.jws"
has "$T/out" 'key bound to the issuer: the key was given \(--key\)' "bound by --key"
run 0 "genuine: --key and --issuer-profile" "$CC_BIN" verify --key "$T/uni-key.json" --issuer-profile "$T/uni/issuer.json" $M "$T/genuine.jws"
run 0 "genuine: --issuer-profile, the key fetched" "$CC_BIN" verify --issuer-profile "$T/uni/issuer.json" $M "$T/genuine.jws"
has "$T/out" "key bound to the issuer: the issuer Profile $U/issuer.json lists the key" "bound by the given profile"
run 1 "genuine: --key the attacker's PEM" "$CC_BIN" verify --key "$T/att.pub.pem" $M "$T/genuine.jws"
has "$T/out" 'INVALID \(jws-signature\)' "another key: jws-signature"
forged "wrong pinned key"

# ------------------------------------------------------------ 10.2: pinned key vs creator key
# The attacker signs a university badge with its own key and names that key as creator.
assertion "$T/forged.json" "\"$U/badge.json\"" "$X/key.json" 2
sign "$T/forged.json" "$T/att.pem" "$T/forged.jws"
run 1 "pinned key: --key the university's PEM, creator the attacker's" "$CC_BIN" verify --key "$T/uni.pub.pem" $M "$T/forged.jws"
has "$T/out" 'forged.jws: OB 2.0 signed assertion: INVALID \(jws-signature\)' "checked with --key alone: jws-signature"
forged "pinned PEM"
run 1 "pinned key: --key the university's CryptographicKey" "$CC_BIN" verify --key "$T/uni-key.json" $M "$T/forged.jws"
has "$T/out" 'INVALID \(ob2-creator-mismatch\)' "the creator is not the pinned key"
forged "pinned CryptographicKey"
run 1 "pinned key, with the university's profile too" "$CC_BIN" verify --key "$T/uni.pub.pem" --issuer-profile "$T/uni/issuer.json" $M "$T/forged.jws"
has "$T/out" 'INVALID \(ob2-creator-unlisted\)' "the issuer does not list the creator"
forged "pinned PEM and profile"
# No --key: the attacker's key is valid for the signature, but only its own Profile lists it.
run 1 "foreign Profile: the creator key's owner is not the BadgeClass's issuer" "$CC_BIN" verify $M "$T/forged.jws"
has "$T/out" 'INVALID \(key-not-bound\)' "key-not-bound"
has "$T/err" "the issuer Profile $U/issuer.json does not list $X/key.json in its publicKey.*\\[key-not-bound\\]" "says which Profile did not list it"
forged "foreign Profile"
# The attacker's key document names the university as owner: the university still does not list it.
cryptokey "$T/att/key-owner.json" "$X/key-owner.json" "$U/issuer.json" "$T/att.pub.pem"
assertion "$T/owner.json" "\"$U/badge.json\"" "$X/key-owner.json" 3
sign "$T/owner.json" "$T/att.pem" "$T/owner.jws"
run 1 "a key claiming the issuer as owner, unlisted" "$CC_BIN" verify $M "$T/owner.jws"
has "$T/out" 'INVALID \(key-not-bound\)' "owner alone does not bind"
forged "owner claim"
# The signed payload embeds a BadgeClass naming the university, with an embedded Profile that
# lists the attacker's key: signed by that same key, so it vouches for nothing; the university's
# own Profile is fetched from the issuer IRI.
emb=$(printf '{"type":"BadgeClass","id":"%s/badge.json","name":"Doctor of Medicine","description":"d","criteria":{"narrative":"n"},"issuer":{"type":"Issuer","id":"%s/issuer.json","name":"U","url":"%s","email":"a@b.example","publicKey":{"id":"%s/key.json","type":"CryptographicKey","owner":"%s/issuer.json","publicKeyPem":"%s"}}}' "$U" "$U" "$U" "$X" "$U" "$(pem "$T/att.pub.pem")")
assertion "$T/embedded.json" "$emb" "$X/key.json" 4
sign "$T/embedded.json" "$T/att.pem" "$T/embedded.jws"
run 1 "an embedded issuer Profile cannot vouch for the key that signs it" "$CC_BIN" verify $M "$T/embedded.jws"
has "$T/out" 'INVALID \(key-not-bound\)' "the fetched Profile decides"
forged "embedded Profile"
run 1 "embedded Profile, nothing fetchable" "$CC_BIN" verify "$T/embedded.jws"
has "$T/out" 'NOT CHECKED \(jws-no-key\)' "no key without --key or a fetch"
forged "embedded Profile, offline"
# --issuer-profile the attacker's own Profile: it is not the BadgeClass's issuer.
run 1 "--issuer-profile that is not the BadgeClass's issuer" "$CC_BIN" verify --issuer-profile "$T/att/profile.json" $M "$T/forged.jws"
has "$T/out" 'INVALID \(ob2-issuer-mismatch\)' "the profile must be the BadgeClass's issuer"
forged "foreign --issuer-profile"
# The attacker's key, with the university's real key document id in the creator: the university's
# document is then the one fetched, and its key does not verify the attacker's signature.
assertion "$T/steal.json" "\"$U/badge.json\"" "$U/key.json" 5
sign "$T/steal.json" "$T/att.pem" "$T/steal.jws"
run 1 "creator the university's key, signed by the attacker" "$CC_BIN" verify $M "$T/steal.jws"
has "$T/out" 'INVALID \(jws-signature\)' "jws-signature"
forged "stolen creator"
# --accept-unbound-key accepts integrity alone, by name, and says so.
run 0 "--accept-unbound-key: integrity only, said" "$CC_BIN" verify --accept-unbound-key $M "$T/forged.jws"
has "$T/err" 'warning: .*not shown to be the issuer.s.*accepted by --accept-unbound-key \[key-not-bound\]' "the risk is named"
has "$T/out" 'not evaluated: who signed' "who signed: not evaluated"

# ------------------------------------------------------------ 10.3: a linked document claiming another id
# attacker.example serves an issuer Profile saying it is the university's, listing the attacker's key.
profile "$T/att/issuer.json" "$U/issuer.json" "$X/key-u.json"
cryptokey "$T/att/key-u.json" "$X/key-u.json" "$U/issuer.json" "$T/att.pub.pem"
badgeclass "$T/att/badge.json" "$X/badge.json" "$X/issuer.json"
assertion "$T/claim.json" "\"$X/badge.json\"" "$X/key-u.json" 6
sign "$T/claim.json" "$T/att.pem" "$T/claim.jws"
run 1 "signed: the issuer Profile served by another site claims the university's id" "$CC_BIN" verify $M "$T/claim.jws"
has "$T/err" "error: .*the issuer Profile fetched from $X/issuer.json holds the document of $U/issuer.json: a document cannot speak for another id, so it is not used \[ob2-linked-id\]" "an error, and not used"
hasnt "$T/out" 'key bound' "never bound to the university"
forged "linked id (signed)"
sed 's/"verification":{"type":"SignedBadge","creator":"[^"]*"}/"verification":{"type":"HostedBadge"}/; s/"id":"urn:uuid:[^"]*"/"id":"https:\/\/attacker.example\/a.json"/' "$T/claim.json" >"$T/att/a.json"
cp "$T/att/a.json" "$T/hosted.json"
run 1 "hosted: verify refuses the Profile claiming another id" "$CC_BIN" verify $M "$T/hosted.json"
has "$T/err" "error: .*holds the document of $U/issuer.json.*\[ob2-linked-id\]" "verify: error"
forged "linked id (hosted)"
# validate keeps the validator's behaviour (a warning, the document checked): checked, the
# Profile's id is then off the hosted assertion's host, which validate reports.
run 1 "validate: a warning, as the 1EdTech validator has it" "$CC_BIN" validate -f ob2 $M "$T/hosted.json"
has "$T/err" "warning: .*holds the document of $U/issuer.json.*\[ob2-linked-id\]" "validate: warning"
has "$T/err" "error: .*\[ob2-verification-scope\]" "validate: the claimed issuer does not cover the attacker's host"
run 0 "convert does not take the university as awarding body" "$CC_BIN" convert -f ob2 -t model $M "$T/hosted.json"
hasnt "$T/out" 'university\.example/issuer' "the model names no university issuer"
has "$T/out" "\"$X/issuer.json\"" "the issuer stays the attacker's link"
has "$T/err" "warning: .*\[ob2-linked-id\]" "convert says why"
# OB 3.0 needs the issuer's name: the link alone gives none, so the record is not written.
run 1 "convert to OB 3.0: nor does its issuer" "$CC_BIN" convert -f ob2 -t ob3 $M "$T/hosted.json"
hasnt "$T/out" 'university\.example/issuer' "no university issuer in the OB 3.0 credential"
has "$T/err" 'the issuer has no name' "rejected for want of the issuer"
# A BadgeClass and a key claiming other ids are refused the same way.
badgeclass "$T/att/badge-u.json" "$U/badge.json" "$U/issuer.json"
assertion "$T/claimb.json" "\"$X/badge-u.json\"" "$X/key.json" 7
sign "$T/claimb.json" "$T/att.pem" "$T/claimb.jws"
run 1 "a BadgeClass claiming the university's BadgeClass id" "$CC_BIN" verify $M "$T/claimb.jws"
has "$T/err" "the BadgeClass fetched from $X/badge-u.json holds the document of $U/badge.json.*\[ob2-linked-id\]" "BadgeClass refused"
forged "linked BadgeClass id"
cryptokey "$T/att/key-claim.json" "$U/key.json" "$U/issuer.json" "$T/att.pub.pem"
assertion "$T/claimk.json" "\"$U/badge.json\"" "$X/key-claim.json" 8
sign "$T/claimk.json" "$T/att.pem" "$T/claimk.jws"
run 1 "a key document claiming the university's key id" "$CC_BIN" verify $M "$T/claimk.jws"
has "$T/err" "the signing key fetched from $X/key-claim.json holds the document of $U/key.json.*\[ob2-linked-id\]" "key refused"
forged "linked key id"
# Normalised comparison: scheme and host case and the default port do not make another id.
sed "s|\"id\":\"$U/issuer.json\"|\"id\":\"https://University.Example:443/issuer.json#profile\"|" "$T/uni/issuer.json" >"$T/uni/issuer-n.json"
mv "$T/uni/issuer-n.json" "$T/uni/issuer.json"
run 0 "the same URL written otherwise is the same id" "$CC_BIN" verify $M "$T/genuine.jws"
hasnt "$T/err" 'ob2-linked-id' "no linked-id error"
profile "$T/uni/issuer.json" "$U/issuer.json" "$U/key.json"

# ------------------------------------------------------------ a baked signed badge
for img in png svg; do
    run 0 "bake the genuine JWS ($img)" "$CC_BIN" bake --image "samples/badge.$img" -o "$T/genuine.$img" "$T/genuine.jws"
    run 0 "baked genuine ($img): valid, bound" "$CC_BIN" verify $M "$T/genuine.$img"
    has "$T/out" "key bound to the issuer: the issuer Profile $U/issuer.json lists the key" "baked $img: bound"
    run 0 "bake the forged JWS ($img)" "$CC_BIN" bake --image "samples/badge.$img" -o "$T/forged.$img" "$T/forged.jws"
    run 1 "baked forged ($img), pinned key" "$CC_BIN" verify --key "$T/uni.pub.pem" $M "$T/forged.$img"
    has "$T/out" 'INVALID \(jws-signature\)' "baked $img: jws-signature"
    forged "baked $img, pinned"
    run 1 "baked forged ($img), creator key" "$CC_BIN" verify $M "$T/forged.$img"
    has "$T/out" 'INVALID \(key-not-bound\)' "baked $img: key-not-bound"
    forged "baked $img, creator"
done

# ------------------------------------------------------------ over HTTP: the URL after redirects
# /moved/X redirects to /cases/X: a document's id must be the final URL, not the one asked for.
mkdir -p "$T/www" "$T/cases"
python3 tests/e2e/httpd.py "$T/www" "$T/cases" "$T/port" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -s "$T/port" ]; then
    B=http://127.0.0.1:$(cat "$T/port")
    F="--fetch --fetch-allow-private --connect-timeout 2 --fetch-timeout 5"
    profile "$T/cases/issuer.json" "$B/cases/issuer.json" "$B/cases/key.json"
    cryptokey "$T/cases/key.json" "$B/cases/key.json" "$B/cases/issuer.json" "$T/uni.pub.pem"
    badgeclass "$T/cases/badge.json" "$B/cases/badge.json" "$B/moved/issuer.json"
    assertion "$T/http.json" "\"$B/cases/badge.json\"" "$B/cases/key.json" 9
    sign "$T/http.json" "$T/uni.pem" "$T/http.jws"
    run 0 "redirected: the final URL is the document's id" "$CC_BIN" verify $F "$T/http.jws"
    has "$T/out" "key bound to the issuer: the issuer Profile $B/cases/issuer.json lists the key" "bound after a redirect"
    profile "$T/cases/issuer.json" "$B/moved/issuer.json" "$B/cases/key.json"
    run 1 "redirected: an id naming the URL asked for, not the final one" "$CC_BIN" verify $F "$T/http.jws"
    has "$T/err" "issuer Profile fetched from $B/moved/issuer.json, redirected to $B/cases/issuer.json, holds the document of $B/moved/issuer.json.*\[ob2-linked-id\]" "the final URL decides"
    forged "redirect"
else
    ko "the test server did not start"
fi

finish e2e_ob2_trust
