/* The CASE CFPackage reader (with and without schema validation) and writer. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("case", data, size, NULL);
    fuzz_format("case", data, size, "schemas");
    return 0;
}
