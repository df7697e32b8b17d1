#!/bin/sh
# End-to-end tests of the credconv command: exit codes, diagnostics, outputs, counts.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e.sh    (run from the project root)
. tests/e2e/sh_lib.sh
RNCP=$CORPUS/rncp

have_corpus() { [ -f "$RNCP/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml" ]; }
R12=$RNCP/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
RS8=$RNCP/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml
RAW=$RNCP/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml
SAMPLE=samples/rncp-sample.xml

# ------------------------------------------------------------ the command line
run 0 formats "$CC_BIN" formats
has "$T/out" '^rncp +yes +yes +yes' "formats lists rncp"
has "$T/out" '^model +yes +yes' "formats lists model"
run 0 help "$CC_BIN" --help
for opt in --from --to --output --output-dir --select --active-only --strict --schema --report --quiet; do
    has "$T/out" "$opt" "help mentions $opt"
done
# The man page documents every option --help lists, and the other way round.
sed 's/\\-/-/g' man/credconv.1 >"$T/man.txt"
for opt in $(grep -Eo -- '--[a-z][a-z-]+' "$T/out" | sort -u); do
    has "$T/man.txt" "$opt" "man page documents $opt"
done
for opt in $(grep -Eo -- '--[a-z][a-z-]+' "$T/man.txt" | sort -u); do
    has "$T/out" "$opt" "--help lists $opt from the man page"
done
run 2 "no -t" "$CC_BIN" convert "$SAMPLE"
has "$T/err" 'convert needs -t' "usage error says what is missing"
run 2 "unknown format" "$CC_BIN" convert -t nope "$SAMPLE"
run 2 "missing input" "$CC_BIN" convert -t model "$T/does-not-exist.xml"
has "$T/err" 'does-not-exist.xml: error: cannot open' "I/O error names the file"
run 2 "unknown command" "$CC_BIN" frobnicate

# ------------------------------------------------------------ the sample
run 0 "sample to model" "$CC_BIN" convert -t model "$SAMPLE"
count "$T/out" '^\{"model":"credconv-model/1"' 2 "two records, one per line"
cp "$T/out" "$T/sample.json"
run 0 "model to model" "$CC_BIN" convert -t model "$T/sample.json"
if cmp -s "$T/out" "$T/sample.json"; then ok; else ko "model → model is not byte-identical"; fi
run 0 "stdin, detected" sh -c "cat '$SAMPLE' | '$CC_BIN' convert -t model"
count "$T/out" '"model"' 2 "stdin gives the same records"
run 0 "stdin with -" sh -c "'$CC_BIN' convert -t rncp - < '$T/sample.json'"
has "$T/out" '<NUMERO_FICHE>RS99002</NUMERO_FICHE>' "model → rncp"
run 0 "select a block" "$CC_BIN" convert -t model --select RNCP99001BC02 "$SAMPLE"
count "$T/out" '"code":"RNCP99001BC02"' 1 "the block is its own record"
has "$T/out" '"partOf":"RNCP99001"' "the block knows its fiche"
has "$T/out" '"eqfLevel":5' "the block inherits the level"
# A block alone lacks what its fiche carries (the V4.1 schema requires it): rejected, unless
# --allow-invalid.
run 1 "select a block to rncp: not a valid fiche" "$CC_BIN" convert -t rncp --select RNCP99001BC01 -o "$T/block.xml" "$SAMPLE"
has "$T/err" 'RNCP99001BC01: not written: its rncp output would fail .*\[write-invalid\]' "the block is rejected, with the reason"
run 0 "select a block to rncp" "$CC_BIN" convert --allow-invalid -t rncp --select RNCP99001BC01 -o "$T/block.xml" "$SAMPLE"
has "$T/block.xml" '<NUMERO_FICHE>RNCP99001</NUMERO_FICHE>' "a block is written inside its fiche"
count "$T/block.xml" '<BLOC_COMPETENCES>' 1 "only the selected block"
run 0 "progress forced" "$CC_BIN" convert -t model --progress -o "$T/p.json" "$SAMPLE"
has "$T/err" '100%' "--progress draws a bar on stderr"
run 0 "no progress when not a terminal" "$CC_BIN" convert -t model -o "$T/p.json" "$SAMPLE"
hasnt "$T/err" '%' "no bar when stderr is not a terminal"
run 0 "inspect" "$CC_BIN" inspect "$SAMPLE"
has "$T/out" 'RNCP99001 certification .*EQF 5, 2 blocks' "inspect summarises"

