#!/bin/sh
# End-to-end tests of the EDC format through the credconv command.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_edc.sh    (run from the project root)
. tests/e2e/sh_lib.sh
EDC=$CORPUS/edc/edci-1.x
OFFICIAL=$EDC/xsd/genericschema_1.2.xsd

run 0 formats "$CC_BIN" formats
has "$T/out" '^edc +yes +yes +yes' "formats lists edc"

# A credential made from the model: a skills block, as --issuer/--recipients will produce.
cat >"$T/block.json" <<'JSON'
{"model":"credconv-model/1","credential":{"id":"urn:credential:e2e-1","issued":"2024-06-30","issuer":{"name":{"fr":"Université"},"identifiers":[{"scheme":"siret","code":"19750000000000"}],"country":"FR"},"subject":{"givenName":"Jeanne","familyName":"Martin"},"achievement":{"code":"RNCP35340BC01","kind":"skills-block","partOf":"RNCP35340","title":{"fr":"Bloc 1"},"criteria":{"fr":"Jury"},"eqfLevel":6,"outcomes":[{"text":{"fr":"Concevoir"}}]}}}
{"model":"credconv-model/1","credential":{"id":"urn:credential:e2e-2","issued":"2024-06-30","issuer":{"name":{"fr":"Université"},"identifiers":[{"scheme":"siret","code":"19750000000000"}]},"subject":{"familyName":"Durand"},"achievement":{"code":"RNCP35340BC02","title":{"fr":"Bloc 2"}}}}
JSON
run 1 "one credential rejected" "$CC_BIN" convert -v -f model -t edc -o "$T/block.xml" "$T/block.json"
has "$T/err" 'block.json:2: error: urn:credential:e2e-2: cannot write an EDC credential: missing credential.issuer.country credential.subject.givenName .*\[edc-missing\]' "missing fields are named"
has "$T/err" 'block.json:1: note: urn:credential:e2e-1: loss: achievement.criteria not expressible in edc \[loss\]' "losses are reported"
run 1 "notes only with -v" "$CC_BIN" convert -f model -t edc -o "$T/block.xml" "$T/block.json"
hasnt "$T/err" "note:" "no notes on stderr without -v"
count "$T/block.xml" '<europassCredential ' 1 "the other credential is written"
run 0 "validate written" "$CC_BIN" validate -f edc "$T/block.xml"
run 0 "detected" "$CC_BIN" convert -t model "$T/block.xml"
has "$T/out" '"kind":"skills-block"' "edc -> model keeps the kind"
has "$T/out" '"partOf":"RNCP35340"' "and the fiche of the block"
run 1 "achievement is not a credential" "$CC_BIN" convert -t edc samples/rncp-sample.xml
has "$T/err" 'needs an issuer and a recipient; convert with --issuer FILE.json and --recipients FILE.csv \[edc-not-credential\]' "the two options are named"
sed 's/e2e-2/e2e-3/; s/"country":"FR"}/"country":"FR"}/' "$T/block.json" | head -1 >"$T/two.json"
sed 's/e2e-1/e2e-4/' "$T/two.json" >>"$T/two.json"
run 0 "two credentials" "$CC_BIN" convert -f model -t edc "$T/two.json"
has "$T/out" '<europassCredentials xmlns="http://data.europa.eu/snbUpload">' "bulk wrapper on stdout"
cp "$T/out" "$T/bulk.xml"
run 0 "read the bulk wrapper" "$CC_BIN" convert -t model "$T/bulk.xml"
count "$T/out" '"model"' 2 "two credentials in the wrapper"
run 0 "-O" "$CC_BIN" convert -f model -t edc -O "$T/dir" "$T/two.json"
if [ "$(ls "$T/dir" | wc -l)" -eq 2 ]; then ok; else ko "-O gives one file per credential"; fi
for f in "$T"/dir/*.xml; do has "$f" '^<europassCredential ' "-O files are single credentials"; done

# Bad input.
printf '<europassCredential xmlns="urn:other"/>\n' >"$T/ns.xml"
run 1 "wrong namespace" "$CC_BIN" convert -f edc -t model "$T/ns.xml"
has "$T/err" "ns.xml:1: error: root element is <europassCredential> in namespace 'urn:other'" "namespace named"

if [ -f "$OFFICIAL" ]; then
    for f in "$EDC"/samples/*.xml "$EDC"/samples/signed/*.xml; do
        xmllint --nonet --noout --schema "$OFFICIAL" "$f" 2>/dev/null || continue
        b=$(basename "$f" .xml)
        "$CC_BIN" convert -t model "$f" >"$T/$b.1.json" 2>/dev/null &&
            "$CC_BIN" convert -t edc "$f" >"$T/$b.xml" 2>/dev/null &&
            "$CC_BIN" convert -t model "$T/$b.xml" >"$T/$b.2.json" 2>/dev/null
        if cmp -s "$T/$b.1.json" "$T/$b.2.json"; then ok; else ko "edc -> model -> edc -> model differs for $b"; fi
        xsd_ok "$OFFICIAL" "$T/$b.xml" "written $b is valid EDC 1.2"
    done
    run 1 "KO files" "$CC_BIN" validate -f edc "$EDC"/samples/*-KO.xml "$EDC"/samples/*-ko.xml
    has "$T/err" "contactPoint-choice-KO.xml:26: error: Element '\{http://data.europa.eu/snb\}contactPoint': Missing child element" "KO: the schema's reason"
    has "$T/err" "profile-xsd-ko.xml:21: error: .*validFrom.*not expected" "ko: the schema's reason"
    has "$T/err" '2 records read, 0 valid, 2 invalid' "both invalid"
    run 0 "presentations" "$CC_BIN" validate -f edc --schema "$OFFICIAL" "$EDC"/samples/presentations/*.xml
    has "$T/err" '3 records read, 3 valid' "the credential of each presentation is valid"
    line=$(grep -n 'idref="urn:epass:org:1"' "$EDC/samples/elm_EDC_WileECoyote_Simple.xml" | head -1 | cut -d: -f1)
    sed 's/idref="urn:epass:org:1"/idref="urn:epass:org:9"/' "$EDC/samples/elm_EDC_WileECoyote_Simple.xml" >"$T/dangling.xml"
    run 1 "dangling idref" "$CC_BIN" convert -t model "$T/dangling.xml"
    has "$T/err" "dangling.xml:$line: error: .*no element of this credential has id 'urn:epass:org:9' \[edc-idref\]" "the id and its line"
    # RNCP corpus + a recipients file naming every fiche and block → one EDC credential each,
    # every one valid against the official 1.2 schema.
    R=$CORPUS/rncp
    set -- "$R/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml" \
        "$R/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml" \
        "$R/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml"
    "$CC_BIN" convert -t model "$@" |
        grep -Eo '"code":"(RNCP|RS)[0-9]+(BC[0-9]+)?","kind":"(certification|skills-block)"' |
        cut -d'"' -f4 | sort -u |
        awk 'BEGIN { print "email,given_name,family_name,achievement" }
             { n++; printf "p%d@example.org,Prénom%d,Nom%d,%s\n", n, n, n, $0 }' >"$T/all.csv"
    rows=$(($(wc -l <"$T/all.csv") - 1))
    run 0 "RNCP corpus to EDC" "$CC_BIN" convert -t edc --issuer samples/issuer.json \
        --recipients "$T/all.csv" -O "$T/rncp-edc" --report "$T/rncp-edc.json" "$@"
    has "$T/rncp-edc.json" "\"read\":$rows,\"written\":$rows,\"rejected\":0" "one credential per fiche and block ($rows)"
    bad=0
    for f in "$T"/rncp-edc/*.xml; do
        xmllint --nonet --noout --schema "$OFFICIAL" "$f" 2>/dev/null || bad=$((bad + 1))
    done
    if [ "$bad" -eq 0 ] && [ "$(ls "$T/rncp-edc" | wc -l)" -eq "$rows" ]; then ok; else ko "RNCP → EDC: $bad of $rows fail the official XSD"; fi

    # Every EDC sample → OB 3.0 passes the official OB 3.0 schema.
    OB3S=$CORPUS/ob/schemas/ob3/ob_v3p0_achievementcredential_schema.json
    n=0 good=0
    for f in "$EDC"/samples/*.xml "$EDC"/samples/*/*.xml; do
        n=$((n + 1))
        # the official schema's verdict: an expired sample is still schema-valid
        rm -f "$T/e.jsonl"
        # (--allow-invalid: validate -f ob3 rejects an expired one, the writer too)
        "$CC_BIN" convert -q --allow-invalid -t ob3 -o "$T/e.jsonl" "$f" 2>/dev/null &&
            "$CC_BIN" validate -q -f ob3 --schema "$OB3S" "$T/e.jsonl" 2>"$T/v.err" >/dev/null
        [ -s "$T/e.jsonl" ] && ! grep -q '\[ob3-schema\]' "$T/v.err" && good=$((good + 1))
    done
    if [ "$n" -gt 20 ] && [ "$good" -eq "$n" ]; then ok; else ko "EDC → OB 3.0: $good of $n pass the official OB 3.0 schema"; fi

    # OB 3.0 → EDC: the spec examples lack what EDC requires, and credconv says which fields;
    # --issuer completes the issuer; a credential with the subject's name converts and is valid.
    SPEC=$CORPUS/ob/examples/ob3-spec/basicOpenBadgeCredential--01-sample-openbadgecredential.json
    run 1 "OB 3.0 spec example → EDC" "$CC_BIN" convert -t edc "$SPEC"
    has "$T/err" 'missing credential.issuer.identifiers \(registration\) credential.issuer.country credential.subject.givenName credential.subject.familyName' "the missing fields are named"
    printf '{"id":"https://example.com/issuers/876543","name":"Example Corp","siret":"12345678900017","country":"US"}' >"$T/iss.json"
    run 1 "with --issuer" "$CC_BIN" convert -t edc --issuer "$T/iss.json" "$SPEC"
    has "$T/err" 'missing credential.subject.givenName credential.subject.familyName \(required by EDC 1.2\)' "only the subject's names are left"
    "$CC_BIN" convert -q -t ob3 --issuer samples/issuer.json --recipients samples/recipients.csv \
        samples/rncp-sample.xml >"$T/c.jsonl" 2>/dev/null
    run 0 "OB 3.0 credentials → EDC" "$CC_BIN" convert -t edc --issuer samples/issuer.json -O "$T/ob3-edc" "$T/c.jsonl"
    has "$T/err" 'given and family names taken from the full name .Léa Martin. \[edc-name-split\]' "names split, with a warning"
    bad=0
    for f in "$T"/ob3-edc/*.xml; do
        xmllint --nonet --noout --schema "$OFFICIAL" "$f" 2>/dev/null || bad=$((bad + 1))
    done
    if [ "$bad" -eq 0 ] && [ "$(ls "$T/ob3-edc" | wc -l)" -eq 3 ]; then ok; else ko "OB 3.0 → EDC: $bad fail the official XSD"; fi
else
    skipped "EDC corpus end-to-end cases"
fi

finish e2e_edc
