/* Format "baked": a baked badge image (PNG or SVG) as an input.  The payload is taken out
 * by converters/bake/bake.c and handed, through the registry, to the format that bids for it
 * (ob2 today, ob3 once it is there); this file includes no other format. */
#include "cc_bake.h"
#include "cc_fetch.h"
#include "credconv/credconv.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_IMAGE = 64 << 20 };

static int baked_bid(const unsigned char *buf, size_t len)
{
    switch (cc_image_detect(buf, len)) {
    case CC_IMAGE_PNG: return 95;
    case CC_IMAGE_SVG: return 90;
    default: return 0;
    }
}

/* A pre-spec badge carries only the URL of its hosted assertion. */
static char *fetch_payload(cc_read_ctx *ctx, char *url, size_t *len)
{
    cc_fetched res;
    if (cc_fetch(ctx->fetch, url, &res) != 0 || res.status != 200) {
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, 0, 0, NULL, "unbake", "the badge holds only "
                 "the URL %s, which cannot be fetched: %s", url, res.status ? "HTTP error" : res.error);
        cc_fetched_free(&res);
        return NULL;
    }
    *len = res.len;
    return res.body;
}

static const char *version_hint(cc_badge_version v)
{
    return v == CC_BADGE_OB3 ? " (an Open Badges 3.0 credential: 'credconv unbake' gives it)"
         : v == CC_BADGE_CLR ? " (a CLR 2.0 credential: 'credconv unbake' gives it)" : "";
}

static int read_payload(cc_read_ctx *ctx, char *payload, size_t plen)
{
    const cc_format *f = cc_format_detect((const unsigned char *)payload, plen < 4096 ? plen : 4096);
    if (!f || f->bid == baked_bid || !(f->caps & CC_CAP_READ)) {
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, 0, 0, NULL, "unbake", "the baked payload is "
                 "of no format this build reads%s", version_hint(cc_badge_payload_version(payload, plen)));
        return 1;
    }
    FILE *fp = fmemopen(payload, plen, "r");
    cc_input in;
    if (!fp || cc_input_from_fp(&in, fp, ctx->in->name) != 0) {
        if (fp)
            fclose(fp);
        return 1;
    }
    cc_read_ctx sub = *ctx;
    sub.in = &in;
    int rc = f->read(&sub);
    cc_input_close(&in);
    fclose(fp);
    return rc;
}

static int baked_read(cc_read_ctx *ctx)
{
    size_t len, plen = 0;
    unsigned char *img = (unsigned char *)cc_input_slurp(ctx->in, MAX_IMAGE, &len);
    char *payload = NULL, err[256];
    cc_badge_version ver;
    int rc = 1;
    if (!img)
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, 0, 0, NULL, "io", "cannot read the image");
    else if (cc_unbake(img, len, &payload, &plen, &ver, err, sizeof err) != 0)
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, 0, 0, NULL, "unbake", "%s", err);
    if (payload && strncmp(payload, "http", 4) == 0 && !strpbrk(payload, "{ \n")) {
        char *url = payload;
        payload = fetch_payload(ctx, url, &plen);
        free(url);
    }
    if (payload)
        rc = read_payload(ctx, payload, plen);
    free(payload);
    free(img);
    return rc;
}

const cc_format cc_format_baked = {
    .name = "baked",
    .description = "Baked badge image (PNG iTXt, SVG element); its payload is read by its own format",
    .extension = "png",
    .caps = CC_CAP_READ | CC_CAP_VALIDATE,
    .bid = baked_bid,
    .read = baked_read,
};
