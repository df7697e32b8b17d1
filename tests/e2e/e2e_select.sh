#!/bin/sh
# A filter that matches nothing is an error (issue 12.4): --select codes match in any case,
# trimmed; each --select that matched nothing in the run is an error naming it (exit 1, also
# in --report); a block and its fiche both selected are both written; --active-only says so
# when it leaves nothing; the counts add up; where --select is refused it still is.
. tests/e2e/sh_lib.sh
S=samples/rncp-sample.xml
RNCP=$CORPUS/rncp
R12=$RNCP/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
RSV3=$RNCP/api-apprentissage_export_fiches_RS_V3_0_fixture_2fiches.xml
# counts_add_up REPORT NAME: read = written + rejected + filtered in a --report file.
counts_add_up() { jqtrue "$1" '.records | .read == .written + .rejected + .filtered' "$2: read = written + rejected + filtered"; }
# codes FILE: the achievement codes of the model records in FILE, one line.
codes() { jq -r '.achievement.code' "$1" | tr '\n' ' '; }
# is_codes FILE "CODE ..." NAME: exactly those records, in that order.
is_codes() { got=$(codes "$1"); if [ "$got" = "$2 " ]; then ok; else ko "$3: records '$got', expected '$2 '"; fi; }

# ------------------------------------------------------------ case and blanks
"$CC_BIN" convert -q -t model --select RNCP99001BC01 "$S" >"$T/upper.ndjson"
run 0 "lower-case block code" "$CC_BIN" convert -t model --select rncp99001bc01 "$S"
same "$T/out" "$T/upper.ndjson" "lower case gives the block the upper-case code gives"
is_codes "$T/out" "RNCP99001BC01" "the block, alone"
hasnt "$T/err" 'select-unmatched' "a lower-case code is a match, not an error"
run 0 "mixed case and blanks around a fiche code" "$CC_BIN" convert -t model --select '  Rs99002 ' "$S"
is_codes "$T/out" "RS99002" "trimmed, any case"
run 2 "an empty code" "$CC_BIN" convert -t model --select ' ' "$S"
has "$T/err" '--select needs a code.*\[usage\]' "an empty --select is a usage error"
[ -s "$T/out" ] && ko "nothing written after a usage error" || ok

# ------------------------------------------------------------ a code that matches nothing
run 1 "a code matching nothing" "$CC_BIN" convert -t model --select RNCP00000 --report "$T/none.json" "$S"
[ -s "$T/out" ] && ko "nothing is written for an unmatched code" || ok
has "$T/err" "error: --select 'RNCP00000' matches no fiche, block or credential.*\[select-unmatched\]" "the error names the code and the rule"
has "$T/err" '2 records read, 0 written, 0 rejected, 2 filtered' "the summary counts the filtered records"
jqtrue "$T/none.json" '[.diagnostics[] | select(.rule == "select-unmatched")] | length == 1 and (.[0].severity == "error") and (.[0].message | test("RNCP00000"))' "--report keeps the error, naming the code"
jqtrue "$T/none.json" '.records.read == 2 and .records.written == 0 and .records.filtered == 2' "--report counts"
counts_add_up "$T/none.json" "unmatched code"
run 1 "inspect with a code matching nothing" "$CC_BIN" inspect --select NOPE "$S"
has "$T/err" "'NOPE'.*\[select-unmatched\]" "inspect reports it too"
[ -s "$T/out" ] && ko "inspect lists nothing for an unmatched code" || ok

# Two --select, one matching nothing: the other is written, the missing one named, exit 1.
run 1 "two --select, one matching nothing" "$CC_BIN" convert -t model --select RS99002 --select RS99999 --report "$T/two.json" "$S"
is_codes "$T/out" "RS99002" "the code that matches is still written"
has "$T/err" "'RS99999'.*\[select-unmatched\]" "the one that matched nothing is named"
hasnt "$T/err" "'RS99002'.*select-unmatched" "the one that matched is not"
count "$T/err" 'select-unmatched' 1 "one error, for the one code"
jqtrue "$T/two.json" '.records.read == 2 and .records.written == 1 and .records.filtered == 1' "--report: 2 read, 1 written, 1 filtered"
counts_add_up "$T/two.json" "two --select"
# The same code twice in different cases: one match, or one error, not two.
run 1 "a missing code given twice" "$CC_BIN" convert -t model --select RS99999 --select rs99999 "$S"
count "$T/err" 'select-unmatched' 1 "reported once"

