#!/bin/sh
# End-to-end tests of credential status (issue 18): issuing with a W3C Bitstring Status List
# entry, publishing and updating the list, verify reading it; the 1EdTech validator's status
# samples; a list of another issuer; bounds on hostile lists; crash safety of updates.
# Usage: CREDCONV=path/to/credconv CREDCONV_SCHEMAS=schemas sh tests/e2e/e2e_status.sh
. tests/e2e/sh_lib.sh
S=samples
URL=https://www.ecole-du-cycle.example/status/1
SURL=https://www.ecole-du-cycle.example/status/suspension/1
ISS=https://www.ecole-du-cycle.example/
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/other.pem" 2>/dev/null
{ echo "email,given_name,family_name,achievement,id,issued"
  i=1; while [ $i -le 1000 ]; do echo "p$i@example.org,P$i,Test,RNCP99001,,2026-06-30"; i=$((i + 1)); done; } >"$T/r1000.csv"
issue() {  # STATE CSV OUT [options]: credentials with status
    st=$1 csv=$2 out=$3; shift 3
    "$CC_BIN" convert -q -t ob3 --issuer $S/issuer.json --recipients "$csv" --status-list "$URL" \
        --status-state "$st" "$@" $S/rncp-sample.xml >"$out" 2>"$T/issue.err"
}

# ------------------------------------------------------------ options
run 2 "--status-list needs --status-state" "$CC_BIN" convert -t ob3 --issuer $S/issuer.json --recipients "$T/r1000.csv" --status-list "$URL" $S/rncp-sample.xml
has "$T/err" 'needs --status-state FILE' "says what is missing"
run 2 "--status-list with a format that writes no status" "$CC_BIN" convert -t edc --issuer $S/issuer.json --recipients "$T/r1000.csv" --status-list "$URL" --status-state "$T/x.state" $S/rncp-sample.xml
has "$T/err" "format 'edc' writes no status" "names the format"
run 2 "--status-list must be an absolute URL" "$CC_BIN" convert -t ob3 --issuer $S/issuer.json --recipients "$T/r1000.csv" --status-list "status/1" --status-state "$T/x.state" $S/rncp-sample.xml
run 2 "--status-purpose other than revocation, suspension" "$CC_BIN" convert -t ob3 --issuer $S/issuer.json --recipients "$T/r1000.csv" --status-list "$URL" --status-state "$T/x.state" --status-purpose refresh $S/rncp-sample.xml
run 2 "status: unknown command" "$CC_BIN" status annul --state "$T/x.state"
run 0 "status --help" "$CC_BIN" status --help
has "$T/out" 'credconv status revoke' "the help lists the commands"

# ------------------------------------------------------------ issuing: 1,000 credentials
issue "$T/state" "$T/r1000.csv" "$T/creds.jsonl"; rc=$?
[ $rc -eq 0 ] && ok || { ko "issue 1000 with status: exit $rc"; head -3 "$T/issue.err"; }
count "$T/creds.jsonl" '"credentialStatus":\{"id":"https://www.ecole-du-cycle.example/status/1#[0-9]+","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"[0-9]+","statusListCredential":"https://www.ecole-du-cycle.example/status/1"\}' 1000 "every credential has its entry"
jq -r '.credentialStatus.statusListIndex' "$T/creds.jsonl" >"$T/idx"
[ "$(sort -u "$T/idx" | wc -l)" -eq 1000 ] && ok || ko "1000 distinct indexes"
awk '$1 < 0 || $1 >= 131072 { bad++ } END { exit bad > 0 }' "$T/idx" && ok || ko "every index inside the 131,072-bit list"
# random, not sequential: the order of issuance must not show in the indexes
up=$(awk 'NR > 1 && $1 > prev { n++ } { prev = $1 } END { print n + 0 }' "$T/idx")
[ "$up" -gt 350 ] && [ "$up" -lt 650 ] && ok || ko "indexes in random order ($up of 999 steps up; sequential would be 999)"
spread=$(sort -n "$T/idx" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print hi - lo }')
[ "$spread" -gt 100000 ] && ok || ko "indexes spread over the list (spread $spread)"
jqtrue "$T/creds.jsonl" '.credentialStatus.id == (.credentialStatus.statusListCredential + "#" + .credentialStatus.statusListIndex)' "the entry's id is the list URL and the index"
run 0 "issued credentials pass validate" "$CC_BIN" validate -f ob3 "$T/creds.jsonl"
head -2 "$T/state" >"$T/head"
has "$T/head" '^\{"credconvStatusState":1,"issuer":"https://www.ecole-du-cycle.example/","size":131072\}$' "the state's header: issuer and size"
count "$T/state" '^\{"id":"urn:uuid:[0-9a-f-]+","index":[0-9]+\}$' 1000 "one journal line per credential"
# a rerun gives each credential the index it has: same output, same state
cp "$T/state" "$T/state.before"
issue "$T/state" "$T/r1000.csv" "$T/creds2.jsonl"
same "$T/creds.jsonl" "$T/creds2.jsonl" "a rerun writes the same credentials"
same "$T/state" "$T/state.before" "a rerun adds nothing to the state"
# another issuer cannot use this state
jq '.id = "https://other.example/"' $S/issuer.json >"$T/other-issuer.json"
run 2 "the state of another issuer" "$CC_BIN" convert -q -t ob3 --issuer "$T/other-issuer.json" --recipients "$T/r1000.csv" --status-list "$URL" --status-state "$T/state" $S/rncp-sample.xml
has "$T/err" 'keeps the lists of https://www.ecole-du-cycle.example/, not of https://other.example/' "says whose state it is"
run 2 "another URL for the same list" "$CC_BIN" convert -q -t ob3 --issuer $S/issuer.json --recipients "$T/r1000.csv" --status-list "$URL/b" --status-state "$T/state" $S/rncp-sample.xml
has "$T/err" 'the revocation list is https://www.ecole-du-cycle.example/status/1, not ' "a URL recorded is never changed"

