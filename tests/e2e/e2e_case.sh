#!/bin/sh
# End-to-end tests of the CASE 1.1 format (competency frameworks) through the credconv command.
# Usage: CREDCONV=path/to/credconv CREDCONV_SCHEMAS=schemas sh tests/e2e/e2e_case.sh
. tests/e2e/sh_lib.sh
CASE=$CORPUS/case
V10=$CASE/case-v1p0-cfpackage-schema.json
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
MONCAMPUS=$CORPUS/rncp/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml
export SOURCE_DATE_EPOCH=1767225600  # a fiche without dates gets this lastChangeDateTime

run 0 formats "$CC_BIN" formats
has "$T/out" '^case +yes +yes +yes' "formats lists case: read, write, validate"

# ------------------------------------------------------------ hand-made packages
D=aaaaaaaa-aaaa-5aaa-8aaa-aaaaaaaaaaaa
item() { printf '{"identifier":"%s","uri":"urn:uuid:%s","fullStatement":"%s","lastChangeDateTime":"2024-01-01T00:00:00Z"}' "$1" "$1" "$2"; }
edge() { printf '{"identifier":"%s","associationType":"isChildOf","uri":"urn:uuid:%s","originNodeURI":{"title":"o","identifier":"%s","uri":"urn:uuid:%s"},"destinationNodeURI":{"title":"d","identifier":"%s","uri":"urn:uuid:%s"},"lastChangeDateTime":"2024-01-01T00:00:00Z"}' "$1" "$1" "$2" "$2" "$3" "$3"; }
uid() { printf '%08x-0000-5000-8000-%012x' "$1" "$2"; }
doc='"CFDocument":{"identifier":"'$D'","uri":"urn:uuid:'$D'","creator":"C","title":"T","lastChangeDateTime":"2024-01-01T00:00:00Z"}'
# a cycle (1 child of 2, 2 child of 1) beside a good item 3: nothing lost, nothing loops
printf '{%s,"CFItems":[%s,%s,%s],"CFAssociations":[%s,%s,%s]}\n' "$doc" \
    "$(item "$(uid 1 1)" one)" "$(item "$(uid 2 2)" two)" "$(item "$(uid 3 3)" three)" \
    "$(edge "$(uid 9 1)" "$(uid 1 1)" "$(uid 2 2)")" "$(edge "$(uid 9 2)" "$(uid 2 2)" "$(uid 1 1)")" \
    "$(edge "$(uid 9 3)" "$(uid 3 3)" "$D")" >"$T/cycle.json"
run 0 "a cycle of isChildOf reads" "$CC_BIN" convert -f case -t case "$T/cycle.json"
jqtrue "$T/out" '(.CFItems | length) == 3 and (.CFAssociations | length) == 3' "a cycle keeps its 3 items and 3 associations"
jqtrue "$T/out" '[.CFAssociations[].identifier] | sort == ["00000009-0000-5000-8000-000000000001","00000009-0000-5000-8000-000000000002","00000009-0000-5000-8000-000000000003"]' "a cycle keeps the associations' own identifiers"
# a chain 300 deep: no stack, every item and association kept
i=1 items="" edges="" parent=$D
while [ $i -le 300 ]; do
    items="$items${items:+,}$(item "$(uid 1 $i)" "n$i")"
    edges="$edges${edges:+,}$(edge "$(uid 2 $i)" "$(uid 1 $i)" "$parent")"
    parent=$(uid 1 $i) i=$((i + 1))
done
printf '{%s,"CFItems":[%s],"CFAssociations":[%s]}\n' "$doc" "$items" "$edges" >"$T/deep.json"
run 0 "a 300-deep chain reads" "$CC_BIN" convert -f case -t case "$T/deep.json"
jqtrue "$T/out" '(.CFItems | length) == 300 and (.CFAssociations | length) == 300 and ([.CFAssociations[].identifier] | unique | length) == 300' "a deep chain keeps every item and association"
printf '{"CFItems":[]}\n{"CFDocument":{"identifier":"%s","uri":"urn:uuid:%s","creator":"C","title":"T2","lastChangeDateTime":"2024-01-01T00:00:00Z"},"CFItems":[%s,%s]}\n' \
    "$D" "$D" "$(item "$(uid 1 1)" a)" "$(item "$(uid 1 1)" b)" >"$T/bad.json"
run 1 "no CFDocument, a duplicate identifier" "$CC_BIN" convert -f case -t model "$T/bad.json"
has "$T/err" 'bad.json:1: error: .*not a CFPackage.*\[case-no-document\]' "a document without CFDocument is refused with its line"
has "$T/err" 'bad.json:2: error: T2: a second node with identifier .* \(at /CFItems/1\) \[case-duplicate\]' "a duplicate identifier is refused with its pointer"
hasnt "$T/out" . "nothing is written for refused packages"

