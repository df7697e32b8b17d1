/* The Open Badges 3.0 reader (with and without schema validation) and writer. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("ob3", data, size, NULL);
    fuzz_format("ob3", data, size, "schemas");
    return 0;
}