# parallel shards on one state: no index handed out twice
{ echo "email,given_name,family_name,achievement"; i=1; while [ $i -le 300 ]; do echo "a$i@example.org,A$i,Shard,RNCP99001"; i=$((i + 1)); done; } >"$T/ra.csv"
{ echo "email,given_name,family_name,achievement"; i=1; while [ $i -le 300 ]; do echo "b$i@example.org,B$i,Shard,RNCP99001"; i=$((i + 1)); done; } >"$T/rb.csv"
cp "$T/state" "$T/pstate"
issue "$T/pstate" "$T/ra.csv" "$T/pa.jsonl" & pa=$!
"$CC_BIN" convert -q -t ob3 --issuer $S/issuer.json --recipients "$T/rb.csv" --status-list "$URL" --status-state "$T/pstate" $S/rncp-sample.xml >"$T/pb.jsonl" 2>"$T/pb.err"
wait $pa
cat "$T/creds.jsonl" "$T/pa.jsonl" "$T/pb.jsonl" | jq -r '.credentialStatus.statusListIndex' | sort | uniq -d >"$T/dups"
[ ! -s "$T/dups" ] && [ "$(cat "$T/pa.jsonl" "$T/pb.jsonl" | wc -l)" -eq 600 ] && ok || ko "two shards at once: 600 credentials, no index twice ($(wc -l <"$T/dups") dups)"
count "$T/pstate" '^\{"id":' 1600 "the shared state holds every credential once"

# EDC 3 in its VCDM 2.0 form carries the same entry; its VC 1.1 form cannot (the context)
head -4 "$T/r1000.csv" >"$T/r3.csv"
run 0 "edc3-vc2 with status" "$CC_BIN" convert -q -t edc3-vc2 --issuer $S/issuer.json --recipients "$T/r3.csv" --status-list "$URL" --status-state "$T/state" $S/rncp-sample.xml
count "$T/out" '"credentialStatus":\{"id":"https://www.ecole-du-cycle.example/status/1#[0-9]+","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"[0-9]+","statusListCredential":"https://www.ecole-du-cycle.example/status/1"\}' 3 "3 EDC 3 credentials with their entry"
cp "$T/out" "$T/e3.jsonl"
run 0 "they pass validate -f edc3-vc2" "$CC_BIN" validate -f edc3-vc2 "$T/e3.jsonl"
run 2 "edc3 (VC 1.1 form) with status: refused" "$CC_BIN" convert -q -t edc3 --issuer $S/issuer.json --recipients "$T/r3.csv" --status-list "$URL" --status-state "$T/state" $S/rncp-sample.xml

# ------------------------------------------------------------ publish, revoke 3, verify
"$CC_BIN" sign --key "$T/ed.pem" "$T/creds.jsonl" >"$T/creds.jwt" 2>"$T/sign.err"
count "$T/creds.jwt" '^ey' 1000 "1000 VC-JWTs"
run 0 "publish the revocation list (VC-JWT)" "$CC_BIN" status publish --state "$T/state" --purpose revocation --key "$T/ed.pem" -o "$T/rev.jwt"
has "$T/err" 'new, every credential active' "a new list"
run 0 "every credential active on the new list" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/creds.jwt"
count "$T/out" 'status: not revoked \(list https://www.ecole-du-cycle.example/status/1, index [0-9]+\); key bound' 1000 "1000 not revoked"
hasnt "$T/out" 'not evaluated: credential status' "status is no longer listed as not evaluated"
sed -n '17p;503p;998p' "$T/creds.jsonl" | jq -r .id >"$T/revoked.ids"
run 0 "revoke 3" "$CC_BIN" status revoke --state "$T/state" --list "$T/rev.jwt" --key "$T/ed.pem" $(cat "$T/revoked.ids")
count "$T/out" ': revoked$' 3 "says each is revoked"
run 1 "verify after revoking 3: exit 1" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/creds.jwt"
count "$T/out" 'VC-JWT: INVALID \(status-revoked\)$' 3 "exactly 3 revoked"
count "$T/out" 'signature valid .*status: not revoked' 997 "997 active"
grep -n 'status-revoked' "$T/out" | sed 's/^\([0-9]*\):.*creds.jwt:\([0-9]*\):.*/\2/' | tr '\n' ' ' >"$T/lines"
[ "$(cat "$T/lines")" = "17 503 998 " ] && ok || ko "the revoked are lines 17, 503, 998 (got $(cat "$T/lines"))"
count "$T/err" 'error: credential status: REVOKED \(list https://www.ecole-du-cycle.example/status/1\) \[status-revoked\]' 3 "each revoked one says why"
run 0 "show" "$CC_BIN" status show --state "$T/state" --list "$T/rev.jwt"
count "$T/out" ' revocation=1$' 3 "show: 3 revoked"
count "$T/out" ' revocation=0$' 997 "show: 997 active"
run 1 "revocation is for good: reinstate refused on a revocation list" "$CC_BIN" status reinstate --state "$T/state" --list "$T/rev.jwt" --key "$T/ed.pem" "$(head -1 "$T/revoked.ids")"
has "$T/err" 'a list of another purpose|not the state.s list of this purpose' "reinstate works on suspension lists only"
run 1 "an id the state does not know" "$CC_BIN" status revoke --state "$T/state" --list "$T/rev.jwt" --key "$T/ed.pem" urn:uuid:00000000-0000-0000-0000-000000000000
has "$T/err" '\[status-unknown-id\]' "status-unknown-id"
run 0 "publish again re-signs, keeping the statuses" "$CC_BIN" status publish --state "$T/state" --purpose revocation --key "$T/ed.pem" -o "$T/rev.jwt"
has "$T/err" 're-signed with its statuses' "re-signed"
run 1 "publish a new empty list elsewhere: refused" "$CC_BIN" status publish --state "$T/state" --purpose revocation --key "$T/ed.pem" -o "$T/elsewhere.jwt"
has "$T/err" '\[status-published\]' "would lose the statuses"
[ -e "$T/elsewhere.jwt" ] && ko "nothing written elsewhere" || ok
run 1 "verify after re-signing" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/creds.jwt"
count "$T/out" 'INVALID \(status-revoked\)' 3 "still exactly 3 after re-signing"

