#!/bin/sh
# Baked badges as an attacker makes them, and the reasons and ranges of JWS claims:
#  - issue 10 §6: the badge credconv verifies is the element an XML reader sees. A genuine
#    badge hidden in a comment, a processing instruction, a CDATA section or an element of
#    another namespace is never the one checked (the visible, forged one is); two badges, a
#    misplaced one, markup inside one, a DOCTYPE with an internal subset are refused. What
#    `unbake` gives is what xmllint's XPath finds.
#  - issue 11 §1: 240 KB of namespace declarations are refused at once (a linear scan bounds
#    attributes and declarations before libxml2 parses); 10x the input, <= 15x the time.
#  - issue 10 §9: alg none with an empty signature part is jws-alg-none.
#  - issue 11 §4: NumericDates and timestamps beyond the years 1..9999 (-1e300, 1e300...)
#    are refused with their JSON pointer, before any cast.
# Keys are made here with openssl; every input is built from them and the samples.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_bake_attack.sh    (from the project root)
. tests/e2e/sh_lib.sh

b64u() { basenc --base64url -w0 | tr -d '='; }
SVGNS=http://www.w3.org/2000/svg OB2NS=http://openbadges.org OB3NS=https://purl.imsglobal.org/ob/v3p0
ms() { echo $(($(date +%s%N) / 1000000)); }

# ------------------------------------------------------------ keys and badges
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/evil.pem" 2>/dev/null
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa.pub.pem" 2>/dev/null
V="$CC_BIN verify --key $T/rsa.pub.pem"

