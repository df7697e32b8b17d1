#!/usr/bin/env python3
"""Writes tests/corpus.lock: one line per file of the test corpus (every file under the
corpus except the SOURCES.md notes), with its sha256, size, public URL and licence.

    python3 tests/corpus/make-lock.py [CORPUS] > tests/corpus.lock

The origins come from the corpus's own SOURCES.md files, transcribed into RULES below (the
markdown tables are prose, not a format one can parse safely).  The script checks that every
commit it uses is still named in the SOURCES.md of its folder, and fails on any corpus file
no rule covers: a file added to the corpus must be given an origin here before the lock
can be regenerated.  Byte-for-byte copies get a raw.githubusercontent.com URL at the pinned
commit; EXTRACTED / GENERATED / RECONSTRUCTED / DERIVED / excerpt files, and copies whose
upstream path SOURCES.md does not record exactly, get "-" and the page in a comment.
"""
import hashlib
import os
import re
import sys
import urllib.parse

# key: (owner/repo, commit, licence, corpus folder whose SOURCES.md names the commit)
REPOS = {
    "JSTS": ("json-schema-org/JSON-Schema-Test-Suite", "44401e0c046704b476ec9d2e2fccdaee618f259d", "MIT", "json-schema-test-suite"),
    "OPENSALT": ("opensalt/opensalt", "d138f0a2", "NOASSERTION", "case"),
    "MCPRNCP": ("ALDEBERTArnaud/mcp-rncp", "69081be1a03bd55db655e6e460799d8869d9a590", "etalab-2.0", "rncp"),
    "APIAPP1": ("mission-apprentissage/api-apprentissage", "2718af8eed71d911b674e9943324dec83737e739", "etalab-2.0", "rncp"),
    "APIAPP2": ("mission-apprentissage/api-apprentissage", "097395a3812332a4d1f81efce6d299f7d62a3c02", "etalab-2.0", "rncp"),
    "TABCORR": ("mission-apprentissage/tables-correspondances", "610b1aa5b1290cf5d2fc0a41e3b709e7c95cbdc3", "etalab-2.0", "rncp"),
    "ELM1": ("european-commission-empl/European-Learning-Model", "8746736f370ad8f9688d3359052b4d6cec79a631", "EUPL-1.2", "edc"),
    "ELM481": ("european-commission-empl/European-Learning-Model", "481e98d3693d0fa5da46361c0cbb62f9cbaec225", "EUPL-1.2", "edc"),
    "ELM0": ("european-commission-empl/European-Learning-Model", "5543f7bb78a7e418aa7d8f01850f7a419069fcb3", "EUPL-1.2", "edc"),
    "ELM3": ("european-commission-empl/European-Learning-Model", "9d7c5d22002237c3afeb1750b7038e6fe2cdd371", "EUPL-1.2", "edc"),
    "EDCI1": ("european-commission-empl/european-digital-credentials", "a26bb3466fc90c16353091e4ec6b7a0b11f3d5f4", "EUPL-1.2", "edc"),
    "EDCI2": ("european-commission-empl/european-digital-credentials", "ec562a46f54253bf7ad63af78516b17349502c5c", "EUPL-1.2", "edc"),
    "IMP": ("impierce/credential-converter", "51978f1861de9dd0e50266db6978196055231b30", "Apache-2.0", "edc"),
    "IMPPR": ("impierce/credential-converter", "d02fcbbe4c384c21987c287d186dfbab4885e4c3", "Apache-2.0", "ob"),
    "EDUCONV": ("educredentials/credential-converter", "6c571ade2f2d9cf4340200540bec32206342506e", "Apache-2.0", "edc"),
    "OBSPEC": ("1EdTech/openbadges-specification", "1af145ff2dc6e22627e79eb5d0f9afca06ea2489", "LicenseRef-1EdTech-spec", "ob"),
    "OBPAGES": ("1EdTech/openbadges-specification", "a4e4e709665ced019c271173b180fcafe35f6f2a", "LicenseRef-1EdTech-spec", "ob"),
    "DCPV": ("1EdTech/digital-credentials-public-validator", "38254719cf0a490a403c9c812b01e6ab0678f2f3", "Apache-2.0", "ob"),
    "OBVC": ("1EdTech/openbadges-validator-core", "6fe7402373d1059bfb3a968802032b44b37455ed", "Apache-2.0", "ob"),
    "CONFORMED": ("conform-ed/conform-ed", "714798ca8a5caa20191f3c24bde2f0dfbbadfe31", "LicenseRef-1EdTech-spec", "ob"),
    "EDU": ("educredentials/obv3-examples", "a5a6b6d5eb043d37ef004a16fb84fed65b15de6a", "NOASSERTION", "ob"),
    "BAKERY": ("mozilla/openbadges-bakery", "3057b06f75997c22ad4f039960dd2688578c3d32", "MPL-2.0", "ob"),
    "MOZVAL": ("mozilla/openbadges-validator", "a96fe6d3449bc0a456cf518758ffdc69d1263dfe", "MPL-2.0", "ob"),
    "MYNEXTID": ("MyNextID/credentials", "2e74d70b978e5e019e1ba6030c5dfc27fc33db50", "MIT", "ob"),
    "RDFCANON": ("w3c/rdf-canon", "15619df2fda7a4ca88308733789b6774517f9638", "LicenseRef-W3C-test-suite", "ob"),
    "VCDIEDDSA": ("w3c/vc-di-eddsa", "abb673eb9df673e24a8eaf939337de74759b5f8d", "W3C-20150513", "ob"),
}