run 2 "--status-list-file that does not exist" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/none.jwt" "$T/creds.jwt"
has "$T/err" 'none.jwt: error: --status-list-file: No such file' "named"
# the list unavailable: NOT CHECKED, exit 1, never active
run 1 "no list: NOT CHECKED" "$CC_BIN" verify --key "$T/ed.pub" "$T/creds.jwt"
count "$T/out" 'VC-JWT: NOT CHECKED \(status-unavailable\)$' 1000 "every credential NOT CHECKED"
hasnt "$T/out" 'signature valid|not revoked' "no valid verdict, never active"
has "$T/err" 'cannot be had: .*give --fetch' "says how to give it"
run 1 "a --map-url that has no such file: NOT CHECKED" "$CC_BIN" verify --key "$T/ed.pub" --map-url "https://www.ecole-du-cycle.example/=$T/nothing/" "$T/creds.jwt"
count "$T/out" 'NOT CHECKED \(status-unavailable\)' 1000 "not found: NOT CHECKED"
mkdir -p "$T/site/status" && cp "$T/rev.jwt" "$T/site/status/1"
run 1 "the list through --map-url" "$CC_BIN" verify --key "$T/ed.pub" --map-url "https://www.ecole-du-cycle.example/=$T/site/" "$T/creds.jwt"
count "$T/out" 'INVALID \(status-revoked\)' 3 "--map-url: exactly 3 revoked"

# ------------------------------------------------------------ a list signed by another issuer
"$CC_BIN" status publish --state "$T/ostate" --issuer-id https://other.example/ --url "$URL" --purpose revocation --key "$T/other.pem" -o "$T/other.jwt" 2>/dev/null
run 1 "a list of another issuer at the list's URL: refused" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/other.jwt" "$T/creds.jwt"
count "$T/out" 'INVALID \(status-list-issuer\)' 1000 "status-list-issuer for each"
hasnt "$T/out" 'signature valid|not revoked' "never active on another issuer's list"
has "$T/err" 'is issued by https://other.example/, not by the credential.s issuer' "says whose list it is"
# the issuer's name on a list signed by another key (its header jwk): not the issuer's list
python3 - "$T/rev.jwt" >"$T/forged.json" <<'PY'
import sys, json, base64
p = open(sys.argv[1]).read().strip().split('.')[1]
d = json.loads(base64.urlsafe_b64decode(p + '=' * (-len(p) % 4)))
for k in ('iss', 'jti', 'sub', 'nbf', 'exp', 'iat'): d.pop(k, None)
d['credentialSubject']['encodedList'] = 'uH4sIAAAAAAAA_-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA'
print(json.dumps(d))
PY
"$CC_BIN" sign --key "$T/other.pem" "$T/forged.json" >"$T/forged.jwt" 2>/dev/null
run 1 "the issuer's list re-signed by another key (all active): refused" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/forged.jwt" "$T/creds.jwt"
count "$T/out" 'INVALID \(status-list-invalid\)' 1000 "status-list-invalid for each"
hasnt "$T/out" 'signature valid|not revoked' "a forged all-active list makes nothing active"
run 1 "the forged list, --accept-unbound-key and no --key: the list is still refused" "$CC_BIN" verify --accept-unbound-key --status-list-file "$T/forged.jwt" "$T/creds.jwt"
count "$T/out" 'INVALID \(status-list-invalid\)' 1000 "--accept-unbound-key does not apply to lists"
hasnt "$T/out" 'not revoked' "no key given: nothing active"
has "$T/err" 'does not apply to status lists' "says so"
run 1 "no key at all: key-not-bound, the status not evaluated" "$CC_BIN" verify --status-list-file "$T/rev.jwt" "$T/creds.jwt"
count "$T/out" 'INVALID \(key-not-bound\)' 1000 "key-not-bound is the verdict"

# ------------------------------------------------------------ suspension, and reinstate
head -6 "$T/ra.csv" | sed 's/^a/s/' >"$T/rs.csv"
issue "$T/state" "$T/rs.csv" "$T/susp.jsonl" --status-list "$SURL" --status-purpose suspension 2>/dev/null
# (the last --status-list wins: the suspension list's URL)
count "$T/susp.jsonl" '"statusPurpose":"suspension","statusListIndex":"[0-9]+","statusListCredential":"https://www.ecole-du-cycle.example/status/suspension/1"' 5 "5 credentials with a suspension entry"
"$CC_BIN" sign --key "$T/ed.pem" "$T/susp.jsonl" >"$T/susp.jwt" 2>/dev/null
run 0 "publish the suspension list" "$CC_BIN" status publish --state "$T/state" --purpose suspension --key "$T/ed.pem" -o "$T/susp-list.jwt"
sid=$(sed -n 2p "$T/susp.jsonl" | jq -r .id)
run 0 "suspend one" "$CC_BIN" status suspend --state "$T/state" --list "$T/susp-list.jwt" --key "$T/ed.pem" "$sid"
run 1 "verify: one suspended" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/susp-list.jwt" "$T/susp.jwt"
count "$T/out" 'INVALID \(status-suspended\)' 1 "exactly one suspended"
has "$T/out" 'susp.jwt:2: VC-JWT: INVALID \(status-suspended\)' "the one suspended"
count "$T/out" 'status: not suspended' 4 "4 not suspended"
run 0 "reinstate it" "$CC_BIN" status reinstate --state "$T/state" --list "$T/susp-list.jwt" --key "$T/ed.pem" "$sid"
run 0 "verify after reinstating: all active, exit 0" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/susp-list.jwt" "$T/susp.jwt"
count "$T/out" 'status: not suspended' 5 "flipped back"
run 1 "a suspension list given for a revocation entry" "$CC_BIN" status revoke --state "$T/state" --list "$T/susp-list.jwt" --key "$T/ed.pem" "$sid"

