/* The EDC 3 reader (the JSON-LD, upload and JWS forms; with and without its checks) and both
 * writers (VC 1.1 and VCDM 2.0 forms) on what it read. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_format("edc3", data, size, NULL);
    fuzz_format("edc3", data, size, "schemas");
    fuzz_format("edc3-vc2", data, size, NULL);
    return 0;
}
