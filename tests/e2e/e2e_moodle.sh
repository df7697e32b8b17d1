#!/bin/sh
# End-to-end tests of the Moodle competency framework CSV (tool_lpimportcsv) through credconv.
# Usage: CREDCONV=path/to/credconv CREDCONV_SCHEMAS=schemas sh tests/e2e/e2e_moodle.sh
. tests/e2e/sh_lib.sh
MONCAMPUS=$CORPUS/rncp/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml
# The header as ../shared/corpus/case/SOURCES.md documents it (Moodle's fixture example.csv)
HEADER='"Parent id number","Id number",Shortname,Description,"Description format","Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross referenced competency id numbers","Exported id (optional)","Is framework",Taxonomy'

run 0 formats "$CC_BIN" formats
has "$T/out" '^moodle +yes +yes +yes' "formats lists moodle: read, write, validate"

# ------------------------------------------------------------ hand-made frameworks
# Moodle's own export style: CRLF, a byte-order mark, descriptions in HTML over several lines
printf '\357\273\277%s\r\n' "$HEADER" >"$T/hand.csv"
printf ',FW-1,Framework,"<p>A framework &amp; its\r\nlevels</p>",1,"Not yet competent,Competent","[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,"competency,competency"\r\n' >>"$T/hand.csv"
printf ',top,"Top level","<p>Top<br>level</p>",1,,,,0,null,,1,,\r\n' >>"$T/hand.csv"
printf 'top,child-1,"Child, one",,1,,,,0,null,"top",2,,\r\n' >>"$T/hand.csv"
run 0 "a Moodle-style framework reads" "$CC_BIN" convert -f moodle -t model "$T/hand.csv"
jqtrue "$T/out" '.achievement.code == "FW-1" and .achievement.title.und == "A framework & its\r\nlevels"' "the framework row: id number, HTML description as text"
jqtrue "$T/out" '.achievement.parts[0].code == "top" and .achievement.parts[0].title.und == "Top\nlevel" and .achievement.parts[0].parts[0].code == "child-1" and .achievement.parts[0].parts[0].title.und == "Child, one"' "the tree by Parent id number; a quoted comma; an empty description gives the short name"
jqtrue "$T/out" '[.achievement.ext[] | select(.name == "moodle:scale-values") | .value] == ["Not yet competent,Competent"]' "a scale of its own is kept"
run 0 "detected by its header" "$CC_BIN" convert -t model "$T/hand.csv"
run 0 "written back" "$CC_BIN" convert -f moodle -t moodle "$T/hand.csv"
has "$T/out" '^,FW-1,Framework,"A framework &amp; its' "the framework's own short name is written back"
has "$T/out" '"Not yet competent,Competent",.*,1,"competency,competency"$' "the kept scale and taxonomy are written back"
has "$T/out" '^top,child-1,"Child, one","Child, one",' "a competency row written back"

{ echo "$HEADER"
  echo ',F,F,,1,,,,,,,,1,'
  echo 'nobody,a,A,,1,,,,0,null,,1,,'
  echo ',F2,F2,,1,,,,,,,,1,'
  echo 'c,b,B,,1,,,,0,null,,1,,'
  echo 'b,c,C,,1,,,,0,null,,2,,'
  echo ',F3,F3,,1,,,,,,,,1,'
  echo ',d,D,,1,,,,0,null,,1,,'
  echo ',d,D again,,1,,,,0,null,,2,,'
  echo ',F4,F4,,1,,,,,,,,1,'
  echo ',e,"E, fine",,1,,,,0,null,,1,,'
} >"$T/bad.csv"
run 1 "bad frameworks among good" "$CC_BIN" convert -f moodle -t model --report "$T/rep.json" "$T/bad.csv"
has "$T/err" 'bad.csv:3: error: F: Parent id number nobody names no competency.*\[moodle-parent\]' "an unknown parent, with its line"
has "$T/err" 'bad.csv:5: error: F2: b is not under the framework: its parents make a cycle \[moodle-parent\]' "a cycle of parents"
has "$T/err" 'bad.csv:9: error: F3: a second competency with Id number d \[moodle-duplicate\]' "a duplicate id number"
count "$T/out" '"code":"F4"' 1 "the good framework after them is read"
hasnt "$T/out" '"code":"F[23]?"' "the bad frameworks are not"
has "$T/rep.json" '"read":4,"written":1,"rejected":3' "report counts"
{ echo "$HEADER"; echo ',F,F,,1,,,,,,,,1,'; printf ',big,"'; head -c 2097152 /dev/zero | tr '\0' x; echo '",,1,,,,0,null,,1,,'; } >"$T/huge.csv"
run 1 "a 2 MB field" "$CC_BIN" convert -f moodle -t model "$T/huge.csv"
has "$T/err" 'huge.csv:3: error: .*a field longer than 1048576 bytes.*\[moodle-csv\]' "a huge field is refused with its line"
{ echo "$HEADER"; echo ',F,F,,1,,,,,,,,1,'; printf ',wide,W%0100d\n' 0 | sed 's/0/,/g'; } >"$T/wide.csv"
run 1 "a row of 100 fields" "$CC_BIN" convert -f moodle -t model "$T/wide.csv"
has "$T/err" 'wide.csv:3: error: .*more than 64 fields \[moodle-csv\]' "a row of too many fields is refused"
# what the writer writes is read back before it is kept: 14 nested parts are more than a
# Moodle framework is read with
python3 -c '
import json
node = {"code": "P14", "kind": "competency", "title": {"fr": "p14"}}
for i in range(13, 0, -1):
    node = {"code": "P%d" % i, "kind": "competency", "title": {"fr": "p%d" % i}, "parts": [node]}
