/* The RNCP/RS format: its descriptor and its bid.  The reader is rncp_read.c (SAX, one fiche
 * at a time), the writer rncp_write.c. */
#include "rncp.h"

#include <string.h>

/* ------------------------------------------------------------ detection */

static int rncp_bid(const unsigned char *buf, size_t len)
{
    if (memmem(buf, len, "<FICHES", 7))
        return 100;
    if (memmem(buf, len, "<FICHE>", 7) || memmem(buf, len, "<NUMERO_FICHE>", 14))
        return 60;
    return 0;
}

const cc_format cc_format_rncp = {
    .name = "rncp",
    .description = "France Compétences RNCP/RS export XML (V4.1 written; V3, V2 read)",
    .extension = "xml",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE,
    .bid = rncp_bid,
    .read = cc_rncp_read,
    .writer_open = cc_rncp_writer_open,
    .writer_record = cc_rncp_writer_record,
    .writer_close = cc_rncp_writer_close,
};
