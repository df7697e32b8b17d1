/* The model's JSON form (docs/model.md): one object per record. Internal header. */
#ifndef CC_MODEL_JSON_H
#define CC_MODEL_JSON_H

#include "cc_jsonw.h"
#include "credconv/credconv.h"

#include <jansson.h>

#define CC_MODEL_TAG "credconv-model/1"

void cc_model_write(cc_jw *w, const cc_record *r);
/* Builds a record from one parsed JSON object.  On error returns NULL after reporting
 * each problem with its JSON pointer; warnings (unknown keys) do not stop it. */
cc_record *cc_model_read(const json_t *j, const char *file, long line, const cc_diag_sink *diag);

#endif