# ------------------------------------------------------------ block and fiche both kept
"$CC_BIN" convert -q -t model --select RNCP99001 "$S" >"$T/fiche.ndjson"
for order in "RNCP99001BC02 RNCP99001" "RNCP99001 RNCP99001BC02"; do
    set -- $order
    run 0 "--select $1 --select $2" "$CC_BIN" convert -t model --select "$1" --select "$2" --report "$T/both.json" "$S"
    is_codes "$T/out" "RNCP99001 RNCP99001BC02" "$order: the fiche, then the block"
    head -1 "$T/out" >"$T/both-fiche.ndjson"
    sed -n 2p "$T/out" >"$T/both-block.ndjson"
    same "$T/both-fiche.ndjson" "$T/fiche.ndjson" "$order: the fiche whole, as --select FICHE alone gives it"
    "$CC_BIN" convert -q -t model --select RNCP99001BC02 "$S" >"$T/block.ndjson"
    same "$T/both-block.ndjson" "$T/block.ndjson" "$order: the block as its own record, as --select BLOCK alone gives it"
    jqtrue "$T/both-fiche.ndjson" '.achievement.kind != "skills-block" and (.achievement.parts | length) == 2' "$order: the fiche keeps both its blocks"
    jqtrue "$T/both-block.ndjson" '.achievement.kind == "skills-block" and .achievement.partOf == "RNCP99001" and .achievement.eqfLevel == 5' "$order: the block knows its fiche and inherits its level"
    jqtrue "$T/both.json" '.records.read == 3 and .records.written == 2 and .records.filtered == 1 and .records.rejected == 0' "$order: the block counts as one more record read"
    counts_add_up "$T/both.json" "$order"
    hasnt "$T/err" 'select-unmatched' "$order: no error"
done
# One file per record: both are there, named from their codes.
run 0 "block and fiche to -O" "$CC_BIN" convert -t model --select RNCP99001BC01 --select rncp99001 -O "$T/both-dir" "$S"
n=$(ls "$T/both-dir" | wc -l)
[ "$n" -eq 2 ] && ok || ko "-O: $n files, expected 2"
jqtrue "$T/both-dir/RNCP99001BC01.json" '.achievement.code == "RNCP99001BC01" and .achievement.kind == "skills-block"' "-O: the block's file holds the block"
jqtrue "$T/both-dir/RNCP99001.json" '.achievement.code == "RNCP99001" and (.achievement.parts | length) == 2' "-O: the fiche's file holds the fiche whole"
# inspect lists a selected block (it used to list nothing for a block).
run 0 "inspect a block and its fiche" "$CC_BIN" inspect --select RNCP99001BC01 --select RNCP99001 "$S"
count "$T/out" ' RNCP99001 certification' 1 "inspect: the fiche"
count "$T/out" ' RNCP99001BC01 skills-block' 1 "inspect: the block"

# ------------------------------------------------------------ credentials answer to the code they award
"$CC_BIN" convert -q -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv "$S" >"$T/creds.jsonl" 2>/dev/null
run 0 "credentials by the block they award" "$CC_BIN" convert -t model --select rncp99001bc02 "$T/creds.jsonl"
count "$T/out" '"kind":"credential"|"credential":' 1 "one credential"
jqtrue "$T/out" '.credential.achievement.code == "RNCP99001BC02"' "the credential awarding the block"

# ------------------------------------------------------------ refused where it does not apply
run 2 "--select with --recipients" "$CC_BIN" convert -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv --select RNCP99001 "$S"
has "$T/err" '--select and --active-only do not go with --recipients.*\[usage\]' "still refused with --recipients"
[ -s "$T/out" ] && ko "nothing issued with --select --recipients" || ok
run 2 "--active-only with --recipients" "$CC_BIN" convert -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv --active-only "$S"
for cmd in validate verify; do
    run 2 "$cmd --select" "$CC_BIN" $cmd --select RNCP99001 "$S"
    has "$T/err" '--select and --active-only go with convert and inspect.*\[usage\]' "$cmd refuses --select (it used to ignore it)"
    hasnt "$T/out" 'valid' "$cmd: no verdict after the usage error"
    run 2 "$cmd --active-only" "$CC_BIN" $cmd --active-only "$S"
