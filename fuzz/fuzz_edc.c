/* The Europass EDC reader (with its writer), without and with schema validation. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("edc", data, size, NULL);
    if (size && data[0] & 1)  /* loading the XSD is slow: half the inputs are also validated */
        fuzz_format("edc", data, size, "schemas");
    return 0;
}
