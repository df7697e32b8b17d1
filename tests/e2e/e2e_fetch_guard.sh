#!/bin/sh
# --fetch cannot be turned against its own network, fetches each URL once per run, and gives
# up on an input whose fetches take longer than --fetch-deadline; what went wrong is said.
# Against tests/e2e/httpd.py on 127.0.0.1, started and stopped here (it also stops by itself
# after 300 s).  Addresses that cannot be served from here (10/8, 169.254/16, fc00::/7…) are
# refused before any connection, so nothing is sent anywhere but 127.0.0.1.
. tests/e2e/sh_lib.sh

mkdir "$T/assets"
if [ -d "$OB/contexts" ]; then  # the real contexts, served under local URLs (links, no copies)
    C=$(cd "$OB/contexts" && pwd)
    ln -s "$C/validator-credentials-v2.jsonld" "$T/assets/credentials-v2.jsonld"
    ln -s "$C/ob-v3p0-context-3.0.3.json" "$T/assets/ob-3.0.3.json"
fi
python3 tests/e2e/httpd.py "$T/assets" tests/e2e/http-cases "$T/port" "$T/log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || { ko "the test server did not start"; finish e2e_fetch_guard; exit 1; }
PORT=$(cat "$T/port")
BASE=http://127.0.0.1:$PORT
F="--fetch --connect-timeout 2 --fetch-timeout 5"
# Only the server itself (127.0.0.1) is let through: a redirect from it must still be checked.
ONLY="--fetch-allow-private=127.0.0.1"

# assertion URL: an OB 2.0 assertion whose BadgeClass is at URL (validate fetches it).
assertion() {
    cat <<JSON
{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
 "id": "urn:uuid:6f1c2b8e-2d3a-4c5b-9e7f-0a1b2c3d4e5f",
 "recipient": {"type": "email", "hashed": false, "identity": "ann@example.org"},
 "issuedOn": "2024-01-01T00:00:00Z", "verification": {"type": "hosted"}, "badge": "$1"}
JSON
}
# refused NAME URL ADDRESS [OPTIONS]: validating an assertion linking URL fails, naming the
# address, and nothing reached the server's /admin.
refused() {
    name=$1 url=$2 addr=$3
    shift 3
    assertion "$url" >"$T/a.json"
    : >"$T/log"
    run 1 "$name" "$CC_BIN" validate $F "$@" "$T/a.json"
    has "$T/err" "refused to connect to $addr \\(.*\\): local and private addresses are fetched only with --fetch-allow-private" "$name: names $addr"
    hasnt "$T/err" ' [1-9][0-9]* valid' "$name: nothing valid"
    hasnt "$T/log" '^/admin' "$name: /admin never reached"
    hasnt "$T/err" '\(null\)' "$name: no (null)"
}

# ------------------------------------------------------------ the address guard, by URL
refused "loopback 127.0.0.1" "$BASE/admin?delete=all" 127.0.0.1
refused "loopback 127.0.0.2" "http://127.0.0.2:$PORT/admin" 127.0.0.2
refused "loopback ::1" "http://[::1]:$PORT/admin" ::1
refused "IPv4-mapped ::ffff:127.0.0.1" "http://[::ffff:127.0.0.1]:$PORT/admin" ::ffff:127.0.0.1
refused "private 10/8" "http://10.0.0.1/admin" 10.0.0.1
refused "private 192.168/16" "http://192.168.1.1/admin" 192.168.1.1
refused "cloud metadata 169.254.169.254" "http://169.254.169.254/latest/meta-data/" 169.254.169.254
refused "unique-local fc00::/7" "http://[fc00::1]/admin" fc00::1
refused "NAT64 of loopback" "http://[64:ff9b::7f00:1]/admin" 64:ff9b::7f00:1
refused "unspecified 0.0.0.0" "http://0.0.0.0:$PORT/admin" 0.0.0.0
# After name resolution: localhost is its addresses (from /etc/hosts, no DNS traffic).
refused "localhost, resolved" "http://localhost:$PORT/admin" '(127\.0\.0\.1|::1)'
has "$T/err" 'refused to connect to (127\.0\.0\.1|::1) \(loopback' "localhost: the resolved address is named"
# The messages say which range.
assertion "http://169.254.169.254/latest/meta-data/" >"$T/a.json"
run 1 "the range is named" "$CC_BIN" validate $F "$T/a.json"
has "$T/err" '169\.254\.169\.254 \(link-local 169\.254\.0\.0/16\)' "link-local, with its range"