print(json.dumps({"model": "credconv-model/1", "achievement": {"code": "FWD", "kind": "framework", "title": {"fr": "deep"}, "parts": [node]}}))
' >"$T/deep.json"
run 1 "a framework too deep to read back" "$CC_BIN" convert -f model -t moodle "$T/deep.json"
has "$T/err" 'deeper than 12 levels \[moodle-depth\]' "the reader's check names the problem"
has "$T/err" 'FWD: not written: its moodle output would fail `validate -f moodle`.*\[write-invalid\]' "the record is not written"
hasnt "$T/out" . "nothing written"
run 0 "written anyway with --allow-invalid" "$CC_BIN" convert -f model -t moodle --allow-invalid "$T/deep.json"
count "$T/out" '^P13,P14,' 1 "the deep framework written with --allow-invalid"
printf 'a,b,c\n1,2,3\n' >"$T/nohead.csv"
run 1 "no Moodle header" "$CC_BIN" convert -f moodle -t model "$T/nohead.csv"
has "$T/err" 'the header has no column "Parent id number" \[moodle-header\]' "the header is checked"
{ echo "$HEADER"; echo ',x,X,,1,,,,0,null,,1,,'; } >"$T/orphan.csv"
run 1 "a competency before the framework row" "$CC_BIN" convert -f moodle -t model "$T/orphan.csv"
has "$T/err" 'orphan.csv:2: error: a competency before any framework row.*\[moodle-no-framework\]' "a competency needs a framework"

if [ ! -f "$MONCAMPUS" ]; then
    skipped "Moodle corpus cases"
    finish e2e_moodle
    exit
fi

# ------------------------------------------------------------ a fiche as a framework
run 0 "a fiche to moodle" "$CC_BIN" convert -t moodle --select RNCP35340 -o "$T/f.csv" "$MONCAMPUS"
head -1 "$T/f.csv" >"$T/h"
echo "$HEADER" >"$T/want"
same "$T/h" "$T/want" "the header is the documented one, byte for byte"
# Moodle's CSV read by an independent parser (Python's csv module)
python3 - "$T/f.csv" >"$T/rows.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
print(json.dumps(rows, ensure_ascii=False))
PY
jqtrue "$T/rows.json" '.[0] | length == 14' "14 columns"
jqtrue "$T/rows.json" '.[1] as $f | $f[0] == "" and $f[1] == "RNCP35340" and $f[4] == "1" and $f[5] == "Non acquis,Acquis" and ($f[6] | fromjson) == [{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}] and $f[12] == "1" and $f[7:12] == ["","","","",""]' "the framework row: empty parent, Is framework 1, the scale values and configuration"
jqtrue "$T/rows.json" '.[1][13] | split(",") | length == 4 and all(IN("behaviour","competency","concept","domain","indicator","level","outcome","practice","proficiency","skill","value"))' "the taxonomy: one Moodle term per level"
jqtrue "$T/rows.json" '.[1][2] | length <= 100' "the framework short name fits Moodle's 100 characters"
jqtrue "$T/rows.json" '.[2:] | all(.[4] == "1" and .[8] == "0" and .[12] == "")' "every competency row: Description format 1, Rule outcome 0, not a framework"
jqtrue "$T/rows.json" '.[2:] | [.[][11] | tonumber] == [range(1; length + 1)]' "Exported id is a sequence"
jqtrue "$T/rows.json" '[.[2:][] | select(.[1] | test("^RNCP35340BC[0-9]+$")) | .[0]] | length == 5 and all(. == "")' "the 5 blocks are top-level competencies"
jqtrue "$T/rows.json" '[.[2:][] | select(.[1] | test("\\.")) | (.[1] | sub("\\.[0-9]+$"; "")) == .[0]] | length > 20 and all' "each outcome's Parent id number is its block's code"
jqtrue "$T/rows.json" '[.[1:][] | .[1]] | length == (unique | length)' "id numbers are distinct"
"$CC_BIN" convert -t model --select RNCP35340 "$MONCAMPUS" >"$T/m1.json" 2>/dev/null
n=$(jq '[.achievement | .outcomes[]?, (.parts[] | ., .outcomes[]?)] | length' "$T/m1.json")
jqtrue "$T/rows.json" "length == 2 + $n" "one row per block and per learning outcome"