# ------------------------------------------------------------ outputs
run 0 "-o" "$CC_BIN" convert -t rncp -o "$T/o.xml" "$SAMPLE"
if [ -s "$T/o.xml" ] && [ ! -s "$T/out" ]; then ok; else ko "-o writes the file, not stdout"; fi
ls -a "$T" | grep -q 'tmp\|credconv-' && ko "-o left a temporary file" || ok
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
    run 2 "-o unwritable" "$CC_BIN" convert -t rncp -o "$T/ro/x.xml" "$SAMPLE"
fi
run 2 "-o and -O" "$CC_BIN" convert -t rncp -o a -O b "$SAMPLE"
run 0 "-O" "$CC_BIN" convert -t model -O "$T/dir" "$SAMPLE"
if [ -f "$T/dir/RNCP99001.json" ] && [ -f "$T/dir/RS99002.json" ]; then ok; else ko "-O names files from ids"; ls "$T/dir"; fi
printf '%s\n' '{"model":"credconv-model/1","achievement":{"code":"../../evil"}}' \
    '{"model":"credconv-model/1","achievement":{"code":"/etc/passwd"}}' \
    '{"model":"credconv-model/1","achievement":{"code":".."}}' \
    '{"model":"credconv-model/1","achievement":{"code":"RNCP1"}}' \
    '{"model":"credconv-model/1","achievement":{"code":"RNCP1"}}' >"$T/evil.json"
run 0 "-O traversal" "$CC_BIN" convert -t model -O "$T/evil" "$T/evil.json"
n=$(find "$T" -name '*.json' -newer "$T/evil.json" | grep -v "^$T/evil/" | wc -l)
if [ "$n" -eq 0 ] && [ "$(ls "$T/evil" | wc -l)" -eq 5 ]; then ok; else ko "-O: ids must not escape the folder, and same ids keep both files"; ls -la "$T/evil"; fi
if [ ! -s "$T/out" ]; then ok; else ko "-O prints nothing to stdout"; fi

# ------------------------------------------------------------ a run killed mid-way
# A large input (the sample's fiches repeated), -o and -O, killed with SIGKILL: no output
# file and no temporary file may be left (O_TMPFILE: the data has no name until commit).
awk '/<FICHE>/ { f = 1 } f { buf = buf $0 "\n" } /<\/FICHE>/ { f = 0 }
     END { print "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>"
           for (i = 0; i < 4000; i++) { b = buf; gsub(/RNCP99001/, "RNCP" (100000 + i), b); printf "%s", b }
           print "</FICHES>" }' "$SAMPLE" >"$T/big.xml"
mkdir "$T/killed" "$T/killed-dir"
# credconv reads half the input from a pipe, converts it, waits for the rest, and is killed
# there: deterministic, whatever the machine's speed.
mkfifo "$T/fifo1" "$T/fifo2"
"$CC_BIN" convert -f rncp -t ob3 -o "$T/killed/out.jsonl" <"$T/fifo1" 2>/dev/null &
pid=$!
"$CC_BIN" convert -f rncp -t edc --issuer samples/issuer.json --recipients samples/recipients.csv \
    -O "$T/killed-dir" <"$T/fifo2" 2>/dev/null &
pid2=$!
(head -c 10000000 "$T/big.xml"; sleep 3) >"$T/fifo1" &
(head -c 10000000 "$T/big.xml"; sleep 3) >"$T/fifo2" &
sleep 1
if kill -9 "$pid" "$pid2" 2>/dev/null; then ok; else ko "credconv was not running when killed"; fi
wait "$pid" 2>/dev/null
wait "$pid2" 2>/dev/null
if [ -z "$(ls -A "$T/killed")" ]; then ok; else ko "a killed -o run left: $(ls -A "$T/killed")"; fi
if ! ls -A "$T/killed-dir" | grep -qv '\.xml$'; then ok; else ko "a killed -O run left a partial file: $(ls -A "$T/killed-dir")"; fi
run 0 "the same run, not killed" "$CC_BIN" convert -t ob3 -o "$T/killed/out.jsonl" --report "$T/big.json" "$T/big.xml"
has "$T/big.json" '"read":8000,"written":8000,"rejected":0' "every record read is written"