# ------------------------------------------------------------ the address guard, at a redirect
# The first hop (the server, allowed by address) redirects: the next connection is checked.
for t in "127.0.0.2:$PORT|127.0.0.2" "[::1]:$PORT|::1" "10.0.0.1|10.0.0.1" \
         "169.254.169.254|169.254.169.254" "[fc00::1]|fc00::1" \
         "[::ffff:127.0.0.1]:$PORT|::ffff:127.0.0.1"; do
    hostport=${t%|*} addr=${t#*|}
    refused "redirect to $addr" "$BASE/redirect?to=http://$hostport/admin" "$addr" $ONLY
    has "$T/log" '^/redirect' "redirect to $addr: the first hop was made"
    has "$T/err" "after 1 redirect, at http://" "redirect to $addr: says it was a redirect"
done
# Two redirects deep.
refused "redirect chain to 10.0.0.1" "$BASE/redirect?to=/redirect%3Fto=http://10.0.0.1/admin" 10.0.0.1 $ONLY
has "$T/err" "after 2 redirects" "the second redirect is checked too"
# Other schemes at a redirect, named.
assertion "$BASE/redirect?to=file:///etc/passwd" >"$T/a.json"
run 1 "redirect to file:" "$CC_BIN" validate $F $ONLY "$T/a.json"
has "$T/err" 'redirected to file:///etc/passwd: only http and https are fetched' "file: refused, named"
hasnt "$T/err" 'root:' "nothing of /etc/passwd"
# The hosted assertion of the issue: its id redirects to another local service.
sed "s|urn:uuid:6f1c2b8e-2d3a-4c5b-9e7f-0a1b2c3d4e5f|$BASE/redirect?to=http://127.0.0.2:$PORT/admin%3Fdelete=all|" "$T/a.json" >"$T/hosted.json"
: >"$T/log"
run 1 "hosted assertion redirected to a local service" "$CC_BIN" verify $F $ONLY "$T/hosted.json"
has "$T/err" 'refused to connect to 127\.0\.0\.2' "the redirect target is refused"
hasnt "$T/log" '^/admin' "GET /admin?delete=all never sent"
hasnt "$T/err" ' [1-9][0-9]* valid' "not valid"

# --fetch-allow-private lets the local server through; a bad address is a usage error.
assertion "$BASE/admin" >"$T/a.json"
: >"$T/log"
run 1 "--fetch-allow-private reaches the local server" "$CC_BIN" validate $F --fetch-allow-private "$T/a.json"
has "$T/log" '^/admin$' "fetched with --fetch-allow-private"
has "$T/err" 'is not JSON' "what it got is judged, not refused"
run 2 "--fetch-allow-private=name" "$CC_BIN" validate $F --fetch-allow-private=localhost "$T/a.json"
has "$T/err" 'needs an IPv4 or IPv6 address' "addresses only"

# ------------------------------------------------------------ messages
message() {  # message NAME PATH REGEX
    assertion "$BASE$2" >"$T/a.json"
    run 1 "$1" "$CC_BIN" validate $F $ONLY "$T/a.json"
    has "$T/err" "$3" "$1: says what happened"
    hasnt "$T/err" 'Out of memory|only http and https|\(null\)' "$1: not another reason"
}
message "HTTP/0.9 answer" /http09 'answered without an HTTP status line \(an HTTP/0\.9 reply'
message "1 MB header line" /bigheader 'a response header line longer than libcurl accepts \(100 KB\)'
message "400 KB of headers" /manyheaders 'response headers larger than 262144 bytes in all'

# ------------------------------------------------------------ slow contexts: --fetch-deadline
# 20 contexts answering after 0.7 s each (14 s in all, and again for the term check before
# the cache): the input ends at its 2 s of fetching.
ctx=""
for n in $(seq 1 20); do ctx="$ctx\"$BASE/slow/a$n?ms=700\","; done
cat >"$T/slow.json" <<JSON
{"@context": [${ctx%,}], "id": "urn:uuid:1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6",
 "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "https://issuer.example/",
 "validFrom": "2024-01-01T00:00:00Z", "name": "x",
 "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "https://issuer.example/a",
   "type": ["Achievement"], "name": "x", "description": "x", "criteria": {"narrative": "x"}}},
 "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
   "created": "2024-01-01T00:00:00Z", "proofPurpose": "assertionMethod",
   "verificationMethod": "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
   "proofValue": "z99eUso3aSbE9tqGSTXzo3TLfKb9RkMTURrHKQ1K7Zh3BbeqPevr5E1iCbpTjqHuTFLtfxTTD5ekfVuZFzQyEQf8"}}
JSON
start=$(date +%s)
run 1 "20 slow contexts, --fetch-deadline 2" "$CC_BIN" verify $F $ONLY --fetch-deadline 2 "$T/slow.json"
took=$(( $(date +%s) - start ))
within "$took" 4 "the deadline of 2 s, s"
has "$T/err" 'fetch time ran out \(--fetch-deadline 2 s\)|spent its fetch time \(--fetch-deadline 2 s\)' "the deadline is the reason"
hasnt "$T/out" 'signature valid' "no valid verdict"
hasnt "$T/err" '\(null\)' "no (null)"
# Two inputs: each has a deadline of its own, and what the first cached serves the second.
sed 's|/slow/a|/slow/b|g' "$T/slow.json" >"$T/slow2.json"
start=$(date +%s)
run 1 "two inputs, a deadline each" "$CC_BIN" validate -f ob3 $F $ONLY --fetch-deadline 1 "$T/slow.json" "$T/slow2.json"
took=$(( $(date +%s) - start ))
within "$took" 4 "two inputs with a deadline of 1 s, s"
has "$T/err" 'slow2.json.*--fetch-deadline 1 s' "the second input's own deadline"

