/* JSON Schema (drafts 2019-09 and 2020-12) validation on top of jansson.
 *
 * A cc_schema_set holds every schema document a validation may reach: $ref
 * never touches the network or the file system, so every referenced document
 * has to be added beforehand. The set owns all derived data (URI index,
 * compiled regular expressions); a validation only borrows it. A set is not
 * safe for concurrent use because validations fill its caches. */
#ifndef CC_JSONSCHEMA_H
#define CC_JSONSCHEMA_H

#include <stddef.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cc_schema_set cc_schema_set; /* schemas loaded beforehand, by $id / retrieval URI */

cc_schema_set *cc_schema_set_new(void);
void cc_schema_set_free(cc_schema_set *set);

/* Dialect for documents added afterwards that carry no "$schema" (default:
   "https://json-schema.org/draft/2020-12/schema"). Returns 0, or -1 when the
   URI names no dialect this engine knows. */
int cc_schema_set_default_dialect(cc_schema_set *set, const char *dialect_uri);

/* Adds a schema document (takes its own reference). retrieval_uri may be NULL (then $id is used).
   Returns 0, or -1 with a message in err. */
int cc_schema_set_add(cc_schema_set *set, json_t *schema, const char *retrieval_uri, char *err,
                      size_t errlen);
int cc_schema_set_add_file(cc_schema_set *set, const char *path, const char *retrieval_uri,
                           char *err, size_t errlen);

/* Called once per validation error: JSON pointer of the instance location, absolute keyword
   location ("uri#/pointer") of the failing schema keyword, and a human message. */
typedef void (*cc_schema_error_fn)(void *ud, const char *instance_ptr, const char *keyword_ptr,
                                   const char *message);

enum { CC_SCHEMA_FORMAT_ASSERT = 1 };

/* Limits that keep hostile input from exhausting the C stack. */
enum {
    CC_SCHEMA_MAX_INSTANCE_DEPTH = 2048, /* nesting of arrays/objects in an instance */
    CC_SCHEMA_MAX_EVAL_DEPTH = 6000      /* nested subschema evaluations */
};

/* Validates instance against the schema identified by uri (an $id or retrieval URI added before,
   optionally with a #fragment). Returns 0 valid, 1 invalid (errors reported through fn), -1 if the
   schema cannot be used (unresolvable $ref, $ref loop without progress, bad regex, unknown uri,
   nesting beyond the limits above, out of memory): then fn is called once with the reason and
   no other errors are reported. fn may be NULL. */
int cc_schema_validate(cc_schema_set *set, const char *uri, const json_t *instance, int flags,
                       cc_schema_error_fn fn, void *ud);

/* True when s is valid for the given format name. Returns -1 for a format name this engine does
   not check (such formats are annotations only, even with CC_SCHEMA_FORMAT_ASSERT). */
int cc_schema_check_format(const char *format, const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
