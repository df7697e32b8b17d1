#!/bin/sh
# credconv progress (issue 16 §2): a catalogue (the corpus' RNCP V4.1 fixture, whose fiche
# RNCP40344 has four blocks and CORRESPONDANCES to RNCP37507) and four learners: Ann holds
# every block (one credential with a hashed email, one baked in a PNG), Bob lacks BC03, Cara
# holds BC04 only through the equivalence RNCP40344BC04 = RNCP37507BC04, Dan's BC03 is a
# forged credential (a signed BC01 whose block code was changed).  The lines must be exactly
# the expected ones, with and without --verify; then 10k vs 100k rows in linear time.
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

# ------------------------------------------------------------ usage
run 2 "no catalogue" "$CC_BIN" progress $CREDS
has "$T/err" 'progress needs --catalogue' "says what is missing"
run 2 "--catalogue elsewhere" "$CC_BIN" convert -t model --catalogue "$R12" "$R12"
run 1 "a catalogue without blocks" "$CC_BIN" progress --catalogue "$T/s-hashed.json" $CREDS
has "$T/err" 'progress-catalogue' "says the catalogue has no blocks"

# ------------------------------------------------------------ scaling: linear time
# Model NDJSON rows: learner i holds block (i mod 4) + 1 of RNCP40344.
rows() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "{\"model\":\"credconv-model/1\",\"credential\":{\"subject\":{\"email\":\"l%d@example.org\"},\"achievement\":{\"code\":\"RNCP40344BC0%d\"}}}\n", i / 3, i % 4 + 1 }'
}
rows 10000 >"$T/10k.ndjson"
rows 100000 >"$T/100k.ndjson"
ms() { s=$(date +%s%N); "$CC_BIN" progress --json -q --catalogue "$R12" "$1" >"$T/scale.out" 2>"$T/err"; echo $?; e=$(date +%s%N); echo $(((e - s) / 1000000)) >"$T/ms"; }
[ "$(ms "$T/10k.ndjson")" -eq 0 ] && ok || ko "10k rows"
t10=$(cat "$T/ms")
[ "$(wc -l <"$T/scale.out")" -eq 3334 ] && ok || ko "10k rows: 3334 learners"
[ "$(ms "$T/100k.ndjson")" -eq 0 ] && ok || ko "100k rows"
t100=$(cat "$T/ms")
[ "$(wc -l <"$T/scale.out")" -eq 33334 ] && ok || ko "100k rows: 33334 learners"
echo "progress scaling: 10k rows ${t10} ms, 100k rows ${t100} ms"
# Linear: 10 times the rows in at most 20 times the time (quadratic would be 100 times).
within "$t100" $((t10 * 20 + 200)) "100k rows in linear time"

finish e2e_progress
