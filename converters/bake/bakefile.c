/* The bake and unbake commands, file to file, and baking a written credential beside it. */
#include "cc_bake.h"
#include "cc_outfile.h"
#include "credconv/credconv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_IMAGE = 64 << 20 };  /* a badge image is small; this only stops a runaway read */

static unsigned char *load(const char *path, size_t *len, const cc_diag_sink *diag)
{
    FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!fp) {
        cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot open: %s", strerror(errno));
        return NULL;
    }
    unsigned char *buf = cc_slurp(fp, MAX_IMAGE, len);
    if (!buf)
        cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot read (or larger than %d MB)",
                 MAX_IMAGE >> 20);
    if (fp != stdin)
        fclose(fp);
    return buf;
}

/* Writes through a temporary so a failed run leaves no half image; out NULL = stdout. */
static int emit(const char *out, const unsigned char *img, size_t ilen, const char *payload,
                size_t plen, bool bake, const cc_diag_sink *diag)
{
    cc_outfile of = {0};
    FILE *fp = stdout;
    if (out) {
        if (cc_outfile_open(&of, out) != 0) {
            cc_diagf(diag, CC_ERROR, out, 0, 0, NULL, "io", "cannot create: %s", strerror(errno));
            return 2;
        }
        fp = of.fp;
    }
    char err[256] = "";
    int rc = bake ? cc_bake(img, ilen, payload, plen, CC_BADGE_UNKNOWN, fp, err, sizeof err)
                  : (fwrite(payload, 1, plen, fp) == plen ? 0 : -2);
    if (rc == 0 && out && cc_outfile_commit(&of) != 0)
        rc = -2;
    else if (rc == 0 && !out && fflush(stdout) != 0)
        rc = -2;
    if (rc != 0 && out && of.fp)
        cc_outfile_abort(&of);
    if (rc == -1)
        cc_diagf(diag, CC_ERROR, out ? out : "<stdout>", 0, 0, NULL, "bake", "%s", err);
    if (rc == -2)
        cc_diagf(diag, CC_ERROR, out ? out : "<stdout>", 0, 0, NULL, "io", "write error: %s",
                 strerror(errno));
    return rc == 0 ? 0 : rc == -1 ? 1 : 2;
}

static size_t trimmed_len(const char *s, size_t n)
{
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return n;
}

int cc_bake_file(const char *image, const char *input, const char *out, const cc_diag_sink *diag)
{
    size_t ilen, plen;
    unsigned char *img = load(image, &ilen, diag);
    unsigned char *payload = img ? load(input, &plen, diag) : NULL;
    int rc = 2;
    if (payload) {
        const char *p = (const char *)payload;
        while (plen && strchr(" \t\r\n", *p))  /* the payload without its surrounding space */
            p++, plen--;
        rc = emit(out, img, ilen, p, trimmed_len(p, plen), true, diag);
    }
    free(img);
    free(payload);
    return rc;
}

int cc_unbake_file(const char *image, const char *out, const cc_diag_sink *diag)
{
    size_t ilen, plen;
    unsigned char *img = load(image, &ilen, diag);
    if (!img)
        return 2;
    char *payload, err[256];
    cc_badge_version ver;
    int rc = 1;
    if (cc_unbake(img, ilen, &payload, &plen, &ver, err, sizeof err) != 0)
        cc_diagf(diag, CC_ERROR, image, 0, 0, NULL, "unbake", "%s", err);
    else
        rc = emit(out, NULL, 0, payload, plen, false, diag);
    free(payload);
    free(img);
    return rc;
}
