#!/bin/sh
# Fetching over HTTP against a real server on 127.0.0.1 that this script starts and stops:
# hosted verification, revocation (410, flag, list), verification policy, and the limits
# of safe fetching (redirect loop, oversized body, no answer, a redirect to file:).
. tests/e2e/sh_lib.sh

if ! have_ob; then
    skipped "HTTP cases (they serve the validator's assets)"
    e2e_end e2e-http
    exit $?
fi
python3 tests/e2e/httpd.py "$OB/validator-dcpv/ob20/assets" tests/e2e/http-cases "$T/port" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || { ko "the test server did not start"; e2e_end e2e-http; exit 1; }
BASE=http://127.0.0.1:$(cat "$T/port")
mkdir "$T/c"
for f in tests/e2e/http-cases/*.json; do sed "s|@BASE@|$BASE|g" "$f" >"$T/c/$(basename "$f")"; done
C=$T/c
# The server is on 127.0.0.1, which the address guard refuses without --fetch-allow-private.
F="--fetch --fetch-allow-private --connect-timeout 2 --fetch-timeout 5"

# ------------------------------------------------------------ hosted verification
run 0 "valid hosted badge" "$CC_BIN" verify $F "$C/valid.json"
hasnt "$T/err" 'error' "a valid badge has no error"
has "$T/err" '1 records read, 1 valid' "counted valid"
run 0 "issued to that address" "$CC_BIN" verify $F --recipient nobody@example.org "$C/valid.json"
has "$T/out" "valid.json: is issued to nobody@example.org" "says yes"
run 1 "not issued to that address" "$CC_BIN" verify $F --recipient somebody@example.org "$C/valid.json"
has "$T/out" "is NOT issued to somebody@example.org" "says no"
run 1 "without --fetch nothing is fetched" "$CC_BIN" verify "$C/valid.json"
has "$T/err" 'hosted assertion NOT CHECKED: its verification needs the network \(give --fetch' "says why it did not verify"
run 1 "revoked: 410 Gone" "$CC_BIN" verify $F "$C/revoked-410.json"
has "$T/err" 'revoked: http://127.0.0.1:[0-9]+/gone/revoked-410.json answers 410 Gone \(at /id\) \[ob2-revoked\]' "410 is revocation"
run 1 "revoked: flag in the hosted copy" "$CC_BIN" verify $F "$C/revoked-flag.json"
has "$T/err" 'revoked: issued by mistake \(at /revoked\) \[ob2-revoked\]' "revoked flag and reason"
run 1 "revoked: in the issuer's revocation list" "$CC_BIN" verify $F "$C/revoked-by-list.json"
has "$T/err" 'revoked: listed in http://127.0.0.1:[0-9]+/cases/revocation-list.json: cheated' "revocation list"
run 1 "origin not allowed" "$CC_BIN" verify $F "$C/origin.json"
has "$T/err" "outside the issuer's verification policy \(allowedOrigins\) \(at /id\) \[ob2-verification-scope\]" "allowedOrigins"

# ------------------------------------------------------------ safe fetching
run 1 "redirect loop" "$CC_BIN" verify $F --max-redirects 3 "$C/loop.json"
has "$T/err" 'cannot fetch http://127.0.0.1:[0-9]+/loop: more than 3 redirects \(--max-redirects\)' "redirect limit"
run 1 "oversized body" "$CC_BIN" verify $F --max-fetch-size 100000 "$C/big.json"
has "$T/err" 'response larger than 100000 bytes \(--max-fetch-size\)' "size cap"
start=$(date +%s)
run 1 "server that never answers" "$CC_BIN" verify --fetch --fetch-allow-private --fetch-timeout 1 "$C/hang.json"
took=$(( $(date +%s) - start ))
has "$T/err" 'no complete answer within the time limit' "timeout message"
within "$took" 4 "the timeout, s"
run 1 "redirect to file:" "$CC_BIN" verify $F "$C/to-file.json"
has "$T/err" 'only http and https are fetched \(also after a redirect\)' "file: refused"
hasnt "$T/err" 'root:' "nothing of /etc/passwd"
run 2 "bad limit" "$CC_BIN" verify --max-redirects many "$C/valid.json"
run 1 "redirect to ftp:" "$CC_BIN" verify $F "$C/to-ftp.json"
has "$T/err" 'only http and https are fetched \(also after a redirect\)' "ftp: refused after a redirect"
# A link with another scheme is never handed to libcurl at all.
for s in ftp file; do
    run 1 "link with scheme $s:" "$CC_BIN" verify $F "$C/scheme-$s.json"
    has "$T/err" "cannot fetch $s:.*only http and https URLs are fetched" "$s: refused before any fetch"
done
hasnt "$T/err" 'root:' "nothing of /etc/passwd"
# A server that keeps sending one byte every 0.2 s, forever: under any size limit, so only
# the time limit can end it.  And one that sends without end as fast as it can: the size limit.
start=$(date +%s)
run 1 "slow never-ending body" "$CC_BIN" verify --fetch --fetch-allow-private --fetch-timeout 2 "$C/drip.json"
took=$(( $(date +%s) - start ))
has "$T/err" 'no complete answer within the time limit \(--connect-timeout [0-9]+ s, --fetch-timeout 2 s\)' "cut by --fetch-timeout"
within "$took" 5 "the slow body cut, s"
start=$(date +%s)
run 1 "fast never-ending body" "$CC_BIN" verify $F --max-fetch-size 1000000 "$C/endless.json"
has "$T/err" 'response larger than 1000000 bytes \(--max-fetch-size\)' "cut by --max-fetch-size"
[ $(( $(date +%s) - start )) -le 5 ] && ok || ko "the endless body was not cut at once"

# ------------------------------------------------------------ the validator's samples, served
sed "s|https://example.org|$BASE|g" "$OB/validator-dcpv/ob20/basic-assertion.json" >"$T/basic.json"
run 0 "corpus assertion, links fetched over HTTP" "$CC_BIN" validate $F -f ob2 "$T/basic.json"
hasnt "$T/err" 'error|not checked' "its BadgeClass, issuer and image fetched and good"
run 0 "--map-url gives the same without the network" "$CC_BIN" validate -f ob2 \
    --map-url "$BASE/=$OB/validator-dcpv/ob20/assets" "$T/basic.json"
hasnt "$T/err" 'error' "mapped"

e2e_end e2e-http
