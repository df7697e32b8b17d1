/* Vocabularies shared by several formats (EQF/NQF levels, RNCP code schemes, ISCED, framework
 * URIs): one place that OB, EDC, LOQ and the formats to come all use, so that one level is
 * one URI everywhere.  Formats include it as "vocab/vocab.h".  Each section is owned by the
 * formats that need it; add new ones at the end. */
#ifndef CC_VOCAB_H
#define CC_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

/* ---------------------------------------------------------------- European levels */

/* The EQF level concepts of the EU vocabulary (ELM, and OB alignments). */
#define CC_VOCAB_EQF_BASE "http://data.europa.eu/snb/eqf/"

/* "http://data.europa.eu/snb/eqf/<level>" in out; false when level is not 1..8. */
bool cc_vocab_eqf_uri(int level, char *out, size_t cap);
/* The level of an EQF concept URI (either scheme, http or https), 0 when it is not one. */
int cc_vocab_eqf_level(const char *uri);

/* ---------------------------------------------------------------- EDC 3 */

/* EU authority tables and ELM concept schemes the EDC 3 format (formats/edc3/) writes. */
#define CC_VOCAB_COUNTRY_BASE "http://publications.europa.eu/resource/authority/country/"
#define CC_VOCAB_LANGUAGE_BASE "http://publications.europa.eu/resource/authority/language/"
#define CC_VOCAB_FILE_TYPE_BASE "http://publications.europa.eu/resource/authority/file-type/"
/* ECTS in the education-credit scheme (the EC samples' creditPoint framework). */
#define CC_VOCAB_ECTS "http://data.europa.eu/snb/education-credit/6fcec5c5af"
#define CC_VOCAB_QDR_BASE "http://data.europa.eu/snb/qdr/"
#define CC_VOCAB_ISCED_BASE "http://data.europa.eu/snb/isced-f/"

/* ISO 3166-1: "FRA" -> "FR" and back, into out; false when unknown (Kosovo XK/XKX included,
 * as the EU country table has it). */
bool cc_vocab_country_a2(const char *alpha3, char out[3]);
bool cc_vocab_country_a3(const char *alpha2, char out[4]);
/* ISO 639-1 "fr" -> the EU language authority code "FRA" (the 24 EU languages and the
 * others the EC samples use); NULL when unknown. */
const char *cc_vocab_lang_a3(const char *bcp47);
/* The EU language authority code -> ISO 639-1 ("ENG" -> "en"); NULL when unknown. */
const char *cc_vocab_lang_a2(const char *code);

/* French NQF level n (3..8) as its QDR concept (the pre-2019 levels V..I, by their EQF
 * equivalence, as the EDC 1.x module maps them); NULL for other levels. */
const char *cc_vocab_fr_nqf_concept(int level, const char **label);

#endif