# ------------------------------------------------------------ bad input
printf '' >"$T/empty.xml"
run 1 empty "$CC_BIN" convert -f rncp -t model "$T/empty.xml"
has "$T/err" 'empty.xml: error: empty input \[input-empty\]' "empty input"
printf '<?xml version="1.0"?>\n<FICHES>\n<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>\n<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>x</FICHE>\n</FICHES>\n' >"$T/bad.xml"
run 1 "not well formed" "$CC_BIN" convert --allow-invalid -t rncp -o "$T/bad-out.xml" "$T/bad.xml"
has "$T/err" 'bad.xml:4:[0-9]+: error: not well-formed XML: .*\[xml-syntax\]' "line and column of the error"
if xmllint --noout "$T/bad-out.xml" 2>/dev/null; then ok; else ko "output after a bad input is complete XML"; fi
count "$T/bad-out.xml" '<FICHE>' 1 "the record before the error is kept"
# The same documents through the streaming schema validator, whose SAX plug once swallowed
# syntax errors (exit 0, nothing said) and leaked the xs:unique state of open elements.
printf '<FICHES>< </FICHES>' >"$T/bad-root.xml"
printf '<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERIO_FICHE>RNCP1</NUMERO_FICHE></FICHE></FICHES>' >"$T/mismatch.xml"
while IFS="|" read -r f what pat; do
    run 1 "$what (validate)" "$CC_BIN" validate -f rncp "$T/$f"
    has "$T/err" "$f:$pat" "validate: $what, said with line and column"
