#!/bin/sh
# End-to-end tests of the LOQ format (issue 14) through the credconv command: every corpus
# RNCP/RS fiche to LOQ, checked with the OFFICIAL loq.xsd; field-by-field checks on a real
# fiche with blocks and a real RS fiche; validate -f loq; LOQ -> model -> ob3/loq.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_loq.sh    (run from the project root)
. tests/e2e/sh_lib.sh
LOQX=$CORPUS/edc/elm-v3/loq-xsd
OFFICIAL=$LOQX/loq.xsd
R=$CORPUS/rncp
RNCP12=$R/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
RS8=$R/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml

run 0 formats "$CC_BIN" formats
has "$T/out" '^loq +yes +yes +yes' "formats lists loq"

# xp FILE XPATH EXPECTED NAME: the XPath string value.  "l:name" and "skos:name" in XPATH
# stand for elements of that local name (xmllint --xpath has no namespace prefixes).
lx() { printf '%s' "$1" | sed -E "s/(l|skos):([A-Za-z]+)/*[local-name()='\\2']/g"; }
xp() {
    v=$(xmllint --xpath "string($(lx "$2"))" "$1" 2>/dev/null)
    if [ "$v" = "$3" ]; then ok; else ko "$4: got '$(printf %.80s "$v")', expected '$(printf %.80s "$3")'"; fi
}
xn() {
    v=$(xmllint --xpath "count($(lx "$2"))" "$1" 2>/dev/null)
    if [ "$v" = "$3" ]; then ok; else ko "$4: $v nodes, expected $3"; fi
}
# only_rules FILE RULE...: every error line of FILE carries one of the rules.
only_rules() {
    f=$1 name=$2
    shift 2
    pat=$(printf '\\[%s\\]|' "$@")
    if grep ': error: ' "$f" | grep -Evq "${pat%|}"; then ko "$name"; grep ': error: ' "$f" | grep -Ev "${pat%|}" | head -3
    else ok; fi
}

