/* The RNCP/RS reader (with its writer), without and with schema validation. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("rncp", data, size, NULL);
    if (size && data[0] & 1)  /* half the inputs also go through the streaming validator */
        fuzz_format("rncp", data, size, "schemas");
    return 0;
}