# ------------------------------------------------------------ CLR 2.0: the CLR and each nested credential
cat >"$T/rclr.csv" <<'CSV'
email,given_name,family_name,achievement,id,issued
lea.martin@example.org,Léa,Martin,RNCP99001BC01,,2026-06-30
karim.benali@example.org,Karim,Ben Ali,RNCP99001BC02,,2026-07-01
lea.martin@example.org,Léa,Martin,RNCP99001BC02,,2026-07-02
karim.benali@example.org,Karim,Ben Ali,RNCP99001,,2026-07-03
karim.benali@example.org,Karim,Ben Ali,RNCP99001BC01,,2026-07-03
CSV
run 0 "-t clr --recipients --status-list" "$CC_BIN" convert -q -t clr --issuer $S/issuer.json --recipients "$T/rclr.csv" --status-list "$URL" --status-state "$T/cstate" $S/rncp-sample.xml
cp "$T/out" "$T/clr.jsonl"
count "$T/clr.jsonl" 'ClrCredential' 2 "two learners, two CLRs"
jqtrue "$T/clr.jsonl" '.credentialStatus.type == "BitstringStatusListEntry" and .credentialStatus.statusListCredential == "'"$URL"'"
    and all(.credentialSubject.verifiableCredential[]; .credentialStatus.type == "BitstringStatusListEntry")' \
    "the CLR and each nested credential carry an entry"
jq -r '.credentialStatus.statusListIndex, .credentialSubject.verifiableCredential[].credentialStatus.statusListIndex' "$T/clr.jsonl" | sort | uniq -d >"$T/dups"
[ ! -s "$T/dups" ] && [ "$(wc -l <"$T/cstate")" -eq 9 ] && ok || ko "7 indexes (2 CLRs, 5 nested), none twice"
run 0 "the CLRs with status pass validate -f clr" "$CC_BIN" validate -f clr "$T/clr.jsonl"
run 0 "-t clr --status-list --sign (VC-JWT)" "$CC_BIN" convert -q -t clr --issuer $S/issuer.json --recipients "$T/rclr.csv" --status-list "$URL" --status-state "$T/cstate" --sign "$T/ed.pem" $S/rncp-sample.xml
cp "$T/out" "$T/clr.jwt"
[ "$(wc -l <"$T/cstate")" -eq 9 ] && ok || ko "signing the same CLRs reuses their indexes"
run 0 "publish the CLRs' list" "$CC_BIN" status publish --state "$T/cstate" --purpose revocation --key "$T/ed.pem" -o "$T/crev.jwt"
run 0 "verify the CLRs: all active" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/crev.jwt" "$T/clr.jwt"
count "$T/out" 'nested credential status(es)? active; status: not revoked' 2 "each CLR and its nested credentials active"
nested=$(jq -r 'select(.credentialSubject.verifiableCredential | length == 3) | .credentialSubject.verifiableCredential[1].id' "$T/clr.jsonl")
run 0 "revoke one nested credential" "$CC_BIN" status revoke --state "$T/cstate" --list "$T/crev.jwt" --key "$T/ed.pem" "$nested"
run 1 "verify: the CLR holding it is revoked, exit 1" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/crev.jwt" "$T/clr.jwt"
count "$T/out" 'INVALID \(status-revoked\)' 1 "one CLR revoked"
count "$T/out" 'signature valid .*status: not revoked' 1 "the other active"
has "$T/err" "verifiableCredential\[1\] \($nested\): credential status: REVOKED" "names the nested credential revoked"
run 0 "status show: the nested one revoked" "$CC_BIN" status show --state "$T/cstate" --list "$T/crev.jwt"
has "$T/out" "^$nested [0-9]* revocation=1$" "show lists it"
clrid=$(jq -r 'select(.credentialSubject.verifiableCredential | length == 2) | .id' "$T/clr.jsonl")
run 0 "revoke the other CLR itself" "$CC_BIN" status revoke --state "$T/cstate" --list "$T/crev.jwt" --key "$T/ed.pem" "$clrid"
run 1 "verify: both CLRs revoked" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/crev.jwt" "$T/clr.jwt"
count "$T/out" 'INVALID \(status-revoked\)' 2 "both revoked"
run 1 "the CLRs without their list: NOT CHECKED" "$CC_BIN" verify --key "$T/ed.pub" "$T/clr.jwt"
count "$T/out" 'NOT CHECKED \(status-unavailable\)' 2 "never active"

# ------------------------------------------------------------ OB 2.0: the issuer's RevocationList
RL=https://www.ecole-du-cycle.example/revocations.json
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa.pub.pem" 2>/dev/null
KEYID=https://www.ecole-du-cycle.example/key.json
pem=$(awk '{ printf "%s\\n", $0 }' "$T/rsa.pub.pem")
printf '{"@context":"https://w3id.org/openbadges/v2","type":"CryptographicKey","id":"%s","owner":"%s","publicKeyPem":"%s"}\n' "$KEYID" "$ISS" "$pem" >"$T/rsakey.json"
head -21 "$T/r1000.csv" >"$T/r20.csv"
run 0 "-t ob2 --sign --status-list: 20 signed assertions" "$CC_BIN" convert -q -t ob2 --issuer $S/issuer.json --recipients "$T/r20.csv" --badge-image https://www.ecole-du-cycle.example/badge.png --sign "$T/rsa.pem" --kid "$KEYID" --status-list "$RL" --status-state "$T/ob2state" $S/rncp-sample.xml
cp "$T/out" "$T/ob2.jws"
count "$T/ob2.jws" '^ey' 20 "20 JWS"
cut -d. -f2 "$T/ob2.jws" | python3 -c 'import sys, base64, json
for l in sys.stdin:
    l = l.strip(); d = json.loads(base64.urlsafe_b64decode(l + "=" * (-len(l) % 4)))
    print(d["id"], d["badge"]["issuer"].get("revocationList"))' >"$T/ob2.ids"
