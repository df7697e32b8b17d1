/* The Open Badges 2.0 reader (JSON documents and compact JWS lines) and writer, without and
 * with the validator's checks.  No fetch options: linked documents are never fetched. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("ob2", data, size, NULL);
    fuzz_format("ob2", data, size, "schemas");
    return 0;
}