done <<'CASES'
bad.xml|not well formed|4:[0-9]+: error: not well-formed XML: .*\[xml-syntax\]
bad-root.xml|bad start tag in the root|1:10: error: not well-formed XML: StartTag: invalid element name \[xml-syntax\]
mismatch.xml|mismatched end tag|1:[0-9]+: error: not well-formed XML: Opening and ending tag mismatch: NUMERIO_FICHE
CASES
head -c 2000 "$SAMPLE" >"$T/trunc.xml"
run 1 truncated "$CC_BIN" convert -t model "$T/trunc.xml"
has "$T/err" 'trunc.xml:[0-9]+:[0-9]+: error: not well-formed' "truncated input"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>caf\351</INTITULE></FICHE></FICHES>\n' >"$T/latin1.xml"
run 1 "invalid UTF-8" "$CC_BIN" convert -t model "$T/latin1.xml"
has "$T/err" 'latin1.xml:2:[0-9]+: error: .*UTF-8' "invalid UTF-8 says where"
printf '{"hello": "world"}\n' >"$T/other.json"
run 1 "undetectable" "$CC_BIN" convert -t model "$T/other.json"
has "$T/err" 'cannot tell the format' "detection failure"
run 1 "not rncp" "$CC_BIN" convert -f rncp -t model "$T/other.json"
printf '<?xml version="1.0"?>\n<catalogue><item/></catalogue>\n' >"$T/other.xml"
run 1 "other XML" "$CC_BIN" convert -f rncp -t model "$T/other.xml"
has "$T/err" 'other.xml:2:[0-9]+: error: root element is <catalogue>, not <FICHES>' "not an RNCP document"
printf '<FICHES>\n<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>\n<FICHE>\n<INTITULE>sans numéro</INTITULE></FICHE>\n<FICHE><NUMERO_FICHE>RS3</NUMERO_FICHE></FICHE>\n</FICHES>\n' >"$T/nonum.xml"
run 1 "no NUMERO_FICHE" "$CC_BIN" convert -t model --report "$T/report.json" "$T/nonum.xml"
has "$T/err" 'nonum.xml:3: error: FICHE without NUMERO_FICHE: skipped \[rncp-no-numero\]' "missing number: line and rule"
count "$T/out" '"model"' 2 "the other fiches still convert"
has "$T/report.json" '"records":\{"read":3,"written":2,"rejected":1,"filtered":0' "report counts add up"
has "$T/report.json" '"rule":"rncp-no-numero"' "report lists the diagnostic"
run 1 strict "$CC_BIN" convert -t model --strict "$T/nonum.xml"
count "$T/out" '"model"' 1 "--strict stops at the first rejected record"
cat >"$T/bomb.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE FICHES [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&h;</INTITULE></FICHE></FICHES>
XML
start=$(date +%s)
run 1 "entity bomb" timeout 10 "$CC_BIN" convert -t model "$T/bomb.xml"
if [ $(($(date +%s) - start)) -le 2 ]; then ok; else ko "the entity bomb is not refused fast"; fi
has "$T/err" 'bomb.xml:2:[0-9]+: error: DOCTYPE declarations are refused' "bomb refused with a reason"
echo "SECRET-e2e-$$" >"$T/secret.txt"
printf '<?xml version="1.0"?>\n<!DOCTYPE FICHES [ <!ENTITY x SYSTEM "file://%s"> ]>\n<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&x;</INTITULE></FICHE></FICHES>\n' "$T/secret.txt" >"$T/xxe.xml"
run 1 "external entity" "$CC_BIN" convert -t rncp --report "$T/xxe-report.json" "$T/xxe.xml"
hasnt "$T/out" "SECRET-e2e" "external entity content never in stdout"
hasnt "$T/err" "SECRET-e2e" "external entity content never in stderr"
hasnt "$T/xxe-report.json" "SECRET-e2e" "external entity content never in the report"
run 1 "external entity, validate" "$CC_BIN" validate "$T/xxe.xml"
hasnt "$T/err" "SECRET-e2e" "nor when validating"
printf '{"model":"credconv-model/1","achievement":{"code":"A","title":"x"}}\n{"model":"credconv-model/1","achievement":{"code":"B"}}\n' >"$T/badmodel.json"
run 1 "model wrong type" "$CC_BIN" convert -t model "$T/badmodel.json"
has "$T/err" 'badmodel.json:1: error: .*expected a language map .*\(at /achievement/title\) \[model-type\]' "JSON pointer in the diagnostic"
count "$T/out" '"code":"B"' 1 "the next model record converts"

# ------------------------------------------------------------ issuing
run 1 "recipients" env SOURCE_DATE_EPOCH=1780000000 "$CC_BIN" convert -t model --issuer samples/issuer.json \
    --recipients samples/recipients.csv --id-base https://ecole.example/c/ --report "$T/issue.json" "$SAMPLE"
count "$T/out" '"credential"' 3 "one credential per good row"
# uuid5(credential namespace, issuer id \n code \n email \n UTC date): docs/decisions.md
has "$T/out" '"id":"https://ecole.example/c/2bd94dc0-b96f-533f-b541-dd4c57cc8523"' "--id-base ids: base/<name-based uuid>"
count "$T/out" '"id":"https://ecole.example/c/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"' 3 "--id-base ids: every credential a v5 uuid"
hasnt "$T/out" 'ecole.example/c/RNCP' "--id-base ids: no code/row"
has "$T/out" '"issued":"2026-05-28T20:26:40Z"' "default issue date from SOURCE_DATE_EPOCH"
has "$T/out" '"familyName":"Ben Ali, dit \\"KB\\""' "quoted CSV field"
has "$T/err" 'recipients.csv:4: error: not-an-email: bad email address in column .email.: row skipped \[csv-row\]' "bad email: line"
has "$T/err" 'recipients.csv:5: error: .*bad date .* in column .issued.' "bad date: line"
has "$T/err" "recipients.csv:7: error: .*no input has the achievement 'RNCP12345'" "unknown code: line"
has "$T/issue.json" '"read":6,"written":3,"rejected":3' "issuing counts add up"
run 1 "hashed recipients" "$CC_BIN" convert -t model --issuer samples/issuer.json \
    --recipients samples/recipients.csv --hash-recipients "$SAMPLE"
