/* The LOQ reader (with its writer), without and with validation (the bundled profile and the
 * SHACL checks). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("loq", data, size, NULL);
    if (size && data[0] & 1)  /* loading the XSD is slow: half the inputs are also validated */
        fuzz_format("loq", data, size, "schemas");
    return 0;
}
