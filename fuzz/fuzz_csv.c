/* The recipients CSV parser. */
#include "cc_issue.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_recipients rs;
    cc_recipients_parse(&rs, (const char *)data, size, "fuzz.csv", &ds);
    cc_recipients_free(&rs);
    (void)fuzz_format;
    (void)fuzz_record;
    (void)fuzz_reject;
    return 0;
}