# read back to the same tree
cat >"$T/tree.jq" <<'JQ'
def txt: if . == null then null else to_entries[0].value end;
def node: {code, kind, title: (.title | txt), partOf,
  outcomes: [(.outcomes // [])[] | {text: (.text | txt), level}], parts: [(.parts // [])[] | node]};
.achievement | node
JQ
for f in "$CORPUS"/rncp/*.xml; do
    nm=$(basename "$f")
    "$CC_BIN" convert -t model "$f" >"$T/m.json" 2>/dev/null
    run 0 "$nm to moodle, one file per fiche" "$CC_BIN" convert -t moodle -O "$T/out-$nm" "$f"
    files=$(ls "$T/out-$nm" | wc -l)
    [ "$files" -eq "$(grep -c . "$T/m.json")" ] && ok || ko "$nm: $files files for $(grep -c . "$T/m.json") fiches"
    cat "$T/out-$nm"/*.csv | grep -c '^"Parent id number"' >"$T/hc"
    [ "$(cat "$T/hc")" -eq "$files" ] && ok || ko "$nm: every file has its header"
    "$CC_BIN" convert -t moodle -o "$T/all.csv" "$f" 2>/dev/null
    count "$T/all.csv" '^"Parent id number"' 1 "$nm: one header for many frameworks"
    "$CC_BIN" convert -t moodle -o "$T/all.csv" "$f" 2>"$T/warn"
    [ "$(grep -c . "$T/m.json")" -lt 2 ] || has "$T/warn" 'Moodle imports one framework per file.*\[moodle-one-per-file\]' "$nm: a second framework in one file is warned of"
    run 0 "$nm: moodle reads back" "$CC_BIN" convert -f moodle -t model -o "$T/m2.json" "$T/all.csv"
    jq -cS -f "$T/tree.jq" "$T/m.json" >"$T/t1"
    jq -cS -f "$T/tree.jq" "$T/m2.json" >"$T/t2"
    same "$T/t1" "$T/t2" "$nm: the same tree after a round trip"
    "$CC_BIN" convert -t moodle "$T/m2.json" >"$T/again.csv" 2>/dev/null
    same "$T/all.csv" "$T/again.csv" "$nm: moodle -> model -> moodle gives the same file"
    run 0 "$nm: validate -f moodle" "$CC_BIN" validate -f moodle "$T/all.csv"
done
# a CASE framework from another tool (OpenSALT's, dotted CCSS codes) as a Moodle framework:
# nodes without a code take their URI as id number, and the tree is kept
BIG=$CORPUS/case/opensalt/opensalt-framework-20c5134f-423d-4097-a971-3dd5152bf507.json
if [ -f "$BIG" ]; then
    run 0 "OpenSALT's package to moodle" "$CC_BIN" convert -f case -t moodle -o "$T/ccss.csv" "$BIG"
    run 0 "OpenSALT's package as moodle reads back" "$CC_BIN" convert -f moodle -t model -o "$T/ccss.json" "$T/ccss.csv"
    hasnt "$T/err" 'moodle-under-outcome' "no node is moved: a dotted code with children stays a part"
    jqtrue "$T/ccss.json" '([.achievement | recurse(.parts[]?)] | length - 1) + ([.achievement | recurse(.parts[]?) | .outcomes[]?] | length) == 16' "the 16 items are 16 competencies"
    jqtrue "$T/ccss.json" '[.achievement | recurse(.parts[]?) | select(.code == "CCSS.Math.Content.6.RP.A.3") | [.parts[].code]] == [["CCSS.Math.Content.6.RP.A.3a","CCSS.Math.Content.6.RP.A.3b","CCSS.Math.Content.6.RP.A.3c","CCSS.Math.Content.6.RP.A.3d"]]' "6.RP.A.3 keeps its four standards"
fi
# a credential is no framework
CRED=$CORPUS/ob/examples/ob3-spec/basicOpenBadgeCredential--01-sample-openbadgecredential.json
if [ -f "$CRED" ]; then
    run 1 "a credential to moodle" "$CC_BIN" convert -t moodle "$CRED"
    has "$T/err" '\[moodle-not-framework\]' "a credential is refused with its rule"
    hasnt "$T/out" . "nothing written for a credential"
fi
finish e2e_moodle