hasnt "$T/out" 'lea.martin@example.org' "no plain email when hashed"
count "$T/out" '"value":"sha256\$[0-9a-f]{64}","hashed":true,"salt":"[0-9a-f]{16}"' 3 "salted sha256 identities"
count "$T/out" '"id":"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"' 3 "name-based v5 uuid ids"
has "$T/out" '"id":"urn:uuid:2bd94dc0-b96f-533f-b541-dd4c57cc8523"' "hashing the recipient keeps the id (made from the e-mail)"
printf 'email,given_name,family_name,achievement\na@b.fr,"A,B,RNCP99001\n' >"$T/unbalanced.csv"
run 1 "unbalanced CSV" "$CC_BIN" convert -t model --recipients "$T/unbalanced.csv" "$SAMPLE"
has "$T/err" 'unbalanced.csv:2: error: a quoted field \(column .[a-z_]+.\) opened on this line is never closed' "unbalanced quote: line"
run 2 "issuer without id" "$CC_BIN" convert -t model --issuer "$T/other.json" --recipients samples/recipients.csv "$SAMPLE"
has "$T/err" 'the issuer needs an "id"' "issuer checked"
run 2 "--hash-recipients alone" "$CC_BIN" convert -t model --hash-recipients "$SAMPLE"

# ------------------------------------------------------------ the real files
if have_corpus; then
    run 0 "12 RNCP fiches" "$CC_BIN" convert -t model "$R12"
    count "$T/out" '"model"' 12 "12 fiches"
    occurrences "$T/out" '"kind":"skills-block"' 53 "53 blocks, not 156"
    run 0 "8 RS fiches" "$CC_BIN" convert -t model "$RS8"
    count "$T/out" '"model"' 8 "8 RS fiches"
    run 0 "validate V4.1 corpus" "$CC_BIN" validate "$R12" "$RS8" "$RAW"
    has "$T/err" '22 records read, 22 valid, 0 invalid' "every corpus fiche is valid"
    for f in "$R12" "$RS8" "$RAW"; do
        "$CC_BIN" convert -t model "$f" >"$T/m1.json" &&
            "$CC_BIN" convert -t rncp "$f" >"$T/r1.xml" &&
            "$CC_BIN" convert -t model "$T/r1.xml" >"$T/m2.json"
        if cmp -s "$T/m1.json" "$T/m2.json"; then ok; else ko "rncp → model → rncp → model differs for $(basename "$f")"; fi
        run 0 "written rncp validates" "$CC_BIN" validate "$T/r1.xml"
        if xmllint --noout --schema schemas/rncp-4.1.xsd "$T/r1.xml" 2>/dev/null; then ok; else ko "xmllint rejects the written file"; fi
    done
    line=$(grep -n '<CODE>RNCP35809BC02</CODE>' "$R12" | cut -d: -f1)
    block_line=$((line - 1))
    sed "${line}d" "$R12" >"$T/nocode.xml"
    run 1 "block without CODE" "$CC_BIN" validate "$T/nocode.xml"
    has "$T/err" "nocode.xml:${block_line}: warning: RNCP35809: BLOC_COMPETENCES without CODE" "the block's own line"
    has "$T/err" "nocode.xml:[0-9]+: error: RNCP35809: Element 'BLOC_COMPETENCES': Missing child element.*CODE" "the schema's reason"
    has "$T/err" '12 records read, 11 valid, 1 invalid' "one invalid fiche"
    run 0 "active only" "$CC_BIN" convert -t model --active-only --report "$T/active.json" "$R12"
    count "$T/out" '"model"' 9 "9 active fiches"
    has "$T/active.json" '"read":12,"written":9,"rejected":0,"filtered":3' "filtered count"
    run 0 "select across files" "$CC_BIN" convert -t model --select RNCP35340BC01 --select RS5719 "$RAW" "$RS8"
    count "$T/out" '"model"' 2 "one block and one fiche"
else
    skipped "corpus end-to-end cases"
fi

finish e2e
