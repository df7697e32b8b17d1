#!/bin/sh
# The conversion matrix (issue 12 item 2): every readable format × every writable format,
# over the bundled samples and corpus files.  Each cell either exits 0 with every record it
# wrote accepted by `credconv validate -f TARGET` and by the official schema where the corpus
# has one (the EDC 1.2 XSD with xmllint, the OB 3.0 JSON Schema with validate --schema), or
# exits 1 with each rejected record reported with a reason; what it did write is checked
# the same way.  No cell may exit 0 with invalid output.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_matrix.sh    (run from the project root)
. tests/e2e/sh_lib.sh
EDC=$CORPUS/edc/edci-1.x
EDC_XSD=$EDC/xsd/genericschema_1.2.xsd
OB3_SCHEMA=$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json

# The targets: every format `credconv formats` says it writes.
"$CC_BIN" formats >"$T/formats" 2>&1
TARGETS=$(awk 'NR > 1 && $3 == "yes" { print $1 }' "$T/formats")
for f in rncp edc ob3 ob2 model; do
    echo "$TARGETS" | grep -qx "$f" && ok || ko "formats lists $f as writable"
done
READABLE=$(awk 'NR > 1 && $2 == "yes" { print $1 }' "$T/formats")

# The inputs: "label file [options]" lines; a credential row gets --issuer and a recipients
# CSV made for its codes (valid rows only: the bundled CSV has bad rows on purpose).
INPUTS=$T/inputs
: >"$INPUTS"
add() { [ -f "$2" ] && echo "$1 $2" >>"$INPUTS"; }
recipients_for() {  # FILE OUT: one row per fiche code of the RNCP file (at most 3)
    echo "email,given_name,family_name,achievement,issued" >"$2"
    grep -o '<NUMERO_FICHE>[^<]*' "$1" | sed 's/<NUMERO_FICHE>//' | head -3 |
        awk '{ printf "p%d@example.org,Prénom,Nom%d,%s,2026-06-30\n", NR, NR, $1 }' >>"$2"
}
add rncp:sample samples/rncp-sample.xml
add rncp:V4.1-12 "$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml"
add rncp:RS-V4.1 "$CORPUS/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml"
add rncp:moncampus "$CORPUS/rncp/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml"
add rncp:RS-V3 "$CORPUS/rncp/api-apprentissage_export_fiches_RS_V3_0_fixture_2fiches.xml"
for f in elm_EDC_WileECoyote_Simple elm_EDC_SampleDegree_AA elm_IldikoMazar_CertificateOfExcellence_v1.0 \
         edci_credential-generic-contactPoint-choice-KO edci_credential-generic-profile-xsd_v1.2 edci_cred_and; do
    add "edc:${f#*_}" "$EDC/samples/$f.xml"
done
for f in basicOpenBadgeCredential--01-sample-openbadgecredential fullOpenBadge--01-complete-openbadgecredential \
         endorsement--01-sample-endorsementcredential achievementAlignmentCase--01-achievement-alignment-case; do
    add "ob3:${f%%--*}" "$OB/examples/ob3-spec/$f.json"
done
for f in 01-assertion-example 02-badgeclass-example-REPAIRED 03-issuer-profile-example; do
    add "ob2:${f%%-example*}" "$OB/examples/ob2-spec/ob2-examples--$f.json"
done
# EDC 3 (ELM 3 JSON-LD): an EC sample sealed and unsealed, the upload form, an EBSI example.
V3=$CORPUS/edc/elm-v3
add edc3:MC-signed "$V3/samples/Sample-MC-Annex1-signed.jsonld"
add edc3:CertOfPart "$V3/samples/Sample-CertOfPart-unsigned-uploadable.json"
add edc3-vc2:DigiComp "$V3/ebsi-vcdm2.0-europass-edc-schema/examples/DigiComp_Generic.json"
# What credconv itself writes, read back: OB 3.0 and the model, achievements and credentials.
recipients_for samples/rncp-sample.xml "$T/sample.csv"
"$CC_BIN" convert -t ob3 -o "$T/own.ob3.json" samples/rncp-sample.xml 2>/dev/null
"$CC_BIN" convert -t model -o "$T/own.model.json" samples/rncp-sample.xml 2>/dev/null
"$CC_BIN" convert -t model --issuer samples/issuer.json --recipients "$T/sample.csv" \
    -o "$T/own-cred.model.json" samples/rncp-sample.xml 2>/dev/null
add ob3:own "$T/own.ob3.json"
# Baked badges: an OB 3.0 credential baked into the bundled PNG and SVG.
"$CC_BIN" convert -t ob3 --issuer samples/issuer.json --recipients "$T/sample.csv" \
    -o "$T/own-cred.ob3.json" samples/rncp-sample.xml 2>/dev/null
