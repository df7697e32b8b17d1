#!/bin/sh
# Files from French office tools (issue 12.8): recipients CSVs as Excel saves them
# (Windows-1252, ';', CRLF, a BOM, tabs, headers in another case) issue exactly the
# credentials the UTF-8 comma CSV issues; JSON with a byte-order mark (Notepad) is read;
# a truncated XML file says where the input ended and what is left open.
. tests/e2e/sh_lib.sh
S=samples
export SOURCE_DATE_EPOCH=1767225600  # the default issue date: the same in every run
iss() { "$CC_BIN" convert -t ob3 --issuer "$S/issuer.json" --recipients "$@" "$S/rncp-sample.xml"; }
# ids are content-based (issuer, achievement, e-mail, date): identical files mean identical credentials
creds() { cp "$T/out" "$1"; }
run 1 "the UTF-8 comma CSV (bad rows on purpose)" iss "$S/recipients.csv"
creds "$T/ref.jsonl"
count "$T/ref.jsonl" 'OpenBadgeCredential' 3 "three credentials issued"
tail -c +4 "$S/recipients.csv" | tr -d '\r' >"$T/plain.csv"        # LF, without its BOM (the sample has CRLF)
iconv -f UTF-8 -t CP1252 "$T/plain.csv" >"$T/cp1252.csv"
semi() { sed 's/Ali, dit/Ali@@ dit/; s/,/;/g; s/@@/,/' "$@"; }       # the one quoted comma kept
semi "$T/cp1252.csv" >"$T/excel.csv"                                  # Excel "CSV" in France
sed 's/$/\r/' "$T/excel.csv" >"$T/excel-crlf.csv"
printf '\357\273\277' | cat - "$T/plain.csv" >"$T/bom-lf.csv"
semi "$T/bom-lf.csv" >"$T/semi-bom.csv"
sed 's/$/\r/' "$T/bom-lf.csv" >"$T/bom-crlf.csv"
sed 's/Ali, dit/Ali@@ dit/; s/,/\t/g; s/@@/,/' "$T/plain.csv" >"$T/tab.csv"
sed '1s/.*/ EMAIL , Given_Name,FAMILY_NAME ,Achievement,ID,Issued/' "$T/plain.csv" >"$T/upper.csv"
printf '"\357\273\277email",given_name,family_name,achievement,id,issued\n' >"$T/quoted-bom.csv"
tail -n +2 "$T/plain.csv" >>"$T/quoted-bom.csv"
iconv -f UTF-8 -t ISO-8859-1 "$T/plain.csv" >"$T/latin1.csv"
for v in plain bom-lf cp1252 excel excel-crlf semi-bom bom-crlf tab upper quoted-bom latin1; do
    run 1 "$v CSV" iss "$T/$v.csv"
    creds "$T/$v.jsonl"
    same "$T/$v.jsonl" "$T/ref.jsonl" "$v CSV: the same credentials as the UTF-8 comma CSV"
    has "$T/err" "$v.csv:4: error: not-an-email: bad email address in column '(email|EMAIL)'" "$v CSV: the bad row, its column by its header"
done
grep -q 'Léa' "$T/excel.jsonl" && ok || ko "CP1252: Léa in UTF-8 in the output"
run 1 "--csv-encoding cp1252" iss "$T/excel.csv" --csv-encoding cp1252
creds "$T/o.jsonl"; same "$T/o.jsonl" "$T/ref.jsonl" "--csv-encoding cp1252: the same credentials"
run 1 "--csv-encoding latin1 on the Latin-1 file" iss "$T/latin1.csv" --csv-encoding latin1
creds "$T/o.jsonl"; same "$T/o.jsonl" "$T/ref.jsonl" "--csv-encoding latin1: the same credentials"
run 1 "--csv-encoding utf-8 on the CP1252 file" iss "$T/excel.csv" --csv-encoding utf-8
has "$T/err" "excel.csv:2: error: lea.martin@example.org: not UTF-8 text \(byte 0xE9 at character 2 of column 'given_name'\): row skipped \[csv-row\]" "utf-8 asked: the byte, named by its column"
run 2 "--csv-encoding with another name" iss "$T/excel.csv" --csv-encoding ebcdic
has "$T/err" "--csv-encoding takes utf-8, cp1252 or latin1" "says which encodings"
run 2 "--csv-encoding without --recipients" "$CC_BIN" convert -t ob3 --csv-encoding cp1252 "$S/rncp-sample.xml"
"$CC_BIN" --help >"$T/help"; has "$T/help" '--csv-encoding utf-8.cp1252.latin1' "--help lists --csv-encoding"