OBSPEC_TREE = "https://github.com/1EdTech/openbadges-specification/blob/" + REPOS["OBSPEC"][1]
DESM = "desm/assertion_csvs/Microcredential+Mapping_Assertion_Open+Badges+"
DESM_NOTE = "'+' in the upstream name became '_', the exact name is not recorded"
EDCI_XSDV = "edci-commons/src/test/resources/xsdValidation/"
EDCI_CREDS = "edci-dss-utils/src/test/resources/creds/"
ELM_XML1 = "Credentials/XML Examples/"

# (regex over the corpus-relative path, repo key, upstream path template with \1..)
# or (regex, None, licence, comment naming the page the file comes from).  First match wins.
RULES = [
    # json-schema-test-suite: copied unchanged
    (r"json-schema-test-suite/((?:tests|remotes)/.*|LICENSE)", "JSTS", r"\1"),
    # case
    (r"case/(case-v1p0-cfpackage-schema\.json)", "OPENSALT", r"core/config/schema/\1"),
    (r"case/opensalt/(opensalt-framework-.*\.json)", "OPENSALT", r"core/docs/sample files/\1"),
    (r"case/opensalt/(.*Framework\.json)", "OPENSALT", r"core/tests/_data/\1"),
    # rncp
    (r"rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches\.xml", "MCPRNCP", "fixtures/export_fiches_RNCP_fixture.xml"),
    (r"rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches\.xml", "MCPRNCP", "fixtures/export_fiches_RS_fixture.xml"),
    (r"rncp/moncampus_.*", None, "etalab-2.0", "EXCERPT of https://github.com/DrakanAethril/moncampus/blob/d445799a656e9a2a8583221a38f85038a3c522ca/tests/Fixtures/rncp/export-fiches-rncp-extract.xml"),
    (r"rncp/api-apprentissage_export_fiches_RS_V3_0_fixture_2fiches\.xml", "APIAPP1", "server/src/utils/xml/fixtures/file.xml"),
    (r"rncp/api-apprentissage_export-fiches-csv-2024-02-22_sample\.zip", "APIAPP2", "server/src/jobs/importer/france_competence/fixtures/sample/export-fiches-csv-2024-02-22.zip"),
    (r"rncp/tables-correspondances_rncp_blocs_competences\.v1\.4_cp1252\.csv", "TABCORR", "server/src/jobs/rncpImporter/assets/rncp_blocs_competences.v1.4.csv"),
    (r"rncp/tables-correspondances_rncp_info\.v1\.4\.csv", "TABCORR", "server/src/jobs/rncpImporter/assets/rncp_info.v1.4.csv"),
    (r"rncp/saxy-issue73_.*", None, "NOASSERTION", "FRAGMENT quoted in a comment of https://github.com/qcam/saxy/issues/73"),
    # edc/edci-1.x
    (r"edc/edci-1\.x/xsd/(.*)", "EDCI1", r"edci-commons/src/main/resources/\1"),
    (r"edc/edci-1\.x/samples/elm_EDC_(WileECoyote_Simple|SampleACT_AA|SampleDegree_AA)\.xml", "ELM1", ELM_XML1 + r"EDC_\1.xml"),
    (r"edc/edci-1\.x/samples/elm_edci_credential_(basic|complex)_v1\.0\.xml", "ELM481", ELM_XML1 + r"edci_credential_\1.xml"),
    (r"edc/edci-1\.x/samples/elm_AnaAndromeda_CivilEngineering_v1\.0\.xml", "ELM481", ELM_XML1 + "Ana Andromeda_Graduate University Study of Civil Engineering.xml"),
    (r"edc/edci-1\.x/samples/elm_IldikoMazar_CertificateOfExcellence_v1\.0\.xml", "ELM481", ELM_XML1 + "Ildiko Mazar_Certificate of Excellence.xml"),
    (r"edc/edci-1\.x/samples/(?:signed/)?edci_(credential-.*\.xml)", "EDCI1", EDCI_XSDV + r"\1"),
    (r"edc/edci-1\.x/samples/edci_(issuer_test_seal_credential\.xml)", "EDCI1", r"edci-commons/src/main/resources/\1"),
    (r"edc/edci-1\.x/samples/edci_(diploma_credential_date_pipe\.xml)", "EDCI1", r"edci-commons/src/test/resources/diploma/\1"),
    (r"edc/edci-1\.x/samples/(?:signed/)?edci_(cred_and|sewing_course|sampleQSEAL|signedSampleXML-B\.badSign)\.xml", "EDCI1", EDCI_CREDS + r"\1.xml"),
    (r"edc/edci-1\.x/samples/signed/edci_(accredited_credential_step2_awardingBody_true\.xml)", "EDCI1", r"edci-commons/src/test/resources/accreditation/test_name_\1"),
    (r"edc/edci-1\.x/samples/presentations/edci_(verificable_presentation_.*\.xml)", "EDCI1", EDCI_XSDV + r"\1"),
    (r"edc/edci-1\.x/samples/presentations/elm_EDC_DiplomaSupplement_AA_mandated_dp_1\.2\.xml", "ELM3", "Credentials/XML Examples (ELM v2)/EDC_DiplomaSupplement_AA.xml"),
    (r"edc/edci-1\.x/issuer-spreadsheets/(.*\.xlsx)", "EDCI1", r"edci-issuer/edci-issuer-service/src/test/resources-unfiltered/\1"),
    (r"edc/edci-1\.x/issuer-spreadsheets/(.*\.xls)", "EDCI1", r"edci-issuer/edci-issuer-service/src/test/resources/customizableModel/\1"),
    # edc/edci-0.x-draft
    (r"edc/edci-0\.x-draft/(XAdES01903v132-201601\.xsd|xmldsig-core-schema\.xsd)", "ELM0", r"XSD/flatten/\1"),
    (r"edc/edci-0\.x-draft/(.*)", "ELM0", r"XSD/\1"),
    # edc/elm-v3
    (r"edc/elm-v3/samples/(Sample-.*)", "ELM3", r"Credentials/JSON-LD Examples (ELM v3)/\1"),
    (r"edc/elm-v3/samples/rdf-(credential-sample.*)", "ELM3", r"rdf/samples/\1"),
    (r"edc/elm-v3/shacl/(LOQ-.*)", "ELM3", r"rdf/ap/loq/\1"),
    (r"edc/elm-v3/shacl/(EDC-.*)", "ELM3", r"rdf/ap/edc/\1"),
    (r"edc/elm-v3/context/(edc-ap-context\.jsonld)", "ELM3", r"rdf/ap/edc/\1"),
    (r"edc/elm-v3/ontology/(.*)", "ELM3", r"rdf/ontology/\1"),
    (r"edc/elm-v3/loq-xsd/(.*)", "ELM3", r"xsd/loq/\1"),
    (r"edc/elm-v3/edci-2\.x-samples/test_(.*)", "EDCI2", r"edci-data-model/src/test/resources/jsonld/\1"),
    (r"edc/elm-v3/edci-2\.x-samples/(seal_test_credential\.json)", "EDCI2", r"edci-issuer/edci-issuer-web/src/main/resources-unfiltered/\1"),
    (r"edc/elm-v3/edci-2\.x-samples/(.*)", "EDCI2", r"edci-data-model/src/main/resources/jsonld/\1"),
    (r"edc/elm-v3/ebsi-vcdm2\.0-europass-edc-schema/vcdm2\.0-attestation-schema/.*", None, "EUPL-1.2", "npm package @cef-ebsi/vcdm2.0-attestation-schema 2.0.0: https://www.npmjs.com/package/@cef-ebsi/vcdm2.0-attestation-schema/v/2.0.0"),
    # spaces in these upstream names became '_' (edc/SOURCES.md); the three below are known
    (r"edc/elm-v3/ebsi-vcdm2\.0-europass-edc-schema/examples/(Diploma)_(rntuo)_(credential\.json)", "IMP", r"json/ebsi-elm/vcdm2.0-europass-edc-schema/examples/\1 \2 \3"),
    (r"edc/elm-v3/ebsi-vcdm2\.0-europass-edc-schema/examples/(Microcredential)_-_(Data)_(and)_(software)_(business\.json)", "IMP", r"json/ebsi-elm/vcdm2.0-europass-edc-schema/examples/\1 - \2 \3 \4 \5"),
    (r"edc/elm-v3/ebsi-vcdm2\.0-europass-edc-schema/examples/(Transcript)_(of)_(records)_-_(generic\.json)", "IMP", r"json/ebsi-elm/vcdm2.0-europass-edc-schema/examples/\1 \2 \3 - \4"),
    (r"edc/elm-v3/ebsi-vcdm2\.0-europass-edc-schema/examples/Francisco_.*", None, "EUPL-1.2", "copy of a file in https://github.com/impierce/credential-converter/tree/51978f1861de9dd0e50266db6978196055231b30/json/ebsi-elm/vcdm2.0-europass-edc-schema/examples (spaces in the upstream name became '_', the exact name is not recorded)"),
    (r"edc/elm-v3/ebsi-vcdm2\.0-europass-edc-schema/(.*)", "IMP", r"json/ebsi-elm/vcdm2.0-europass-edc-schema/\1"),
    # edc/mappings
    (r"edc/mappings/(ELM-ELMO-mapping-Github\.xlsx)", "ELM3", r"\1"),
    (r"edc/mappings/ELMO-EDC-Correspondence_v1\.x\.xlsx", "ELM1", "Correspondence Tables/ELMO/ELMO-EDC Correspondence.xlsx"),
    (r"(?:edc/mappings/desm-impierce|ob/mappings/desm-microcredential)/Microcredential_Mapping_Assertion_Open_Badges_([23])\.0_([23])\.0_(\d+)\.csv", "IMP", DESM + r"\1.0_\2.0_\3.csv"),
    (r"edc/mappings/desm-impierce/.*", None, "Apache-2.0", "copy of https://github.com/impierce/credential-converter/tree/51978f1861de9dd0e50266db6978196055231b30/desm (" + DESM_NOTE + ")"),
    (r"edc/mappings/credential-converter-jsonpath/(custom_mapping_.*)", "EDUCONV", r"json/mapping/\1"),
    (r"edc/mappings/credential-converter-jsonpath/output_(example_.*)", "EDUCONV", r"json/output/\1"),
    (r"edc/mappings/credential-converter-jsonpath/output_translated_DigiComp_Generic_OBv3\.json", "EDUCONV", "outputs/translated_DigiComp_Generic.json"),
    (r"edc/mappings/credential-converter-jsonpath/obv3-context-educredential\.json", "EDUCONV", "json/obv3/contexts/educredential.json"),
    # edc/docs
    (r"edc/docs/ELM1_(Credentials_Learning_Model)\.md", "ELM1", r"Credentials/\1.md"),
    (r"edc/docs/ELM1_(Europass_Learning_Model)\.md", "ELM1", r"\1.md"),
    (r"edc/docs/ELM1_(Qualifications)\.md", "ELM1", r"\1/\1.md"),
    (r"edc/docs/EDCI1\.7\.3_issuer_README\.md", "EDCI1", "edci-issuer/README.md"),
    (r"edc/docs/EDCI1\.7\.3_(.*\.md)", "EDCI1", r"configuration/documentation/\1"),
    (r"edc/docs/EDCI2\.x_CHANGELOG\.md", "EDCI2", "CHANGELOG.md"),
    # ob/contexts
    (r"ob/contexts/ob-v3p0-(context.*\.json)", "OBSPEC", r"ob_v3p0/\1"),
    (r"ob/contexts/ob-(v[12])-context\.json", "OBSPEC", r"ob_v2p0/\1/context.json"),
    (r"ob/contexts/validator-(.*)", "DCPV", r"inspector-vc/src/main/resources/contexts/\1"),
    (r"ob/contexts/.*\.RECONSTRUCTED\.json", None, "W3C-20150513", "RECONSTRUCTED stand-in for https://www.w3.org/ns/credentials/examples/v2"),
    # ob/schemas
    (r"ob/schemas/ob3/(.*)", "CONFORMED", r"packages/coverage/vendor/open-badges/v3_0/\1"),
    (r"ob/schemas/clr2/(.*)", "CONFORMED", r"packages/coverage/vendor/clr/v2_0/\1"),
    (r"ob/schemas/ob3-2024/ob_v3p0_achievementcredential_schema\.edubadges-2024-09\.json", "EDU", "schemas/ob_v3p0_achievementcredential_schema.json"),
    (r"ob/schemas/ob3-2024/ghpages-(.*)\.jsonschema1\.json", "OBPAGES", r"docs/schema/\1.json"),
    (r"ob/schemas/ob3-2024/.*hropenstandards\.json", None, "LicenseRef-1EdTech-spec", "copy from https://github.com/1EdTech/digital-credentials-public-validator/tree/38254719cf0a490a403c9c812b01e6ab0678f2f3/inspector-tcp-vc/src/main/resources/catalog/www.hropenstandards.org/recruiting/json/ler-rs/1EdTech (upstream file name not recorded)"),
    (r"ob/schemas/ob3-extensions/([A-Za-z]+Extension)-(.*)", "OBSPEC", r"extensions/\1/\2"),
    (r"ob/schemas/ob2-extensions/ob-v1-schema-(.*)", "OBSPEC", r"ob_v2p0/v1/schema/\1"),
    (r"ob/schemas/ob2-extensions/([A-Za-z]+)\.(context|schema)\.json", "OBSPEC", r"ob_v2p0/extensions/\1/\2.json"),
    # ob/examples: JSON lifted out of HTML / markdown pages
    (r"ob/examples/ob3-spec/.*", None, "LicenseRef-1EdTech-spec", "EXTRACTED from " + OBSPEC_TREE + "/ob_v3p0/examples/"),
    (r"ob/examples/ob2-spec/.*", None, "LicenseRef-1EdTech-spec", "EXTRACTED from " + OBSPEC_TREE + "/ob_v2p0/examples/index.md"),
    # ob/test-vectors
    (r"ob/test-vectors/eddsa-rdfc-2022/(obv3p0|clrv2p0)/((?:document|proof)-canon\.txt)", "OBSPEC", r"ob_v3p0/impl/test-vectors/\1/\2"),
    (r"ob/test-vectors/eddsa-rdfc-2022/obv3p0/.*", None, "LicenseRef-1EdTech-spec", "EXTRACTED from " + OBSPEC_TREE + "/ob_v3p0/impl/linked-data-proof-ob.html"),
    (r"ob/test-vectors/eddsa-rdfc-2022/clrv2p0/.*", None, "LicenseRef-1EdTech-spec", "EXTRACTED from " + OBSPEC_TREE + "/ob_v3p0/impl/linked-data-proof-clr.html"),
    (r"ob/test-vectors/eddsa-rdfc-2022/key\.json", None, "LicenseRef-1EdTech-spec", "EXTRACTED from " + OBSPEC_TREE + "/ob_v3p0/impl/linked-data-proof-ob.html and linked-data-proof-clr.html"),
    (r"ob/test-vectors/rdfc-1\.0-w3c/(rdfc10/.*|manifest\.csv|manifest\.jsonld|README\.md|LICENCE\.md)", "RDFCANON", r"tests/\1"),
    (r"ob/test-vectors/w3c-vc-di-eddsa/(LICENSE\.md)", "VCDIEDDSA", r"\1"),
    (r"ob/test-vectors/w3c-vc-di-eddsa/(.*)", "VCDIEDDSA", r"TestVectors/\1"),
    (r"ob/test-vectors/generated/.*", None, "MPL-2.0", "GENERATED for the corpus with the mozilla/openbadges-bakery test key, see ob/SOURCES.md 'Generated vectors'"),
    # ob/validator-dcpv, validator-core
    (r"ob/validator-dcpv/(ob[23]0/.*)", "DCPV", r"inspector-vc/src/test/resources/\1"),
    (r"ob/validator-dcpv/(clr20/.*)", "DCPV", r"inspector-clr/src/test/resources/\1"),
    (r"ob/validator-dcpv/EXPECTED\.md", None, "Apache-2.0", "DERIVED from the tests of https://github.com/1EdTech/digital-credentials-public-validator/tree/38254719cf0a490a403c9c812b01e6ab0678f2f3"),
    (r"ob/validator-core/(public_domain_heart\.png)", "OBVC", r"tests/testfiles/\1"),
    # ob/community
    (r"ob/community/edubadges/(.*)", "EDU", r"\1"),
    (r"ob/community/mozilla-bakery/(.*)", "BAKERY", r"test/\1"),
    (r"ob/community/mozilla-validator-keys/(.*)", "MOZVAL", r"test/\1"),
    (r"ob/community/mynextid/(open-badge-mc-example\.json)", "MYNEXTID", r"microcredential/v1/open-badge/examples/\1"),
    (r"ob/community/mynextid/edc-(input-fields-to-credential-map\.json)", "MYNEXTID", r"microcredential/v1/edc/\1"),
    # ob/mappings
    (r"ob/mappings/desm-microcredential/JOINED-crosswalk-derived\.txt", None, "Apache-2.0", "DERIVED: the three desm-microcredential CSVs joined on spine term"),
    (r"ob/mappings/desm-microcredential/.*\.csv", None, "Apache-2.0", "copy of https://github.com/impierce/credential-converter/tree/51978f1861de9dd0e50266db6978196055231b30/desm (" + DESM_NOTE + ")"),
    (r"ob/mappings/impierce-obv3-elm/(.*)", "IMPPR", r"json/mapping/\1"),
]
RULES = [(re.compile(r[0] + r"\Z"),) + tuple(r[1:]) for r in RULES]