head -1 "$T/own-cred.ob3.json" >"$T/one.ob3.json"
"$CC_BIN" bake --image samples/badge.png -o "$T/baked.png" "$T/one.ob3.json" 2>/dev/null
"$CC_BIN" bake --image samples/badge.svg -o "$T/baked.svg" "$T/one.ob3.json" 2>/dev/null
add ob3:own-cred "$T/own-cred.ob3.json"
add baked:png "$T/baked.png"
add baked:svg "$T/baked.svg"
add model:own "$T/own.model.json"
add model:own-cred "$T/own-cred.model.json"
if [ ! -d "$EDC" ] || [ ! -d "$OB/examples" ]; then skipped "corpus inputs"; fi

# Every readable format has at least one input.
for f in $READABLE; do grep -q "^$f:" "$INPUTS" && ok || ko "no matrix input for readable format $f"; done

# check_written TARGET FILE CELL: what a cell wrote is valid for the target.
check_written() {
    [ -s "$2" ] || return 0
    if [ "$1" = model ]; then
        jq -e . "$2" >/dev/null 2>&1 && ok || { ko "$3: written model is not JSON"; bad=1; }
        return 0
    fi
    if "$CC_BIN" validate -f "$1" "$2" >"$T/v.out" 2>&1; then ok; else
        ko "$3: written output fails validate -f $1"; sed 's/^/    /' "$T/v.out" | head -3; bad=1
    fi
    if [ "$1" = edc ] && [ -f "$EDC_XSD" ]; then
        if xmllint --nonet --noout --schema "$EDC_XSD" "$2" >"$T/v.out" 2>&1; then ok; else
            ko "$3: written EDC fails the official 1.2 XSD"; head -3 "$T/v.out"; bad=1; fi
    fi
    if [ "$1" = edc3-vc2 ] && [ -f "$V3/ebsi-vcdm2.0-europass-edc-schema/schema.json" ]; then
        if "$CC_BIN" validate -f edc3 --schema "$V3/ebsi-vcdm2.0-europass-edc-schema/schema.json" "$2" >"$T/v.out" 2>&1
        then ok; else ko "$3: written EDC 3 fails the EBSI EDC JSON Schema"; head -3 "$T/v.out"; bad=1; fi
    fi
    if [ "$1" = ob3 ] && [ -f "$OB3_SCHEMA" ]; then
        if "$CC_BIN" validate -f ob3 --schema "$OB3_SCHEMA" "$2" >"$T/v.out" 2>&1; then ok; else
            ko "$3: written OB 3.0 fails the official JSON Schema"; head -3 "$T/v.out"; bad=1; fi
    fi
}