# Windows-1252, not Latin-1: 0x80-0x9F are ’ œ – … Œ • in France Compétences' own CP1252 file.
C=$CORPUS/rncp/tables-correspondances_rncp_blocs_competences.v1.4_cp1252.csv
if [ -f "$C" ]; then
    printf 'email;given_name;family_name;achievement\r\n' >"$T/fc.csv"
    # each line's title (bytes as published) becomes a family name; a fiche of the sample
    LC_ALL=C grep -a "$(printf '\234')" "$C" | LC_ALL=C grep -a "$(printf '\222')" | head -20 | LC_ALL=C awk -F';' '{ printf "p%d@example.org;A;\"%s\";RNCP99001\r\n", NR, substr($3, 1, 60) }' >>"$T/fc.csv"
    run 0 "France Compétences CP1252 bytes as names" iss "$T/fc.csv"
    count "$T/out" 'OpenBadgeCredential' 20 "20 credentials"
    jq -r '.credentialSubject.familyName // .credentialSubject.name // empty' "$T/out" >"$T/names" 2>/dev/null
    has "$T/out" '’|œ' "0x92 and 0x9C read as ’ and œ (Windows-1252), in UTF-8"
    hasnt "$T/out" '\\u009[0-9a-f]|\\u008[0-9a-f]' "no C1 control (Latin-1's reading) in the output"
    run 0 "the same bytes, --csv-encoding latin1" iss "$T/fc.csv" --csv-encoding latin1
    hasnt "$T/out" '’|œ' "latin1: 0x92 and 0x9C are not read as ’ and œ"
else
    skipped "the France Compétences CP1252 file"
fi
# A byte Windows-1252 leaves undefined (0x81), and a file mixing UTF-8 and CP1252.
printf 'email,given_name,family_name,achievement\nlea@example.org,L\351a,\201x,RNCP99001\n' >"$T/undef.csv"
run 1 "CP1252 undefined byte" iss "$T/undef.csv"
has "$T/err" "undef.csv:2: error: byte 0x81 \(character 1 of column 'family_name'\) is no windows-1252 character: row skipped" "the undefined byte, named by its column"
printf 'email,Given_Name,family_name,achievement\nlea@example.org,L\303\251a,M,RNCP99001\nzoe@example.org,Zo\351,D,RNCP99001\n' >"$T/mixed.csv"
run 1 "UTF-8 and CP1252 mixed" iss "$T/mixed.csv"
has "$T/err" "mixed.csv:3: error: zoe@example.org: not UTF-8 text \(byte 0xE9 at character 3 of column 'Given_Name'\)" "mixed: the CP1252 row refused, by its column"
has "$T/err" "mixed.csv: warning: UTF-8 with bytes that are not" "mixed: said"
count "$T/out" 'OpenBadgeCredential' 1 "mixed: the UTF-8 row issued"
# Header errors name what the header has; two columns of one name are refused.
printf 'Courriel;Prénom;Nom;Code\nlea@example.org;Léa;Martin;RNCP99001\n' >"$T/fr.csv"
run 2 "French header names" iss "$T/fr.csv"
has "$T/err" "fr.csv:1: error: the header row has no 'email' column .*it has 'Courriel', 'Prénom', 'Nom', 'Code'\) \[csv-header\]" "the header it has, split at ';'"
printf 'email,Email,given_name,family_name,achievement\n' >"$T/dup.csv"
run 2 "two email columns" iss "$T/dup.csv"
has "$T/err" "the header row has two 'email' columns" "two email columns refused"
printf 'email;given_name;family_name;achievement\r\n;;;\r\nlea@example.org;Léa;Martin;RNCP99001\r\n;;;\r\n' >"$T/blank.csv"
run 0 "rows of empty fields (;;;) are blank lines" iss "$T/blank.csv"
count "$T/out" 'OpenBadgeCredential' 1 "one credential, no error for ;;;"
printf '\377\376e\000m\000' >"$T/utf16.csv"
run 2 "UTF-16 CSV refused" iss "$T/utf16.csv"
has "$T/err" 'UTF-16: save it as' "UTF-16: what to do"

