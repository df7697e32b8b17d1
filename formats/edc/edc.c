/* The EDC 1.x format: its descriptor and its bid.  The reader is edc_read.c, the writer
 * edc_write.c, the seal edc_sig.c. */
#include "edc.h"

#include <string.h>

/* ------------------------------------------------------------ detection */

static int edc_bid(const unsigned char *buf, size_t len)
{
    if (!memmem(buf, len, EDC_NS, strlen(EDC_NS)))
        return 0;
    if (memmem(buf, len, "europassCredential", 18) || memmem(buf, len, "verifiablePresentation", 22))
        return 100;
    return 40;
}

const cc_format cc_format_edc = {
    .name = "edc",
    .description = "Europass Digital Credentials 1.x XML (1.2 written; 1.0, 1.1 read)",
    .extension = "xml",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE,
    .bid = edc_bid,
    .read = cc_edc_read,
    .writer_open = cc_edc_writer_open,
    .writer_record = cc_edc_writer_record,
    .writer_close = cc_edc_writer_close,
};
