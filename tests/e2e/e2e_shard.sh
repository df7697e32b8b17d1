#!/bin/sh
# --shard K/N (issue 17.6): a deterministic share of the records by record id, the same on
# every run and machine; for N = 1, 2 and 7 the union of the shards' outputs is exactly the
# unsharded output, no record in two shards; the counts add up in each shard; a bad K/N is a
# usage error; verify/sign/validate refuse it.
. tests/e2e/sh_lib.sh
S=samples/rncp-sample.xml
I=samples/issuer.json
export SOURCE_DATE_EPOCH=1790000000
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
cat >"$T/r.csv" <<'CSV'
email,given_name,family_name,achievement,id,issued
lea.martin@example.org,Léa,Martin,RNCP99001,,2026-06-30
karim.benali@example.org,Karim,Ben Ali,RNCP99001BC02,,2026-07-01
yann.le-goff@example.org,Yann,Le Goff,RS99002,,
zoe.durand@example.org,Zoé,Durand,RS99002,,2026-02-28
ines.roux@example.org,Inès,Roux,RNCP99001BC01,,2026-05-02
paul.henry@example.org,Paul,Henry,RNCP99001,,2026-05-03
CSV

# shards NAME N ARGS...: runs convert ARGS with --shard 1/N .. N/N; checks the union (sorted
# lines) against the unsharded output and that no line is in two shards.
shards() {
    name=$1 n=$2
    shift 2
    "$CC_BIN" convert -q "$@" >"$T/all" 2>/dev/null
    : >"$T/union"
    k=1
    while [ "$k" -le "$n" ]; do
        "$CC_BIN" convert -q --shard "$k/$n" --report "$T/rep$k.json" "$@" >"$T/s$k" 2>"$T/e$k" ||
            ko "$name: shard $k/$n exit $?"
        jqtrue "$T/rep$k.json" '.records | .read == .written + .rejected + .filtered' "$name $k/$n: counts add up"
        cat "$T/s$k" >>"$T/union"
        k=$((k + 1))
    done
    sort "$T/all" >"$T/all.sorted"
    sort "$T/union" >"$T/union.sorted"
    [ -s "$T/all" ] && cmp -s "$T/all.sorted" "$T/union.sorted" && ok ||
        ko "$name N=$n: the union of the shards is not the unsharded output ($(wc -l <"$T/union") vs $(wc -l <"$T/all") lines)"
    [ -z "$(sort "$T/union" | uniq -d)" ] && ok || ko "$name N=$n: a record is in two shards"
}

for n in 1 2 7; do
    shards "ob3 credentials" "$n" -t ob3 --issuer "$I" --recipients "$T/r.csv" "$S"
    shards "model achievements" "$n" -t model "$S"
done
# the same share on every run (and machine: the hash is 64-bit FNV-1a of the id, no seed)
"$CC_BIN" convert -q --shard 2/3 -t ob3 --issuer "$I" --recipients "$T/r.csv" "$S" >"$T/a1"
"$CC_BIN" convert -q --shard 2/3 -t ob3 --issuer "$I" --recipients "$T/r.csv" "$S" >"$T/a2"
same "$T/a1" "$T/a2" "a rerun takes the same share"
if [ -f "$R12" ]; then
    for n in 2 7; do shards "12 real fiches" "$n" -t model "$R12"; done
    # a fiche goes with its blocks: each shard's fiches carry all their blocks
    "$CC_BIN" convert -q -t ob3 --shard 1/2 "$R12" >"$T/ob3s1"
    "$CC_BIN" convert -q -t ob3 --shard 2/2 "$R12" >"$T/ob3s2"
    "$CC_BIN" convert -q -t ob3 "$R12" >"$T/ob3all"
    [ "$(cat "$T/ob3s1" "$T/ob3s2" | wc -l)" = "$(wc -l <"$T/ob3all")" ] && ok || ko "ob3 lines of the two shards = the whole"
else
    skipped "12 real fiches sharded"; skipped "12 real fiches sharded N=7"; skipped "ob3 shards"
fi
run 2 "--shard 0/3 refused" "$CC_BIN" convert -t model --shard 0/3 "$S"
has "$T/err" "--shard takes K/N" "the message says what it takes"
run 2 "--shard 4/3 refused" "$CC_BIN" convert -t model --shard 4/3 "$S"
run 2 "--shard 1/ refused" "$CC_BIN" convert -t model --shard 1/ "$S"
run 2 "--shard x refused" "$CC_BIN" convert -t model --shard x "$S"
run 2 "--shard with verify refused" "$CC_BIN" verify --shard 1/2 "$S"
has "$T/err" "--shard goes with convert and inspect" "which commands take it"
run 0 "inspect --shard" "$CC_BIN" inspect --shard 1/1 "$S"
count "$T/out" '^samples/' 2 "1/1 is everything"
e2e_end e2e-shard