# JSON with a UTF-8 byte-order mark, as Windows Notepad saves it.
printf '\357\273\277' | cat - "$S/issuer.json" >"$T/issuer-bom.json"
run 1 "BOM issuer file" "$CC_BIN" convert -t ob3 --issuer "$T/issuer-bom.json" --recipients "$S/recipients.csv" "$S/rncp-sample.xml"
creds "$T/o.jsonl"; same "$T/o.jsonl" "$T/ref.jsonl" "BOM issuer: the same credentials"
"$CC_BIN" convert -q -t model "$S/rncp-sample.xml" >"$T/model.jsonl"
printf '\357\273\277' | cat - "$T/model.jsonl" >"$T/model-bom.jsonl"
run 0 "BOM model input, detected" "$CC_BIN" convert -q -t model "$T/model-bom.jsonl"
same "$T/out" "$T/model.jsonl" "BOM model input: read as without"
"$CC_BIN" convert -q -t ob3 "$S/rncp-sample.xml" >"$T/ach.jsonl"
printf '\357\273\277' | cat - "$T/ach.jsonl" >"$T/ach-bom.jsonl"
run 0 "BOM OB 3.0 input, detected" "$CC_BIN" convert -q -t model "$T/ach-bom.jsonl"
"$CC_BIN" convert -q -t model "$T/ach.jsonl" >"$T/ach.model"
same "$T/out" "$T/ach.model" "BOM OB 3.0 input: read as without"
run 0 "BOM OB 3.0 input, validate" "$CC_BIN" validate "$T/ach-bom.jsonl"
head -1 "$T/model.jsonl" >"$T/one.jsonl"
cat "$T/model-bom.jsonl" "$T/model-bom.jsonl" >"$T/two-bom.jsonl"   # two Notepad files cat'ed
run 1 "a BOM in the middle of a stream" "$CC_BIN" convert -t model "$T/two-bom.jsonl"
has "$T/err" "two-bom.jsonl:3:1: error: a byte-order mark \(U\+FEFF\) inside the stream" "mid-stream BOM: said, with its line"
count "$T/out" '"model"' 3 "mid-stream BOM: the other records are read"

# Truncated XML: where the input ended and which element is left open, at several cuts.
X=$S/rncp-sample.xml
cut_at() { head -c "$1" "$2" >"$T/cut.xml"; }
for n in 30 1000 3000 4321; do
    cut_at $n "$X"
    last=$(wc -l <"$T/cut.xml"); last=$((last + 1))
    for cmd in convert validate; do
        if [ $cmd = convert ]; then run 1 "rncp cut at $n ($cmd)" "$CC_BIN" convert -f rncp -t model "$T/cut.xml"
        else run 1 "rncp cut at $n ($cmd)" "$CC_BIN" validate -f rncp "$T/cut.xml"; fi
        has "$T/err" "cut.xml:$last:[0-9]+: error: not well-formed XML: unexpected end of file at line $last" "rncp cut at $n ($cmd): the end of the file, its line"
        hasnt "$T/err" "Extra content|expected '>'|Premature end" "rncp cut at $n ($cmd): not libxml2's words"
    done