# ------------------------------------------------------------ 1. every corpus fiche
if [ -f "$OFFICIAL" ] && [ -f "$RNCP12" ]; then
    for f in "$R"/*.xml samples/rncp-sample.xml; do
        b=$(basename "$f" .xml)
        "$CC_BIN" convert -t model "$f" >"$T/$b.model" 2>/dev/null
        fiches=$(grep -c '"model"' "$T/$b.model")
        run_rc=0
        "$CC_BIN" convert -t loq -o "$T/$b.loq" "$f" >"$T/out" 2>"$T/err" || run_rc=$?
        if [ "$run_rc" -le 1 ]; then ok; else ko "$b: convert -t loq exit $run_rc"; fi
        xsd_ok "$OFFICIAL" "$T/$b.loq" "$b: the LOQ document passes the official loq.xsd"
        # Only what LOQ cannot hold is rejected: no title, no learning outcome at all.
        only_rules "$T/err" "$b: rejections are for a missing title or outcome only" loq-missing loq-no-outcome
        written=$(sed -n 's/.* \([0-9]*\) written.*/\1/p' "$T/err" | tail -1)
        [ -n "$written" ] || written=$fiches   # a clean run prints no summary
        rejected=$(grep -c ': error: .*\[loq-\(missing\|no-outcome\)\]' "$T/err")
        if [ $((written + rejected)) -eq "$fiches" ]; then ok; else ko "$b: $written written + $rejected rejected != $fiches fiches"; fi
        # one specification per fiche and per block written
        specs=$(jq -s "[.[] | .achievement | select(.title and ((((.outcomes // []) | length) > 0) or (.outcomesText != null) or (([.parts[]? | (.outcomes // []) | length] | add // 0) > 0)))
                        | 1 + (.parts // [] | length)] | add // 0" "$T/$b.model")
        xn "$T/$b.loq" "/l:Courses/l:learningAchievementSpecificationReferences/*" "$specs" "$b: one specification per fiche and block"
        run 0 "$b: validate -f loq" "$CC_BIN" validate -f loq "$T/$b.loq"
        run 0 "$b: validate -f loq --schema official" "$CC_BIN" validate -f loq --schema "$OFFICIAL" "$T/$b.loq"
    done
    # The two fiches the corpus cannot give LOQ are named with their reason.
    "$CC_BIN" convert -t loq -o "$T/rs3.loq" "$R/api-apprentissage_export_fiches_RS_V3_0_fixture_2fiches.xml" 2>"$T/err"
    has "$T/err" 'RS5841: RS5841 has no learning outcome: LOQ requires at least one \[loq-no-outcome\]' "no outcome: rejected, said why"
    has "$T/err" 'RS6010: cannot write a LOQ qualification without a title \[loq-missing\]' "no title: rejected, said why"
else
    skipped "LOQ of every corpus fiche against the official loq.xsd"
fi

# ------------------------------------------------------------ 2. field by field
if [ -f "$OFFICIAL" ] && [ -f "$RNCP12" ] && [ -f "$RS8" ]; then
    "$CC_BIN" convert -t model --select RNCP35809 "$RNCP12" >"$T/f.json" 2>/dev/null
    "$CC_BIN" convert -t model --select RS6547 "$RS8" >"$T/rs.json" 2>/dev/null
    run 0 "two real fiches to loq" "$CC_BIN" convert -v -t loq --select RNCP35809 --select RS6547 --report "$T/rep.json" -o "$T/two.loq" "$RNCP12" "$RS8"
    cp "$T/err" "$T/two.err"
    xsd_ok "$OFFICIAL" "$T/two.loq" "the two fiches pass the official loq.xsd"
    F=$(jq -r .achievement.id "$T/f.json")
    Q="/l:Courses/l:learningAchievementSpecificationReferences/l:qualification[@id='$F']"
    xn "$T/two.loq" "$Q" 1 "RNCP fiche: a qualification with the fiche's id"
    xp "$T/two.loq" "$Q/l:identifier/skos:notation" RNCP35809 "identifier: the RNCP code"
    xp "$T/two.loq" "$Q/l:identifier/l:schemeAgency" "France Compétences" "identifier: France Compétences as scheme agency"
    xp "$T/two.loq" "$Q/l:identifier/l:schemeName" RNCP "identifier: scheme RNCP"
    xp "$T/two.loq" "$Q/l:title[@language='fr']" "$(jq -r .achievement.title.fr "$T/f.json")" "title"
    xp "$T/two.loq" "$Q/l:description[@language='fr']" "$(jq -r .achievement.description.fr "$T/f.json")" "description"
    xp "$T/two.loq" "$Q/l:homepage/l:contentUrl" "$(jq -r .achievement.homepage "$T/f.json")" "homepage"
    xp "$T/two.loq" "$Q/l:status" active "status from ACTIF"
    xp "$T/two.loq" "$Q/l:EQFLevel/@uri" http://data.europa.eu/snb/eqf/5 "EQF level 5 (NIV5)"
    xp "$T/two.loq" "$Q/l:NQFLevel/@uri" http://data.europa.eu/snb/qdr/c_243aefbe "NQF: NIV5 = NQF RNCP Level III"
    grep -q 'c_243aefbe"' "$LOQX/cv/nqf.xsd" && ok || ko "the NQF concept is in the official list"
    xp "$T/two.loq" "$Q/l:ISCEDFCode/@uri" http://data.europa.eu/snb/isced-f/99 "ISCED-F: field unknown (no NSF crosswalk)"
    xp "$T/two.loq" "$Q/l:language/@uri" http://publications.europa.eu/resource/authority/language/FRA "language: FRA"
    xp "$T/two.loq" "$Q/l:type[skos:notation='BTS']/@uri" urn:credconv:rncp-abrege:BTS "type: the abrégé"
    xp "$T/two.loq" "$Q/l:type[skos:notation='BTS']/skos:prefLabel" "Brevet de technicien supérieur" "type: its label"
    xp "$T/two.loq" "$Q/l:educationSubject[skos:notation='233']/skos:prefLabel" "Bâtiment" "NSF 233 as education subject"
    xp "$T/two.loq" "$Q/l:educationSubject[skos:notation='22454']/@uri" urn:credconv:formacode:22454 "Formacode as education subject"
    ER=$(jq -r '.achievement.entryRequirements.fr // ""' "$T/f.json")
    xp "$T/two.loq" "$Q/l:entryRequirement/l:noteLiteral" "$ER" "entry requirements"
    xp "$T/two.loq" "$Q/l:awardingOpportunity/l:temporal/l:endDate" "$(jq -r .achievement.validUntil "$T/f.json")T00:00:00Z" "end of registration"
    xp "$T/two.loq" "$Q/l:awardingOpportunity/l:learningAchievementSpecification/@idref" "$F" "awarding opportunity names its fiche"
    ORG=$(xmllint --xpath "string($(lx "$Q/l:awardingOpportunity/l:awardingBody/@idref"))" "$T/two.loq")
    O="/l:Courses/l:agentReferences/l:organisation[@id='$ORG']"
    xp "$T/two.loq" "$O/l:legalName[@language='fr']" "$(jq -r '.achievement.organizations[0].name.fr' "$T/f.json")" "awarding body: legal name"
    xp "$T/two.loq" "$O/l:registration/skos:notation" "$(jq -r '.achievement.organizations[0].identifiers[0].code' "$T/f.json")" "awarding body: SIRET"
    xp "$T/two.loq" "$O/l:registration/l:spatial/@uri" http://publications.europa.eu/resource/authority/country/FRA "SIRET: France"
    LOC=$(xmllint --xpath "string($(lx "$O/l:location/@idref"))" "$T/two.loq")
    xp "$T/two.loq" "/l:Courses/l:locationReferences/l:location[@id='$LOC']/l:address/l:countryCode/@uri" http://publications.europa.eu/resource/authority/country/FRA "its location"
    # blocks: partial qualifications, tied both ways, with their outcomes and assessment
    nb=$(jq '.achievement.parts | length' "$T/f.json")
    xn "$T/two.loq" "$Q/l:hasPart" "$nb" "hasPart: one per block"
    i=0
    while [ "$i" -lt "$nb" ]; do
        B=$(jq -r ".achievement.parts[$i].id" "$T/f.json")
        P="/l:Courses/l:learningAchievementSpecificationReferences/l:qualification[@id='$B']"
        xn "$T/two.loq" "$Q/l:hasPart[@idref='$B']" 1 "block $i: named by the fiche"
        xp "$T/two.loq" "$P/l:isPartOf/@idref" "$F" "block $i: isPartOf the fiche"
        xp "$T/two.loq" "$P/l:isPartialQualification" true "block $i: partial"
        xp "$T/two.loq" "$P/l:identifier/skos:notation" "$(jq -r ".achievement.parts[$i].code" "$T/f.json")" "block $i: code"
        xp "$T/two.loq" "$P/l:title" "$(jq -r ".achievement.parts[$i].title.fr" "$T/f.json")" "block $i: title"
        xp "$T/two.loq" "$P/l:EQFLevel/@uri" http://data.europa.eu/snb/eqf/5 "block $i: the fiche's level"
        no=$(jq ".achievement.parts[$i].outcomes | length" "$T/f.json")
        xn "$T/two.loq" "$P/l:learningOutcome" "$no" "block $i: one learningOutcome per competence"
        LO1=$(xmllint --xpath "string($(lx "$P/l:learningOutcome[1]/@idref"))" "$T/two.loq")
        xp "$T/two.loq" "/l:Courses/l:learningOutcomeReferences/l:learningOutcome[@id='$LO1']/l:title" "$(jq -r ".achievement.parts[$i].outcomes[0].text.fr" "$T/f.json")" "block $i: first outcome text"
        AS=$(xmllint --xpath "string($(lx "$P/l:provenBy/@idref"))" "$T/two.loq")
        xp "$T/two.loq" "/l:Courses/l:learningAssessmentSpecificationReferences/l:learningAssessmentSpecification[@id='$AS']/l:description" "$(jq -r ".achievement.parts[$i].assessment.fr" "$T/f.json")" "block $i: assessment"
        i=$((i + 1))
    done
    # the RS entry: its own kind, no level
    S=$(jq -r .achievement.id "$T/rs.json")
    L="/l:Courses/l:learningAchievementSpecificationReferences/l:learningAchievementSpecification[@id='$S']"
    xn "$T/two.loq" "$L" 1 "RS fiche: a learning achievement specification (no level)"
    xn "$T/two.loq" "/l:Courses/l:learningAchievementSpecificationReferences/l:qualification[@id='$S']" 0 "RS fiche: not a qualification"
    xp "$T/two.loq" "$L/l:identifier/skos:notation" RS6547 "RS: code"
    xp "$T/two.loq" "$L/l:identifier/l:schemeName" RS "RS: scheme RS"
    DD=$(jq -r '.achievement.ext[] | select(.name=="rncp:DATE_DECISION") | .value' "$T/rs.json")
    xp "$T/two.loq" "$L/l:identifier/l:issued" "${DD}T00:00:00Z" "RS: registration date"
    xp "$T/two.loq" "$L/l:awardingOpportunity/l:temporal/l:startDate" "${DD}T00:00:00Z" "RS: awardable from the registration date"
    xp "$T/two.loq" "$L/l:type/@uri" urn:credconv:repertoire:RS "RS: the register as its type"
    xp "$T/two.loq" "$L/l:title" "$(jq -r .achievement.title.fr "$T/rs.json")" "RS: title"
    xn "$T/two.loq" "$L/l:EQFLevel" 0 "RS: no EQF level invented"
    nlo=$(jq '.achievement.outcomes | length' "$T/rs.json")
    xn "$T/two.loq" "$L/l:learningOutcome" "$nlo" "RS: its outcomes"
    xn "$T/two.loq" "$L/l:awardingOpportunity/l:awardingBody" 1 "RS: one awarding body, partners left out"
    has "$T/two.err" 'RS6547: RS6547 has no EQF level: written as a learningAchievementSpecification' "RS: the kind is said"
    has "$T/two.err" 'RS6547: loss: organisation in role partner not expressible in loq \[loss\]' "RS: partners reported lost"
    has "$T/two.err" 'RNCP35809: loss: alignments of scheme rome' "ROME codes reported lost"
    jqtrue "$T/rep.json" '[.diagnostics[] | select(.rule == "loss")] | length > 3' "--report lists the losses"
else
    skipped "field-by-field LOQ checks on RNCP35809 and RS6547"
fi

# ------------------------------------------------------------ duplicates, credentials
if [ -f "$OFFICIAL" ]; then
    run 1 "a fiche twice" "$CC_BIN" convert -t loq -o "$T/dup.loq" samples/rncp-sample.xml samples/rncp-sample.xml
    has "$T/err" 'not written: .* is already in the document .*\[loq-duplicate\]' "the second copy is rejected"
    xsd_ok "$OFFICIAL" "$T/dup.loq" "the document stays valid"
    count "$T/dup.loq" '<skos:notation>RNCP99001</skos:notation>' 1 "once in the document"
else
    skipped "duplicate fiches in LOQ"
fi
run 1 "credentials are not LOQ" "$CC_BIN" convert -t loq --issuer samples/issuer.json --recipients samples/recipients.csv samples/rncp-sample.xml
has "$T/err" '\[loq-not-achievement\]' "a credential is refused with its reason"
hasnt "$T/out" '<qualification ' "and no qualification is written for it"

# ------------------------------------------------------------ 3. validate -f loq
"$CC_BIN" convert -t loq -o "$T/s.loq" samples/rncp-sample.xml 2>/dev/null
run 0 "validate -f loq of a written document" "$CC_BIN" validate -f loq "$T/s.loq"
has "$T/err" '2 records read, 2 valid, 0 invalid' "the two fiches valid"
run 0 "detected as loq" "$CC_BIN" validate "$T/s.loq"
# SHACL rules the XSD cannot express, each with its line and shape
awk '/<title language="fr">/ && !d { sub(/<title language="fr">/, "<title language=\"fr\">Doublon</title><title language=\"fr\">"); d = 1 } { print }' "$T/s.loq" >"$T/twotitles.loq"
xsd_ok schemas/loq/loq.xsd "$T/twotitles.loq" "two titles in one language pass the XSD"
run 1 "SHACL uniqueLang" "$CC_BIN" validate -f loq "$T/twotitles.loq"
has "$T/err" 'twotitles.loq:[0-9]+: error: a second <title> in language .fr. \(sh:uniqueLang\) \[loq-shacl-QualificationShape\]' "uniqueLang, with line and shape"
hasnt "$T/err" ' [0-9]+ valid, 0 invalid' "not valid"
sed 's#<contentUrl>https://www.francecompetences.fr/recherche/rncp/99001/</contentUrl>#<contentUrl>ftp://example.org/x</contentUrl>#' "$T/s.loq" >"$T/ftp.loq"
run 1 "SHACL URL pattern" "$CC_BIN" validate -f loq "$T/ftp.loq"
has "$T/err" "ftp.loq:[0-9]+: error: .*'ftp://example.org/x' is not an http\(s\) URL \[loq-shacl-URLRegexRestriction\]" "homepage URL pattern"
sed 's#<isPartOf idref="https://www.francecompetences.fr/recherche/rncp/99001/"/>#<isPartOf idref="urn:nowhere"/>#' "$T/s.loq" >"$T/partof.loq"
xsd_ok schemas/loq/loq.xsd "$T/partof.loq" "a dangling isPartOf passes the XSD (no keyref)"
run 1 "SHACL isPartOf class" "$CC_BIN" validate -f loq "$T/partof.loq"
has "$T/err" "partof.loq:[0-9]+: error: isPartOf names 'urn:nowhere', which is not a qualification of the document \(sh:class\) \[loq-shacl-QualificationShape\]" "isPartOf must name a qualification"
sed 's#language="fr">Diagnostiquer#language="">Diagnostiquer#' "$T/s.loq" >"$T/nolang.loq"
run 1 "SHACL langString" "$CC_BIN" validate -f loq "$T/nolang.loq"
has "$T/err" "not a language tag \(rdf:langString\) \[loq-shacl-LearningOutcomeShape\]" "a literal without language"
if [ -f "$OFFICIAL" ]; then
    xsd_ok "$OFFICIAL" "$T/twotitles.loq" "the official XSD misses it too: the SHACL check is needed"
    sed 's#eqf/5"#eqf/9"#' "$T/s.loq" >"$T/eqf9.loq"
    run 1 "official --schema rejects EQF 9" "$CC_BIN" validate -f loq --schema "$OFFICIAL" "$T/eqf9.loq"
    has "$T/err" "eqf/9' is not an element of the set.*\[loq-schema\]" "enumeration of the official schema"
    # the corpus samples (generated placeholders): valid with the official schema; they use
    # sections outside credconv's profile, which the bundled schema says
    for s in loq loq_withLearningAchievementSpecification; do
        run 0 "$s.xml: validate --schema official" "$CC_BIN" validate -f loq --schema "$OFFICIAL" "$LOQX/$s.xml"
        run 1 "$s.xml: not credconv's profile" "$CC_BIN" validate -f loq "$LOQX/$s.xml"
        has "$T/err" 'learningOpportunityReferences.: This element is not expected' "$s.xml: the profile names what it lacks"
    done
else
    skipped "validate with the official loq.xsd"
fi
sed 's#eqf/5"#eqf/9"#' "$T/s.loq" >"$T/eqf9b.loq"
run 1 "EQF 9 against the bundled profile" "$CC_BIN" validate -f loq "$T/eqf9b.loq"
has "$T/err" "is not an EQF level 1-8 \[loq-shacl-EQFLevelRestriction\]" "the mdr EQF restriction"
has "$T/err" "eqf/9' is not accepted by the pattern.*\[loq-schema\]" "and the profile's pattern"
# a write is checked: a record whose LOQ would break a SHACL rule is not written
printf '%s\n' '{"model":"credconv-model/1","achievement":{"code":"RNCP1","title":{"fr":"A","en":"B"},"language":"fr","eqfLevel":4,"nqfLevel":{"scheme":"fr-nqf","code":"NIV4"},"homepage":"ftp://example.org/x","outcomes":[{"text":{"fr":"Faire"}}]}}' >"$T/badurl.json"
run 1 "write check" "$CC_BIN" convert -f model -t loq -o "$T/badurl.loq" "$T/badurl.json"
has "$T/err" '\[loq-schema\]|\[loq-shacl-URLRegexRestriction\]' "the bad homepage is caught"
has "$T/err" 'not written: its loq output would fail `validate -f loq`' "and the record not written"
hasnt "$T/badurl.loq" '<qualification ' "no qualification in the file"

# ------------------------------------------------------------ 4. reading LOQ
run 0 "loq -> model" "$CC_BIN" convert -t model "$T/s.loq"
jq -c 'select(.achievement.code == "RNCP99001")' "$T/out" >"$T/f99.json"
jqtrue "$T/f99.json" '.achievement.eqfLevel == 5 and .achievement.nqfLevel.code == "NIV5" and (.achievement.parts | length) == 2 and .achievement.parts[0].partOf == "RNCP99001" and (.achievement.outcomes | length) == 3' "levels, blocks, outcomes back"
jqtrue "$T/f99.json" '.achievement.organizations[0].identifiers[0] == {"scheme":"siret","code":"12345678900017"}' "awarding body and SIRET back"
"$CC_BIN" convert -t model --select RNCP99001 samples/rncp-sample.xml 2>/dev/null | jq -c '.achievement | {code, title, eqfLevel, validUntil, active, o: [.outcomes[]?.text], p: [.parts[]? | {code, title, o: [.outcomes[]?.text], assessment}]}' >"$T/m1"
jq -c '.achievement | {code, title, eqfLevel, validUntil, active, o: [.outcomes[]?.text], p: [.parts[]? | {code, title, o: [.outcomes[]?.text], assessment}]}' "$T/f99.json" >"$T/m2"
same "$T/m1" "$T/m2" "rncp -> loq -> model keeps codes, titles, levels, dates, status, outcomes, blocks, assessments"
run 0 "loq -> loq" "$CC_BIN" convert -t loq -o "$T/s2.loq" "$T/s.loq"
same "$T/s.loq" "$T/s2.loq" "loq -> loq rewrites the same document"
"$CC_BIN" convert -v -t loq -o "$T/s3.loq" samples/rncp-sample.xml 2>"$T/err"
has "$T/err" 'RS99002: loss: end of registration \(no awarding body to carry it\)' "an end date LOQ cannot carry is reported lost"
# like ob3 -> rncp (e2e_matrix.sh): V4.1 wants what only an export carries, and says so
run 1 "loq -> rncp" "$CC_BIN" convert -t rncp -o "$T/back.xml" "$T/s.loq"
has "$T/err" 'only an RNCP export carries: convert from the export itself' "loq -> rncp: the reason"
run 0 "loq -> rncp --allow-invalid" "$CC_BIN" convert --allow-invalid -t rncp -o "$T/back.xml" "$T/s.loq"
has "$T/back.xml" '<NUMERO_FICHE>RNCP99001</NUMERO_FICHE>' "loq -> rncp: the fiche"
run 0 "loq -> ob3" "$CC_BIN" convert -t ob3 -o "$T/s.jsonl" "$T/s.loq"
run 0 "ob3 of loq validates" "$CC_BIN" validate -f ob3 "$T/s.jsonl"
run 0 "loq -> ob2" "$CC_BIN" convert -t ob2 --issuer samples/issuer.json --badge-image https://www.ecole-du-cycle.example/badge.png -o "$T/s.ob2" "$T/s.loq"
run 0 "ob2 of loq validates" "$CC_BIN" validate -f ob2 "$T/s.ob2"
# the sample CSV has bad rows on purpose: exit 1, the good ones issued
run 1 "loq -> edc with recipients" "$CC_BIN" convert -t edc --issuer samples/issuer.json --recipients samples/recipients.csv -O "$T/edc" "$T/s.loq"
has "$T/err" '3 written' "three EDC credentials"
run 0 "they validate" "$CC_BIN" validate -f edc "$T"/edc/*.xml
if [ -f "$OFFICIAL" ]; then
    for s in loq loq_withLearningAchievementSpecification; do
        run 0 "$s.xml read" "$CC_BIN" convert -f loq -t loq -o "$T/$s.rt" "$LOQX/$s.xml"
        xsd_ok "$OFFICIAL" "$T/$s.rt" "$s.xml read and written back: valid with the official schema"
        xn "$T/$s.rt" "/l:Courses/l:learningAchievementSpecificationReferences/*" "$(xmllint --xpath "count($(lx '/l:Courses/l:learningAchievementSpecificationReferences/*'))" "$LOQX/$s.xml")" "$s.xml: every specification written back"
        xp "$T/$s.rt" "/l:Courses/l:learningAchievementSpecificationReferences/*[1]/l:title[1]" "$(xmllint --xpath "string($(lx '/l:Courses/l:learningAchievementSpecificationReferences/*[1]/l:title[1]'))" "$LOQX/$s.xml")" "$s.xml: the title kept"
        run 0 "$s.xml -> ob3" "$CC_BIN" convert -t ob3 -o "$T/$s.jsonl" "$LOQX/$s.xml"
        run 0 "$s.xml -> ob3 passes the OB 3.0 schema" "$CC_BIN" validate -f ob3 "$T/$s.jsonl"
    done
else
    skipped "the corpus LOQ samples read and written back"
fi
# a bad record is rejected with its place, the others read
sed '0,/<qualification id="[^"]*"/s//<qualification/' "$T/s.loq" >"$T/noid.loq"
run 1 "a qualification without id" "$CC_BIN" convert -f loq -t model "$T/noid.loq"
has "$T/err" 'noid.loq:4: error: a <qualification> without its required id: not read \[loq-no-id\]' "rejected, with its line"
has "$T/err" '4 records read, 3 written, 1 rejected' "the other fiche and the blocks are read, and the counts add up"
# hostile input
printf '<?xml version="1.0"?>\n<!DOCTYPE Courses [<!ENTITY a "aaaa">]>\n<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/">&a;</Courses>\n' >"$T/dtd.loq"
run 1 "DOCTYPE refused" "$CC_BIN" convert -f loq -t model "$T/dtd.loq"
has "$T/err" '\[xml-doctype\]' "with its rule"
hasnt "$T/out" '"model"' "and nothing read"
{ printf '<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE Courses [<!ENTITY x SYSTEM "file:///etc/passwd">\n'
  for i in 1 2 3 4 5 6 7 8; do printf '<!ENTITY e%d "%s">\n' "$i" "&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));&e$((i - 1));"; done
  printf ']>\n<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/"><learningAchievementSpecificationReferences><learningAchievementSpecification id="x"><title language="fr">&e8;&x;</title></learningAchievementSpecification></learningAchievementSpecificationReferences></Courses>\n'; } | sed 's/&e0;/aaaaaaaaaa/g' >"$T/bomb.loq"
run 1 "entity bomb + XXE: validate refuses the DOCTYPE" "$CC_BIN" validate -f loq "$T/bomb.loq"
has "$T/err" 'bomb.loq: error: DOCTYPE declarations are refused \(no DTD or entity is loaded\) \[xml-doctype\]' "before any entity is declared"
hasnt "$T/err" 'root:' "/etc/passwd never read"
run 1 "entity bomb + XXE: convert too" "$CC_BIN" convert -f loq -t model "$T/bomb.loq"
has "$T/err" '\[xml-doctype\]' "convert: the same rule"
awk 'BEGIN { printf "<Courses xmlns=\"http://data.europa.eu/snb/model/ap/loq-constraints/\""; for (i = 0; i < 100000; i++) printf " a%d=\"1\"", i; print "/>" }' >"$T/attrs.loq"
run 1 "100,000 attributes: refused before parsing" "$CC_BIN" validate -f loq "$T/attrs.loq"
has "$T/err" 'more than 256 attributes .*\[xml-attributes\]' "by the XML guard, with its rule"
count "$T/err" 'error:' 1 "one error, nothing after it"
printf '<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/"><learningAchievementSpecificationReferences><qualification id="x">' >"$T/cut.loq"
run 1 "cut short" "$CC_BIN" convert -f loq -t model "$T/cut.loq"
hasnt "$T/out" '"model"' "a cut document gives no record"

finish e2e_loq
