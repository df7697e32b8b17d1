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
    {.scheme = "eqf", .url = "http://data.europa.eu/snb/eqf/25831c2", .base = "http://data.europa.eu/snb/eqf/"},
    {.scheme = "qdr", .url = "http://data.europa.eu/snb/qdr/25831c2", .base = "http://data.europa.eu/snb/qdr/"},
    {.scheme = "isced-f", .url = "http://data.europa.eu/snb/isced-f/25831c2", .base = "http://data.europa.eu/snb/isced-f/"},
    {.scheme = "learning-opportunity", .url = "http://data.europa.eu/snb/learning-opportunity/25831c2",
     .base = "http://data.europa.eu/snb/learning-opportunity/"},
    {.scheme = "credential", .url = "http://data.europa.eu/snb/credential/25831c2",
     .base = "http://data.europa.eu/snb/credential/"},
    {.scheme = "esco-skill", .url = "http://data.europa.eu/esco/model#Skill", .base = "http://data.europa.eu/esco/skill/"},
    {.scheme = "country", .url = EDC_COUNTRY_FW, .base = EDC_COUNTRY_FW "/"},
    {.scheme = NULL},
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