# OB 2.0: a signed assertion for jeanne (the issuer's key), a forged one for mallory (another key).
cat >"$T/ob2.json" <<'JSON'
{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:uuid:6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5","recipient":{"type":"email","hashed":false,"identity":"jeanne@ecole.example"},"issuedOn":"2024-06-30T00:00:00Z","badge":{"type":"BadgeClass","id":"https://ecole.example/badge","name":"Bloc 1","description":"d","image":"https://ecole.example/i.png","criteria":{"narrative":"n"},"issuer":{"type":"Profile","id":"https://ecole.example/issuer","name":"École","url":"https://ecole.example","email":"contact@ecole.example"}},"verification":{"type":"SignedBadge","creator":"https://ecole.example/key.json"}}
JSON
sed 's/jeanne@ecole.example/mallory@evil.example/' "$T/ob2.json" >"$T/ob2-forged.json"
# sign KEY JSON OUT: a token without "--", which an XML comment cannot hold (the badge name
# is varied until the signature has none).
sign() {
    for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
        sed "s/\"Bloc 1\"/\"Bloc 1 ($n)\"/" "$2" >"$T/variant.json"
        "$CC_BIN" sign --key "$1" "$T/variant.json" >"$3" 2>/dev/null
        grep -q -- '--' "$3" || return 0
    done
    ko "no signature without -- in 20 tries"
}
sign "$T/rsa.pem" "$T/ob2.json" "$T/g2.jws"
sign "$T/evil.pem" "$T/ob2-forged.json" "$T/f2.jws"
G2=$(cat "$T/g2.jws") F2=$(cat "$T/f2.jws")
run 0 "the genuine OB 2.0 assertion verifies" $V "$T/g2.jws"
run 1 "the forged one does not" $V "$T/f2.jws"

# OB 3.0: a VC-JWT for did:example:jeanne, a forged one for did:example:mallory.
cat >"$T/cred.json" <<'JSON'
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://ecole.example/issuer","type":["Profile"],"name":"École"},"validFrom":"2024-06-30T00:00:00Z","name":"Bloc 1","credentialSubject":{"id":"did:example:jeanne","type":["AchievementSubject"],"achievement":{"id":"https://ecole.example/a/1","type":["Achievement"],"name":"Bloc 1","description":"d","criteria":{"narrative":"n"}}}}
JSON
sed 's/did:example:jeanne/did:example:mallory/' "$T/cred.json" >"$T/cred-forged.json"
sign "$T/rsa.pem" "$T/cred.json" "$T/g3.jwt"
sign "$T/evil.pem" "$T/cred-forged.json" "$T/f3.jwt"
G3=$(cat "$T/g3.jwt") F3=$(cat "$T/f3.jwt")
run 0 "the genuine VC-JWT verifies" $V "$T/g3.jwt"

# svg FILE PROLOG ROOT-ATTRIBUTES BODY: an SVG image, PROLOG before its root, BODY inside.
svg() {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n%s\n<svg xmlns="%s"%s viewBox="0 0 64 64">\n%s\n<circle cx="32" cy="32" r="30"/>\n</svg>\n' \
        "$2" "$SVGNS" "$3" "$4" >"$1"
}
OB2DECL=" xmlns:openbadges=\"$OB2NS\"" OB3DECL=" xmlns:openbadges=\"$OB3NS\""
# seen FILE NS LOCAL: the verify attribute of the badge element an XML reader (xmllint) finds.
seen() { xmllint --nonet --xpath "string(/*/*[namespace-uri()='$2' and local-name()='$3']/@verify)" "$1" 2>/dev/null; }

svg "$T/ok2.svg" "" "$OB2DECL" "<openbadges:assertion verify=\"$G2\"/>"
run 0 "control: a genuine baked OB 2.0 badge verifies" $V "$T/ok2.svg"
has "$T/out" 'signature valid' "control: valid verdict"
svg "$T/ok3.svg" "" "$OB3DECL" "<openbadges:credential verify=\"$G3\"/>"
run 0 "control: a genuine baked VC-JWT verifies" $V "$T/ok3.svg"

# ------------------------------------------------------------ a genuine badge hidden, a forged one seen
# hidden NAME FILE NS LOCAL FORGED-SUBJECT: the forged badge is the one checked (INVALID), unbake
# gives what xmllint sees, and no reader of credconv's gives the hidden genuine recipient.
hidden() {
    run 1 "$1: verify checks the badge an XML reader sees" $V "$2"
    hasnt "$T/out" 'signature valid|: valid' "$1: no valid verdict"
    has "$T/out" 'INVALID \(jws-signature\)' "$1: the seen (forged) badge fails its signature"
    run 0 "$1: unbake" "$CC_BIN" unbake -o "$T/unbaked" "$2"
    seen "$2" "$3" "$4" >"$T/xpath"; printf "\n" >>"$T/unbaked"  # xmllint ends with a newline
    same "$T/unbaked" "$T/xpath" "$1: unbake gives what xmllint finds"
    if [ "$3" = "$OB2NS" ]; then
        run 0 "$1: convert" "$CC_BIN" convert -t model "$2"
        has "$T/out" "$5" "$1: convert reads the seen badge"
        hasnt "$T/out" 'jeanne' "$1: the hidden recipient is never read"
    fi
}

svg "$T/comment.svg" "<!-- <svg xmlns:ob=\"$OB2NS\"><ob:assertion verify=\"$G2\"/></svg> -->" "$OB2DECL" \
    "<openbadges:assertion verify=\"$F2\"/>"
hidden "comment before <svg>" "$T/comment.svg" "$OB2NS" assertion mallory@evil.example

svg "$T/pi.svg" "<?badge <svg xmlns:ob=\"$OB2NS\"><ob:assertion verify=\"$G2\"/></svg> ?>" "$OB2DECL" \
    "<openbadges:assertion verify=\"$F2\"/>"
hidden "processing instruction" "$T/pi.svg" "$OB2NS" assertion mallory@evil.example

svg "$T/cdata.svg" "" "" "<desc><![CDATA[<g xmlns:ob=\"$OB2NS\"><ob:assertion verify=\"$G2\"/></g>]]></desc>
<assertion xmlns=\"$OB2NS\" verify=\"$F2\"/>"
hidden "CDATA text" "$T/cdata.svg" "$OB2NS" assertion mallory@evil.example

svg "$T/foreign.svg" "" "$OB3DECL" "<openbadges:credential xmlns:openbadges=\"https://evil.example/ns\" verify=\"$G3\"/>
<ob:credential xmlns:ob=\"$OB3NS\" verify=\"$F3\"/>"
hidden "the openbadges prefix rebound to a foreign namespace" "$T/foreign.svg" "$OB3NS" credential

# The other way round: a forged badge in a comment neither replaces nor spoils the seen one.
svg "$T/comment-ok.svg" "<!-- <svg xmlns:ob=\"$OB2NS\"><ob:assertion verify=\"$F2\"/></svg> -->" "$OB2DECL" \
    "<openbadges:assertion verify=\"$G2\"/>"
run 0 "a forged badge in a comment is not the badge" $V "$T/comment-ok.svg"
run 0 "convert of it" "$CC_BIN" convert -t model "$T/comment-ok.svg"
has "$T/out" 'jeanne@ecole.example' "the seen recipient"
hasnt "$T/out" 'mallory' "the commented-out recipient is never read"

# ------------------------------------------------------------ refused outright
# refused NAME FILE MESSAGE: unbake and verify exit 1, say why, no valid verdict.
refused() {
    run 1 "$1: unbake" "$CC_BIN" unbake "$2"
    has "$T/err" "$3" "$1: says why"
    hasnt "$T/out" 'eyJ' "$1: no payload comes out"
    run 1 "$1: verify" $V "$2"
    hasnt "$T/out" 'signature valid|: valid' "$1: no valid verdict"
}
svg "$T/two.svg" "" "$OB2DECL" "<openbadges:assertion verify=\"$G2\"/><openbadges:assertion verify=\"$F2\"/>"
refused "two assertions" "$T/two.svg" 'two badge elements'
svg "$T/two-prefixes.svg" "" "$OB2DECL" "<openbadges:assertion verify=\"$G2\"/><ob:assertion xmlns:ob=\"$OB2NS\" verify=\"$F2\"/>"
refused "two assertions under two prefixes" "$T/two-prefixes.svg" 'two badge elements'
svg "$T/two-versions.svg" "" "$OB2DECL" "<openbadges:assertion verify=\"$G2\"/><ob:credential xmlns:ob=\"$OB3NS\" verify=\"$F3\"/>"
refused "an OB 2.0 and an OB 3.0 badge" "$T/two-versions.svg" 'two badge elements'
svg "$T/nested.svg" "" "$OB2DECL" "<defs><openbadges:assertion verify=\"$G2\"/></defs>"
refused "a badge not a child of the root" "$T/nested.svg" 'not a child of the root <svg>'
svg "$T/inner-comment.svg" "" "$OB2DECL" "<openbadges:assertion><!-- $G2 -->$F2</openbadges:assertion>"
refused "a comment inside the badge" "$T/inner-comment.svg" 'a comment inside the badge element'
svg "$T/both.svg" "" "$OB3DECL" "<openbadges:credential verify=\"$G3\"><![CDATA[$(cat "$T/cred-forged.json")]]></openbadges:credential>"
refused "a signed verify attribute and a body" "$T/both.svg" 'ambiguous'
svg "$T/foreign-only.svg" "" "" "<ev:assertion xmlns:ev=\"https://evil.example/\" verify=\"$G2\"/>"
refused "an assertion in a foreign namespace only" "$T/foreign-only.svg" 'no badge in this SVG'

echo "SECRET-bake-$$" >"$T/secret.txt"
svg "$T/xxe.svg" "<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file://$T/secret.txt\">]>" "$OB2DECL" \
    "<openbadges:assertion>&xxe;</openbadges:assertion>"
refused "DOCTYPE with an external entity" "$T/xxe.svg" 'DOCTYPE with an internal subset'
hasnt "$T/out" "SECRET-bake" "XXE: the file is never read (stdout)"
hasnt "$T/err" "SECRET-bake" "XXE: the file is never read (stderr)"
svg "$T/dtd-genuine.svg" "<!DOCTYPE svg [ ]>" "$OB2DECL" "<openbadges:assertion verify=\"$G2\"/>"
refused "DOCTYPE with an empty internal subset, genuine badge" "$T/dtd-genuine.svg" 'DOCTYPE with an internal subset'
svg "$T/dtd-ext.svg" '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' \
    "$OB2DECL" "<openbadges:assertion verify=\"$G2\"/>"
run 0 "the SVG 1.1 DOCTYPE (external DTD, never read) is accepted" $V "$T/dtd-ext.svg"
svg "$T/dtd-ext-ent.svg" '<!DOCTYPE svg SYSTEM "http://127.0.0.1:9/x.dtd">' "$OB2DECL" \
    "<openbadges:assertion verify=\"$G2\">&ent;</openbadges:assertion>"
refused "an entity the external DTD would declare" "$T/dtd-ext-ent.svg" "Entity 'ent' not defined"

# ------------------------------------------------------------ CDATA payloads, baking
svg "$T/cdata-ok.svg" "" "$OB3DECL" "<openbadges:credential>
  <![CDATA[$(cat "$T/cred.json")]]>
</openbadges:credential>"
run 0 "a CDATA payload unbakes" "$CC_BIN" unbake -o "$T/unbaked.json" "$T/cdata-ok.svg"
printf '%s' "$(cat "$T/cred.json")" >"$T/cred-bytes.json"
same "$T/unbaked.json" "$T/cred-bytes.json" "the CDATA bytes exactly"
printf '<!-- logo: <svg> of 2019 -->\n' >"$T/logo.svg"
cat samples/badge.svg >>"$T/logo.svg"
run 0 "bake into an SVG with '<svg' in a comment" "$CC_BIN" bake --image "$T/logo.svg" -o "$T/logo-baked.svg" "$T/g2.jws"
seen "$T/logo-baked.svg" "$OB2NS" assertion >"$T/xpath"
same "$T/xpath" "$T/g2.jws" "xmllint finds the baked badge under the root"
run 0 "the baked image verifies" $V "$T/logo-baked.svg"
run 1 "baking twice is refused" "$CC_BIN" bake --image "$T/logo-baked.svg" -o "$T/x.svg" "$T/g2.jws"
has "$T/err" 'already baked' "says it is baked"

# ------------------------------------------------------------ cost bounds (issue 11 §1)
# decls FILE SHAPE N: an SVG whose root carries N namespace declarations, then a genuine
# badge.  SHAPE "run": "xmlns:" N times run together (the text scan of the old baker restarted
# its search at each: 240 KB took 28 s); "distinct": N well-formed declarations.
decls() {
    python3 -c 'import sys
shape, n = sys.argv[1], int(sys.argv[2])
d = "xmlns:" * n if shape == "run" else " ".join("xmlns:a%d=\"urn:x:%d\"" % (i, i) for i in range(n))
sys.stdout.write("<svg xmlns=\"%s\" xmlns:openbadges=\"%s\" %s><openbadges:assertion verify=\"%s\"/></svg>\n" % (sys.argv[3], sys.argv[4], d, sys.argv[5]))' \
        "$2" "$3" "$SVGNS" "$OB2NS" "$G2" >"$1"
}
# scaling SHAPE N10 MESSAGE: N/10 and N declarations; both refused with MESSAGE, the larger in
# under 2 s and in at most 15x the time of the smaller (below 50 ms, process start-up dominates).
scaling() {
    decls "$T/small.svg" "$1" $(($2 / 10))
    decls "$T/large.svg" "$1" "$2"
    [ "$(wc -c <"$T/large.svg")" -ge 240000 ] && ok || ko "$1: the declarations file is under 240 KB"
    t0=$(ms); run 1 "$1: 24 KB of xmlns declarations" $V "$T/small.svg"; t1=$(ms)
    run 1 "$1: 240 KB of xmlns declarations" $V "$T/large.svg"; t2=$(ms)
    has "$T/err" "$3" "$1: says why"
    hasnt "$T/out" 'signature valid|: valid' "$1: no valid verdict"
    a=$((t1 - t0)) b=$((t2 - t1))
    echo "xmlns declarations ($1): 24 KB ${a} ms, 240 KB ${b} ms"
    within "$b" 1999 "$1: 240 KB of declarations, ms"
    within "$b" $((15 * (a > 50 ? a : 50))) "$1: 10x the declarations, ms (vs ${a} ms: at most 15x)"
}
scaling run 40000 'not well-formed XML: Failed to parse QName'
scaling distinct 11000 'more than 256 attributes: refused \(limit for a baked SVG\)'
python3 -c 'import sys; sys.stdout.write("<svg xmlns=\"%s\" xmlns:openbadges=\"%s\"><openbadges:assertion verify=\"%s\"/>%s</svg>\n" % (sys.argv[1], sys.argv[2], sys.argv[3], "".join("<g xmlns:a%d=\"urn:x:%d\"/>" % (i, i) for i in range(10000))))' \
    "$SVGNS" "$OB2NS" "$G2" >"$T/ns-spread.svg"
t0=$(ms); run 1 "240 KB of declarations spread over elements" $V "$T/ns-spread.svg"; t1=$(ms)
has "$T/err" 'more than 256 namespace declarations' "the document-wide bound is named"
within $((t1 - t0)) 1999 "spread declarations, ms"
python3 -c 'import sys; sys.stdout.write("<svg xmlns=\"%s\"><rect %s/></svg>\n" % (sys.argv[1], " ".join("a%d=\"1\"" % i for i in range(100000))))' "$SVGNS" >"$T/attrs.svg"
t0=$(ms); run 1 "an element with 100k attributes" "$CC_BIN" unbake "$T/attrs.svg"; t1=$(ms)
within $((t1 - t0)) 1999 "100k attributes, ms"
# Within the bounds, the worst shape (250 prefixed attributes on each element, 250 prefixes
# in scope) is read in linear time and bounded memory: 0.4 MB and 4 MB, each verified (two
# parses: verify's and the pipeline's), under 256 MB of address space; past 8 MiB the image
# is refused.
big() {
    python3 -c 'import sys
n, svgns, obns, tok = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
decl = " ".join("xmlns:p%d=\"urn:x:%d\"" % (i, i) for i in range(250))
el = "<g " + " ".join("p0:a%d=\"\"" % i for i in range(250)) + "/>\n"
sys.stdout.write("<svg xmlns=\"%s\" xmlns:openbadges=\"%s\" %s><openbadges:assertion verify=\"%s\"/>%s</svg>\n" % (svgns, obns, decl, tok, el * (n // len(el))))' \
        "$2" "$SVGNS" "$OB2NS" "$G2" >"$1"
}
cap=""
sh -c "ulimit -v 262144 && exec $CC_BIN --version" >/dev/null 2>&1 && cap="ulimit -v 262144;"  # not under ASan
big "$T/big.svg" 400000
# CPU time (user + system), not wall time: the bound must hold on a loaded machine too.
cpu_ms() { awk '{printf "%d", ($1 + $2) * 1000}' "$1"; }
run 0 "a 0.4 MB SVG at the attribute bounds verifies" /usr/bin/time -f "%U %S" -o "$T/t1" sh -c "$cap exec $V $T/big.svg"
big "$T/big.svg" 4000000
run 0 "a 4 MB SVG at the attribute bounds verifies" /usr/bin/time -f "%U %S" -o "$T/t2" sh -c "$cap exec $V $T/big.svg"
a=$(cpu_ms "$T/t1") b=$(cpu_ms "$T/t2")
echo "at the attribute bounds: 0.4 MB ${a} ms, 4 MB ${b} ms of CPU${cap:+ (under 256 MB)}"
within "$b" 1999 "4 MB at the bounds, ms of CPU"
within "$b" $((15 * (a > 50 ? a : 50))) "10x the size at the bounds, ms (vs ${a} ms: at most 15x)"
big "$T/huge.svg" 9000000
run 1 "a 9 MB SVG is refused" "$CC_BIN" unbake "$T/huge.svg"
has "$T/err" 'the limit for a baked SVG is 8 MiB' "the size bound is named"

# ------------------------------------------------------------ alg none (issue 10 §9)
P3=$(cut -d. -f2 "$T/g3.jwt")
printf '%s.%s.\n' "$(printf '{"alg":"none"}' | b64u)" "$P3" >"$T/none.jwt"
printf '%s.%s.\n' "$(printf '{"alg":"none","typ":"JWT"}' | b64u)" "$P3" >"$T/none-typ.jwt"
for f in none none-typ; do
    run 1 "alg none, empty signature ($f)" $V "$T/$f.jwt"
    has "$T/out" 'INVALID \(jws-alg-none\)' "$f: the reason is jws-alg-none"
    hasnt "$T/out" 'jws-syntax' "$f: not a syntax error (verdict)"
    hasnt "$T/err" 'jws-syntax' "$f: not a syntax error (diagnostic)"
    hasnt "$T/out" 'signature valid|: valid' "$f: no valid verdict"
done
svg "$T/none.svg" "" "$OB3DECL" "<openbadges:credential verify=\"$(cat "$T/none.jwt")\"/>"
run 1 "alg none baked" $V "$T/none.svg"
has "$T/out" 'INVALID \(jws-alg-none\)' "baked: the reason is jws-alg-none"

# ------------------------------------------------------------ NumericDates (issue 11 §4)
# rs256 PAYLOAD OUT: a token signed by openssl itself with the issuer's key.
rs256() {
    printf '%s.%s' "$(printf '{"alg":"RS256","typ":"JWT"}' | b64u)" "$(printf '%s' "$1" | b64u)" >"$T/in"
    openssl dgst -sha256 -sign "$T/rsa.pem" -out "$T/sig" "$T/in"
    printf '%s.%s\n' "$(cat "$T/in")" "$(b64u <"$T/sig")" >"$2"
}
claims=$(sed 's/}$/,"iss":"https:\/\/ecole.example\/issuer","jti":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","sub":"did:example:jeanne"/' "$T/cred.json")
rs256 "$claims,\"nbf\":1719705600}" "$T/nbf-ok.jwt"
run 0 "control: an openssl-signed token with the right nbf verifies" $V "$T/nbf-ok.jwt"
for c in nbf:-1e300 nbf:1e300 nbf:-9.3e18 nbf:1.7976931348623157e308 nbf:253402300800 nbf:-62135596801 \
         exp:1e300 exp:-1e300 exp:9.3e18; do
    claim=${c%%:*} val=${c#*:}
    rs256 "$claims,\"$claim\":$val}" "$T/range.jwt"
    run 1 "$claim $val" $V "$T/range.jwt"
    has "$T/err" "claim $claim is not a NumericDate of the years 1 to 9999: .* out of range .*\\(at /$claim\\) \\[vcjwt-numericdate\\]" \
        "$claim $val: range error with its pointer"
    hasnt "$T/out" ': valid|valid now|claims match' "$claim $val: no valid verdict"
done
for val in 1e400 -1e400 9223372036854775808 -9223372036854775809; do  # not even a JSON number jansson holds
    rs256 "$claims,\"nbf\":$val}" "$T/range.jwt"
    run 1 "nbf $val" $V "$T/range.jwt"
    has "$T/err" 'the payload is not a JSON object: .* \[vcjwt-payload\]' "nbf $val: refused as JSON"
    hasnt "$T/out" ': valid|valid now' "nbf $val: no valid verdict"
done

# OB 1.0 timestamps become OB 2.0 dates: a value gmtime has no year for crashed convert.
for val in 9223372036854775807 -1e300 1e300 253402300800; do
    printf '{"uid":"a1","recipient":{"type":"email","hashed":false,"identity":"a@b.example"},"badge":"https://x.example/badge.json","verify":{"type":"hosted","url":"https://x.example/a.json"},"issuedOn":%s}\n' "$val" >"$T/ob1.json"
    run 1 "OB 1.0 issuedOn $val: convert" "$CC_BIN" convert -t model "$T/ob1.json"
    has "$T/err" "issuedOn is not a Unix timestamp of the years 1 to 9999: .*\\(at /issuedOn\\) \\[ob2-datetime\\]" "OB 1.0 issuedOn $val: says why"
    count "$T/out" '"model"' 0 "OB 1.0 issuedOn $val: nothing written"
done
printf '{"uid":"a1","recipient":{"type":"email","hashed":false,"identity":"a@b.example"},"badge":"https://x.example/badge.json","verify":{"type":"hosted","url":"https://x.example/a.json"},"issuedOn":1500000000,"expires":-1e300}\n' >"$T/ob1.json"
run 1 "OB 1.0 expires -1e300" "$CC_BIN" convert -t model "$T/ob1.json"
has "$T/err" '\(at /expires\) \[ob2-datetime\]' "OB 1.0 expires: its pointer"
sed 's/,"expires":-1e300//' "$T/ob1.json" >"$T/ob1-ok.json"
run 0 "control: an OB 1.0 timestamp in range converts" "$CC_BIN" convert -t model "$T/ob1-ok.json"
has "$T/out" '"issued":"2017-07-14T02:40:00Z"' "the timestamp as a date"

finish e2e-bake-attack
