#!/bin/sh
# End-to-end tests of Open Badges 2.0 and baked images: bake, unbake, ob2 read/write/validate.
. tests/e2e/sh_lib.sh

# ------------------------------------------------------------ bake / unbake
run 2 "bake without --image" "$CC_BIN" bake x.json
has "$T/err" 'bake needs --image' "bake says what is missing"
run 2 "--image with convert" "$CC_BIN" convert -t model --image x.png x.json
if have_ob; then
    for img in "$OB/validator-dcpv/ob20/simple-badge.png" "$OB/test-vectors/generated/ob2-signed-baked.svg" \
               "$OB/validator-dcpv/ob30/simple-json.svg" "$OB/test-vectors/generated/ob3-vcjwt-baked.png"; do
        name=$(basename "$img")
        run 0 "unbake $name" "$CC_BIN" unbake -o "$T/payload" "$img"
        ext=${img##*.}
        run 0 "bake $name payload" "$CC_BIN" bake --image "$OB/community/mozilla-bakery/unbaked.$ext" -o "$T/re.$ext" "$T/payload"
        run 0 "unbake re-baked $name" "$CC_BIN" unbake "$T/re.$ext"
        tr -d '\n' <"$T/payload" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' >"$T/p1"
        tr -d '\n' <"$T/out" >"$T/p2"
        same "$T/p1" "$T/p2" "bake → unbake gives the payload of $name"
    done
    run 1 "already baked" "$CC_BIN" bake --image "$OB/validator-dcpv/ob20/simple-badge.png" -o "$T/x.png" "$T/payload"
    has "$T/err" 'already baked' "re-baking is refused"
    [ ! -e "$T/x.png" ] && ok || ko "a refused bake leaves no file"
    # a damaged PNG: one byte of IHDR flipped, then the file cut short
    python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[20]^=1; open(sys.argv[2],'wb').write(b)" \
        "$OB/validator-dcpv/ob20/simple-badge.png" "$T/crc.png"
    run 1 "broken CRC" "$CC_BIN" unbake "$T/crc.png"
    has "$T/err" "crc.png: error: PNG damaged: chunk 'IHDR' at offset 8 has CRC [0-9a-f]+, its bytes give [0-9a-f]+ \[unbake\]" "CRC message"
    head -c 1000 "$OB/validator-dcpv/ob20/simple-badge.png" >"$T/cut.png"
    run 1 "truncated PNG" "$CC_BIN" unbake "$T/cut.png"
    has "$T/err" "PNG truncated: chunk '[A-Za-z]+' at offset [0-9]+ says [0-9]+ bytes, [0-9]+ are left" "truncation message"
    run 1 "unbaked image" "$CC_BIN" unbake "$OB/community/mozilla-bakery/unbaked.png"
    has "$T/err" 'no badge in this PNG' "no badge"
else
    skipped "baked corpus images"
fi

# ------------------------------------------------------------ the validator's OB 2.0 samples
# Each: file, exit status of validate, the rule of the error (- for none).  The validator's
# tests serve example.org / example.com from assets/; --map-url does the same here, offline.
A=$OB/validator-dcpv/ob20
if have_ob; then
    # The example extension's context and schema, under the URLs that name them (links in
    # $T, so that nothing of the corpus is copied).
    X=$(cd "$OB/schemas/ob2-extensions" && pwd)
    mkdir -p "$T/ext/exampleExtension"
    ln -s "$X/exampleExtension.context.json" "$T/ext/exampleExtension/context.json"
    ln -s "$X/exampleExtension.schema.json" "$T/ext/exampleExtension/schema.json"
    M="--map-url https://example.org/=$A/assets --map-url http://example.org/=$A/assets --map-url http://example.com/=$A/assets"
    M="$M --map-url https://w3id.org/openbadges/extensions/exampleExtension/=$T/ext/exampleExtension"
    M="$M --map-url https://openbadgespec.org/extensions/exampleExtension/=$T/ext/exampleExtension"
    while read -r f want rule; do
        run "$want" "validate $f" "$CC_BIN" validate $M "$A/$f"
        if [ "$rule" = - ]; then hasnt "$T/err" ': error:' "$f has no error"; else has "$T/err" "error: .*\\[$rule\\]" "$f fails for $rule"; fi
    done <<'LIST'
basic-assertion.json 0 -
simple-badge.png 0 -
assets/badgeclass1.json 0 -
basic-assertion-invalid-context.json 1 ob2-context
basic-assertion-invalid-type.json 1 ob2-type
simple.jwt 0 -
simple-not-revoked.jwt 0 -
simple-revoked.jwt 1 ob2-revoked
assets/badge-with-data-image.json 0 -
assertion-with-data-image.json 1 ob2-image-data-uri
assets/badgeclass-with-complex-image.json 0 -
assertion-with-endorsements.json 0 -
basic-assertion-no-public-key.json 0 -
issuer-compact-iri-validation.json 0 -
rdf-validation/valid-alignment-object.json 0 -
rdf-validation/valid-badge-class-empty-criteria-type.json 0 -
rdf-validation/valid-badge-class.json 0 -
rdf-validation/valid-cool-class.json 0 -
rdf-validation/valid-issuer-extension.json 0 -
rdf-validation/invalid-class.json 1 ob2-type
rdf-validation/invalid-empty-type.json 1 ob2-type
rdf-validation/invalid-one-invalid-class.json 1 ob2-type
rdf-validation/badge-class-invalid-issuer-type.json 1 ob2-issuer-type
basic-assertion-with-allowed-origins.json 0 -
basic-assertion-with-allowed-origins-valid-starts-with.json 0 -
basic-assertion-with-allowed-origins-valid-multiple-starts-with.json 0 -
basic-assertion-with-allowed-origins-invalid-starts-with.json 1 ob2-verification-scope
basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json 1 ob2-verification-scope
basic-assertion-expired.json 1 ob2-expired
basic-assertion-expired-before-issued.json 1 ob2-expires-before-issued
basic-assertion-in-future.json 1 ob2-issued-in-future
basic-assertion-with-language.json 0 -
assertion-with-extension-node-basic.json 0 -
assertion-with-multiple-extensions.json 0 -
assertion-with-extension-node-invalid.json 1 ob2-extension
warning-issuer-non-http.json 0 -
warning-with-redirection.json 0 -
badge-class-with-language.json 0 -
LIST
    has_warning() { run 0 "validate $1" "$CC_BIN" validate $M "$A/$1"; has "$T/err" "warning: .*\\[$2\\]" "$1 warns $2"; }
    has_warning warning-issuer-non-http.json ob2-issuer-non-http
    has_warning warning-with-redirection.json ob2-linked-id
    # extensions: the schema applied to the compacted node; a context that cannot be read
    run 1 "validate assertion-with-extension-node-invalid.json (why)" "$CC_BIN" validate $M "$A/assertion-with-extension-node-invalid.json"
    has "$T/err" 'error: .*cannot determine the extension type to test: none of its contexts validates any of its types \(at /extensions:exampleExtension\) \[ob2-extension\]' "the validator's reason"
    sed 's|"obi:extensions/#ExampleExtension"|"extensions:ExampleExtension"|' "$A/assertion-with-extension-node-invalid.json" >"$T/ext-int.json"
    run 1 "extension property of the wrong type" "$CC_BIN" validate $M "$T/ext-int.json"
    has "$T/err" "extension extensions:ExampleExtension does not validate at '/exampleProperty': expected type \"string\", got integer .*\[ob2-extension\]" "the full-IRI key is compacted to the context's term, then checked"
    sed 's|1337|"some text"|' "$T/ext-int.json" >"$T/ext-ok.json"
    run 0 "extension property of the right type" "$CC_BIN" validate $M "$T/ext-ok.json"
    hasnt "$T/err" 'ob2-extension' "a good extension passes"
    run 0 "extension context not available" "$CC_BIN" validate --map-url https://example.org/=$A/assets "$T/ext-int.json"
    has "$T/err" 'warning: .*extension not checked: its context https://w3id.org/openbadges/extensions/exampleExtension/context.json \(not fetched: give --fetch.*\[ob2-extension-not-checked\]' "not checked, and said so"
    jq '.["extensions:exampleExtension"] |= del(.["@context"])' "$A/assertion-with-extension-node-basic.json" >"$T/ext-noctx.json"
    run 1 "extension without a context" "$CC_BIN" validate $M "$T/ext-noctx.json"
    has "$T/err" 'cannot determine the extension type to test: no extension context .*\[ob2-extension\]' "no context, no type to test"
    # every OB 2.0 spec example reads (04 is a JOSE header only, not a badge)
    for f in "$OB"/examples/ob2-spec/*.json; do
        case $f in *--04-*) continue;; esac
        "$CC_BIN" inspect -f ob2 "$f" >"$T/out" 2>"$T/err"
        if [ $? -le 1 ] && ! grep -q 'json-syntax' "$T/err"; then ok; else ko "spec example $(basename "$f") does not read"; fi
    done
    # a baked image is an input like any other
    run 0 "convert a baked PNG" "$CC_BIN" convert -t ob2 "$A/simple-badge.png"
    has "$T/out" '"id":"https://example.org/beths-robotics-badge.json"' "the payload converted"
    run 0 "OB 3.0 baked PNG" "$CC_BIN" convert -t model "$OB/validator-dcpv/ob30/simple-json.png"
    has "$T/out" '"credential":\{"id":"http://example.com/credentials/3527"' "the OB 3.0 payload converted"
    run 1 "OB 3.0 VC-JWT payload: no reader yet" "$CC_BIN" convert -t model "$OB/validator-dcpv/ob30/simple-jwt.png"
    has "$T/err" "Open Badges 3.0 credential: 'credconv unbake' gives it" "says what it is"
    run 1 "OB 1.0 pointer badge without --fetch" "$CC_BIN" inspect "$OB/community/mozilla-bakery/baked.svg"
    has "$T/err" 'only points to its hosted assertion http://example.org: .*give --fetch' "says why"
    run 0 "verify --recipient (md5 and sha256)" "$CC_BIN" verify --key "$A/assets/key1.json" --recipient nobody@example.org "$A/simple.jwt"
    has "$T/out" 'is issued to nobody@example.org' "the salted sha256 matches"
    run 1 "verify --recipient, other address" "$CC_BIN" verify --key "$A/assets/key1.json" --recipient Nobody@example.org "$A/simple.jwt"
    run 1 "verify: a JWS without its key is not verified" "$CC_BIN" verify --recipient nobody@example.org "$A/simple.jwt"
    has "$T/out" 'NOT CHECKED \(jws-no-key\)' "the missing key is said"

    # OB 2.0 → OB 3.0, the migration guide's way (docs/references.md ob §5)
    OFFICIAL3=$OB/schemas/ob3/ob_v3p0_achievementcredential_schema.json
    for f in basic-assertion assertion-with-endorsements assertion-with-data-image basic-assertion-with-language; do
        # shellcheck disable=SC2086
        run 0 "upgrade $f" "$CC_BIN" convert -t ob3 $M "$A/$f.json"
        cp "$T/out" "$T/up.json"
        has "$T/up.json" '^\{"@context":\["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"\],"id":"urn:uuid:' "$f: a new urn:uuid id"
        has "$T/up.json" '"evidence":\[\{"id":"https://example.org/[a-z-]+\.json","type":\["Evidence","https://w3id.org/openbadges#Assertion"\]' "$f: the OB 2.0 assertion kept as evidence"
        has "$T/up.json" '"related":\[\{"id":"https://example.org/[a-z-]+\.json","type":\["Related","https://w3id.org/openbadges#BadgeClass"\],"version":"Open Badges v2p0"\}\]' "$f: the BadgeClass as a related link"
        run 0 "upgraded $f passes the official schema" "$CC_BIN" validate -f ob3 --schema "$OFFICIAL3" "$T/up.json"
    done
    # shellcheck disable=SC2086
    "$CC_BIN" convert -t ob3 $M "$A/basic-assertion.json" "$A/basic-assertion.json" >"$T/two.json" 2>/dev/null
    ids=$(grep -o '"achievement":{"id":"urn:uuid:[0-9a-f-]*"' "$T/two.json" | sort -u | wc -l)
    creds=$(grep -o '^{"@context":[^]]*\],"id":"urn:uuid:[0-9a-f-]*"' "$T/two.json" | sort -u | wc -l)
    # the upgraded id is name-based on the assertion's: the same assertion, the same id
    if [ "$ids" -eq 1 ] && [ "$creds" -eq 1 ]; then ok; else ko "one Achievement id per badge ($ids), one id per assertion ($creds)"; fi
    grep -Eq '^\{"@context":[^]]*\],"id":"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5' "$T/two.json" && ok || ko "the upgraded credential id is a v5 uuid"
else
    skipped "validator samples"
fi

# ------------------------------------------------------------ md5 identities, written badges
cat >"$T/md5.json" <<'JSON'
{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://b.example/a/1",
 "recipient":{"type":"email","hashed":true,"salt":"s4lt","identity":"md5$B59C1A1242C1C3BA19C3EA003BABF12B"},
 "badge":"https://b.example/badge","verification":{"type":"hosted"},"issuedOn":"2020-01-01T00:00:00+01:00"}
JSON
run 1 "md5 identity, hosted badge not fetched" "$CC_BIN" verify --recipient ann@example.org "$T/md5.json"
has "$T/out" 'is issued to ann@example.org' "md5\$ hashes match"
has "$T/err" 'hosted assertion NOT CHECKED: .*give --fetch' "an unfetched hosted badge is not verified"

# The bundled OB 2.0 JSON Schema (schemas/ob2) checks structure, with JSON pointers.
cat >"$T/bad-structure.json" <<'JSON'
{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://a.example/1",
 "recipient":{"type":"email","hashed":true,"identity":"sha256$nothex"},
 "badge":{"type":"BadgeClass","id":"https://a.example/b","name":"B","description":"d",
  "criteria":{"narrative":"n"},"issuer":"https://a.example/i",
  "alignment":[{"targetName":"x"}]},
 "verification":{"type":"hosted"},"issuedOn":"2020-01-01"}
JSON
run 1 "schema errors" "$CC_BIN" validate -f ob2 "$T/bad-structure.json"
has "$T/err" 'error: .*\(at /recipient/identity\) \[ob2-schema\]' "a bad identity hash, with its pointer"
has "$T/err" 'error: .*\(at /badge\) \[ob2-schema\]' "the embedded BadgeClass fails (no targetUrl in its alignment)"
has "$T/err" 'error: .*\(at /issuedOn\) \[ob2-schema\]' "a date without time and zone"
run 2 "--schema that cannot be loaded" "$CC_BIN" validate -f ob2 --schema "$T/missing.json" "$T/bad-structure.json"

# -O with --id-base: each Assertion links to its BadgeClass, which links to its issuer:
# three kinds of documents, ids under the base, BadgeClasses and issuer written once.
B=https://www.ecole-du-cycle.example/badges
run 1 "linked OB 2.0 documents" "$CC_BIN" convert -t ob2 --issuer samples/issuer.json \
    --recipients samples/recipients.csv --id-base "$B" --badge-image "$B/badge.png" -O "$T/linked" \
    samples/rncp-sample.xml
n=$(ls "$T/linked" | wc -l)
if [ "$n" -eq 7 ] && [ -f "$T/linked/issuer.json" ] && [ -f "$T/linked/badge-RNCP99001BC02.json" ]; then ok
else ko "3 assertions, 3 BadgeClasses, 1 issuer expected: $(ls "$T/linked")"; fi
# Karim's assertion (RNCP99001BC02): named by its place under the base, BASE/<uuid>
has "$T/linked/2bd94dc0-b96f-533f-b541-dd4c57cc8523.json" "\"badge\":\"$B/badge-RNCP99001BC02.json\"" "the Assertion links to its BadgeClass"
has "$T/linked/badge-RNCP99001BC02.json" "\"id\":\"$B/badge-RNCP99001BC02.json\".*\"issuer\":\"$B/issuer.json\"" "the BadgeClass links to the issuer"
has "$T/linked/issuer.json" "^\\{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Profile\",\"id\":\"$B/issuer.json\"" "the issuer Profile document"
cp samples/badge.png "$T/linked/badge.png"  # the image is hosted beside them
run 0 "the linked documents validate, resolved locally" "$CC_BIN" validate -f ob2 --map-url "$B/=$T/linked/" "$T"/linked/????????-????-5???-????-????????????.json
has "$T/err" '3 records read, 3 valid' "three valid assertions"

RNCP=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
if [ -f "$RNCP" ]; then
    img=$OB/validator-dcpv/ob20/assets/robotics-badge.png
    run 0 "RNCP → OB 2.0 BadgeClasses" "$CC_BIN" convert -t ob2 --issuer samples/issuer.json --badge-image "$img" -o "$T/classes.json" "$RNCP"
    count "$T/classes.json" '"type":"BadgeClass"' 12 "12 BadgeClasses"
    run 0 "the BadgeClasses pass the checks" "$CC_BIN" validate -f ob2 "$T/classes.json"
    has "$T/err" '12 records read, 12 valid' "all valid"
    hasnt "$T/err" 'warning' "no warning either"
    cut -d, -f1-4 samples/recipients.csv | sed 's/RNCP99001BC02/RNCP35340BC01/; s/RNCP99001/RNCP35340/; s/RS99002/RNCP35809/' >"$T/r.csv"
    run 1 "RNCP → OB 2.0 Assertions" env SOURCE_DATE_EPOCH=1780000000 "$CC_BIN" convert -t ob2 --issuer samples/issuer.json \
        --recipients "$T/r.csv" --hash-recipients --id-base https://www.ecole-du-cycle.example/badges --badge-image "$img" -o "$T/assertions.json" \
        "$RNCP" "$CORPUS/rncp/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml"
    n=$(grep -c '"type":"Assertion"' "$T/assertions.json")
    [ "$n" -ge 3 ] && ok || ko "only $n assertions written"
    run 0 "the Assertions pass the checks" env SOURCE_DATE_EPOCH=1780000000 "$CC_BIN" validate -f ob2 "$T/assertions.json"
    has "$T/err" "$n records read, $n valid" "all valid"
    hasnt "$T/err" 'warning' "no warning either"
    rm -rf "$T/badges"
    run 1 "--bake writes baked images beside the badges" env SOURCE_DATE_EPOCH=1780000000 "$CC_BIN" convert -t ob2 --issuer samples/issuer.json \
        --recipients "$T/r.csv" --id-base https://www.ecole-du-cycle.example/badges --badge-image "$img" -O "$T/badges" --bake "$img" "$RNCP"
    nb=$(ls "$T/badges"/*.png 2>/dev/null | wc -l)
    [ "$nb" -ge 1 ] && [ "$nb" -eq "$(ls "$T/badges"/????????-????-5???-????-????????????.json | wc -l)" ] && ok || ko "baked images: $nb (one per assertion)"
    first=$(ls "$T/badges"/*.png | head -1)
    run 0 "a baked output reads back" "$CC_BIN" validate "$first"
else
    skipped "RNCP → OB 2.0"
fi

e2e_end e2e-badges
