#!/bin/sh
# credconv progress (issue 16 §2): a catalogue (the corpus' RNCP V4.1 fixture, whose fiche
# RNCP40344 has four blocks and CORRESPONDANCES to RNCP37507) and four learners: Ann holds
# every block (one credential with a hashed email, one baked in a PNG), Bob lacks BC03, Cara
# holds BC04 only through the equivalence RNCP40344BC04 = RNCP37507BC04, Dan's BC03 is a
# forged credential (a signed BC01 whose block code was changed).  The lines must be exactly
# the expected ones, with and without --verify; --require-complete, --issue; then 100,000
# against 200,000 learners in linear (CPU) time.
. tests/e2e/sh_lib.sh
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
if [ ! -f "$R12" ] || ! ctx_map; then
    skipped "progress tests"
    finish e2e_progress
    exit $?
fi
# summary FILE: per line learner, certification, complete, held, equivalent, missing.
summary() { jq -c '[.learner, .certification, .complete, [.held[].block], [.equivalent[].block], .missing]' "$1"; }

# ------------------------------------------------------------ the learners' credentials
{
    echo email,given_name,family_name,achievement
    for b in 01 02 03; do echo ann@example.org,Ann,A,RNCP40344BC$b; done
    for b in 01 02 04; do echo bob@example.org,Bob,B,RNCP40344BC$b; done
    for b in 01 02 03; do echo cara@example.org,Cara,C,RNCP40344BC$b; done
    for b in 01 02 04; do echo dan@example.org,Dan,D,RNCP40344BC$b; done
} >"$T/r.csv"
printf 'email,given_name,family_name,achievement\nann@example.org,Ann,A,RNCP40344BC04\n' >"$T/hashed.csv"
I=samples/issuer.json
run 0 "credentials issued" "$CC_BIN" convert -t ob3 --recipients "$T/r.csv" --issuer $I "$R12"
cp "$T/out" "$T/plain.ndjson"
run 0 "hashed credential issued" "$CC_BIN" convert -t ob3 --recipients "$T/hashed.csv" --hash-recipients --issuer $I "$R12"
cp "$T/out" "$T/hashed.json"
has "$T/hashed.json" '"hashed":true' "Ann's BC04 names her by a salted hash"
hasnt "$T/hashed.json" 'ann@example' "and not by her email"
# Cara's BC04 of the other fiche (not in the catalogue): her BC01 with the code changed.
grep -m1 cara@example.org "$T/plain.ndjson" | sed 's/RNCP40344BC01/RNCP37507BC04/g; s#rncp/40344/#rncp/37507/#g' >"$T/cara-eq.json"

KEY=$T/ed.pem
openssl genpkey -algorithm ED25519 -out "$KEY" 2>/dev/null && openssl pkey -in "$KEY" -pubout -out "$T/ed.pub"
KID=https://www.ecole-du-cycle.example/#key-1
for f in plain.ndjson hashed.json cara-eq.json; do
    run 0 "$f signed" "$CC_BIN" sign --key "$KEY" --suite eddsa-rdfc-2022 --kid $KID $M "$T/$f"
    cp "$T/out" "$T/s-$f"
done
# Ann's BC03 baked into a PNG; Dan's forged BC03.
grep ann@example.org "$T/s-plain.ndjson" | grep -m1 "#RNCP40344BC03" >"$T/ann3.json"
grep -vxF -f "$T/ann3.json" "$T/s-plain.ndjson" >"$T/s-rest.ndjson"
run 0 "baked" "$CC_BIN" bake --image samples/badge.png -o "$T/ann3.png" "$T/ann3.json"
grep dan@example.org "$T/s-plain.ndjson" | grep -m1 "#RNCP40344BC01" | sed 's/RNCP40344BC01/RNCP40344BC03/g' >"$T/dan-forged.json"
CREDS="$T/s-rest.ndjson $T/s-hashed.json $T/s-cara-eq.json $T/ann3.png $T/dan-forged.json"

