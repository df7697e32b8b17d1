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

finish e2e_clr
