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

#endif