count "$T/ob2.ids" " $RL\$" 20 "each issuer Profile names the revocation list"
run 2 "status revoke --ob2 with a key: refused (the list is not signed)" "$CC_BIN" status revoke --ob2 --key "$T/ed.pem" --state "$T/ob2state" --list "$T/rl.json" x
run 2 "status suspend --ob2: OB 2.0 has revocation only" "$CC_BIN" status suspend --ob2 --state "$T/ob2state" --list "$T/rl.json" x
run 0 "status publish --ob2" "$CC_BIN" status publish --ob2 --state "$T/ob2state" -o "$T/rl.json"
jqtrue "$T/rl.json" '.type == "RevocationList" and .id == "'"$RL"'" and .issuer == "'"$ISS"'" and .revokedAssertions == []' "an empty RevocationList of the issuer"
run 0 "verify: none revoked" "$CC_BIN" verify --key "$T/rsakey.json" --revocation-list "$T/rl.json" "$T/ob2.jws"
count "$T/out" 'signature valid .*not revoked' 20 "20 not revoked"
sed -n '3p;11p;17p' "$T/ob2.ids" | cut -d' ' -f1 >"$T/ob2.revoked"
run 0 "status revoke --ob2: 3" "$CC_BIN" status revoke --ob2 --state "$T/ob2state" --list "$T/rl.json" $(cat "$T/ob2.revoked")
count "$T/out" ': revoked$' 3 "says each is revoked"
run 0 "revoking one again adds nothing" "$CC_BIN" status revoke --ob2 --state "$T/ob2state" --list "$T/rl.json" "$(head -1 "$T/ob2.revoked")"
jqtrue "$T/rl.json" '.revokedAssertions | length == 3' "3 entries in revokedAssertions"
run 1 "verify after revoking 3 (--revocation-list)" "$CC_BIN" verify --key "$T/rsakey.json" --revocation-list "$T/rl.json" "$T/ob2.jws"
grep -n 'INVALID (ob2-revoked)' "$T/out" | sed 's/^\([0-9]*\):.*/\1/' | tr '\n' ' ' >"$T/lines"
[ "$(cat "$T/lines")" = "3 11 17 " ] && ok || ko "the revoked are lines 3, 11, 17 (got $(cat "$T/lines"))"
count "$T/out" 'signature valid .*not revoked' 17 "17 not revoked"
mkdir -p "$T/ob2site" && cp "$T/rl.json" "$T/ob2site/revocations.json"
run 1 "verify: the list the Profile names, through --map-url" "$CC_BIN" verify --key "$T/rsakey.json" --map-url "$ISS=$T/ob2site/" "$T/ob2.jws"
count "$T/out" 'INVALID \(ob2-revoked\)' 3 "--map-url: exactly 3 revoked"
run 0 "verify without the list: revocation said not evaluated" "$CC_BIN" verify --key "$T/rsakey.json" --map-url "$ISS=$T/nothing/" "$T/ob2.jws"
count "$T/out" 'not evaluated: .*revocation' 20 "never said not revoked"
hasnt "$T/out" 'not revoked' "no list: not revoked is never said"
run 1 "status revoke --ob2 of an id the state does not know" "$CC_BIN" status revoke --ob2 --state "$T/ob2state" --list "$T/rl.json" urn:uuid:00000000-0000-0000-0000-000000000000
has "$T/err" '\[status-unknown-id\]' "status-unknown-id"
jq '.id = "https://other.example/rl.json"' "$T/rl.json" >"$T/rl-other.json"
run 1 "status revoke --ob2 on another list: refused" "$CC_BIN" status revoke --ob2 --state "$T/ob2state" --list "$T/rl-other.json" "$(head -1 "$T/ob2.revoked")"
has "$T/err" 'not the state.s revocation list' "says why"
run 0 "publish --ob2 again keeps the list" "$CC_BIN" status publish --ob2 --state "$T/ob2state" -o "$T/rl.json"
jqtrue "$T/rl.json" '.revokedAssertions | length == 3' "still 3 revoked"
run 1 "publish --ob2 elsewhere: refused" "$CC_BIN" status publish --ob2 --state "$T/ob2state" -o "$T/rl-elsewhere.json"
has "$T/err" '\[status-published\]' "would lose the revocations"
# Crash tests: a kill at a random point of the run.  kill_delay TRY MAX_MS: seconds to wait,
# uniform in [0, MAX_MS].  killed STATUS T0: counts a try killed (wait's status 128 + 9:
# kill itself succeeds on a child that ended but was not reaped); a run that ended first
# sets dmax to 80 % of its length, so the next kills land inside the run.
kill_delay() { awk -v s="$1$$" -v m="$2" 'BEGIN { srand(s); printf "%.3f", rand() * m / 1000 }'; }
killed() {
    if [ "$1" -eq 137 ]; then kills=$((kills + 1))
    else dmax=$(( ($(date +%s%N) - $2) / 1250000 )); [ "$dmax" -ge 1 ] || dmax=1; fi
}
# crash safety of the RevocationList: a revoke killed at a random point leaves the old list
# or the new one, whole, and the state untouched
cp "$T/ob2state" "$T/ob2state.before"
cut -d' ' -f1 "$T/ob2.ids" | sed -n '4,10p;12,14p' >"$T/ob2.crash"
jq -r '.revokedAssertions[].id' "$T/rl.json" | sort >"$T/oprev"
i=0 kills=0 dmax=200
for id in $(cat "$T/ob2.crash"); do
    i=$((i + 1))
    delay=$(kill_delay "$i" "$dmax")
    t0=$(date +%s%N)
    "$CC_BIN" status revoke --ob2 --state "$T/ob2state" --list "$T/rl.json" "$id" >/dev/null 2>&1 & pid=$!
    sleep "$delay"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    killed $? "$t0"
    jq -r '.revokedAssertions[].id' "$T/rl.json" 2>/dev/null | sort >"$T/onow" && [ -s "$T/onow" ] && ok || ko "OB 2.0 crash $i: the list is not whole JSON"
    same "$T/ob2state" "$T/ob2state.before" "OB 2.0 crash $i: the state is untouched"
    if cmp -s "$T/onow" "$T/oprev"; then ok
    else { cat "$T/oprev"; echo "$id"; } | sort >"$T/onext"; cmp -s "$T/onow" "$T/onext" && ok || ko "OB 2.0 crash $i: neither the old nor the new list"; fi
    cp "$T/onow" "$T/oprev"
