/* Format "clr": Comprehensive Learner Record 2.0 (ClrCredential), one JSON document per
 * line.  This file holds the descriptor and the bid. */
#include "clr/clr.h"

#include <string.h>

/* A JSON document naming ClrCredential, or the CLR context: above every OB 3.0 bid (at
 * most 90), so a CLR is never read as one of its nested badges (the registry takes the
 * highest bid; the ob3 bid does not look for CLR's markers). */
static int clr_bid(const unsigned char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n[", buf[i]))
        i++;
    if (i >= len || buf[i] != '{')
        return 0;
#define HAS(s) (memmem(buf, len, s, sizeof s - 1) != NULL)
    if (HAS("credconv-model/1"))
        return 0;
    if (HAS("\"ClrCredential\""))
        return 95;
    if (HAS("purl.imsglobal.org/spec/clr/v2p0/context"))
        return 92;
#undef HAS
    return 0;
}

const cc_format cc_format_clr = {
    .name = "clr",
    .description = "Comprehensive Learner Record 2.0 JSON-LD: ClrCredential, one per line",
    .extension = "json",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE | CC_CAP_GROUPS | CC_CAP_STATUS,
    .sigs = CC_SIG_VCJWT | CC_SIG_DI,
    .bid = clr_bid,
    .read = cc_clr_read,
    .writer_open = cc_clr_writer_open,
    .writer_record = cc_clr_writer_record,
    .writer_close = cc_clr_writer_close,
};