# ------------------------------------------------------------ JSON-LD memory, one budget per document
# 20,000 one-term inline contexts (780 KB): each copies the growing term table (9.45 GB once).
# Under a 256 MB address-space limit, the document ends in a clear error within 2 s.
python3 - "$T/ctx20k.json" <<'PY'
import json, sys
ctx = [{"t%d" % i: "https://e.example/t%d" % i} for i in range(20000)]
cred = {"@context": ctx, "id": "urn:uuid:3c4d5e6f-7081-4923-a4b5-c6d7e8f90a1b",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "x"}
open(sys.argv[1], "w").write(json.dumps(cred))
PY
# A sanitizer build reserves terabytes of address space and cannot start under ulimit -v:
# it runs the same input without the limit.
LIMIT="ulimit -v 262144;"
if ! sh -c 'ulimit -v 262144; exec "$@"' sh "$CC_BIN" --version >/dev/null 2>&1; then
    echo "NOTE: $CC_BIN cannot start under ulimit -v (a sanitizer build?): run without it"
    LIMIT=""
fi
start=$(date +%s)
# --map-url (to a folder with nothing) turns the term check on, as --fetch would.
run 1 "20,000 inline contexts under ulimit -v 262144" sh -c "$LIMIT"' exec "$@"' sh \
    "$CC_BIN" validate -f ob3 --map-url "https://none.example/=$T/assets" "$T/ctx20k.json"
took=$(( $(date +%s) - start ))
within "$took" 2 "20,000 inline contexts, s"
has "$T/err" 'JSON-LD context overflow: processing this document.s contexts would take more than 64 MiB \(the JSON-LD memory limit of one document\) \[ob3-jsonld\]' "the budget is the error"
hasnt "$T/err" 'out of memory|Aborted' "no crash"

# ------------------------------------------------------------ one fetch per URL per run
if ! [ -d "$OB/contexts" ]; then
    skipped "contexts fetched once (they serve the corpus's contexts)"
    finish e2e_fetch_guard
    exit $?
fi
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
cat >"$T/cred.json" <<JSON
{"@context": ["$BASE/credentials-v2.jsonld", "$BASE/ob-3.0.3.json"],
 "id": "urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6", "type": ["VerifiableCredential", "OpenBadgeCredential"],
 "issuer": {"id": "https://ecole.example/issuer", "type": ["Profile"], "name": "École"},
 "validFrom": "2024-06-30T00:00:00Z", "name": "Bloc 1",
 "credentialSubject": {"id": "did:example:jeanne", "type": ["AchievementSubject"],
   "achievement": {"id": "https://ecole.example/a/1", "type": ["Achievement"], "name": "Bloc 1",
     "description": "d", "criteria": {"narrative": "n"}}}}
JSON
# (the issuer is not the did:key: the method is named with --kid, as signing requires)
run 0 "signed with contexts fetched from the server" "$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 \
    --kid https://ecole.example/issuer#key-1 $F --fetch-allow-private "$T/cred.json"
cp "$T/out" "$T/signed.json"
# the second input has a member no context defines: both the proof (safe mode) and the
# OB 3.0 term check refuse it, each with the contexts already fetched for the first input
jq -c '. + {"undefinedTermX": "dropped by JSON-LD"}' "$T/signed.json" >"$T/signed2.json"
jqtrue "$T/signed.json" '[.proof] | flatten | .[0].proofValue | startswith("z")' "a proof was made"
: >"$T/log"
openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub.pem" 2>/dev/null
run 1 "verify: proof check and term check" "$CC_BIN" verify $F --fetch-allow-private --key "$T/ed.pub.pem" "$T/signed.json" "$T/signed2.json"
has "$T/out" 'signed.json: .*signature valid \(eddsa-rdfc-2022' "the proof checks with the fetched contexts"
has "$T/out" 'signed2.json: .*INVALID' "the added member makes the second input invalid"
has "$T/err" 'undefinedTermX' "the term check ran on the fetched contexts too"
hasnt "$T/err" 'ob3-jsonld-not-checked' "the term check had its contexts"
count "$T/log" '^/credentials-v2\.jsonld$' 1 "the VC context fetched once for two inputs and both checks"
count "$T/log" '^/ob-3\.0\.3\.json$' 1 "the OB 3.0 context fetched once for two inputs and both checks"

finish e2e_fetch_guard
