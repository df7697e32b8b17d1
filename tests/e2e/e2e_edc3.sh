#!/bin/sh
# End-to-end tests of the EDC 3 formats (edc3, edc3-vc2; issue 15) through the command.
# Usage: CREDCONV=path/to/credconv CREDCONV_SCHEMAS=schemas sh tests/e2e/e2e_edc3.sh
. tests/e2e/sh_lib.sh
V3=$CORPUS/edc/elm-v3
EBSI=$V3/ebsi-vcdm2.0-europass-edc-schema/schema.json
XSD12=$CORPUS/edc/edci-1.x/xsd/genericschema_1.2.xsd
R12=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
RS8=$CORPUS/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml

run 0 formats "$CC_BIN" formats
has "$T/out" '^edc3 +yes +yes +yes' "formats lists edc3"
has "$T/out" '^edc3-vc2 +yes +yes +yes' "formats lists edc3-vc2"

# The credential a corpus file holds, as one line (the JWS payload, the upload's credential).
unwrap() { jq -c 'if .payload then (.payload | fromjson) elif (.credential and (.type | not)) then .credential else . end' "$1"; }
# What a conversion changes by design: the form (context, type) and VC 1.1's own dates.
# A value and the array of that one value are the same to JSON-LD: compared alike.
form_free() { jq -S -c 'del(."@context", .type, .issuanceDate, .expirationDate) |
                        walk(if type == "array" and length == 1 then .[0] else . end)'; }

if [ ! -d "$V3" ]; then
    skipped "EDC 3 corpus"
    finish e2e_edc3
    exit $?
fi
ctx_map
M="$M --map-url http://data.europa.eu/snb/model/context/edc-ap=$V3/context/edc-ap-context.jsonld"

# No node id names two nodes of different classes (JSON-LD would make them one node).
ONE_ID_ONE_NODE='[.. | objects | select(.id and .type) | {id, t: (.type | tostring)}] | group_by(.id) | all(map(.t) | unique | length == 1)'

# ------------------------------------------------------------ reading every corpus credential
EC="Sample-CertOfPart-signed.jsonld Sample-CertOfPart-unsigned.jsonld Sample-CertOfPart-unsigned-uploadable.json
    Sample-MC-Annex1-signed.jsonld Sample-MC-Annex1-unsigned.jsonld Sample-MC-Annex1-unsigned-uploadable.json"
for f in $EC; do
    run 0 "$f detected and valid" "$CC_BIN" validate $M "$V3/samples/$f"
    has "$T/err" '1 records read, 1 valid' "$f: one valid credential (SHACL rules, JSON-LD terms)"
done
run 0 "a JAdES seal is read as its payload" "$CC_BIN" validate -v -f edc3 "$V3/samples/Sample-MC-Annex1-signed.jsonld"
has "$T/err" 'JAdES seal not verified here .*\[edc3-seal-not-verified\]' "the seal is said not verified"
# the sealing-time properties: required of a sealed credential only
unwrap "$V3/samples/Sample-MC-Annex1-signed.jsonld" | jq -c 'del(.issuer.eIDASIdentifier)' >"$T/noeidas.json"
jq -c '{payload: (input | tostring), signatures: [{protected: "e30", signature: "AA"}]}' -n "$T/noeidas.json" >"$T/noeidas-sealed.json"
run 1 "sealed without the eIDAS identifier" "$CC_BIN" validate -f edc3 "$T/noeidas-sealed.json"
has "$T/err" 'without eIDASIdentifier .*\(at /issuer\) \[edc3-shacl-min\]' "IssuerNodeShape, with its pointer"
hasnt "$T/err" ' 1 valid' "no valid verdict"
run 0 "the same unsealed (an upload)" "$CC_BIN" validate -f edc3 "$T/noeidas.json"
for f in "$V3"/ebsi-vcdm2.0-europass-edc-schema/examples/*.json; do
    b=$(basename "$f")
    run 0 "EBSI $b against the official schema" "$CC_BIN" validate -f edc3 --schema "$EBSI" "$f"
    has "$T/err" '1 records read, 1 valid' "$b passes the EBSI EDC schema and the SHACL rules"
done
cp "$EBSI" "$T/lone-schema.json"
run 1 "the EBSI schema without the schema it refers to" "$CC_BIN" validate -f edc3 --schema "$T/lone-schema.json" "$V3/samples/Sample-MC-Annex1-signed.jsonld"
has "$T/err" "its \\\$ref ./vcdm2.0-attestation-schema/schema.json: .*No such file.*\\[schema-load\\]" "names the missing file"
run 1 "EC sample against the EBSI schema" "$CC_BIN" validate -f edc3 --schema "$EBSI" "$V3/samples/Sample-MC-Annex1-signed.jsonld"
has "$T/err" '\(at /@context\) \[edc3-schema\]' "the VC 1.1 form fails the EBSI schema on @context"
run 1 "RDF sample" "$CC_BIN" validate -f edc3 "$V3/samples/rdf-credential-sample.jsonld"
has "$T/err" 'DisplayParameter without individualDisplay .*\(at /displayParameter\) \[edc3-shacl-min\]' "its display has no page"
run 1 "not a credential" "$CC_BIN" validate -f edc3 "$V3/edci-2.x-samples/test_Sample.jsonld"
has "$T/err" 'not a Europass credential.*@graph.*\[edc3-not-credential\]' "an @graph document is refused"
# VCDM 2.0 + edc-ap: the v2 context protects "description", which edc-ap redefines
run 1 "VCDM 2.0 form through JSON-LD" "$CC_BIN" validate -f edc3 $M "$V3/ebsi-vcdm2.0-europass-edc-schema/examples/DigiComp_Generic.json"
has "$T/err" 'protected term redefinition: term "description".*\[edc3-jsonld\]' "the EBSI form is not processable JSON-LD"

# ------------------------------------------------------------ edc3 -> edc3 keeps everything
for f in $EC; do
    run 0 "$f -> edc3" "$CC_BIN" convert -t edc3 "$V3/samples/$f"
    unwrap "$V3/samples/$f" | form_free >"$T/in.json"
    form_free <"$T/out" >"$T/back.json"
    same "$T/in.json" "$T/back.json" "$f -> edc3: the same credential"
done
for f in "$V3"/ebsi-vcdm2.0-europass-edc-schema/examples/*.json; do
    run 0 "$(basename "$f") -> edc3-vc2" "$CC_BIN" convert -t edc3-vc2 "$f"
    cp "$T/out" "$T/vc2.json"
    form_free <"$f" >"$T/in.json"
    form_free <"$T/vc2.json" >"$T/back.json"
    same "$T/in.json" "$T/back.json" "$(basename "$f") -> edc3-vc2: the same credential"
    run 0 "written back, valid" "$CC_BIN" validate -f edc3 --schema "$EBSI" "$T/vc2.json"
done

# ------------------------------------------------------------ EDC 3 -> EDC 1.2
for f in $EC; do
    case $f in
    *-signed*)
        run 0 "$f -> edc" "$CC_BIN" convert -t edc -o "$T/back12.xml" "$V3/samples/$f"
        xsd_ok "$XSD12" "$T/back12.xml" "$f as EDC 1.2, valid against the official XSD" ;;
    *)  # no issued before the EC seals it; EDC 1.2 requires it
        run 1 "$f -> edc" "$CC_BIN" convert -t edc -o "$T/back12.xml" "$V3/samples/$f"
        has "$T/err" 'missing credential.issued \(required by EDC 1.2\) \[edc-missing\]' "$f: the missing issue date is named" ;;
    esac
done
for f in "$V3"/ebsi-vcdm2.0-europass-edc-schema/examples/*.json; do
    run 0 "$(basename "$f") -> edc" "$CC_BIN" convert -t edc -o "$T/back12.xml" "$f"
    xsd_ok "$XSD12" "$T/back12.xml" "$(basename "$f") as EDC 1.2, valid against the official XSD"
done

# ------------------------------------------------------------ RNCP + recipients -> EDC 3
"$CC_BIN" convert -t model "$R12" "$RS8" |
    grep -Eo '"code":"(RNCP|RS)[0-9]+(BC[0-9]+)?","kind":"(certification|skills-block)"' |
    cut -d'"' -f4 | sort -u |
    awk 'BEGIN { print "email,given_name,family_name,achievement,issued" }
         { n++; printf "p%d@example.org,Prénom%d,Nom%d,%s,2026-06-30\n", n, n, n, $0 }' >"$T/all.csv"
rows=$(($(wc -l <"$T/all.csv") - 1))
run 0 "RNCP corpus + recipients -> edc3-vc2" "$CC_BIN" convert -t edc3-vc2 --issuer samples/issuer.json \
    --recipients "$T/all.csv" --report "$T/rep.json" "$R12" "$RS8"
cp "$T/out" "$T/vc2.jsonl"
has "$T/rep.json" "\"read\":$rows,\"written\":$rows,\"rejected\":0" "one credential per row ($rows)"
run 0 "every one valid against the EBSI schema" "$CC_BIN" validate -f edc3 --schema "$EBSI" "$T/vc2.jsonl"
has "$T/err" "$rows records read, $rows valid" "all $rows valid (EBSI schema + SHACL rules)"
run 0 "RNCP corpus + recipients -> edc3" "$CC_BIN" convert -t edc3 --issuer samples/issuer.json \
    --recipients "$T/all.csv" "$R12" "$RS8"
cp "$T/out" "$T/vc1.jsonl"
run 0 "every one valid, JSON-LD terms included" "$CC_BIN" validate -f edc3 $M "$T/vc1.jsonl"
has "$T/err" "$rows records read, $rows valid" "all $rows valid (SHACL rules + JSON-LD terms)"
hasnt "$T/err" 'not-checked' "the terms were checked"
jqtrue "$T/vc1.jsonl" "$ONE_ID_ONE_NODE" "RNCP credentials: no id names two different nodes"
jqtrue "$T/vc1.jsonl" '.["@context"] == ["https://www.w3.org/2018/credentials/v1","http://data.europa.eu/snb/model/context/edc-ap"]' "VC 1.1 form by default"
jqtrue "$T/vc1.jsonl" '.credentialSubject.hasClaim[0].specifiedBy | (.identifier.notation | startswith("RS")) or (.eqfLevel.id | test("^http://data.europa.eu/snb/eqf/[1-8]$"))' "each RNCP qualification has its EQF level"
run 1 "an achievement alone" "$CC_BIN" convert -t edc3 samples/rncp-sample.xml
has "$T/err" 'an achievement alone is no credential; give --recipients .*\[edc3-missing\]' "says what to give"

# ------------------------------------------------------------ EDC 1.x -> EDC 3 -> EDC 1.2
EDC1=$CORPUS/edc/edci-1.x/samples
nocountry="elm_AnaAndromeda_CivilEngineering_v1.0.xml elm_IldikoMazar_CertificateOfExcellence_v1.0.xml
           elm_edci_credential_basic_v1.0.xml elm_edci_credential_complex_v1.0.xml
           edci_credential-generic-profile-xsd-ko.xml"
for f in "$EDC1"/*.xml "$EDC1"/signed/*.xml "$EDC1"/presentations/*.xml; do
    b=$(basename "$f")
    case " $(echo $nocountry) " in
    *" $b "*)  # their issuer has no country, which ELM 3 requires: refused, not invented
        run 1 "$b -> edc3" "$CC_BIN" convert -t edc3 "$f"
        has "$T/err" 'an organisation without a country .*\[edc3-missing\]' "$b: the missing country is named"
        continue ;;
    esac
    run 0 "$b -> edc3" "$CC_BIN" convert -t edc3 "$f"
    cp "$T/out" "$T/$b.jsonld"
    run 0 "$b as edc3 valid" "$CC_BIN" validate -f edc3 $M "$T/$b.jsonld"
    jqtrue "$T/$b.jsonld" "$ONE_ID_ONE_NODE" "$b: no id names two different nodes"
    run 0 "$b -> edc3-vc2" "$CC_BIN" convert -t edc3-vc2 -o "$T/$b.vc2.jsonld" "$f"
    run 0 "$b as edc3-vc2 valid against the EBSI schema" "$CC_BIN" validate -f edc3 --schema "$EBSI" "$T/$b.vc2.jsonld"
    run 0 "$b -> edc3 -> edc" "$CC_BIN" convert -f edc3 -t edc -o "$T/$b.xml" "$T/$b.jsonld"
    xsd_ok "$XSD12" "$T/$b.xml" "$b back as EDC 1.2 valid against the official XSD"
done
# field by field: degree, diploma supplement (the 939 KB one and the EDCI profile), course
F='.credential | {id, name, issued, validFrom, validUntil, awarded,
   issuer: {id: .issuer.id, name: .issuer.name, country: .issuer.country, url: .issuer.url,
            ids: [.issuer.identifiers[]? | {scheme, code}]},
   subject: (.subject | {id, givenName, familyName, fullName, birthDate, email}), results,
   a: (.achievement | {id, code, kind, title, description, eqfLevel, nqf: .nqfLevel.uri, credits,
       volume, entry: .entryRequirements, outcomes: [.outcomes[]? | {id, text, uri}],
       isced: [.alignments[]? | select(.scheme == "isced-f") | .code]})}'
for b in elm_EDC_SampleDegree_AA.xml presentations/elm_EDC_DiplomaSupplement_AA_mandated_dp_1.2.xml \
         edci_credential-diploma-profile-xsd_v1.2.xml signed/edci_sewing_course.xml; do
    "$CC_BIN" convert -t model "$EDC1/$b" 2>/dev/null | jq -S "$F" >"$T/m1.json"
    "$CC_BIN" convert -f edc -t model "$T/$(basename "$b").xml" 2>/dev/null | jq -S "$F" >"$T/m2.json"
    [ -s "$T/m1.json" ] && jq -e '.a.title and .subject and .issuer.name' "$T/m1.json" >/dev/null && ok || ko "$b: model read"
    same "$T/m1.json" "$T/m2.json" "$b: every field the same after edc -> edc3 -> edc"
done
"$CC_BIN" convert -t model "$EDC1/elm_EDC_SampleDegree_AA.xml" 2>/dev/null | jq -S -c '[.credential.achievement.organizations[] | {id, name, country}]' >"$T/b1.json"
"$CC_BIN" convert -f edc -t model "$T/elm_EDC_SampleDegree_AA.xml.xml" 2>/dev/null | jq -S -c '[.credential.achievement.organizations[] | {id, name, country}]' >"$T/b2.json"
same "$T/b1.json" "$T/b2.json" "degree: the awarding bodies too"

# ------------------------------------------------------------ EDC 3 <-> OB 3.0
run 0 "edc3 -> ob3" "$CC_BIN" convert -t ob3 "$V3/samples/Sample-MC-Annex1-unsigned.jsonld"
cp "$T/out" "$T/ob3.json"
run 0 "that OB 3.0 valid" "$CC_BIN" validate -f ob3 "$T/ob3.json"
run 0 "ob3 -> edc3" "$CC_BIN" convert -f ob3 -t edc3 "$T/ob3.json"
cp "$T/out" "$T/again.json"
run 0 "back as edc3 valid" "$CC_BIN" validate -f edc3 $M "$T/again.json"
jqtrue "$T/again.json" '.credentialSubject.hasClaim[0].specifiedBy.title.en == "Digital micro-credential creation"' "the achievement's title comes through"
FULL=$OB/examples/ob3-spec/fullOpenBadge--01-complete-openbadgecredential.json
run 0 "the complete OB 3.0 spec example -> edc3" "$CC_BIN" convert -f ob3 -t edc3 "$FULL"
cp "$T/out" "$T/full.json"
run 0 "valid" "$CC_BIN" validate -f edc3 $M "$T/full.json"
run 1 "an issuer without country -> edc3" "$CC_BIN" convert -f ob3 -t edc3 "$OB/examples/ob3-spec/basicOpenBadgeCredential--01-sample-openbadgecredential.json"
has "$T/err" 'an organisation without a country' "refused, and why"

# ------------------------------------------------------------ hostile and broken inputs
printf '{"payload":"{\\"type\\":\\"nope\\"","signatures":[]}\n' >"$T/badjws.json"
run 1 "a JWS whose payload is not JSON" "$CC_BIN" validate -f edc3 "$T/badjws.json"
has "$T/err" '\(at /payload\) \[edc3-jws\]' "refused at its payload"
hasnt "$T/err" ' 1 valid' "no valid verdict"
unwrap "$V3/samples/Sample-MC-Annex1-unsigned.jsonld" | jq -c '.credentialSubject.hasClaim.specifiedBy.eqfLevel.id = "http://data.europa.eu/snb/eqf/9" | .validFrom = "yesterday"' >"$T/bad.json"
run 1 "bad level and date" "$CC_BIN" validate -f edc3 "$T/bad.json"
has "$T/err" 'not an EQF level 1-8 \(at /credentialSubject/hasClaim/specifiedBy/eqfLevel\) \[edc3-cv\]' "EDC-generic-full vocabulary, with its pointer"
has "$T/err" 'validFrom is not an xsd:dateTime \(at /validFrom\) \[edc3-datetime\]' "the date, with its pointer"
hasnt "$T/err" ' 1 valid' "no valid verdict"
python3 -c 'print("{\"type\":[\"EuropeanDigitalCredential\"],\"a\":" + "[" * 3000 + "]" * 3000 + "}")' >"$T/deep.json"
run 1 "deeply nested" "$CC_BIN" validate -f edc3 "$T/deep.json"
has "$T/err" 'maximum parsing depth.*\[json-syntax\]' "the loader refuses it"
hasnt "$T/err" ' 1 valid' "no valid verdict"
python3 -c 'print("{\"type\":[\"EuropeanDigitalCredential\"],\"a\":" + "[" * 100 + "]" * 100 + "}")' >"$T/deep100.json"
run 1 "100 levels" "$CC_BIN" validate -f edc3 "$T/deep100.json"
has "$T/err" 'nested more than 64 levels .*\[edc3-depth\]' "the checks' walk stops at 64"

finish e2e_edc3
