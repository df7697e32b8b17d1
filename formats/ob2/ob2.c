/* The OB 2.0 format: its descriptor and its bid.  The reader is ob2_read.c (with ob2_check,
 * ob2_link, ob2_ext, ob2_map), the writer ob2_write.c, the signatures ob2_sig.c. */
#include "ob2.h"
#include "cc_jws.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ detection */

static int bid_jws(const unsigned char *buf, size_t len)
{
    const unsigned char *dot = memchr(buf, '.', len);
    if (len < 8 || memcmp(buf, "eyJ", 3) != 0 || !dot)
        return 0;
    size_t n = (size_t)(buf + len - dot - 1);
    const unsigned char *end = memchr(dot + 1, '.', n);
    n = ((end ? (size_t)(end - dot - 1) : n) / 4) * 4;  /* whole groups only: the peek may cut */
    size_t plen;
    unsigned char *p = cc_base64url_decode((const char *)dot + 1, n, &plen);
    int bid = p && strstr((char *)p, "w3id.org/openbadges") && !strstr((char *)p, "credentials/v") ? 80 : 0;
    free(p);
    return bid;
}

static int ob2_bid(const unsigned char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && (isspace(buf[i]) || buf[i] >= 0xEF))
        i++;
    if (i < len && buf[i] != '{' && buf[i] != '[')
        return bid_jws(buf + i, len - i);
    if (i >= len)
        return 0;
    if (memmem(buf, len, "www.w3.org/ns/credentials", 25) || memmem(buf, len, "2018/credentials", 16))
        return 0;  /* a W3C VC: OB 2.0 documents never have one of its contexts */
    if (memmem(buf, len, "w3id.org/openbadges", 19))
        return 85;
    if (memmem(buf, len, "\"recipient\"", 11) && memmem(buf, len, "\"badge\"", 7))
        return 50;  /* OB 0.5 / 1.0 assertion */
    return memmem(buf, len, "\"verify\"", 8) ? 40 : 0;  /* OB 1.0 pointer to a hosted one */
}


const cc_format cc_format_ob2 = {
    .name = "ob2",
    .description = "Open Badges 2.0 JSON-LD (Assertion, BadgeClass, Issuer; compact JWS read)",
    .extension = "json",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE | CC_CAP_STATUS,
    .sigs = CC_SIG_OB2_JWS,
    .bid = ob2_bid,
    .read = cc_ob2_read,
    .writer_open = ob2_writer_open,
    .writer_record = ob2_writer_record,
    .writer_close = ob2_writer_close,
};
