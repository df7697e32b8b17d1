#!/bin/sh
# CLR 2.0 (-t clr, validate -f clr): a fiche with its blocks as one ClrCredential, one CLR per
# learner with --recipients, the 1EdTech validator's CLR samples, conversions out of CLR,
# signatures (nested credentials verified each) and baking.  Checked against the OFFICIAL CLR
# 2.0 schema of the corpus and the JSON-LD safe-mode term check with the corpus contexts.
. tests/e2e/sh_lib.sh
RNCP=$CORPUS/rncp
OFFICIAL=$OB/schemas/clr2/clr_v2p0_clrcredential_schema.json
DCPV=$OB/validator-dcpv/clr20
S=samples/rncp-sample.xml
ISS="--issuer samples/issuer.json"

if ! [ -f "$OFFICIAL" ] || ! ctx_map; then
    skipped "CLR 2.0: official schema and contexts"
    finish e2e_clr
    exit
fi

# ---------------------------------------------------------------- 1. a fiche and its blocks
nf=0
for x in "$RNCP"/*.xml; do
    n=$("$CC_BIN" inspect "$x" 2>/dev/null | grep -c ' blocks')
    [ "$n" -gt 0 ] || continue
    nf=$((nf + n))
    b=$(basename "$x" .xml)
    run 0 "$b: -t clr" "$CC_BIN" convert -t clr $ISS -o "$T/$b.clr.jsonl" "$x"
    # the fiches without blocks are CLRs too; those with blocks are the ones counted here
    count "$T/$b.clr.jsonl" '"association":\[\{' "$n" "$b: one CLR with associations per fiche with blocks"
    run 0 "$b: the OFFICIAL CLR 2.0 schema" "$CC_BIN" validate -f clr --schema "$OFFICIAL" "$T/$b.clr.jsonl"
    has "$T/err" "0 invalid, 0 rejected" "$b: official schema, none invalid"
    run 0 "$b: bundled schema, checks and JSON-LD terms" "$CC_BIN" validate -f clr $M "$T/$b.clr.jsonl"
    hasnt "$T/err" "jsonld" "$b: every term defined by the contexts (safe-mode expansion)"
    # the structure: certification first, every block isPartOf it, and a nested credential
    # that awards nothing (the issuer's endorsement of the certification)
    jqtrue "$T/$b.clr.jsonl" '.credentialSubject as $s | ($s.achievement | length) == 1 + ($s.association | length)
        and all($s.association[]; .associationType == "isPartOf" and .targetId == $s.achievement[0].id)
        and ([$s.achievement[1:][].id] == [$s.association[].sourceId])
        and $s.verifiableCredential[0].type == ["VerifiableCredential","EndorsementCredential"]
        and $s.verifiableCredential[0].credentialSubject.id == $s.achievement[0].id
        and $s.achievement[0].achievementType == "Certificate"
        and all($s.achievement[1:][]; .achievementType == "Competency")
        and .type == ["VerifiableCredential","ClrCredential"] and (has("partial") | not)' "$b: achievements and associations"
done
[ "$nf" -ge 14 ] && ok || ko "corpus fiches with blocks: $nf, expected 14 at least"

# the same, twice: the same ids (name-based on the fiche)
"$CC_BIN" convert -t clr $ISS "$S" >"$T/s1.jsonl" 2>/dev/null
"$CC_BIN" convert -t clr $ISS "$S" >"$T/s2.jsonl" 2>/dev/null
[ "$(jq -r .id "$T/s1.jsonl")" = "$(jq -r .id "$T/s2.jsonl")" ] && ok || ko "a rerun gives the CLR the same id"

# no issuer and no awarding body with an id: refused, named
"$CC_BIN" convert -t model "$S" | jq -c 'del(.achievement.organizations)' >"$T/noorg.jsonl"
run 1 "a fiche with no issuer" "$CC_BIN" convert -t clr "$T/noorg.jsonl"
has "$T/err" "\[clr-missing\]" "no issuer: clr-missing"
[ -s "$T/out" ] && ko "no issuer: something was written" || ok

# ---------------------------------------------------------------- 2. one CLR per learner
cat >"$T/rec.csv" <<'CSV'
email,given_name,family_name,achievement,id,issued
lea.martin@example.org,Léa,Martin,RNCP99001BC01,,2026-06-30
karim.benali@example.org,Karim,Ben Ali,RNCP99001BC02,,2026-07-01
Lea.Martin@example.org,Léa,Martin,RNCP99001BC02,,2026-07-02
karim.benali@example.org,Karim,Ben Ali,RNCP99001,,2026-07-03
karim.benali@example.org,Karim,Ben Ali,RNCP99001BC01,,2026-07-03
CSV
run 0 "-t clr --recipients" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" -o "$T/learners.jsonl" \
    --report "$T/learners.report" "$S"
jqtrue "$T/learners.report" '.records.read == 5 and .records.written == 5' "five credentials, all written"
count "$T/learners.jsonl" 'ClrCredential' 2 "two learners (rows grouped, e-mail in any case), two CLRs"
run 0 "learners: the OFFICIAL CLR 2.0 schema" "$CC_BIN" validate -f clr --schema "$OFFICIAL" "$T/learners.jsonl"
run 0 "learners: checks, nested OB 3.0, JSON-LD terms" "$CC_BIN" validate $M "$T/learners.jsonl"
has "$T/err" "5 records read, 5 valid" "learners: each nested credential valid as OB 3.0"
hasnt "$T/err" "jsonld" "learners: every term defined"
jq -c 'select(.credentialSubject.id == "mailto:lea.martin@example.org")' "$T/learners.jsonl" >"$T/lea.json"
jq -c 'select(.credentialSubject.id == "mailto:karim.benali@example.org")' "$T/learners.jsonl" >"$T/karim.json"
jqtrue "$T/lea.json" '.partial == true and (.credentialSubject.verifiableCredential | length) == 2
    and ([.credentialSubject.achievement[].humanCode] == ["RNCP99001BC01","RNCP99001BC02"])
    and (.credentialSubject | has("association") | not)' "Léa: two blocks, certification not awarded: partial"
jqtrue "$T/karim.json" '.partial == false and (.credentialSubject.verifiableCredential | length) == 3
    and ([.credentialSubject.association[] | select(.associationType == "isPartOf")] | length) == 2
    and all(.credentialSubject.verifiableCredential[]; .type == ["VerifiableCredential","OpenBadgeCredential"])' \
    "Karim: the certification and its blocks: not partial, blocks isPartOf it"
# each nested credential is what -t ob3 writes for that row
"$CC_BIN" convert -t ob3 $ISS --recipients "$T/rec.csv" "$S" 2>/dev/null | jq -cS . | sort >"$T/ob3.sorted"
jq -c '.credentialSubject.verifiableCredential[]' "$T/learners.jsonl" | jq -cS . | sort >"$T/nested.sorted"
same "$T/ob3.sorted" "$T/nested.sorted" "the nested credentials are the OB 3.0 credentials of the rows"

# one file per learner with -O, and each baked beside into a PNG badge
run 0 "-t clr --recipients -O --bake" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" \
    -O "$T/learners.d" --bake samples/badge.png "$S"
n=$(ls "$T/learners.d"/*.json | wc -l)
[ "$n" -eq 2 ] && ok || ko "-O: $n CLR files, expected 2 (one per learner)"
cat "$T/learners.d"/*.json | jq -cS . | sort >"$T/o.sorted"
jq -cS . "$T/learners.jsonl" | sort >"$T/l.sorted"
same "$T/o.sorted" "$T/l.sorted" "-O: the same CLRs as -o"
for f in "$T/learners.d"/*.json; do
    [ "$(basename "$f")" = "$(jq -r '.id | gsub("[^A-Za-z0-9._-]"; "_")' "$f").json" ] && ok || ko "-O: $f not named after its id"
done
run 0 "the baked learners' PNGs" "$CC_BIN" validate "$T/learners.d"/*.png
has "$T/err" "5 records read, 5 valid" "baked CLRs: read through the clr format, nested valid"

# --shard would give each run a share of a learner's credentials: refused
run 2 "-t clr --recipients --shard" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" --shard 1/2 "$S"
has "$T/err" "--shard with --recipients: -t clr writes one record per learner" "--shard: refused, saying why"

# ---------------------------------------------------------------- 3. reading CLR
run 0 "DCPV clr20/simple.json: valid" "$CC_BIN" validate $M "$DCPV/simple.json"
hasnt "$T/err" "(error|warning):" "simple.json: no error, no warning"
run 0 "DCPV clr20/simple_v1.json (VC 1.1): valid with warnings" "$CC_BIN" validate $M "$DCPV/simple_v1.json"
has "$T/err" "warning: .*VC Data Model 1.1" "simple_v1.json: the VC 1.1 warning"
hasnt "$T/err" "error:" "simple_v1.json: no error"
run 0 "the CLR vector: valid" "$CC_BIN" validate $M "$OB/test-vectors/eddsa-rdfc-2022/clrv2p0/signed-credential.json"
# broken records: each fails, naming what
jq -c 'del(.name)' "$DCPV/simple.json" >"$T/noname.json"
run 1 "a CLR without a name" "$CC_BIN" validate -f clr "$T/noname.json"
has "$T/err" "\[clr-schema\]" "no name: a schema error"
jq -c '.credentialSubject.verifiableCredential[0].credentialSubject.achievement |= del(.criteria)' \
    "$DCPV/simple.json" >"$T/nested-bad.json"
run 1 "a CLR whose nested credential is not valid OB 3.0" "$CC_BIN" validate -f clr "$T/nested-bad.json"
has "$T/err" "at /credentialSubject/verifiableCredential/0/credentialSubject/achievement.*\[ob3-schema\]" \
    "nested: the OB 3.0 error at its pointer in the CLR"
jq -c '.credentialSubject.association[0].targetId = "urn:uuid:00000000-0000-0000-0000-000000000000"' \
    "$DCPV/simple.json" >"$T/assoc.json"
run 0 "an association to an achievement the record does not hold" "$CC_BIN" validate -f clr "$T/assoc.json"
has "$T/err" "warning: .*\[clr-association-unknown\]" "unknown association target: warned"
jq -c '.credentialSubject.foo = 1' "$DCPV/simple.json" >"$T/undef.json"
run 1 "an undefined term" "$CC_BIN" validate -f clr $M "$T/undef.json"
has "$T/err" "'foo' \[clr-jsonld-undefined\]" "undefined term named"
# out of CLR: OB 3.0, the model, CLR again
run 0 "clr -> ob3" "$CC_BIN" convert -t ob3 -o "$T/back.ob3.jsonl" "$T/learners.jsonl"
run 0 "clr -> ob3: valid OB 3.0" "$CC_BIN" validate -f ob3 "$T/back.ob3.jsonl"
has "$T/err" "5 records read, 5 valid" "clr -> ob3: five credentials"
run 0 "fiche clr -> model" "$CC_BIN" convert -t model -o "$T/fiche.model" "$T/s1.jsonl"
jq -c 'select(.achievement.code == "RNCP99001")' "$T/fiche.model" >"$T/fiche1.model"
jqtrue "$T/fiche1.model" '.achievement.code == "RNCP99001" and ([.achievement.parts[].code] == ["RNCP99001BC01","RNCP99001BC02"])' \
    "fiche CLR -> model: the certification with its blocks inside"
"$CC_BIN" convert -t clr "$T/learners.jsonl" >"$T/gen2.jsonl" 2>/dev/null
"$CC_BIN" convert -t clr "$T/gen2.jsonl" >"$T/gen3.jsonl" 2>/dev/null
same "$T/gen2.jsonl" "$T/gen3.jsonl" "clr -> clr: a fixed point from the second generation"
jq -S '[.partial, .credentialSubject.id, [.credentialSubject.verifiableCredential[].id]]' "$T/learners.jsonl" >"$T/k1"
jq -S '[.partial, .credentialSubject.id, [.credentialSubject.verifiableCredential[].id]]' "$T/gen2.jsonl" >"$T/k2"
same "$T/k1" "$T/k2" "clr -> clr: same learners, partial and credentials"

# ---------------------------------------------------------------- 4. signatures
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
openssl pkey -in "$T/ed.pem" -pubout -out "$T/ed.pub" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl pkey -in "$T/ec.pem" -pubout -out "$T/ec.pub" 2>/dev/null
KID="--kid https://www.ecole-du-cycle.example/#key-1"
DI="--sign $T/ed.pem --suite eddsa-rdfc-2022 $KID $M"
# the corpus vector: its nested credential's own proof is checked too
run 1 "CLR vector, key not the issuer's" "$CC_BIN" verify $M "$OB/test-vectors/eddsa-rdfc-2022/clrv2p0/signed-credential.json"
has "$T/out" "INVALID \(key-not-bound\)" "CLR vector: key-not-bound without the issuer's key"
run 0 "CLR vector, integrity" "$CC_BIN" verify $M --accept-unbound-key "$OB/test-vectors/eddsa-rdfc-2022/clrv2p0/signed-credential.json"
has "$T/out" "signature valid .*1 nested credential proof valid" "CLR vector: the nested proof verified"
run 0 "DCPV clr20/simple_v1.json: six nested proofs" "$CC_BIN" verify $M --accept-unbound-key "$DCPV/simple_v1.json"
has "$T/out" "6 nested credential proofs valid" "simple_v1.json: each nested credential verified"
run 0 "DCPV clr20/simple.jwt (VC-JWT, vc claim)" "$CC_BIN" verify --accept-unbound-key "$DCPV/simple.jwt"
has "$T/out" "1 nested credential with no proof of its own" "simple.jwt: the unsigned nested credential said"
# convert --sign: learners, Data Integrity; every nested credential signed as well
run 0 "-t clr --recipients --sign --suite" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" $DI \
    -o "$T/signed.jsonl" "$S"
count "$T/signed.jsonl" 'ClrCredential' 2 "signed: one CLR per learner still"
jqtrue "$T/signed.jsonl" '.proof[0].cryptosuite == "eddsa-rdfc-2022"
    and all(.credentialSubject.verifiableCredential[]; .proof[0].cryptosuite == "eddsa-rdfc-2022")' \
    "signed: the CLR and each nested credential carry a proof"
run 0 "signed learners verify with the issuer's key" "$CC_BIN" verify $M --key "$T/ed.pub" "$T/signed.jsonl"
count "$T/out" "signature valid .*[23] nested credential proofs valid; key bound" 2 "signed: each CLR and its nested proofs valid, bound"
run 0 "signed learners: official schema" "$CC_BIN" validate -f clr --schema "$OFFICIAL" "$T/signed.jsonl"
run 1 "signed learners, another key" "$CC_BIN" verify $M --key "$T/other.pub" "$T/signed.jsonl"
hasnt "$T/out" "signature valid" "another key: no valid verdict"
# a nested credential changed, then the CLR signed again over it: the outer proof is good, the
# nested one is not, and verify names it
head -1 "$T/signed.jsonl" | jq -c 'del(.proof) | .credentialSubject.verifiableCredential[1].name = "Forged"' >"$T/forged.json"
"$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 $KID $M "$T/forged.json" >"$T/forged.signed.json" 2>/dev/null
run 1 "a forged nested credential under a good outer proof" "$CC_BIN" verify $M --key "$T/ed.pub" "$T/forged.signed.json"
has "$T/out" "INVALID \(nested-invalid\)" "forged nested: INVALID"
hasnt "$T/out" "signature valid" "forged nested: no valid verdict"
has "$T/err" "credentialSubject.verifiableCredential\[1\] \(urn:uuid:[0-9a-f-]+\): a nested credential's proof does not verify.*\[nested-invalid\]" \
    "forged nested: names which one"
# a nested credential signed by another key than the one given: not bound, exit 1
head -1 "$T/signed.jsonl" | jq -c 'del(.proof)' >"$T/mixed.json"
jq -c '.credentialSubject.verifiableCredential[0]' "$T/mixed.json" | jq -c 'del(.proof)' >"$T/n0.json"
"$CC_BIN" sign --key "$T/other.pem" --suite eddsa-rdfc-2022 $KID $M "$T/n0.json" >"$T/n0.signed.json" 2>/dev/null
jq -c --slurpfile n "$T/n0.signed.json" '.credentialSubject.verifiableCredential[0] = $n[0]' "$T/mixed.json" >"$T/mixed2.json"
"$CC_BIN" sign --key "$T/ed.pem" --suite eddsa-rdfc-2022 $KID $M "$T/mixed2.json" >"$T/mixed.signed.json" 2>/dev/null
run 1 "a nested credential signed by another key" "$CC_BIN" verify $M --key "$T/ed.pub" "$T/mixed.signed.json"
hasnt "$T/out" "signature valid" "nested by another key: no valid verdict"
# VC-JWT: the CLR as the token's payload
run 0 "-t clr --recipients --sign (VC-JWT, ES256)" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" \
    --sign "$T/ec.pem" -o "$T/signed.jwt" "$S"
count "$T/signed.jwt" '^eyJ' 2 "VC-JWT: one token per learner"
run 0 "VC-JWT CLRs verify" "$CC_BIN" verify --key "$T/ec.pub" "$T/signed.jwt"
count "$T/out" "VC-JWT: signature valid .*key bound" 2 "VC-JWT: valid and bound"
run 0 "-t clr --recipients --sign -O (VC-JWT)" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" \
    --sign "$T/ec.pem" -O "$T/signed-learners" "$S"
n=$(ls "$T/signed-learners"/*.jwt | wc -l)
[ "$n" -eq 2 ] && ok || ko "-O --sign: $n token files, expected 2 (one per learner)"
run 0 "-O --sign: each token verifies" "$CC_BIN" verify --key "$T/ec.pub" "$T/signed-learners"/*.jwt
# a fiche's CLR signed, one file per record (-O)
run 0 "-t clr --sign --suite -O" "$CC_BIN" convert -t clr $ISS $DI -O "$T/signed-fiches" "$S"
n=$(ls "$T/signed-fiches" | wc -l)
[ "$n" -eq 2 ] && ok || ko "-O: $n files, expected 2 (one per fiche)"
run 0 "the fiches' signed CLRs verify" "$CC_BIN" verify $M --key "$T/ed.pub" "$T/signed-fiches"/*.json
count "$T/out" "signature valid .*1 nested credential proof valid" 2 "fiches: outer and nested (the structure) valid"
# --sign without --kid for an issuer that is not the key's did:key: refused, exit 1, nothing written
run 1 "--suite without --kid" "$CC_BIN" convert -t clr $ISS --recipients "$T/rec.csv" --sign "$T/ed.pem" \
    --suite eddsa-rdfc-2022 $M -o "$T/nokid.jsonl" --report "$T/nokid.report" "$S"
has "$T/err" "\[di-kid\]" "no --kid: di-kid"
[ -s "$T/nokid.jsonl" ] && ko "no --kid: something was written" || ok
jqtrue "$T/nokid.report" '.records.written == 0 and .records.rejected == 5' "no --kid: the five credentials counted rejected"

# ---------------------------------------------------------------- 5. baked
head -1 "$T/signed.jsonl" >"$T/one-signed.json"
run 0 "bake a signed CLR into a PNG" "$CC_BIN" bake --image samples/badge.png -o "$T/clr.png" "$T/one-signed.json"
run 0 "bake a signed CLR into an SVG" "$CC_BIN" bake --image samples/badge.svg -o "$T/clr.svg" "$T/one-signed.json"
python3 - "$T/clr.png" >"$T/png.chunks" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
i = 8
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    body = d[i + 8:i + 8 + n]
    crc_ok = struct.unpack(">I", d[i + 8 + n:i + 12 + n])[0] == zlib.crc32(t + body)
    if t == b"iTXt":
        print("iTXt", body.split(b"\0")[0].decode(), body[len(body.split(b"\0")[0]) + 1:][:2].hex(), crc_ok)
    i += 12 + n
PY
count "$T/png.chunks" '^iTXt clrcredential 0000 True$' 1 "PNG: one uncompressed iTXt clrcredential, CRC good"
has "$T/clr.svg" 'xmlns:[a-z]+="https://purl.imsglobal.org/clr/v2p0"' "SVG: the CLR 2.0 namespace"
"$CC_BIN" unbake "$T/clr.png" >"$T/unbaked.json" 2>/dev/null
jq -cS . "$T/unbaked.json" >"$T/u1"; jq -cS . "$T/one-signed.json" >"$T/u2"
same "$T/u1" "$T/u2" "unbake gives the CLR baked"
run 0 "verify the baked PNG and SVG" "$CC_BIN" verify $M --key "$T/ed.pub" "$T/clr.png" "$T/clr.svg"
count "$T/out" "signature valid .*3 nested credential proofs valid; key bound" 2 "baked: outer and nested proofs valid"
run 0 "validate the baked PNG and SVG" "$CC_BIN" validate $M "$T/clr.png" "$T/clr.svg"
has "$T/err" "6 records read, 6 valid" "baked: read by the clr format (3 nested each)"
"$CC_BIN" bake --image samples/badge.png -o "$T/forged.png" "$T/forged.signed.json" 2>/dev/null
run 1 "a baked CLR with a forged nested credential" "$CC_BIN" verify $M --key "$T/ed.pub" "$T/forged.png"
has "$T/out" "INVALID \\(nested-invalid\\)" "baked forged nested: INVALID"
hasnt "$T/out" "signature valid" "baked forged nested: no valid verdict"

finish e2e_clr
