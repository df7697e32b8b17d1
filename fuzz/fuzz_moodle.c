/* The Moodle competency framework CSV reader and writer. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("moodle", data, size, NULL);
    return 0;
}
