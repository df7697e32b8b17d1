#!/bin/sh
# Hostile inputs, through the command: every row of docs/security.md that is not already
# tested elsewhere (the table names the test of each row).  For each: the exit status, the
# diagnostic, and that the records around the bad one still convert where that applies.
. tests/e2e/sh_lib.sh
S=samples
ISSUE="--issuer $S/issuer.json --recipients $S/recipients.csv"
echo "SECRET-hostile-$$" >"$T/secret.txt"
xml_ok() { if xmllint --nonet --noout "$1" 2>/dev/null; then ok; else ko "$2: not well-formed XML"; fi; }

# An EDC credential made by credconv itself, to be spoiled below.
"$CC_BIN" convert -q -t edc $ISSUE -O "$T/edc" "$S/rncp-sample.xml" 2>/dev/null
EDC=$(ls "$T/edc"/*.xml | head -1)
with_doctype() {  # FILE DOCTYPE: FILE with DOCTYPE after its XML declaration, on stdout
    awk -v d="$2" 'NR == 1 && /^<\?xml/ { print; print d; next } NR == 1 { print d } { print }' "$1"
}
BOMB='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
XXE="<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file://$T/secret.txt\">]>"

# ------------------------------------------------------------ DTDs and entities (EDC, SVG)
with_doctype "$EDC" "$XXE" | sed 's|<title>|<title>\&xxe;|' >"$T/edc-xxe.xml"
for cmd in convert validate; do
    if [ $cmd = convert ]; then set -- convert -t model; else set -- validate; fi
    run 1 "edc external entity ($cmd)" "$CC_BIN" "$@" "$T/edc-xxe.xml"
    has "$T/err" 'edc-xxe.xml:[0-9]+:[0-9]+: error: DOCTYPE declarations are refused .*\[xml-doctype\]' "edc XXE: DOCTYPE refused ($cmd)"
    hasnt "$T/out" 'SECRET-hostile' "edc XXE: the file is never read ($cmd, stdout)"
    hasnt "$T/err" 'SECRET-hostile' "edc XXE: the file is never read ($cmd, stderr)"
done
with_doctype "$EDC" "$BOMB" | sed 's|<title>|<title>\&g;|' >"$T/edc-bomb.xml"
start=$(date +%s)
run 1 "edc entity bomb" timeout 20 "$CC_BIN" convert -t model "$T/edc-bomb.xml"
has "$T/err" 'DOCTYPE declarations are refused .*\[xml-doctype\]' "edc bomb refused"
[ $(($(date +%s) - start)) -le 5 ] && ok || ko "the EDC entity bomb is not refused at once"

# A baked SVG is parsed as XML (converters/bake/bake_svg.c) with no DTD: a DOCTYPE with an
# internal subset is refused before any entity is declared, so none is expanded or fetched.
printf '<?xml version="1.0"?>\n%s\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion>&xxe;&g;</openbadges:assertion></svg>\n' \
    "$(printf '%s' "$XXE" | sed 's/]>$//')$(printf '%s' "$BOMB" | sed 's/^<!DOCTYPE x \[//')" >"$T/evil.svg"
run 1 "svg with a DTD: unbake refuses it" "$CC_BIN" unbake "$T/evil.svg"
has "$T/err" 'evil.svg: error: line 2: a DOCTYPE with an internal subset .* is refused in a baked SVG' "svg DTD refused (unbake)"
hasnt "$T/out" 'SECRET-hostile|aaaa' "svg: entities neither expanded nor fetched"
run 1 "svg with a DTD: validate" "$CC_BIN" validate "$T/evil.svg"
has "$T/err" 'evil.svg: error: line 2: a DOCTYPE with an internal subset .* \[unbake\]' "svg DTD refused (validate)"
hasnt "$T/err" 'SECRET-hostile' "svg XXE: the file is never read"

# ------------------------------------------------------------ deep nesting
python3 -c 'import sys; sys.stdout.write("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE><FICHE>" + "<a>" * 100000 + "\n")' >"$T/deep.xml"
run 1 "xml nested 100000 deep" "$CC_BIN" convert -t model "$T/deep.xml"
has "$T/err" 'deep.xml:1:[0-9]+: error: elements nested too deeply \[xml-depth\]' "the reader's depth limit, with where"
count "$T/out" '"code":"RNCP1"' 1 "the fiche before it is converted"
python3 -c 'import sys; sys.stdout.write("{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\",\"x\":" + "[" * 100000 + "\n")' >"$T/deep.json"
run 1 "json nested 100000 deep (ob2)" "$CC_BIN" convert -f ob2 -t model "$T/deep.json"
has "$T/err" 'deep.json:1:[0-9]+: error: .*maximum parsing depth.*\[json-syntax\]' "jansson's depth limit, with where"

# ------------------------------------------------------------ 100 MB text
python3 -c 'import sys; sys.stdout.write("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE><FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>" + "a" * (100 << 20) + "</INTITULE></FICHE></FICHES>\n")' >"$T/big.xml"
run 1 "rncp 100 MB text node" "$CC_BIN" convert -t model "$T/big.xml"
has "$T/err" 'big.xml:1:[0-9]+: error: a text node longer than 10000000 bytes: refused \(libxml2.s limit without XML_PARSE_HUGE, which credconv does not set\) \[xml-huge-text\]' "rncp: clear diagnostic"
count "$T/out" '"code":"RNCP1"' 1 "rncp: the fiche before it is converted"
python3 -c 'import sys; d = open(sys.argv[1]).read(); i = d.index(">", d.index("<title")) + 1; sys.stdout.write(d[:i] + "a" * (100 << 20) + d[i:])' "$EDC" >"$T/big-edc.xml"
run 1 "edc 100 MB text node" "$CC_BIN" convert -t model "$T/big-edc.xml"
has "$T/err" 'big-edc.xml:[0-9]+: error: a text node longer than 10000000 bytes: refused .*\[xml-huge-text\]' "edc: clear diagnostic"
python3 -c 'import sys; a = "{\"id\":\"urn:%d\",\"type\":\"Achievement\",\"name\":\"%s\",\"criteria\":{\"narrative\":\"n\"}}\n"; sys.stdout.write(a % (1, "a") + a % (2, "x" * (100 << 20)) + a % (3, "c"))' >"$T/big.jsonl"
run 1 "json 100 MB string (ob3)" "$CC_BIN" convert -f ob3 -t model -o "$T/big-out.jsonl" "$T/big.jsonl"
has "$T/err" 'big.jsonl:2:1: error: a JSON document larger than 16777216 bytes \(--max-json-size\): skipped \[json-too-large\]' "refused past --max-json-size"
count "$T/big-out.jsonl" '"model"' 2 "the two documents around it convert"
run 0 "json 100 MB string, --max-json-size raised (ob3)" "$CC_BIN" convert --max-json-size 110000000 -f ob3 -t model -o "$T/big-out.jsonl" "$T/big.jsonl"
count "$T/big-out.jsonl" '"model"' 3 "all three documents convert, the big one whole"
[ "$(wc -c <"$T/big-out.jsonl")" -gt $((100 << 20)) ] && ok || ko "the 100 MB string is kept"
rm -f "$T/big.xml" "$T/big-edc.xml" "$T/big.jsonl" "$T/big-out.jsonl"

# ------------------------------------------------------------ invalid and overlong UTF-8
printf '<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>\n<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>\300\257</INTITULE></FICHE></FICHES>\n' >"$T/ovl.xml"
run 1 "xml overlong UTF-8 (rncp)" "$CC_BIN" convert -t model "$T/ovl.xml"
has "$T/err" 'ovl.xml:2:[0-9]+: error: not well-formed XML: Input is not proper UTF-8.*\[xml-syntax\]' "rncp: where"
count "$T/out" '"code":"RNCP1"' 1 "rncp: the fiche before it is converted"
sed 's|<title>|<title>\xC0\xAF|' "$EDC" >"$T/ovl-edc.xml"
run 1 "xml overlong UTF-8 (edc)" "$CC_BIN" convert -t model "$T/ovl-edc.xml"
has "$T/err" 'ovl-edc.xml:[0-9]+:[0-9]+: error: not well-formed XML: Input is not proper UTF-8.*\[xml-syntax\]' "edc: where"
A='{"id":"urn:%s","type":"Achievement","name":"%b","criteria":{"narrative":"n"}}\n'
printf "$A$A$A" 1 a 2 '\300\257' 3 c >"$T/ovl.jsonl"
run 1 "json overlong UTF-8 (ob3)" "$CC_BIN" convert -f ob3 -t model "$T/ovl.jsonl"
has "$T/err" 'ovl.jsonl:2:[0-9]+: error: unable to decode byte 0xc0.*\[json-syntax\]' "json: line and byte"
count "$T/out" '"model"' 2 "json: the documents before and after it are converted"
printf '{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:x","recipient":{"type":"email","identity":"\355\240\200@e.org"}}\n' >"$T/sur.json"
run 1 "json UTF-8 surrogate (ob2)" "$CC_BIN" convert -f ob2 -t model "$T/sur.json"
has "$T/err" 'sur.json:1:[0-9]+: error: unable to decode byte 0xed.*\[json-syntax\]' "ob2: surrogate refused"

# ------------------------------------------------------------ NUL bytes
printf '<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>\n<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>a\000b</INTITULE></FICHE></FICHES>\n' >"$T/nul.xml"
run 1 "xml NUL byte" "$CC_BIN" convert -t model "$T/nul.xml"
has "$T/err" 'nul.xml:2:[0-9]+: error: not well-formed XML: Char 0x0 out of allowed range \[xml-syntax\]' "xml: NUL refused"
count "$T/out" '"code":"RNCP1"' 1 "xml: the fiche before it is converted"
printf "$A$A" 1 a 2 'b\000c' >"$T/nul.jsonl"
run 1 "json raw NUL byte" "$CC_BIN" convert -f ob3 -t model "$T/nul.jsonl"
has "$T/err" 'nul.jsonl:2:[0-9]+: error: control character 0x0.*\[json-syntax\]' "json: raw NUL refused"
count "$T/out" '"model"' 1 "json: the document before it is converted"
printf "$A$A" 1 a 2 'b\\u0000c' >"$T/nul2.jsonl"
run 1 "json \\u0000" "$CC_BIN" convert -f ob3 -t model "$T/nul2.jsonl"
has "$T/err" 'nul2.jsonl:2:[0-9]+: error: \\u0000 is not allowed.*\[json-syntax\]' "json: escaped NUL refused"
printf 'email,given_name,family_name,achievement\nlea@example.org,L\000a,Martin,RNCP99001\nkarim@example.org,Karim,Ben Ali,RNCP99001\n' >"$T/nul.csv"
run 1 "csv NUL byte" "$CC_BIN" convert -t model --issuer "$S/issuer.json" --recipients "$T/nul.csv" "$S/rncp-sample.xml"
has "$T/err" "nul.csv:2: error: a NUL byte in the row \\(column 'given_name'\\): row skipped \\[csv-row\\]" "csv: the row is refused, with its line"
count "$T/out" '"email":"karim@example.org"' 1 "csv: the other row is issued"
hasnt "$T/out" 'lea@example.org' "csv: nothing of the bad row"
printf 'email,given_name,family_name,achievement\nlea@example.org,\300\257a,Martin,RNCP99001\nkarim@example.org,Karim,Ben Ali,RNCP99001\n' >"$T/ovl.csv"
run 1 "csv overlong UTF-8" "$CC_BIN" convert -t edc -O "$T/ovl-edc" --issuer "$S/issuer.json" --recipients "$T/ovl.csv" --csv-encoding utf-8 "$S/rncp-sample.xml"
has "$T/err" "ovl.csv:2: error: lea@example.org: not UTF-8 text \\(byte 0xC0 at character 1 of column 'given_name'\\): row skipped \\[csv-row\\]" "csv: the row is refused"
for f in "$T/ovl-edc"/*.xml; do xml_ok "$f" "EDC from a CSV with a bad row"; done

# ------------------------------------------------------------ duplicate keys, numbers
printf '{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:a","id":"urn:b"}\n' >"$T/dup.json"
run 1 "duplicate keys (ob2)" "$CC_BIN" convert -f ob2 -t model "$T/dup.json"
has "$T/err" 'dup.json:1:[0-9]+: error: duplicate object key near .*\[json-syntax\]' "ob2: duplicate key refused"
printf '{"model":"credconv-model/1","achievement":{"code":"A","code":"B"}}\n' >"$T/dup-model.json"
run 1 "duplicate keys (model)" "$CC_BIN" convert -t model "$T/dup-model.json"
has "$T/err" 'duplicate object key' "model: duplicate key refused"
printf '{"id":"urn:1","type":"Achievement","name":"a","criteria":{"narrative":"n"},"x":18446744073709551617}\n' >"$T/int.jsonl"
run 1 "integer beyond 64 bits" "$CC_BIN" convert -f ob3 -t model "$T/int.jsonl"
has "$T/err" 'int.jsonl:1:[0-9]+: error: too big integer.*\[json-syntax\]' "too big integer"
printf '{"id":"urn:1","type":"Achievement","name":"a","criteria":{"narrative":"n"},"x":1e999}\n' >"$T/exp.jsonl"
run 1 "huge exponent" "$CC_BIN" convert -f ob3 -t model "$T/exp.jsonl"
has "$T/err" 'exp.jsonl:1:[0-9]+: error: real number overflow.*\[json-syntax\]' "real overflow"
printf '{"id":"urn:1","type":"Achievement","name":"a","criteria":{"narrative":"n"},"x":1e-999}\n' >"$T/tiny.jsonl"
run 0 "tiny exponent" "$CC_BIN" convert -f ob3 -t model "$T/tiny.jsonl"
has "$T/out" '"value":"0.0"' "underflows to zero"
printf '{"model":"credconv-model/1","achievement":{"code":"A","eqfLevel":4294967302}}\n{"model":"credconv-model/1","achievement":{"code":"B","eqfLevel":6}}\n{"model":"credconv-model/1","achievement":{"code":"C","eqfLevel":-9223372036854775808}}\n' >"$T/eqf.json"
run 1 "integer out of a field's range (model)" "$CC_BIN" convert -t model "$T/eqf.json"
count "$T/err" 'error: expected a small non-negative integer \(at /achievement/eqfLevel\) \[model-type\]' 2 "no wrap-around: refused with a pointer"
count "$T/out" '"code":"B"' 1 "the good record converts"

# ------------------------------------------------------------ ids and file names
printf '{"id":"../../../../tmp/evil-%s","type":"Achievement","name":"a","criteria":{"narrative":"n"}}\n' $$ >"$T/trav.jsonl"
run 0 "-O with a traversing credential id" "$CC_BIN" convert --allow-invalid -f ob3 -t ob3 -O "$T/trav" "$T/trav.jsonl"
[ ! -e "/tmp/evil-$$.json" ] && [ "$(ls "$T/trav" | wc -l)" -eq 1 ] && ok || ko "-O: an id escaped the folder"

# ------------------------------------------------------------ spreadsheet formulas
printf 'email,given_name,family_name,achievement\n=lea@example.org,=HYPERLINK("http://e.org"),Martin,RNCP99001\nkarim@example.org,@Karim,-Ben Ali,RNCP99001\n' >"$T/formula.csv"
run 0 "csv formula prefixes" "$CC_BIN" convert -t model --issuer "$S/issuer.json" --recipients "$T/formula.csv" "$S/rncp-sample.xml"
count "$T/err" 'formula.csv:[23]: warning: .*starts with .[=@-]., which a spreadsheet may run as a formula: kept as written.*\[csv-formula\]' 4 "one warning per field"
count "$T/out" '"credential"' 2 "both rows issued"
has "$T/out" '"givenName":"=HYPERLINK\(\\"http://e.org\\"\)"' "the value is kept as written"

# ------------------------------------------------------------ character references (RNCP)
printf '<FICHES><VERSION_FLUX>3.0</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>x</INTITULE><CAPACITES_ATTESTEES>a&amp;#1;b&amp;#xFFFE;c&amp;#233;</CAPACITES_ATTESTEES></FICHE></FICHES>\n' >"$T/ctl.xml"
run 0 "legacy references XML cannot carry" "$CC_BIN" convert --allow-invalid -t rncp -o "$T/ctl-out.xml" "$T/ctl.xml"
xml_ok "$T/ctl-out.xml" "RNCP written from &#1;"
has "$T/ctl-out.xml" 'a&amp;#1;b&amp;#xFFFE;cé' "kept as written; a good one decoded"

e2e_end e2e-hostile