done
echo "  OB 2.0 crash test: $kills of 10 revokes killed before they ended, $(($(wc -l <"$T/oprev") - 3)) took effect"
# a crash test whose kills all came after the end would test nothing
[ "$kills" -ge 3 ] && ok || ko "OB 2.0 crash test: only $kills of 10 revokes killed before they ended"

# ------------------------------------------------------------ hostile lists (bounds)
# a list credential of the issuer with a chosen encodedList, signed with the issuer's key
hostile() {  # NAME ENCODED-LIST-PRODUCER(python expr)
    python3 - "$T/rev.jwt" "$2" >"$T/h.json" <<'PY'
import sys, json, base64, gzip
p = open(sys.argv[1]).read().strip().split('.')[1]
d = json.loads(base64.urlsafe_b64decode(p + '=' * (-len(p) % 4)))
for k in ('iss', 'jti', 'sub', 'nbf', 'exp', 'iat'): d.pop(k, None)
b64 = lambda b: 'u' + base64.urlsafe_b64encode(b).decode().rstrip('=')
d['credentialSubject']['encodedList'] = eval(sys.argv[2])
print(json.dumps(d))
PY
    "$CC_BIN" sign --key "$T/ed.pem" "$T/h.json" >"$T/h.jwt" 2>/dev/null
    head -1 "$T/creds.jwt" >"$T/one.jwt"
    /usr/bin/time -f '%e %M' -o "$T/time" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/h.jwt" "$T/one.jwt" >"$T/out" 2>"$T/err"
    got=$?
    [ $got -eq 1 ] && ok || ko "$1: exit $got, expected 1"
    hasnt "$T/out" 'signature valid|not revoked' "$1: never active"
    read -r secs kb <<TIME
$(tail -1 "$T/time")
TIME
    [ "$kb" -lt 200000 ] && ok || ko "$1: $kb KB of memory (bound: 200 MB)"
    echo "  $1: ${secs}s, ${kb} KB" >>"$T/bounds"
}
hostile "gzip bomb (1 GiB of zeros)" "b64(gzip.compress(bytes(1 << 30), 9))"
has "$T/err" 'decompresses to more than the largest list accepted' "the bomb stops at the bound"
hostile "encodedList of 5 MiB" "'u' + 'A' * (5 << 20)"
has "$T/err" 'longer than the longest accepted' "refused before decoding"
hostile "not base64url" "'u' + '!!!!'"
has "$T/err" 'not base64url' "named"
hostile "no multibase prefix" "base64.urlsafe_b64encode(gzip.compress(bytes(16384))).decode().rstrip('=')"
has "$T/err" "multibase base64url" "named"
hostile "not gzip" "b64(bytes(16384))"
has "$T/err" 'not GZIP' "named"
hostile "cut short" "b64(gzip.compress(bytes(16384))[:-12])"
has "$T/err" 'cut short|not GZIP' "named"
hostile "trailing bytes" "b64(gzip.compress(bytes(16384)) + b'xx')"
has "$T/err" 'bytes after' "named"
hostile "a list too short for the index" "b64(gzip.compress(bytes(8)))"
has "$T/err" 'past the end of the list' "index past the end"
cat "$T/bounds"

# ------------------------------------------------------------ crash safety
# A revoke (or suspend, reinstate) killed at a random point leaves the old list or the new
# one, whole and signed, and the state untouched: never a list that disagrees with the
# state (every bit set is an index the state gave a credential; the statuses are the ones
# before or the ones after).
ids=$(jq -r .id "$T/creds.jsonl" | sed -n '100,109p')
prev=$(mktemp "$T/prev.XXXXXX")
"$CC_BIN" status show --state "$T/state" --list "$T/rev.jwt" >"$prev"
cp "$T/state" "$T/state.crash"
kills=0 i=0 dmax=120
for id in $ids; do
    i=$((i + 1))
    delay=$(kill_delay "$i" "$dmax")
    t0=$(date +%s%N)
    "$CC_BIN" status revoke --state "$T/state" --list "$T/rev.jwt" --key "$T/ed.pem" "$id" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    killed $? "$t0"
    "$CC_BIN" verify --key "$T/ed.pub" "$T/rev.jwt" >"$T/lv" 2>&1 && ok || { ko "crash $i (after ${delay}s): the list is not a whole signed list"; head -3 "$T/lv"; }
    "$CC_BIN" status show --state "$T/state" --list "$T/rev.jwt" >"$T/now" 2>"$T/show.err" && ok || { ko "crash $i: state and list cannot be read together"; head -3 "$T/show.err"; }
    same "$T/state" "$T/state.crash" "crash $i: the state is untouched by revoke"
    # the statuses now: those before, or those before plus this one
    if cmp -s "$T/now" "$prev"; then ok
    else
        grep -v "^$id " "$T/now" >"$T/a"; grep -v "^$id " "$prev" >"$T/b"
        if cmp -s "$T/a" "$T/b" && grep -q "^$id [0-9]* revocation=1$" "$T/now"; then ok
        else ko "crash $i: the list's statuses are neither the old nor the new ones"; fi
    fi
    cp "$T/now" "$prev"