# ------------------------------------------------------------ the corpus
if [ ! -f "$R12" ] || [ ! -f "$V10" ]; then
    skipped "CASE corpus cases"
    finish e2e_case
    exit
fi

# Every corpus fiche: a package per fiche, valid against the bundled 1.1 schema, and with
# --case-version 1.0 valid against the official 1.0 schema and free of 1.1 fields.
for f in "$CORPUS"/rncp/*.xml; do
    nm=$(basename "$f")
    "$CC_BIN" convert -t model "$f" >"$T/m.json" 2>/dev/null
    fiches=$(grep -c . "$T/m.json")
    run 0 "$nm to case" "$CC_BIN" convert -t case -o "$T/c.json" "$f"
    count "$T/c.json" '"CFDocument"' "$fiches" "$nm: one package per fiche"
    jqtrue "$T/c.json" '.CFDocument.caseVersion == "1.1"' "$nm: caseVersion 1.1"
    run 0 "$nm: valid CASE 1.1" "$CC_BIN" validate -f case "$T/c.json"
    run 0 "$nm to case 1.0" "$CC_BIN" convert -t case --case-version 1.0 -o "$T/c10.json" "$f"
    run 0 "$nm: valid against the official 1.0 schema" "$CC_BIN" validate -f case --schema "$V10" "$T/c10.json"
    hasnt "$T/c10.json" '"(frameworkType|caseVersion|extensions|targetType)"' "$nm: 1.0 output has no 1.1 field"
    # read back: the model again, on every field CASE carries
    "$CC_BIN" convert -f case -t model "$T/c.json" >"$T/m2.json" 2>/dev/null
    cat >"$T/proj.jq" <<'JQ'
def part: {id, code, kind, title, description, partOf, validUntil, language,
  outcomes: [(.outcomes // [])[] | {text, level}], parts: [(.parts // [])[] | part]};
.achievement | {id, code, kind, title, description, homepage, validUntil, active,
  creator: ([(.organizations // [])[] | select(.role == "awarding-body") | .name][0]),
  outcomes: [(.outcomes // [])[] | {text, level}], parts: [(.parts // [])[] | part]}
JQ
    jq -cS -f "$T/proj.jq" "$T/m.json" >"$T/p1"
    jq -cS -f "$T/proj.jq" "$T/m2.json" >"$T/p2"
    same "$T/p1" "$T/p2" "$nm: CASE reads back to the same model"
    "$CC_BIN" convert -t case "$T/m2.json" >"$T/c2.json" 2>/dev/null
    same "$T/c.json" "$T/c2.json" "$nm: model -> case -> model -> case gives the same package"
done

# The shape of a package (the 12-fiche fixture)
"$CC_BIN" convert -t model "$R12" >"$T/m12.json" 2>/dev/null
"$CC_BIN" convert -t case "$R12" >"$T/c12.json" 2>/dev/null
blocks=$(jq '[.achievement.parts[]?] | length' "$T/m12.json" | paste -sd+ | bc)
outcomes=$(jq '[.achievement | .outcomes[]?, .parts[]?.outcomes[]?] | length' "$T/m12.json" | paste -sd+ | bc)
items=$(jq '.CFItems | length' "$T/c12.json" | paste -sd+ | bc)
assocs=$(jq '.CFAssociations | length' "$T/c12.json" | paste -sd+ | bc)
[ "$items" -eq $((blocks + outcomes)) ] && [ "$blocks" -gt 40 ] && ok || ko "12 fiches: $items items, expected $blocks blocks + $outcomes outcomes"
[ "$assocs" -eq "$items" ] && ok || ko "12 fiches: $assocs associations for $items items"
jqtrue "$T/c12.json" '[.CFItems[] | select(.CFItemType == "Bloc de compétences") | .humanCodingScheme | test("^RNCP[0-9]+BC[0-9]+$")] | all and length > 0' "a block's humanCodingScheme is its RNCP code"
jqtrue "$T/c12.json" '.CFDocument.identifier as $d | [.CFItems[] | select(.CFItemType == "Bloc de compétences") | .identifier] as $b | [.CFAssociations[] | select(.originNodeURI.identifier | IN($b[])) | .associationType == "isChildOf" and .destinationNodeURI.identifier == $d] | all' "every block isChildOf the document"
jqtrue "$T/c12.json" '(.CFItems | map({(.identifier): .}) | add) as $i | [.CFAssociations[] | $i[.originNodeURI.identifier] as $o | $i[.destinationNodeURI.identifier] as $p | select($o.CFItemType == "Compétence" and $p != null) | $p.CFItemType == "Bloc de compétences" and ($o.humanCodingScheme | startswith($p.humanCodingScheme + "."))] | all and length > 0' "every outcome of a block isChildOf its block"
jqtrue "$T/c12.json" '[.CFItems[].identifier] | length == (unique | length)' "identifiers are distinct"
# the identifiers are name-based: the v5 UUID of the fiche's URL (independent implementation)
want=$(python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, "https://www.francecompetences.fr/recherche/rncp/35340/"))')
"$CC_BIN" convert -t case --select RNCP35340 "$MONCAMPUS" >"$T/35340.json" 2>/dev/null
jqtrue "$T/35340.json" ".CFDocument.identifier == \"$want\"" "the CFDocument identifier is uuid5(URL, fiche URL)"
want=$(python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, "https://www.francecompetences.fr/recherche/rncp/35340/#RNCP35340BC01"))')
jqtrue "$T/35340.json" "[.CFItems[] | select(.humanCodingScheme == \"RNCP35340BC01\") | .identifier] == [\"$want\"]" "a block's identifier is uuid5(URL, block URL)"
# lastChangeDateTime: the latest of the fiche's dates (publication 2024-09-19 after effect 2024-09-01)
"$CC_BIN" convert -t case --select RNCP39568 "$R12" >"$T/39568.json" 2>/dev/null
jqtrue "$T/39568.json" '.CFDocument.lastChangeDateTime == "2024-09-19T00:00:00Z" and ([.CFItems[].lastChangeDateTime] | unique) == ["2024-09-19T00:00:00Z"]' "lastChangeDateTime from the fiche's latest date"
# a re-export of an edited fiche keeps the identifiers of what did not change
sed 's/Support et mise à disposition de services informatiques/Support et services/' "$MONCAMPUS" >"$T/edited.xml"
"$CC_BIN" convert -t case --select RNCP35340 "$T/edited.xml" >"$T/edited.json" 2>/dev/null
jq -c '[.CFItems[].identifier] | sort' "$T/35340.json" >"$T/ids1"
jq -c '[.CFItems[].identifier] | sort' "$T/edited.json" >"$T/ids2"
same "$T/ids1" "$T/ids2" "a block renamed keeps every identifier"
jqtrue "$T/edited.json" '[.CFItems[] | select(.humanCodingScheme == "RNCP35340BC01") | .fullStatement] == ["Support et services"]' "the renamed block has its new text"
# 1.0 carries no code on the CFDocument: it comes back from the blocks' codes
"$CC_BIN" convert -t case --case-version 1.0 --select RNCP35340 "$MONCAMPUS" 2>/dev/null |
    "$CC_BIN" convert -f case -t model >"$T/m10.json" 2>/dev/null
jqtrue "$T/m10.json" '.achievement.code == "RNCP35340" and .achievement.kind == "certification" and ([.achievement.parts[].partOf] | unique) == ["RNCP35340"]' "a 1.0 package gives the fiche's code back from its blocks"
# the 1.0 schema is really applied: a package-level extension is refused by it
jq -c '. + {extensions: {x: 1}}' "$T/35340.json" >"$T/ext.json"
run 1 "the official 1.0 schema refuses a 1.1 package extension" "$CC_BIN" validate -f case --schema "$V10" "$T/ext.json"
has "$T/err" "'extensions' is not allowed.*\[case-schema\]" "the 1.0 schema names the extension"
run 0 "the bundled 1.1 schema accepts it" "$CC_BIN" validate -f case "$T/ext.json"
# a credential is no framework
CRED=$CORPUS/ob/examples/ob3-spec/basicOpenBadgeCredential--01-sample-openbadgecredential.json
if [ -f "$CRED" ]; then
    run 1 "a credential to case" "$CC_BIN" convert -t case "$CRED"
    has "$T/err" '\[case-not-framework\]' "a credential is refused with its rule"
    hasnt "$T/out" CFDocument "nothing written for a credential"
fi

# ------------------------------------------------------------ OpenSALT packages
for n in Utf8TestFramework SequenceNumberFramework SmartLevelFramework; do
    f=$CASE/opensalt/$n.json
    run 0 "$n: valid against the official 1.0 schema" "$CC_BIN" validate -f case --schema "$V10" "$f"
    # their identifiers lack the RFC 4122 variant CASE 1.1 requires
    run 1 "$n: not valid CASE 1.1" "$CC_BIN" validate -f case "$f"
    has "$T/err" 'identifier\) \[case-schema\]' "$n: the 1.1 identifier pattern is what fails"
    run 0 "$n: read" "$CC_BIN" convert -f case -t model "$f"
    cp "$T/out" "$T/model.json"
    # what the model holds: every item (a part or an outcome) and every association (a tree edge,
    # or one kept as read)
    jqtrue "$T/model.json" "([.achievement | recurse(.parts[]?)] | length - 1) + ([.achievement | recurse(.parts[]?) | .outcomes[]?] | length) == $(jq '.CFItems | length' "$f")" "$n: every item read"
    cat >"$T/edges.jq" <<'JQ'
([.achievement | recurse(.parts[]?)][1:] | map(select(((.ext // []) | any(.name == "case:isChildOf")) or ((.ext // []) | any(.name == "case:orphan") | not))) | length)
+ ([.achievement | recurse(.parts[]?) | .outcomes[]?] | length)
+ ([.achievement.ext[]? | select(.name == "case:association")] | length)
JQ
    [ "$(jq -f "$T/edges.jq" "$T/model.json")" -eq "$(jq '.CFAssociations | length' "$f")" ] && ok ||
        ko "$n: the model holds $(jq -f "$T/edges.jq" "$T/model.json") associations, not $(jq '.CFAssociations | length' "$f")"
    run 0 "$n: written back (identifiers kept, 1.1 check relaxed)" "$CC_BIN" convert -f case -t case --allow-invalid "$f"
    for k in CFItems CFAssociations; do
        jq -c "[.$k[].identifier] | sort" "$f" >"$T/a"
        jq -c "[.$k[].identifier] | sort" "$T/out" >"$T/b"
        same "$T/a" "$T/b" "$n: the same $k identifiers after a round trip"
    done
    # the model in between (another tool's NDJSON step) keeps all of it
    cp "$T/out" "$T/direct.json"
    "$CC_BIN" convert -f model -t case --allow-invalid "$T/model.json" >"$T/via.json" 2>/dev/null
    same "$T/direct.json" "$T/via.json" "$n: case -> model -> case is case -> case"
done
BIG=$CASE/opensalt/opensalt-framework-20c5134f-423d-4097-a971-3dd5152bf507.json
run 1 "the OpenSALT sample package: not valid (date-times without a zone)" "$CC_BIN" validate -f case --schema "$V10" "$BIG"
has "$T/err" "not a valid 'date-time' \(at /CFDocument/lastChangeDateTime\)" "the OpenSALT quirk is reported where it is"
run 0 "the OpenSALT sample package converts" "$CC_BIN" convert -f case -t case "$BIG"
has "$T/err" 'has no time zone: read as UTC.*\[case-datetime-zone\]' "the missing time zone is a warning"
cp "$T/out" "$T/big.json"
jqtrue "$T/big.json" '(.CFItems | length) == 16 and (.CFAssociations | length) == 39' "16 items and 39 associations, none lost"
"$CC_BIN" convert -f case -t model "$BIG" >"$T/bigm.json" 2>/dev/null
jqtrue "$T/bigm.json" '([.achievement | recurse(.parts[]?)] | length - 1) + ([.achievement | recurse(.parts[]?) | .outcomes[]?] | length) == 16' "the model holds the 16 items"
[ "$(jq -f "$T/edges.jq" "$T/bigm.json")" -eq 39 ] && ok || ko "the model holds $(jq -f "$T/edges.jq" "$T/bigm.json") associations, not 39"
jqtrue "$T/bigm.json" '[.achievement.ext[] | select(.name == "case:association") | .value | fromjson | .associationType] | sort == (["exactMatchOf","exemplar","isRelatedTo","precedes"] | map(. as $t | {exactMatchOf: 16, exemplar: 2, isRelatedTo: 2, precedes: 3}[$t] as $n | [range($n)] | map($t)) | add | sort)' "the 23 associations beside the tree are kept, by type"
for k in CFItems CFAssociations; do
    jq -c "[.$k[].identifier] | sort" "$BIG" >"$T/a"
    jq -c "[.$k[].identifier] | sort" "$T/big.json" >"$T/b"
    same "$T/a" "$T/b" "OpenSALT sample: the same $k identifiers"
done
jq -c '[.CFAssociations[] | [.associationType, .originNodeURI.identifier, .destinationNodeURI.identifier]] | sort' "$BIG" >"$T/a"
jq -c '[.CFAssociations[] | [.associationType, .originNodeURI.identifier, .destinationNodeURI.identifier]] | sort' "$T/big.json" >"$T/b"
same "$T/a" "$T/b" "OpenSALT sample: every association keeps its type and its two nodes"
jqtrue "$T/big.json" '[.. | objects | .lastChangeDateTime // empty | endswith("Z")] | all and length > 50' "no date-time without a zone is written"
run 0 "the written OpenSALT package is valid CASE 1.1" "$CC_BIN" validate -f case "$T/big.json"
finish e2e_case
