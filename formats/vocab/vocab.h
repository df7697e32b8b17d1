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

/* ---------------------------------------------------------------- LOQ / French NQF */

/* The QDR (NQF) list of the ELM vocabularies (LOQ cv/nqf.xsd) holds six French concepts,
 * named after the pre-2019 levels V..I; their EQF equivalence (V=3, IV=4, III=5, II=6,
 * I=7/8; reference edc.md section 8) gives one concept per current RNCP level 3..8.
 * Levels 1 and 2 have none.  The URI (label in *label) or NULL. */
#define CC_VOCAB_QDR_BASE "http://data.europa.eu/snb/qdr/"
const char *cc_vocab_fr_nqf_concept(int level, const char **label);
/* The RNCP level (3..8) of one of those six concepts, 0 for any other URI. */
int cc_vocab_fr_nqf_level(const char *uri);

/* EU Publications Office language authority: "fr" -> "FRA" (the 24 EU languages and a
 * few more); a three-letter tag is taken as the authority code itself.  false: unknown. */
#define CC_VOCAB_LANG_BASE "http://publications.europa.eu/resource/authority/language/"
bool cc_vocab_lang_authority(const char *tag, char out[4]);
/* The reverse: "FRA" -> "fr"; a code with no two-letter tag -> its lower case ("aae"). */
bool cc_vocab_lang_tag(const char *authority, char out[4]);

#define CC_VOCAB_COUNTRY_BASE "http://publications.europa.eu/resource/authority/country/"
#define CC_VOCAB_ISCED_BASE "http://data.europa.eu/snb/isced-f/"
#define CC_VOCAB_ECTS_URI "http://data.europa.eu/snb/education-credit/6fcec5c5af"

#endif