done
echo "  crash test: $kills of 10 revokes killed before they ended"
[ "$kills" -ge 3 ] && ok || ko "crash test: only $kills of 10 revokes killed before they ended"
ls "$T" | grep -c '\.tmp$' >"$T/tmps"; [ "$(cat "$T/tmps")" -le 1 ] && ok || ko "leftover temporaries: $(cat "$T/tmps")"
# a kill while issuing: the journal stays readable, no index twice, a rerun completes it
cp "$T/state" "$T/istate"
{ echo "email,given_name,family_name,achievement"; i=1; while [ $i -le 2000 ]; do echo "k$i@example.org,K$i,Kill,RNCP99001"; i=$((i + 1)); done; } >"$T/rk.csv"
for n in 1 2 3; do
    issue "$T/istate" "$T/rk.csv" "$T/k.jsonl" & pid=$!
    sleep 0.0$((n * 3)); kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    run 0 "issuing killed ($n): the state still reads" "$CC_BIN" status show --state "$T/istate"
done
issue "$T/istate" "$T/rk.csv" "$T/k.jsonl" && ok || ko "the rerun after kills completes"
"$CC_BIN" status show --state "$T/istate" | awk '{ print $2 }' | sort | uniq -d >"$T/dups"
[ ! -s "$T/dups" ] && ok || ko "no index twice after killed issuing"
jq -r '.credentialStatus.statusListIndex' "$T/k.jsonl" | sort -u | wc -l >"$T/n"; [ "$(cat "$T/n")" -eq 2000 ] && ok || ko "2000 distinct indexes after the rerun"

# ------------------------------------------------------------ a credential entry crafted
craft() {  # NAME JQ-EXPR: the first credential with its credentialStatus changed, signed
    head -1 "$T/creds.jsonl" | jq -c "$2" >"$T/c.json"
    "$CC_BIN" sign --key "$T/ed.pem" "$T/c.json" >"$T/c.jwt" 2>/dev/null
}
craft "statusSize 2" '.credentialStatus.statusSize = 2'
run 1 "statusSize other than 1: NOT CHECKED" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/c.jwt"
has "$T/out" 'NOT CHECKED \(status-unsupported\)' "status-unsupported"
craft "index not a number" '.credentialStatus.statusListIndex = "12a"'
run 1 "statusListIndex not a number" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/c.jwt"
has "$T/out" 'INVALID \(status-entry\)' "status-entry"
craft "unknown type" '.credentialStatus.type = "StatusList2021Entry"'
run 1 "an unknown status type: NOT CHECKED" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/c.jwt"
has "$T/out" 'NOT CHECKED \(status-unsupported\)' "never active"
craft "purpose mismatch" '.credentialStatus.statusPurpose = "suspension"'
run 1 "an entry whose purpose is not the list's" "$CC_BIN" verify --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/c.jwt"
has "$T/out" 'INVALID \(status-list-invalid\)' "purpose checked"

# ------------------------------------------------------------ the validator's samples
if ! [ -d "$OB/validator-dcpv/ob30/bit-string-list" ]; then
    skipped "the validator's status samples"
    finish e2e_status
    exit $?
fi
ctx_map
DCPV=$OB/validator-dcpv/ob30
KEY=$OB/test-vectors/eddsa-rdfc-2022/key.json
jq '{publicKeyMultibase}' "$KEY" >"$T/dcpv.pub"
LIST=https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist
for f in credential-status-revoked.json credential-status-revoked-blank-nodes.json; do
    run 1 "validator $f: revoked" "$CC_BIN" verify $M --key "$T/dcpv.pub" --map-url "$LIST=$DCPV/bit-string-list/testlist" "$DCPV/bit-string-list/$f"
    has "$T/out" 'Data Integrity proof: INVALID \(status-revoked\)' "$f: revoked (as EXPECTED.md: BitstringStatusListProbe fatal)"
    hasnt "$T/out" 'signature valid' "$f: no valid verdict"
    has "$T/err" 'names itself https://example.com/credentials/status/3.*\[status-list-id\]' "$f: the list's own id is another URL: warned"
    run 1 "validator $f without its list: NOT CHECKED" "$CC_BIN" verify $M --key "$T/dcpv.pub" "$DCPV/bit-string-list/$f"
    has "$T/out" 'NOT CHECKED \(status-unavailable\)' "$f: NOT CHECKED, never active"
