/* Format "loq": ELM 3 LOQ XML (root Courses), what the Europass Qualification Dataset
 * Register ingests.  The descriptor and the bid; writer, reader and checks beside it. */
#include "loq/loq.h"

#include <string.h>

static bool has(const unsigned char *buf, size_t len, const char *s)
{
    return memmem(buf, len, s, strlen(s)) != NULL;
}

/* A Courses root in the LOQ namespace, within the first bytes. */
static int loq_bid(const unsigned char *buf, size_t len)
{
    if (!has(buf, len, "Courses"))
        return 0;
    return has(buf, len, LOQ_NS) ? 90 : 0;
}

const cc_format cc_format_loq = {
    .name = "loq",
    .description = "Europass LOQ XML (ELM 3 Courses: qualifications for the QDR)",
    .extension = "xml",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE,
    .bid = loq_bid,
    .read = cc_loq_read,
    .writer_open = cc_loq_writer_open,
    .writer_record = cc_loq_writer_record,
    .writer_close = cc_loq_writer_close,
};
