/* The CLR 2.0 reader (with and without validation: the nested credentials go to the OB 3.0
 * reader either way) and writer (a learner's record is written when it closes). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("clr", data, size, NULL);
    fuzz_format("clr", data, size, "schemas");
    return 0;
}