# cell LABEL FILE TARGET [OPTIONS]: prints the cell's mark on fd 3.  EDC is written with -O
# (one credential per file: the official XSD has no element for several).
cell() {
    label=$1 file=$2 tgt=$3
    shift 3
    name="$label -> $tgt $*"
    out=$T/cell.out
    rm -rf "$out" "$T/cell.d"
    if [ "$tgt" = edc ]; then
        mkdir "$T/cell.d"
        "$CC_BIN" convert -t "$tgt" "$@" -O "$T/cell.d" "$file" >/dev/null 2>"$T/cell.err"
    else
        "$CC_BIN" convert -t "$tgt" "$@" -o "$out" "$file" >/dev/null 2>"$T/cell.err"
    fi
    rc=$?
    bad=0
    rejected=$(sed -n 's/.* \([0-9][0-9]*\) rejected.*/\1/p' "$T/cell.err" | tail -1)
    written=$(sed -n 's/.* \([0-9][0-9]*\) written.*/\1/p' "$T/cell.err" | tail -1)
    errors=$(grep -c 'error: .*\[[a-z0-9-]*\]$' "$T/cell.err")
    case $rc in
    0) [ "${rejected:-0}" -eq 0 ] && ok || { ko "$name: exit 0 with $rejected rejected"; bad=1; }
       written_ok "$tgt" "$name"
       mark=ok ;;
    1) # each rejected record is reported with a reason (a diagnostic with its rule)
       if [ "$errors" -ge "${rejected:-0}" ] && [ "$errors" -gt 0 ]; then ok; else
           ko "$name: exit 1 but $errors reasons for ${rejected:-?} rejected records"; bad=1; fi
       written_ok "$tgt" "$name"
       mark="rej${rejected:-?}/${written:-?}" ;;
    *) ko "$name: exit $rc"; sed 's/^/    /' "$T/cell.err" | head -3; bad=1; mark="exit$rc" ;;
    esac
    [ "$bad" -eq 0 ] || mark="FAIL"
    printf ' %-9s' "$mark" >&3
}
written_ok() {
    if [ "$1" = edc ]; then
        for f in "$T"/cell.d/*; do [ -e "$f" ] && check_written edc "$f" "$2 ($(basename "$f"))"; done
    else
        check_written "$1" "$T/cell.out" "$2"
    fi
}

exec 3>&1
: >"$T/fails"
echo "conversion matrix (ok: exit 0, all written valid; rejN/W: exit 1, N rejected with a reason, W written and valid)"
printf '%-24s' "input \\ target"
for t in $TARGETS; do printf ' %-9s' "$t"; done
echo
while read -r label file; do
    printf '%-24.24s' "$label"
    for t in $TARGETS; do cell "$label" "$file" "$t" >>"$T/fails"; done
    echo
    case $label in rncp:*)
        recipients_for "$file" "$T/rows.csv"
        printf '%-24.24s' "$label +issue"
        for t in $TARGETS; do
            cell "$label+issue" "$file" "$t" --issuer samples/issuer.json --recipients "$T/rows.csv" \
                --badge-image samples/badge.png --id-base https://www.ecole-du-cycle.example/c >>"$T/fails"
        done
        echo ;;
    esac
done <"$INPUTS"
cat "$T/fails"

# The three cases of the issue, by name: each rejected with the reason and what to add.
run 1 "ob2 without --issuer is rejected" "$CC_BIN" convert -t ob2 samples/rncp-sample.xml
has "$T/err" "RNCP99001: not written: its ob2 output would fail .validate -f ob2. .*give --issuer FILE.*\\[write-invalid\\]" "the reason names --issuer"
count "$T/out" . 0 "nothing written"
run 0 "ob2 with --issuer and --badge-image" "$CC_BIN" convert -t ob2 --issuer samples/issuer.json \
    --badge-image samples/badge.png -o "$T/ob2.json" samples/rncp-sample.xml
run 0 "which validates" "$CC_BIN" validate -f ob2 "$T/ob2.json"
run 1 "ob3 Achievements to rncp rejected" "$CC_BIN" convert -t rncp "$T/own.ob3.json"
has "$T/err" "RNCP99001: its output, line [0-9]+: Element 'FICHE': Missing child.*\\[rncp-schema\\]" "the schema error is shown"
has "$T/err" "RNCP99001: not written: its rncp output would fail .*\\[write-invalid\\]" "the record is named"
hasnt "$T/out" "<FICHE>" "no FICHE written"
has "$T/out" "</FICHES>" "the document is still complete"
KO=$EDC/samples/edci_credential-generic-contactPoint-choice-KO.xml
if [ -f "$KO" ]; then
    run 1 "EDC 1.x contactPoint without mailBox rejected" "$CC_BIN" convert -t edc -o "$T/ko.xml" "$KO"
    has "$T/err" "contactPoint': Missing child.*\\[edc-schema\\]" "the XSD error is shown"
    has "$T/err" "not written: its edc output would fail .*\\[write-invalid\\]" "and the record rejected"
    # --allow-invalid: written anyway, a warning per record, exit 0; the XSD rejects it.
    run 0 "--allow-invalid writes it" "$CC_BIN" convert --allow-invalid -t edc -o "$T/ko.xml" "$KO"
    has "$T/err" "warning: .*written although its edc output fails edc validation.*\\[write-invalid\\]" "with a warning"
    hasnt "$T/err" " error: " "no error under --allow-invalid"
    if xmllint --nonet --noout --schema "$EDC_XSD" "$T/ko.xml" 2>/dev/null; then
        ko "the written record really is invalid"; else ok; fi
else
    skipped "EDC contactPoint sample"
fi
# convert --sign -t ob3: the signed credential is the one written, checked the same way.
IM=$EDC/samples/elm_IldikoMazar_CertificateOfExcellence_v1.0.xml
if [ -f "$IM" ] && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null; then
    run 1 "--sign: an expired credential is not signed" "$CC_BIN" convert -t ob3 --sign "$T/ec.pem" "$IM"
    has "$T/err" "the credential has expired .*\\[ob3-expired\\]" "the reason"
    has "$T/err" "not written: its ob3 output would fail .*\\[write-invalid\\]" "the record rejected"
    count "$T/out" "^ey" 0 "no token written"
    run 0 "--sign: a valid one is" "$CC_BIN" convert -t ob3 --sign "$T/ec.pem" "$EDC/samples/elm_EDC_SampleDegree_AA.xml"
    count "$T/out" "^ey" 1 "one token"
else
    skipped "--sign cases"
fi
run 0 "--allow-invalid: ob2" "$CC_BIN" convert --allow-invalid -t ob2 samples/rncp-sample.xml
count "$T/err" "warning: .*\\[write-invalid\\]" 2 "one warning per record"
count "$T/out" BadgeClass 2 "both written"
run 2 "--allow-invalid goes with convert" "$CC_BIN" validate --allow-invalid samples/rncp-sample.xml
# -O DIR: one writer per record, the invalid one rejected, the other files written.
mkdir "$T/dir"
run 1 "-O DIR rejects per record" "$CC_BIN" convert -t rncp -O "$T/dir" "$T/own.ob3.json" samples/rncp-sample.xml
has "$T/err" "4 records read, 2 written, 2 rejected" "the fiches from OB 3.0 rejected, the RNCP ones written"
if [ "$(ls "$T/dir" | wc -l)" -eq 2 ]; then ok; else ko "-O: two files"; ls "$T/dir"; fi
for f in "$T"/dir/*; do run 0 "-O file $(basename "$f") validates" "$CC_BIN" validate -f rncp "$f"; done
finish e2e_matrix