done
run 0 "the validator's list credential itself: signature valid" "$CC_BIN" verify $M --key "$T/dcpv.pub" "$DCPV/bit-string-list/testlist"
run 1 "validator credential-status-revoked.json (1EdTech revocation list, not in the corpus): NOT CHECKED" "$CC_BIN" verify $M --accept-unbound-key "$DCPV/credential-status-revoked.json"
has "$T/out" 'NOT CHECKED \(status-unavailable\)' "the 1EdTech list cannot be had: NOT CHECKED"
hasnt "$T/out" 'signature valid' "never valid"
# the same with a 1EdTech revocation list given: revoked when it names the credential
RL=https://dc.1edtech.org/wellspring2022/wellspring-portal/api/revocations/da1e96e9-afcc-4eed-b9a2-2ddf7353214c
cid=$(jq -r .id "$DCPV/credential-status-revoked.json")
printf '{"id":"%s","revokedCredential":[{"id":"%s","revoked":true}]}\n' "$RL" "$cid" >"$T/1ed.json"
run 1 "with a 1EdTech revocation list naming it: revoked" "$CC_BIN" verify $M --accept-unbound-key --map-url "$RL=$T/1ed.json" "$DCPV/credential-status-revoked.json"
has "$T/out" 'INVALID \(status-revoked\)' "1EdTech list: revoked"
printf '{"id":"%s","revokedCredential":[]}\n' "$RL" >"$T/1ed.json"
run 0 "with an empty 1EdTech revocation list: not revoked" "$CC_BIN" verify $M --accept-unbound-key --map-url "$RL=$T/1ed.json" "$DCPV/credential-status-revoked.json"
has "$T/out" 'status: not revoked \(1EdTech revocation list' "1EdTech list: not revoked"

# complete.json names a 1EdTech revocation list the corpus lacks: NOT CHECKED without it
# (tests/e2e/e2e_di.sh), its signature valid and not revoked with an empty list given
CL=https://1edtech.edu/credentials/3732/revocations
printf '{"id":"%s","revokedCredential":[]}\n' "$CL" >"$T/complete-rl.json"
run 0 "complete.json with its (empty) 1EdTech revocation list" "$CC_BIN" verify $M --accept-unbound-key --map-url "$CL=$T/complete-rl.json" "$DCPV/complete.json"
has "$T/out" 'Data Integrity proof: signature valid \(eddsa-rdfc-2022.*status: not revoked \(1EdTech revocation list' "complete.json: signature valid, not revoked"
printf '{"id":"%s","revokedCredential":[{"id":"%s"}]}\n' "$CL" "$(jq -r .id "$DCPV/complete.json")" >"$T/complete-rl.json"
run 1 "complete.json listed (revoked absent means true)" "$CC_BIN" verify $M --accept-unbound-key --map-url "$CL=$T/complete-rl.json" "$DCPV/complete.json"
has "$T/out" 'INVALID \(status-revoked\)' "complete.json: revoked"

# a CLR signed with Data Integrity: each nested credential has its own proof, and its status
run 0 "-t clr --status-list --suite (Data Integrity)" "$CC_BIN" convert -q -t clr --issuer $S/issuer.json --recipients "$T/rclr.csv" --status-list "$URL" --status-state "$T/cstate" --sign "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "${ISS}#key-1" $M -o "$T/clr-di.jsonl" $S/rncp-sample.xml
run 1 "verify the DI CLRs: both revoked (one nested, one whole)" "$CC_BIN" verify $M --key "$T/ed.pub" --status-list-file "$T/crev.jwt" "$T/clr-di.jsonl"
count "$T/out" 'Data Integrity proof: INVALID \(status-revoked\)' 2 "DI: both revoked"
has "$T/err" "verifiableCredential\[1\] \($nested\): credential status: REVOKED" "DI: names the nested credential"
run 0 "reinstating needs a suspension list; a fresh list instead: all active" "$CC_BIN" status publish --state "$T/cstate2" --issuer-id "$ISS" --url "$URL" --purpose revocation --key "$T/ed.pem" -o "$T/cfresh.jwt"
run 0 "verify the DI CLRs on an empty list: active" "$CC_BIN" verify $M --key "$T/ed.pub" --status-list-file "$T/cfresh.jwt" "$T/clr-di.jsonl"
count "$T/out" 'nested credential proofs valid; .*nested credential status(es)? active; status: not revoked' 2 "DI: nested proofs and statuses checked"

# the list signed with Data Integrity, read by verify
run 0 "publish a Data Integrity list" "$CC_BIN" status publish $M --state "$T/state" --purpose revocation --key "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "${ISS}#key-1" -o "$T/rev.jwt"
has "$T/err" 're-signed with its statuses' "re-signed as Data Integrity"
jq -e '.proof[0].cryptosuite == "eddsa-rdfc-2022"' "$T/rev.jwt" >/dev/null && ok || ko "the list has a DI proof"
run 1 "verify with the Data Integrity list" "$CC_BIN" verify $M --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/creds.jwt"
"$CC_BIN" status show --state "$T/state" --list "$T/rev.jwt" | grep -c 'revocation=1$' >"$T/nrev"
count "$T/out" 'INVALID \(status-revoked\)' "$(cat "$T/nrev")" "as many revoked as the state and list say (the 3, and the crash test's that ended)"
[ "$(cat "$T/nrev")" -ge 3 ] && ok || ko "at least the 3 revoked"
nid=$(sed -n 600p "$T/creds.jsonl" | jq -r .id)
run 2 "a Data Integrity list updated without --suite: refused" "$CC_BIN" status revoke --state "$T/state" --list "$T/rev.jwt" --key "$T/ed.pem" "$nid"
has "$T/err" 'signed with a Data Integrity proof: give --suite' "says to give --suite again"
jq -e '.proof' "$T/rev.jwt" >/dev/null && ok || ko "the list is left as it was"
run 0 "the same with --suite" "$CC_BIN" status revoke $M --suite eddsa-rdfc-2022 --kid "${ISS}#key-1" --state "$T/state" --list "$T/rev.jwt" --key "$T/ed.pem" "$nid"
run 1 "verify: one more revoked" "$CC_BIN" verify $M --key "$T/ed.pub" --status-list-file "$T/rev.jwt" "$T/creds.jwt"
count "$T/out" 'INVALID \(status-revoked\)' "$(($(cat "$T/nrev") + 1))" "one more revoked on the Data Integrity list"
has "$T/out" 'creds.jwt:600: VC-JWT: INVALID \(status-revoked\)' "line 600 revoked"

finish e2e_status
