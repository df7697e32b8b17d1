/* Internal to the Europass EDC 1.x format module (edc_*.c). */
#ifndef CC_EDC_H
#define CC_EDC_H

#include "credconv/credconv.h"

#define EDC_NS "http://data.europa.eu/snb"
#define EDC_CRED_NS "http://data.europa.eu/europass/model/credentials/w3c#"
#define EDC_VP_NS "http://data.europa.eu/snb/vp"
#define EDC_UPLOAD_NS "http://data.europa.eu/snbUpload"
#define EDC_XSD "edc-1.2.xsd"
/* Extension entries of the credential subject (a cc_person has no extension bag). */
#define SUBJECT_PREFIX "edc:credentialSubject/"

/* ---------------------------------------------------------------- vocabularies (edc_vocab.c) */

/* "FRA" <-> "FR" into out; false when unknown. */
bool cc_edc_country_a2(const char *alpha3, char out[3]);
bool cc_edc_country_a3(const char *alpha2, char out[4]);
#define EDC_COUNTRY_FW "http://publications.europa.eu/resource/authority/country"

/* A BCP 47 tag as one of the 29 language codes the 1.x schema allows ("fr-FR" -> "fr",
 * "nb" -> "no"); NULL when it has none. */
const char *cc_edc_lang(const char *bcp47);

/* Code lists the model names by a short scheme ("eqf", "qdr", "isced-f", …). */
typedef struct edc_framework {
    const char *scheme;           /* the model's cc_code.scheme */
    const char *url;              /* targetFrameworkUrl */
    const char *base;             /* concept URIs: base + code */
} edc_framework;
const edc_framework *cc_edc_framework_by_url(const char *url);
const edc_framework *cc_edc_framework_by_scheme(const char *scheme);


/* ---------------------------------------------------------------- the writer (edc_write.c) */

void *cc_edc_writer_open(cc_write_ctx *ctx);
int cc_edc_writer_record(void *w, const cc_record *r);
int cc_edc_writer_close(void *w);
int cc_edc_read(cc_read_ctx *ctx);  /* 0, 1 (a bad input) or 2 (I/O) */

/* Where each raw reference entry goes: "organization" -> "agentReferences". */
const char *cc_edc_section_of(const char *entry);

#endif