done
cut_at 3000 "$X"; "$CC_BIN" convert -f rncp -t model "$T/cut.xml" 2>"$T/err" >/dev/null
has "$T/err" "not closed: <ACTIF> \(line 67\), in <SI_JURY_VAE> \(line 66\), …, in <FICHES> \(line 4\)" "rncp: the elements left open, with their lines"
cut_at 4321 "$X"; "$CC_BIN" convert -t model "$T/cut.xml" 2>"$T/err" >"$T/out"
has "$T/err" "not closed: <OBJECTIFS_CONTEXTE> \(line 87\), in <FICHE> \(line 6\), in <FICHES> \(line 4\)" "rncp: open element inside the first fiche"
cut_at $(($(wc -c <"$X") - 30)) "$X"; "$CC_BIN" convert -t model "$T/cut.xml" 2>"$T/err" >"$T/out"
has "$T/err" "unexpected end of file at line 122, inside a tag or comment: not closed: <ACTIF> \(line 122\), in <FICHE> \(line 91\)" "rncp: cut in the second fiche"
count "$T/out" '"model"' 1 "rncp: the first fiche, complete, is converted"
cut_at 30 "$X"; "$CC_BIN" convert -f rncp -t model "$T/cut.xml" 2>"$T/err" >/dev/null
has "$T/err" "before the root element" "rncp: cut in the XML declaration"
# A sweep: the sample cut every 61 bytes, read and validated; each cut is named as one.
sweep() {  # sweep FORMAT FILE STEP: prints the cuts whose error is not "unexpected end of file"
    size=$(wc -c <"$2"); n=3
    while [ $n -lt $((size - 2)) ]; do
        cut_at $n "$2"
        "$CC_BIN" convert -q -f "$1" -t model "$T/cut.xml" >/dev/null 2>"$T/e1"; r1=$?
        "$CC_BIN" validate -q -f "$1" "$T/cut.xml" >/dev/null 2>"$T/e2"; r2=$?
        if [ $r1 -ne 1 ] || [ $r2 -ne 1 ] || ! grep -q 'unexpected end of file' "$T/e1" || ! grep -q 'unexpected end of file' "$T/e2"; then
            echo "$n: $(head -1 "$T/e1") / $(head -1 "$T/e2")"
        fi
        n=$((n + $3))
    done
}
sweep rncp "$X" 61 >"$T/sweep"
count "$T/sweep" . 0 "rncp cut every 61 bytes: each one an unexpected end of file (convert and validate)"
sed 's/encoding="UTF-8"/encoding="UTF-16"/' "$X" | iconv -f UTF-8 -t UTF-16 >"$T/wide.xml"   # with its BOM
cut_at 6000 "$T/wide.xml"
run 1 "UTF-16 rncp cut short" "$CC_BIN" convert -t model "$T/cut.xml"
has "$T/err" "cut.xml:[0-9]+:[0-9]+: error: not well-formed XML: unexpected end of file at line [0-9]+: not closed: <[A-Z_]+> \(line [0-9]+\)" "UTF-16: the cut said as such"
run 0 "UTF-16 rncp whole" "$CC_BIN" convert -q -t model "$T/wide.xml"
printf '<?xml version="1.0"?>\n<FICHES>\n<FICHE></FICHES>\n' >"$T/mism.xml"
run 1 "rncp mismatched end tag: not called a cut" "$CC_BIN" convert -f rncp -t model "$T/mism.xml"
hasnt "$T/err" "unexpected end of file" "a mismatched tag is a syntax error"
E=$CORPUS/edc/edci-1.x/samples/edci_credential-generic-profile-xsd_v1.2.xml
if [ -f "$E" ]; then
    size=$(wc -c <"$E")
    for n in 30 1000 5000 $((size / 2)) $((size - 20)); do
        cut_at $n "$E"
        last=$(wc -l <"$T/cut.xml"); last=$((last + 1))
        run 1 "edc cut at $n (convert)" "$CC_BIN" convert -f edc -t model "$T/cut.xml"
        has "$T/err" "cut.xml:$last:[0-9]+: error: not well-formed XML: unexpected end of file at line $last" "edc cut at $n: the end of the file, its line"
        hasnt "$T/err" "Extra content|expected '>'|Premature end" "edc cut at $n: not libxml2's words"
        run 1 "edc cut at $n (validate)" "$CC_BIN" validate -f edc "$T/cut.xml"
        has "$T/err" "unexpected end of file at line $last" "edc cut at $n (validate)"
    done
    sweep edc "$E" 1999 >"$T/sweep"
    count "$T/sweep" . 0 "edc cut every 1999 bytes: each one an unexpected end of file (convert and validate)"
    cut_at 1000 "$E"; "$CC_BIN" convert -f edc -t model "$T/cut.xml" 2>"$T/err" >/dev/null
    has "$T/err" "not closed: <language> \(line 12\), in <availableLanguages> \(line 11\), in <europassCredential> \(line 1\)" "edc: the elements left open"
    cut_at $((size - 20)) "$E"; "$CC_BIN" convert -f edc -t model "$T/cut.xml" 2>"$T/err" >/dev/null
    has "$T/err" "not closed: <europassCredential> \(line 1\)" "edc: only the root left open"
else
    skipped "the EDC sample"
fi
printf '<?xml version="1.0"?>\n<europassCredential xmlns="http://data.europa.eu/snb"><a></b></europassCredential>\n' >"$T/mism.xml"
run 1 "edc mismatched end tag: not called a cut" "$CC_BIN" convert -f edc -t model "$T/mism.xml"
hasnt "$T/err" "unexpected end of file" "edc: a mismatched tag is a syntax error"
e2e_end e2e-office-inputs
