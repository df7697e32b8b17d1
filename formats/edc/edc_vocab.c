/* Vocabulary tables of the EDC module: the 29 schema languages, code lists; countries from
 * formats/vocab/. */
#include "edc.h"
#include "vocab/vocab.h"

#include <ctype.h>
#include <string.h>

/* The country table is the one every format shares (formats/vocab/). */
bool cc_edc_country_a2(const char *a3, char out[3]) { return cc_vocab_country_a2(a3, out); }
bool cc_edc_country_a3(const char *a2, char out[4]) { return cc_vocab_country_a3(a2, out); }

/* LanguageCharCodeEnumType: the only values @lang, primaryLanguage and language take. */
static const char *const langs[] = {
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "is", "it",
    "lt", "lv", "mk", "mt", "nl", "no", "pl", "pt", "ro", "sk", "sl", "sr", "sv", "tr", NULL,
};

const char *cc_edc_lang(const char *tag)
{
    if (!tag || !isalpha((unsigned char)tag[0]) || !isalpha((unsigned char)tag[1]) ||
        (tag[2] && tag[2] != '-' && tag[2] != '_'))
        return NULL;
    char two[3] = {(char)tolower((unsigned char)tag[0]), (char)tolower((unsigned char)tag[1]), 0};
    if (!strcmp(two, "nb") || !strcmp(two, "nn"))  /* Norwegian Bokmål / Nynorsk */
        return "no";
    for (int i = 0; langs[i]; i++)
        if (!strcmp(langs[i], two))
            return langs[i];
    return NULL;
}

static const edc_framework frameworks[] = {
    {"eqf", "http://data.europa.eu/snb/eqf/25831c2", "http://data.europa.eu/snb/eqf/"},
    {"qdr", "http://data.europa.eu/snb/qdr/25831c2", "http://data.europa.eu/snb/qdr/"},
    {"isced-f", "http://data.europa.eu/snb/isced-f/25831c2", "http://data.europa.eu/snb/isced-f/"},
    {"learning-opportunity", "http://data.europa.eu/snb/learning-opportunity/25831c2",
     "http://data.europa.eu/snb/learning-opportunity/"},
    {"credential", "http://data.europa.eu/snb/credential/25831c2",
     "http://data.europa.eu/snb/credential/"},
    {"esco-skill", "http://data.europa.eu/esco/model#Skill", "http://data.europa.eu/esco/skill/"},
    {"country", EDC_COUNTRY_FW, EDC_COUNTRY_FW "/"},
    {NULL, NULL, NULL},
};

const edc_framework *cc_edc_framework_by_url(const char *url)
{
    for (const edc_framework *f = frameworks; url && f->scheme; f++)
        if (!strcmp(f->url, url))
            return f;
    return NULL;
}

const edc_framework *cc_edc_framework_by_scheme(const char *scheme)
{
    for (const edc_framework *f = frameworks; scheme && f->scheme; f++)
        if (!strcmp(f->scheme, scheme))
            return f;
    return NULL;
}

/* The QDR list has concepts only for the pre-2019 French levels (V..I); their EQF
 * equivalence (V=3, IV=4, III=5, II=6, I=7/8) gives one concept per current level
 * (docs/references.md edc §8). */
static const struct { const char *uri, *label; } fr_nqf[] = {
    {"http://data.europa.eu/snb/qdr/c_d7cce980", "NQF RNCP Level V"},
    {"http://data.europa.eu/snb/qdr/c_40020d69", "NQF RNCP Level IV"},
    {"http://data.europa.eu/snb/qdr/c_243aefbe", "NQF RNCP Level III"},
    {"http://data.europa.eu/snb/qdr/c_5ad5d222", "NQF RNCP Level II-Grade de Licence"},
    {"http://data.europa.eu/snb/qdr/c_828fbcc3", "NQF RNCP Level I-Master"},
    {"http://data.europa.eu/snb/qdr/c_7ab73420", "NQF RNCP Level I-Doctorat"},
};

const char *cc_edc_fr_nqf_concept(int level, const char **label)
{
    if (level < 3 || level > 8)
        return NULL;
    *label = fr_nqf[level - 3].label;
    return fr_nqf[level - 3].uri;
}

/* Reference sections and the entries they hold, for raw entries kept in the extension bag. */
static const char *const sections[][2] = {
    {"qualification", "learningSpecificationReferences"},
    {"learningSpecification", "learningSpecificationReferences"},
    {"learningOutcome", "learningOutcomeReferences"},
    {"learningActivitySpecification", "learningActivitySpecificationReferences"},
    {"assessmentSpecification", "assessmentSpecificationReferences"},
    {"entitlementSpecification", "entitlementSpecificationReferences"},
    {"learningOpportunity", "learningOpportunityReferences"},
    {"organization", "agentReferences"},
    {"awardingProcess", "awardingProcessReferences"},
    {"accreditation", "accreditationReferences"},
    {"scoringScheme", "scoringSchemeReferences"},
    {"framework", "semanticFrameworkReferences"},
};

const char *cc_edc_section_of(const char *entry)
{
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
        if (!strcmp(sections[i][0], entry))
            return sections[i][1];
    return NULL;
}
