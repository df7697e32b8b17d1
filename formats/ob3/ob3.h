/* Internal to the Open Badges 3.0 format module (ob3.c, ob3_read.c, ob3_write.c).
 * The mapping is documented in docs/mapping.md, "Open Badges 3.0". */
#ifndef CC_OB3_H
#define CC_OB3_H

#include "cc_jsonw.h"
#include "credconv/credconv.h"
#include "vocab/vocab.h"

#include <jansson.h>

#define OB3_CTX_VC2 "https://www.w3.org/ns/credentials/v2"
#define OB3_CTX_VC1 "https://www.w3.org/2018/credentials/v1"
#define OB3_CTX_OB "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
/* Any OB 3.0 context: versions and the aliases the validator accepts with a warning. */
#define OB3_CTX_OB_PREFIX "https://purl.imsglobal.org/spec/ob/v3p0/context"
#define OB3_EQF_URL CC_VOCAB_EQF_BASE
/* A French organisation without an id gets the public page of its SIRET as id. */
#define OB3_SIRET_URL "https://annuaire-entreprises.data.gouv.fr/etablissement/"

/* model achievement kind <-> achievementType (docs/mapping.md, "achievementType ⇄ kind") */
const char *cc_ob3_kind_to_type(cc_arena *a, const char *kind);
const char *cc_ob3_type_to_kind(cc_arena *a, const char *type);

/* Alignment frameworks the model knows by a short scheme name (nsf, rome, …): the
 * targetFramework written for them and how their targetUrl is built from a code. */
typedef struct ob3_framework {
    const char *scheme;
    const char *name;
    const char *url_prefix;
    const char *url_suffix;
    bool digits;  /* only the digits of the code go into the URL (RNCP35340 -> 35340) */
} ob3_framework;

const ob3_framework *cc_ob3_framework_by_scheme(const char *scheme);
const ob3_framework *cc_ob3_framework_by_name(const char *name);
/* NULL when the framework has no URL pattern. */
char *cc_ob3_framework_url(cc_arena *a, const ob3_framework *f, const char *code);

bool cc_ob3_is_identifier_type(const char *t);
const char *cc_ob3_identity_type(cc_arena *a, const char *type);
/* The verification checks beyond the schema (ob3_check.c); returns the number of errors. */
int cc_ob3_check(const json_t *doc, const cc_diag_sink *diag, const char *file, long line,
                 const char *rec);

/* Every property and type defined by the credential's contexts (ob3_terms.c), when --map-url
 * or --fetch lets them be read (contexts: read once per input, kept between documents);
 * returns the number of errors. */
struct cc_jsonld_cache;
int cc_ob3_check_terms(const json_t *doc, struct cc_jsonld_cache *contexts,
                       const cc_diag_sink *diag, const char *file, long line, const char *rec);

/* The extension bag.  A string is kept as is; true/false as a boolean entry; any other
 * JSON value as compact JSON text.  A string that would itself parse as JSON ("42") is
 * kept JSON-quoted, so reading a value back (cc_ob3_ext_json) is never ambiguous. */
void cc_ob3_ext_keep(cc_arena *a, cc_list *ext, const char *prop, const json_t *v);
const cc_ext *cc_ob3_ext_find(const cc_list *ext, const char *prop);
json_t *cc_ob3_ext_json(const cc_ext *e);  /* new reference, never NULL */

/* The OB 3.0 write shape of the value of property `key` (NULL: an array item): every
 * multi-valued property an array, and `type` an array for the classes whose 2024 schema
 * requires it (docs/references.md ob §3.4).  Takes the reference and returns the value to use. */
json_t *cc_ob3_shape(const char *key, json_t *v);

/* The bundled schema `validate -f ob3` uses, and the URI it is registered under. */
#define OB3_SCHEMA_FILE "ob3/ob3.schema.json"
#define OB3_SCHEMA_URI "https://credconv.invalid/validate/ob3.json"
/* The schema a document is validated against: the credential schema, or its Achievement or
 * EndorsementCredential definition (as the 1EdTech validator picks), into uri. */
void cc_ob3_schema_uri(const json_t *doc, char *uri, size_t cap);

/* What `validate -f ob3` checks in one document written as OB 3.0 (VC 2.0): the schema
 * (its Achievement definition for a bare Achievement) and cc_ob3_check.  The writer runs it
 * on each document it writes; returns the number of errors (-1: the schema cannot be used). */
struct cc_schema_set;
int cc_ob3_check_written(struct cc_schema_set *set, const json_t *doc, const cc_diag_sink *diag,
                         const char *rec);

int cc_ob3_read(cc_read_ctx *ctx);
void *cc_ob3_writer_open(cc_write_ctx *ctx);
int cc_ob3_writer_record(void *w, const cc_record *r);
int cc_ob3_writer_close(void *w);

#endif