cat >"$T/expected" <<'EOF'
["ann@example.org","RNCP40344",true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"],[],[]]
["bob@example.org","RNCP40344",false,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC04"],[],["RNCP40344BC03"]]
["cara@example.org","RNCP40344",true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03"],["RNCP40344BC04"],[]]
["dan@example.org","RNCP40344",true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"],[],[]]
EOF

# ------------------------------------------------------------ without --verify
run 0 "progress" "$CC_BIN" progress --catalogue "$R12" $CREDS
cp "$T/out" "$T/p.ndjson"
summary "$T/p.ndjson" | sort >"$T/got"
same "$T/got" "$T/expected" "exactly the expected lines"
[ "$(wc -l <"$T/p.ndjson")" -eq 4 ] && ok || ko "one line per learner x certification"
jqtrue "$T/p.ndjson" '[.held[].verified] | all(. == "not verified")' "each credential says not verified"
grep '"learner":"cara@' "$T/p.ndjson" >"$T/cara.json"
grep '"learner":"ann@' "$T/p.ndjson" >"$T/ann.json"
jqtrue "$T/cara.json" '.equivalent[0].correspondance == "RNCP40344BC04 = RNCP37507BC04"' "says which equivalence"
jqtrue "$T/cara.json" '.equivalent[0].credential | endswith("s-cara-eq.json:1")' "and by which credential"
jqtrue "$T/ann.json" '[.held[].credential] | any(endswith("ann3.png:1")) and any(endswith("s-hashed.json:1"))' "a baked credential and a hashed identity count for Ann"
jqtrue "$T/p.ndjson" '[.held[].credential] | all(test(":[0-9]+$"))' "each credential named file:line"
# The catalogue as model NDJSON gives the same lines.
run 0 "catalogue as model" "$CC_BIN" convert -t model "$R12"
cp "$T/out" "$T/cat.ndjson"
run 0 "progress, model catalogue" "$CC_BIN" progress --catalogue "$T/cat.ndjson" $CREDS
summary "$T/out" | sort >"$T/got2"
same "$T/got2" "$T/expected" "model NDJSON catalogue: the same lines"
# The matching rules (docs/mapping.md): by the achievement's id alone, by an alignment's code,
# by an alignment's URL; the email in any case.
FC=https://www.francecompetences.fr/recherche/rncp/40344/
printf '%s\n' '{"model":"credconv-model/1","credential":{"subject":{"email":"ida@example.org"},"achievement":{"id":"'$FC'#RNCP40344BC01"}}}' \
    '{"model":"credconv-model/1","credential":{"subject":{"email":"IDA@Example.org"},"achievement":{"alignments":[{"code":"RNCP40344BC02"}]}}}' \
    '{"model":"credconv-model/1","credential":{"subject":{"email":"ida@example.org"},"achievement":{"alignments":[{"uri":"'$FC'#RNCP40344BC03"}]}}}' >"$T/ida.ndjson"
run 0 "matching by id, alignment code and URL" "$CC_BIN" progress --catalogue "$R12" "$T/ida.ndjson"
jqtrue "$T/out" '.learner == "ida@example.org" and ([.held[].block] == ["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03"]) and .missing == ["RNCP40344BC04"]' "id, alignment code, alignment URL each name a block; one learner"
# The table (forced through `script`, stdout a terminal) says the same.
if command -v script >/dev/null 2>&1; then
    script -qec "$CC_BIN progress --catalogue $R12 $CREDS" /dev/null >"$T/table" 2>&1
    has "$T/table" 'cara@example.org  RNCP40344  COMPLETE \(4/4 blocks\)' "table: Cara complete"
    has "$T/table" 'equivalent  RNCP40344BC04 +through RNCP40344BC04 = RNCP37507BC04' "table: the equivalence"
    has "$T/table" 'bob@example.org  RNCP40344  incomplete \(3/4 blocks\)' "table: Bob incomplete"
    has "$T/table" 'missing     RNCP40344BC03' "table: the missing block"
fi

# ------------------------------------------------------------ with --verify
# Only valid credentials count: Dan's forged BC03 is not counted (exit 1), and says why.
cat >"$T/expected-v" <<'EOF'
["ann@example.org","RNCP40344",true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"],[],[]]
["bob@example.org","RNCP40344",false,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC04"],[],["RNCP40344BC03"]]
["cara@example.org","RNCP40344",true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03"],["RNCP40344BC04"],[]]
["dan@example.org","RNCP40344",false,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC04"],[],["RNCP40344BC03"]]
EOF
run 1 "progress --verify: a credential not counted" "$CC_BIN" progress --verify --key "$T/ed.pub" $M --catalogue "$R12" $CREDS
cp "$T/out" "$T/pv.ndjson"
summary "$T/pv.ndjson" | sort >"$T/got-v"
same "$T/got-v" "$T/expected-v" "--verify: exactly the expected lines"
grep '"learner":"dan@' "$T/pv.ndjson" >"$T/dan.json"
jqtrue "$T/dan.json" '.notCounted | length == 1 and (.[0].credential | endswith("dan-forged.json:1")) and .[0].verified == "di-signature" and .[0].achievement == "RNCP40344BC03"' "the forged credential: not counted, and why"
jqtrue "$T/pv.ndjson" '[.held[].verified] | all(. == "valid")' "every counted credential is valid"
jqtrue "$T/pv.ndjson" '[.equivalent[]] | length == 0 or .[0].credential != null' "equivalences name their credential"
hasnt "$T/dan.json" '"complete":true' "no complete verdict for the forged learner"
has "$T/err" '1 not counted' "the summary counts it"
# --report: the run's counts (read = counted + not counted + matching nothing) and diagnostics.
run 1 "--verify --report" "$CC_BIN" progress --verify --key "$T/ed.pub" $M --report "$T/rep.json" --catalogue "$R12" $CREDS
jqtrue "$T/rep.json" '.records | .read == 15 and .written == 14 and .rejected == 1 and .filtered == 0' "report: 15 credentials, 14 counted, 1 not"
same "$T/out" "$T/pv.ndjson" "the same lines with --report"
# A key that did not sign them: nothing counts.
openssl genpkey -algorithm ED25519 2>/dev/null | openssl pkey -pubout -out "$T/other.pub"
run 1 "--verify with another key" "$CC_BIN" progress --verify --key "$T/other.pub" $M --catalogue "$R12" $CREDS
hasnt "$T/out" '"complete":true' "another key: no certification complete"
hasnt "$T/out" '"verified":"valid"' "another key: nothing valid"
run 2 "--key without --verify" "$CC_BIN" progress --key "$T/ed.pub" --catalogue "$R12" $CREDS
run 2 "--verify elsewhere" "$CC_BIN" validate --verify "$R12"

# ------------------------------------------------------------ --require-complete
# Bob has no complete certification: an error naming him, exit 1, only when asked.
run 1 "--require-complete: Bob has none complete" "$CC_BIN" progress --require-complete --catalogue "$R12" $CREDS
has "$T/err" 'bob@example.org: no certification of the catalogue is complete' "says which learner"
has "$T/err" '1 learners have no complete certification' "and how many"
summary "$T/out" | sort >"$T/got-rc"
same "$T/got-rc" "$T/expected" "--require-complete: the same lines"
run 0 "without --require-complete: exit 0 with Bob incomplete" "$CC_BIN" progress --catalogue "$R12" $CREDS
hasnt "$T/err" 'progress-incomplete' "and no such error"
run 1 "--verify --require-complete: Bob and Dan (forged block) have none" "$CC_BIN" progress --verify --key "$T/ed.pub" $M --require-complete --catalogue "$R12" $CREDS
has "$T/err" '2 learners have no complete certification' "two learners with none under --verify"

# ------------------------------------------------------------ --issue
# Each complete certification issued through convert's issuing, signed with --sign; the
# credentials validate and verify.  Without --verify Dan's forged block counts (3 issued);
# with it only Ann and Cara are.
ISS="--issue --issuer $I --sign $KEY --suite eddsa-rdfc-2022 --kid $KID $M"
run 0 "--issue ob3 -o" "$CC_BIN" progress $ISS -o "$T/iss.ndjson" --catalogue "$R12" $CREDS
summary "$T/out" | sort >"$T/got-iss"
same "$T/got-iss" "$T/expected" "--issue -o: the progress lines still on stdout"
has "$T/err" '3 complete certifications to issue, 3 credentials written \(-t ob3\)' "--issue says what it issued"
jq -r '.credentialSubject.id + " " + .credentialSubject.achievement.humanCode' "$T/iss.ndjson" | sort >"$T/iss-got"
printf '%s\n' "mailto:ann@example.org RNCP40344" "mailto:cara@example.org RNCP40344" "mailto:dan@example.org RNCP40344" >"$T/iss-want"
same "$T/iss-got" "$T/iss-want" "--issue: the three complete learners, the certification"
jqtrue "$T/iss.ndjson" '.issuer.id == "'"$(jq -r .id $I)"'" and .proof[0].cryptosuite == "eddsa-rdfc-2022"' "issued by --issuer, signed"
run 0 "issued ob3 validates" "$CC_BIN" validate "$T/iss.ndjson"
run 0 "issued ob3 verifies" "$CC_BIN" verify --key "$T/ed.pub" $M "$T/iss.ndjson"
count "$T/out" 'signature valid' 3 "three signatures valid"
run 1 "--verify --issue: Dan's forged block not counted" "$CC_BIN" progress --verify --key "$T/ed.pub" $ISS -o "$T/iss-v.ndjson" --catalogue "$R12" $CREDS
jq -r '.credentialSubject.id' "$T/iss-v.ndjson" | sort >"$T/iss-v-got"
printf '%s\n' mailto:ann@example.org mailto:cara@example.org >"$T/iss-v-want"
same "$T/iss-v-got" "$T/iss-v-want" "--verify --issue: only Ann and Cara"
# -t clr, to stdout: one CLR per learner with the certification and its four blocks, not
# partial; stdout carries the credentials only (no progress line among them).
run 1 "--verify --issue -t clr" "$CC_BIN" progress --verify --key "$T/ed.pub" $ISS -t clr --catalogue "$R12" $CREDS
cp "$T/out" "$T/iss.clr"
jqtrue "$T/iss.clr" '(.type | index("ClrCredential")) and .partial == false' "only CLRs on stdout, not partial"
jq -c '[.credentialSubject.id, ([.credentialSubject.verifiableCredential[].credentialSubject.achievement.humanCode] | sort)]' "$T/iss.clr" | sort >"$T/clr-got"
cat >"$T/clr-want" <<'EOF2'
["mailto:ann@example.org",["RNCP40344","RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"]]
["mailto:cara@example.org",["RNCP40344","RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"]]
EOF2
same "$T/clr-got" "$T/clr-want" "a CLR per complete learner: the certification and its blocks"
run 0 "issued CLR validates" "$CC_BIN" validate "$T/iss.clr"
run 0 "issued CLR verifies, nested proofs too" "$CC_BIN" verify --key "$T/ed.pub" $M "$T/iss.clr"
count "$T/out" '5 nested credential proofs valid' 2 "each CLR's five nested proofs"
# Read back: the CLRs' nested credentials count (the certification awarded, each block held).
run 0 "progress reads the issued CLRs" "$CC_BIN" progress --catalogue "$R12" "$T/iss.clr"
jq -c '[.learner, .complete, (.awarded.credential | test("iss.clr:[12]$")), [.held[].block]]' "$T/out" | sort >"$T/clr-back"
cat >"$T/clr-back-want" <<'EOF2'
["ann@example.org",true,true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"]]
["cara@example.org",true,true,["RNCP40344BC01","RNCP40344BC02","RNCP40344BC03","RNCP40344BC04"]]
EOF2
same "$T/clr-back" "$T/clr-back-want" "a CLR's nested credentials count in progress"
# EDC 3 credentials as input: the blocks each learner of r.csv holds.
run 0 "EDC 3 credentials" "$CC_BIN" convert -t edc3 --recipients "$T/r.csv" --issuer $I -o "$T/r.edc3" "$R12"
run 0 "progress on EDC 3" "$CC_BIN" progress --catalogue "$R12" "$T/r.edc3"
jq -c '[.learner, .complete, .missing]' "$T/out" | sort >"$T/edc3-got"
printf '%s\n' '["ann@example.org",false,["RNCP40344BC04"]]' '["bob@example.org",false,["RNCP40344BC03"]]' \
    '["cara@example.org",false,["RNCP40344BC04"]]' '["dan@example.org",false,["RNCP40344BC03"]]' >"$T/edc3-want"
same "$T/edc3-got" "$T/edc3-want" "EDC 3 input: the blocks each learner holds"
# -t edc: EDC 1.2 needs the learner's names, which Eve's EDC credentials (an EDC 1.x input)
# give; -O names the files as convert does.
{ echo email,given_name,family_name,achievement; for b in 01 02 03 04; do echo eve@example.org,Eve,Martin,RNCP40344BC$b; done; } >"$T/eve.csv"
run 0 "Eve's EDC credentials" "$CC_BIN" convert -t edc --recipients "$T/eve.csv" --issuer $I -o "$T/eve.xml" "$R12"
run 0 "--issue -t edc -O" "$CC_BIN" progress --issue --issuer $I -t edc -O "$T/edc-out" --catalogue "$R12" "$T/eve.xml"
has "$T/out" '"learner":"eve@example.org","certification":"RNCP40344".*"complete":true' "Eve complete from EDC 1.x input"
[ "$(ls "$T/edc-out" | wc -l)" -eq 1 ] && ok || ko "--issue -t edc -O: one file"
E1=$(ls "$T/edc-out"/* | head -1)
run 0 "issued EDC validates" "$CC_BIN" validate "$E1"
has "$E1" '<givenNames>|Eve' "the EDC names Eve"
run 0 "the issued EDC counts in progress" "$CC_BIN" progress --catalogue "$R12" "$E1"
has "$T/out" '"awarded":' "read back: the certification awarded"
# A learner known only by a hashed identity cannot be named in a new credential: warned.
# (Hal holds the certification itself: each hashed credential has its own salt, so hashes
# alone never tie two credentials to one learner.)
printf 'email,given_name,family_name,achievement\nhal@example.org,Hal,H,RNCP40344\n' >"$T/hal.csv"
run 0 "Hal's hashed credentials" "$CC_BIN" convert -t ob3 --recipients "$T/hal.csv" --hash-recipients --issuer $I -o "$T/hal.ndjson" "$R12"
run 1 "--issue, a hashed identity only: not issued" "$CC_BIN" progress --issue --issuer $I -o "$T/h.ndjson" --catalogue "$R12" "$T/hal.ndjson"
has "$T/out" '"complete":true' "Hal is complete"
has "$T/err" 'RNCP40344 is complete but the learner has no plain email address.*not issued \[progress-issue\]' "says why it is not issued"
has "$T/err" '1 learners complete but not issued: no plain email address' "the summary counts them"
[ ! -s "$T/h.ndjson" ] && ok || ko "nothing issued to a hash"
# usage
cp "$R12" "$T/cat.xml"
run 2 "-o naming the catalogue" "$CC_BIN" progress --issue --issuer $I -o "$T/cat.xml" --catalogue "$T/cat.xml" $CREDS
same "$T/cat.xml" "$R12" "the catalogue is left as it was"
run 2 "--issue without --issuer" "$CC_BIN" progress --issue --catalogue "$R12" $CREDS
run 2 "--issuer without --issue" "$CC_BIN" progress --issuer $I --catalogue "$R12" $CREDS
run 2 "--sign without --issue" "$CC_BIN" progress --sign "$KEY" --catalogue "$R12" $CREDS
run 2 "-t without --issue" "$CC_BIN" progress -t clr --catalogue "$R12" $CREDS
run 2 "--issue elsewhere" "$CC_BIN" convert --issue -t ob3 "$R12"
run 2 "--require-complete elsewhere" "$CC_BIN" validate --require-complete "$R12"

# ------------------------------------------------------------ usage
run 2 "no catalogue" "$CC_BIN" progress $CREDS
has "$T/err" 'progress needs --catalogue' "says what is missing"
run 2 "--catalogue elsewhere" "$CC_BIN" convert -t model --catalogue "$R12" "$R12"
run 1 "a catalogue without blocks" "$CC_BIN" progress --catalogue "$T/s-hashed.json" $CREDS
has "$T/err" 'progress-catalogue' "says the catalogue has no blocks"

# ------------------------------------------------------------ scaling: linear time
# 100,000 learners x 2 credentials (N) against 200,000 x 2 (2N): model NDJSON rows, learner
# i holding blocks (i mod 4) + 1 and (i + 1 mod 4) + 1 of RNCP40344.  CPU time (user + sys,
# the machine is shared), the smaller of two runs each, alternated: linear is a ratio of 2,
# quadratic 4; the assertion allows 3.
rows() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) for (j = 0; j < 2; j++) printf "{\"model\":\"credconv-model/1\",\"credential\":{\"subject\":{\"email\":\"l%d@example.org\"},\"achievement\":{\"code\":\"RNCP40344BC0%d\"}}}\n", i, (i + j) % 4 + 1 }'
}
# cpu FILE: runs progress on FILE; prints its exit status, and its CPU centiseconds to $T/cs.
cpu() {
    /usr/bin/time -f "%U %S" -o "$T/time" "$CC_BIN" progress --json -q --catalogue "$R12" "$1" >"$T/scale.out" 2>"$T/err"
    echo $?
    awk '{ printf "%d\n", ($1 + $2) * 100 + 0.5 }' "$T/time" >"$T/cs"
}
if [ -x /usr/bin/time ]; then
    rows 100000 >"$T/n.ndjson"
    rows 200000 >"$T/2n.ndjson"
    tn=999999 t2n=999999
    for k in 1 2; do
        [ "$(cpu "$T/n.ndjson")" -eq 0 ] && ok || ko "N: 100,000 learners"
        [ "$(wc -l <"$T/scale.out")" -eq 100000 ] && ok || ko "N: one line per learner"
        c=$(cat "$T/cs"); [ "$c" -lt "$tn" ] && tn=$c
        [ "$(cpu "$T/2n.ndjson")" -eq 0 ] && ok || ko "2N: 200,000 learners"
        [ "$(wc -l <"$T/scale.out")" -eq 200000 ] && ok || ko "2N: one line per learner"
        c=$(cat "$T/cs"); [ "$c" -lt "$t2n" ] && t2n=$c
    done
    echo "progress scaling (CPU): 100,000 learners x 2 credentials ${tn}0 ms, 200,000 x 2 ${t2n}0 ms"
    within "$t2n" $((tn * 3 + 10)) "2N learners in at most 3 times the CPU time of N (linear)"
else
    skip=$((skip + 1)); echo "SKIP: the scaling test needs /usr/bin/time (CPU time)"
fi

finish e2e_progress