done
openssl genpkey -algorithm ED25519 -out "$T/ed.pem" 2>/dev/null
"$CC_BIN" convert -q -t ob3 "$S" | head -1 >"$T/ach.json"
run 2 "sign --select" "$CC_BIN" sign --key "$T/ed.pem" --select RNCP99001 "$T/ach.json"
has "$T/err" '--select and --active-only go with convert and inspect' "sign refuses --select"

# ------------------------------------------------------------ the corpus: --active-only
if [ -f "$R12" ] && [ -f "$RSV3" ]; then
    # RNCP35419 is not in force (ACTIF = Non): its block is left out with a warning, exit 0;
    # the block of a fiche in force selected beside it is written.
    run 0 "a block of a fiche --active-only leaves out" "$CC_BIN" convert -t model --active-only \
        --select RNCP35419BC02 --select rncp37488bc01 --report "$T/inactive.json" "$R12"
    is_codes "$T/out" "RNCP37488BC01" "only the block of the fiche in force"
    has "$T/err" "warning: --select 'RNCP35419BC02': not known to be in force, so --active-only left it out \[select-inactive\]" "the block left out is named"
    hasnt "$T/err" 'select-unmatched' "a code found but not in force is not 'unmatched'"
    jqtrue "$T/inactive.json" '.records.read == 12 and .records.written == 1 and .records.filtered == 11' "--report: 12 read, 1 written, 11 filtered"
    jqtrue "$T/inactive.json" '[.diagnostics[] | select(.rule == "select-inactive")] | length == 1 and .[0].severity == "warning"' "--report keeps the warning"
    counts_add_up "$T/inactive.json" "active-only and select"
    # Without --active-only the same block is written.
    run 0 "the same block without --active-only" "$CC_BIN" convert -t model --select RNCP35419BC02 "$R12"
    is_codes "$T/out" "RNCP35419BC02" "written when not filtered by status"
    # Every fiche of the RS V3 fixture is out of force or has no status: nothing kept, said.
    run 0 "--active-only leaving nothing" "$CC_BIN" convert -t model --active-only --report "$T/empty.json" "$RSV3"
    [ -s "$T/out" ] && ko "no record in force, none written" || ok
    has "$T/err" 'warning: --active-only left out 2 records not known to be in force, and no record is kept \[active-only-empty\]' "the warning gives the count"
    jqtrue "$T/empty.json" '.records.read == 2 and .records.written == 0 and .records.filtered == 2' "--report: 2 read, 2 filtered"
    counts_add_up "$T/empty.json" "active-only empty"
    # Some in force: no such warning, and the counts still add up.
    run 0 "--active-only on the 12 fiches" "$CC_BIN" convert -t model --active-only --report "$T/act.json" "$R12"
    hasnt "$T/err" 'active-only-empty' "no warning when records are kept"
    jqtrue "$T/act.json" '.records.read == 12 and .records.written == 9 and .records.filtered == 3' "9 in force, 3 filtered"
    # Across the corpus files: a code from each file, lower case, with one missing; one run.
    run 1 "across the corpus files, one code missing" "$CC_BIN" convert -t model --report "$T/across.json" \
        --select rncp35809bc03 --select Rs5719 --select RNCP35340 --select RNCP35340BC01 --select RS00000 \
        "$R12" "$RNCP"/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml "$RNCP"/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml
    is_codes "$T/out" "RNCP35809BC03 RS5719 RNCP35340 RNCP35340BC01" "each code found, in input order, fiche then block"
    count "$T/err" 'select-unmatched' 1 "only the missing code is an error"
    has "$T/err" "'RS00000'" "and it is named"
    counts_add_up "$T/across.json" "across files"
    jqtrue "$T/across.json" '.records.read == 23 and .records.written == 4 and .records.filtered == 19' "22 fiches read + 1 block taken beside its fiche"
else
    skipped "--select and --active-only on the corpus RNCP files"
fi

e2e_end e2e-select