def corpus_files(root):
    """Every file of the corpus but the SOURCES.md notes, relative, sorted."""
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root)
            if n != "SOURCES.md":
                out.append(rel.replace(os.sep, "/"))
    return sorted(out)


def origin(rel):
    """(url, licence, comment) of one corpus file, or None when no rule covers it."""
    for rule in RULES:
        m = rule[0].match(rel)
        if not m:
            continue
        if rule[1] is None:
            return "-", rule[2], rule[3]
        repo, commit, licence, _ = REPOS[rule[1]]
        path = urllib.parse.quote(m.expand(rule[2]), safe="/-._~")
        return "https://raw.githubusercontent.com/%s/%s/%s" % (repo, commit, path), licence, ""
    return None


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def check_sources(root):
    """Each pinned commit must still be named in its folder's SOURCES.md (8 first digits)."""
    bad = []
    for key, (repo, commit, _, folder) in REPOS.items():
        with open(os.path.join(root, folder, "SOURCES.md"), encoding="utf-8") as f:
            if commit[:7] not in f.read():
                bad.append("%s: commit %s of %s not in %s/SOURCES.md" % (key, commit, repo, folder))
    return bad


HEADER = """\
# tests/corpus.lock: the external files the tests rest on (the test corpus, $CREDCONV_CORPUS,
# default ../shared/corpus).  Generated by tests/corpus/make-lock.py from the corpus and its
# SOURCES.md files; regenerate with `python3 tests/corpus/make-lock.py > tests/corpus.lock`.
# Checked by `make corpus` (and tests/e2e/e2e_corpus_lock.sh in make test); fetched with
# `make corpus CORPUS_FETCH=1`.
#
# One line per file, whitespace-separated columns:
#   PATH     relative to the corpus root (every file but the SOURCES.md notes)
#   SHA256   hex digest of the file's bytes
#   SIZE     bytes
#   URL      raw file at a pinned commit, or "-" when the file is not a byte-for-byte copy
#            of a file at a recorded path (EXTRACTED, GENERATED, RECONSTRUCTED, DERIVED,
#            excerpt, renamed copy): the trailing comment names the page it comes from
#   LICENCE  SPDX identifier; LicenseRef-1EdTech-spec = 1EdTech/IMS specification licence,
#            LicenseRef-W3C-test-suite = W3C test suite licence, NOASSERTION = none stated,
#            etalab-2.0 = Licence Ouverte 2.0 (France competences data)
#   # ...    optional comment
"""


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CREDCONV_CORPUS", "../shared/corpus")
    errors = check_sources(root)
    lines = []
    for rel in corpus_files(root):
        o = origin(rel)
        if re.search(r"\s", rel):
            errors.append("%s: white space in a name breaks the lock's columns" % rel)
            continue
        if o is None:
            errors.append("%s: no rule gives its origin (add one to %s)" % (rel, sys.argv[0]))
            continue
        url, licence, comment = o
        full = os.path.join(root, rel)
        line = "%s %s %d %s %s" % (rel, sha256(full), os.path.getsize(full), url, licence)
        lines.append(line + (" # " + comment if comment else ""))
    if errors:
        sys.stderr.write("\n".join(errors) + "\n")
        return 1
    sys.stdout.write(HEADER + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
