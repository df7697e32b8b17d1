#!/bin/sh
# End-to-end tests of the EDC format through the credconv command.
# Usage: CREDCONV=path/to/credconv sh tests/e2e_edc.sh    (run from the project root)
set -u
CC_BIN=${CREDCONV:-./credconv}
CORPUS=${CORPUS:-../shared/corpus}
EDC=$CORPUS/edc/edci-1.x
OFFICIAL=$EDC/xsd/genericschema_1.2.xsd
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP: $* (../shared/corpus absent)"; }
run() {
    want=$1 name=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else ko "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
has() { if grep -Eq -- "$2" "$1"; then ok; else ko "$3: no /$2/ in $(basename "$1")"; sed 's/^/    /' "$1" | head -5; fi; }
count() { n=$(grep -Ec -- "$2" "$1"); if [ "$n" -eq "$3" ]; then ok; else ko "$4: $n lines match /$2/, expected $3"; fi; }
xsd_ok() { if xmllint --nonet --noout --schema "$1" "$2" 2>"$T/xsd"; then ok; else ko "$3"; head -3 "$T/xsd"; fi; }

run 0 formats "$CC_BIN" formats
has "$T/out" '^edc +yes +yes +yes' "formats lists edc"

# A credential made from the model: a skills block, as --issuer/--recipients will produce.
cat >"$T/block.json" <<'JSON'
{"model":"credconv-model/1","credential":{"id":"urn:credential:e2e-1","issued":"2024-06-30","issuer":{"name":{"fr":"Université"},"identifiers":[{"scheme":"siret","code":"19750000000000"}],"country":"FR"},"subject":{"givenName":"Jeanne","familyName":"Martin"},"achievement":{"code":"RNCP35340BC01","kind":"skills-block","partOf":"RNCP35340","title":{"fr":"Bloc 1"},"criteria":{"fr":"Jury"},"eqfLevel":6,"outcomes":[{"text":{"fr":"Concevoir"}}]}}}
{"model":"credconv-model/1","credential":{"id":"urn:credential:e2e-2","issued":"2024-06-30","issuer":{"name":{"fr":"Université"},"identifiers":[{"scheme":"siret","code":"19750000000000"}]},"subject":{"familyName":"Durand"},"achievement":{"code":"RNCP35340BC02","title":{"fr":"Bloc 2"}}}}
JSON
run 1 "one credential rejected" "$CC_BIN" convert -f model -t edc -o "$T/block.xml" "$T/block.json"
has "$T/err" 'block.json:2: error: urn:credential:e2e-2: cannot write an EDC credential: missing credential.issuer.country credential.subject.givenName .*\[edc-missing\]' "missing fields are named"
has "$T/err" 'block.json:1: note: urn:credential:e2e-1: loss: achievement.criteria not expressible in edc \[loss\]' "losses are reported"
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
else
    skipped "EDC corpus end-to-end cases"
fi

echo "e2e_edc: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
