#!/bin/sh
# Inputs as they come (issue 12.7): the RNCP/RS exports as data.gouv.fr publishes them (.zip,
# the XML inside) and gzipped, recognised by their first bytes whatever their name, give the
# same output as the plain XML; --member picks a zip member; damage is reported.
. tests/e2e/sh_lib.sh
S=samples/rncp-sample.xml
"$CC_BIN" convert -q -t model "$S" >"$T/plain.ndjson"
cp "$S" "$T/export.xml"
(cd "$T" && zip -q export.zip export.xml && gzip -k export.xml && cp export.zip renamed.bin)
run 0 "zip input" "$CC_BIN" convert -q -t model "$T/export.zip"
same "$T/out" "$T/plain.ndjson" "zip: same output as the plain XML"
run 0 "gzip input" "$CC_BIN" convert -q -t model "$T/export.xml.gz"
same "$T/out" "$T/plain.ndjson" "gz: same output as the plain XML"
run 0 "zip by its magic bytes, whatever its name" "$CC_BIN" convert -q -t model "$T/renamed.bin"
same "$T/out" "$T/plain.ndjson" "renamed zip: same output"
"$CC_BIN" convert -q -t model - <"$T/export.zip" >"$T/stdin.ndjson" 2>"$T/err"
same "$T/stdin.ndjson" "$T/plain.ndjson" "zip on standard input"
run 0 "validate a zip" "$CC_BIN" validate "$T/export.zip"
run 0 "inspect a gz" "$CC_BIN" inspect "$T/export.xml.gz"
has "$T/out" 'RNCP99001' "inspect reads the gzipped fiche"

# Several members: the first .xml member, or the one --member names.
echo "not the export" >"$T/README.txt"
printf '<?xml version="1.0"?><FICHES></FICHES>\n' >"$T/empty.xml"
(cd "$T" && zip -q multi.zip README.txt export.xml empty.xml)
run 0 "a zip with a text file first" "$CC_BIN" convert -q -t model "$T/multi.zip"
same "$T/out" "$T/plain.ndjson" "the first .xml member is read"
run 0 "--member by name" "$CC_BIN" convert -q -t model --member export.xml "$T/multi.zip"
same "$T/out" "$T/plain.ndjson" "--member export.xml"
run 2 "--member that is not there" "$CC_BIN" convert -q -t model --member nope.xml "$T/multi.zip"
has "$T/err" 'no member named nope.xml' "names the missing member"
(cd "$T" && zip -q noxml.zip README.txt)
run 2 "a zip without XML" "$CC_BIN" convert -q -t model "$T/noxml.zip"
has "$T/err" 'no .xml member' "says there is no XML member"
run 2 "--member on a plain file" "$CC_BIN" convert -q -t model --member x.xml "$S"
has "$T/err" 'not a zip archive' "says --member needs a zip"

# Damaged: truncated zip and gzip; an error, never a silent short read.
size=$(wc -c <"$T/export.zip")
head -c $((size / 2)) "$T/export.zip" >"$T/trunc.zip"
run 2 "a truncated zip" "$CC_BIN" convert -q -t model "$T/trunc.zip"
has "$T/err" 'damaged|not a readable zip' "the damage is named"
size=$(wc -c <"$T/export.xml.gz")
head -c $((size / 2)) "$T/export.xml.gz" >"$T/trunc.gz"
run 2 "a truncated gzip" "$CC_BIN" convert -q -t model "$T/trunc.gz"
has "$T/err" 'damaged|not a readable gzip|truncated' "the gzip damage is named"

# A real fiche from the corpus, zipped: the same output as the plain file.
R=$(ls "$CORPUS"/rncp/*.xml 2>/dev/null | head -1)
if [ -n "$R" ]; then
    "$CC_BIN" convert -q -t ob3 "$R" >"$T/real.plain" 2>/dev/null
    cp "$R" "$T/real.xml" && (cd "$T" && zip -q real.zip real.xml)
    "$CC_BIN" convert -q -t ob3 "$T/real.zip" >"$T/real.zipped" 2>/dev/null
    same "$T/real.zipped" "$T/real.plain" "corpus fiche zipped: same OB 3.0 output"
else
    skipped "corpus RNCP fiche zipped"
fi
# UTF-16 XML (as some office tools save it), with or without a byte order mark: detected.
python3 - "$S" "$T" <<'PY'
import sys
src, t = sys.argv[1:3]
d = open(src, 'rb').read().decode('utf-8').replace('encoding="UTF-8"', 'encoding="UTF-16"')
open(t + '/le.xml', 'wb').write(d.encode('utf-16'))          # BOM, little-endian
open(t + '/be.xml', 'wb').write(b'\xfe\xff' + d.encode('utf-16-be'))
open(t + '/nobom.xml', 'wb').write(d.encode('utf-16-le'))    # no BOM: "<?" as 16-bit units
PY
for f in le be nobom; do
    run 0 "UTF-16 XML ($f)" "$CC_BIN" convert -q -t model "$T/$f.xml"
    same "$T/out" "$T/plain.ndjson" "UTF-16 ($f): same records as UTF-8"
done
E=$(ls "$CORPUS"/edc/edci-1.x/samples/edci_cred_and.xml 2>/dev/null)
if [ -n "$E" ]; then
    "$CC_BIN" convert -q -t model "$E" >"$T/edc8.ndjson" 2>/dev/null
    python3 -c "import sys; d=open(sys.argv[1],'rb').read().decode('utf-8').replace('encoding=\"UTF-8\"','encoding=\"UTF-16\"'); open(sys.argv[2],'wb').write(d.encode('utf-16'))" "$E" "$T/edc16.xml"
    run 0 "UTF-16 EDC detected" "$CC_BIN" convert -q -t model "$T/edc16.xml"
    same "$T/out" "$T/edc8.ndjson" "UTF-16 EDC: same records"
else
    skipped "UTF-16 EDC sample"
fi

# One bad input does not end a multi-file run (issue 12.5): like jq and xmllint, the missing
# or unreadable one is reported, the others are read, exit 2 at the end.
run 2 "validate a.xml missing.xml a.xml" "$CC_BIN" validate "$S" "$T/missing.xml" "$S"
has "$T/err" 'missing.xml: error: cannot open: No such file or directory \[io\]' "the missing file is named"
has "$T/err" '4 records read, 4 valid' "both good inputs were checked"
mkdir -p "$T/adir"
run 2 "convert with a folder and a damaged zip among the inputs" "$CC_BIN" convert -q -t model -o "$T/multi.ndjson" \
    "$S" "$T/adir" "$T/trunc.zip" "$S"
[ "$(wc -l <"$T/multi.ndjson")" -eq $(($(wc -l <"$T/plain.ndjson") * 2)) ] && ok \
    || ko "the records of the good inputs were not all kept in -o"
has "$T/err" 'adir: error: cannot open: Is a directory' "the folder is named"

# The official CSV export (a zip of ten CSV tables) is not the XML export: said, not misread.
Z="$CORPUS/rncp/api-apprentissage_export-fiches-csv-2024-02-22_sample.zip"
if [ -f "$Z" ]; then
    run 2 "the CSV export zip" "$CC_BIN" convert -q -t model "$Z"
    has "$T/err" 'no .xml member' "the CSV export: no XML member, said so"
else
    skipped "the official CSV export zip"
fi
e2e_end e2e-inputs
