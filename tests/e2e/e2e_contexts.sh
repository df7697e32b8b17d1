#!/bin/sh
# credconv contexts (issue 12.9): the well-known JSON-LD contexts, fetched once into a
# per-user cache, each checked against the SHA-256 credconv pins; verify and sign then work
# without --map-url.  A local HTTP server on 127.0.0.1 stands in for the canonical hosts
# (--mirror), serving the corpus copies: no internet needed.
. tests/e2e/sh_lib.sh
C=$CORPUS/ob/contexts
if [ ! -d "$C" ]; then
    skipped "contexts cache (serves the corpus copies)"
    e2e_end e2e-contexts
    exit $?
fi
M=$T/mirror
link() { mkdir -p "$M/$(dirname "$1")" && cp "$2" "$M/$1"; }
link www.w3.org/2018/credentials/v1 "$C/validator-2018-credentials-v1.jsonld"
link www.w3.org/ns/credentials/v2 "$C/validator-credentials-v2.jsonld"
link purl.imsglobal.org/spec/ob/v3p0/context.json "$C/ob-v3p0-context.json"
link purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json "$C/ob-v3p0-context-3.0.1.json"
link purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json "$C/ob-v3p0-context-3.0.2.json"
link purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json "$C/ob-v3p0-context-3.0.3.json"
link purl.imsglobal.org/spec/ob/v3p0/extensions.json "$C/validator-ob-v3p0-extensions.json"
link purl.imsglobal.org/spec/clr/v2p0/context.json "$C/validator-clr-v2p0.json"
link purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json "$C/validator-clr-v2p0-2.0.1.json"
link w3id.org/security/data-integrity/v1 "$C/validator-data-integrity-v1.jsonld"
link w3id.org/security/suites/ed25519-2020/v1 "$C/validator-security-suites-ed25519-2020-v1.jsonld"
link www.w3.org/ns/did/v1 "$C/validator-did-v1.jsonld"
link w3id.org/openbadges/v2 "$C/ob-v2-context.json"
link data.europa.eu/snb/model/context/edc-ap "$CORPUS/edc/elm-v3/context/edc-ap-context.jsonld"
# One copy re-indented (same JSON: accepted), one edited (refused, both hashes named).
jq . "$C/validator-credentials-v2.jsonld" >"$M/www.w3.org/ns/credentials/v2"

python3 - "$M" "$T/port" <<'PY' &
import functools, http.server, sys, threading
d, portfile = sys.argv[1:3]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass
h = functools.partial(Quiet, directory=d)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
open(portfile, "w").write(str(s.server_address[1]))
threading.Timer(120, s.shutdown).start()   # stops by itself in any case
s.serve_forever()
PY
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || { ko "the mirror server did not start"; e2e_end e2e-contexts; exit 1; }
MIRROR=http://127.0.0.1:$(cat "$T/port")/
F="--fetch --fetch-allow-private --connect-timeout 2 --fetch-timeout 5"
export XDG_CACHE_HOME="$T/cache"

run 1 "nothing cached yet" "$CC_BIN" contexts
count "$T/out" ': not cached$' 14 "fourteen pinned contexts, none cached"
run 0 "contexts --fetch from the mirror" "$CC_BIN" contexts $F --mirror "$MIRROR"
count "$T/out" 'fetched, SHA-256 [0-9a-f]{64} as pinned' 14 "each fetched and checked"
[ -f "$T/cache/credconv/contexts/www.w3.org/ns/credentials/v2" ] && ok || ko "the cache is laid out by host and path"
run 0 "all cached" "$CC_BIN" contexts
count "$T/out" 'cached, as pinned' 14 "the listing says so"
run 0 "a second --fetch fetches nothing" "$CC_BIN" contexts $F --mirror "$MIRROR"
hasnt "$T/out" 'fetched' "nothing fetched again"

# verify and sign without --map-url: the published vectors check offline.
V=$CORPUS/ob/test-vectors/eddsa-rdfc-2022
run 0 "verify a DI vector from the cache alone" "$CC_BIN" verify --accept-unbound-key "$V/obv3p0/signed-credential.json"
has "$T/out" 'signature valid \(eddsa-rdfc-2022' "the cached contexts were used"
run 0 "verify the CLR vector from the cache" "$CC_BIN" verify --accept-unbound-key "$V/clrv2p0/signed-credential.json"
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
run 0 "sign with the cache" "$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 \
    --kid https://example.edu/issuers/565049#key-1 "$V/obv3p0/credential.json"

# A cached copy that was changed afterwards is refused when read, with both hashes.
jq -c '.["@context"].foo = "https://evil.example/"' "$M/www.w3.org/ns/credentials/v2" \
    >"$T/cache/credconv/contexts/www.w3.org/ns/credentials/v2"
run 1 "a tampered cache copy" "$CC_BIN" verify --accept-unbound-key "$V/obv3p0/signed-credential.json"
hasnt "$T/out" 'signature valid' "no valid verdict over a tampered context"
has "$T/err" 'SHA-256 [0-9a-f]{64}, the pin is b463c8d6' "both hashes named"
run 1 "the listing names it" "$CC_BIN" contexts
has "$T/out" 'credentials/v2: .*refused' "listed as refused"

# A mirror serving other JSON: refused, nothing cached.
rm -rf "$T/cache"
jq -c '.["@context"].foo = "https://evil.example/"' "$C/validator-credentials-v2.jsonld" >"$M/www.w3.org/ns/credentials/v2"
run 1 "a mirror serving an edited context" "$CC_BIN" contexts $F --mirror "$MIRROR"
has "$T/err" 'ns/credentials/v2: .*SHA-256 [0-9a-f]{64}, the pin is b463c8d6.* refused \[context-fetch\]' "refused, both hashes"
[ ! -e "$T/cache/credconv/contexts/www.w3.org/ns/credentials/v2" ] && ok || ko "the refused context was cached"
count "$T/out" 'as pinned' 13 "the others are still fetched"
run 2 "--mirror goes with contexts" "$CC_BIN" verify --mirror "$MIRROR" "$V/obv3p0/signed-credential.json"
e2e_end e2e-contexts
