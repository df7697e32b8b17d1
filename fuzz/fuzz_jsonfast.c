/* The JSON fast path (converters/util/jsonfast.c), differentially: whatever it reads, jansson
 * reads as the same value with members in the same order; what jansson refuses, it refuses. */
#include <stdlib.h>
#include <string.h>

#include "cc_jsonfast.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t e;
    json_t *slow = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
    json_t *fast = cc_json_fast_parse((const char *)data, size, JSON_REJECT_DUPLICATES);
    if (fast) {
        if (!slow)
            abort();  /* read what jansson refuses */
        char *a = json_dumps(slow, JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!a || !b || strcmp(a, b) || !json_equal(slow, fast))
            abort();  /* another value, or another member order */
        free(a), free(b);
    }
    json_decref(slow), json_decref(fast);
    (void)fuzz_diag;
    (void)fuzz_format;
    (void)fuzz_record;
    (void)fuzz_reject;
    return 0;
}
