/* Baked badge images (docs/references.md ob §3.5): an Open Badges payload carried inside a PNG (one
 * iTXt chunk) or an SVG (one badge element, found by the XML parser: converters/bake/bake_svg.c).
 * The payload is never parsed here beyond telling OB 2.0 from OB 3.0 and CLR 2.0.
 * Internal to credconv. */
#ifndef CC_BAKE_H
#define CC_BAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { CC_BADGE_UNKNOWN = 0, CC_BADGE_OB2 = 2, CC_BADGE_OB3 = 3, CC_BADGE_CLR = 4 } cc_badge_version;

/* The SVG namespaces of the badge element (OB 2.0 assertion, OB 3.0 / CLR 2.0 credential). */
#define CC_OB2_SVG_NS "http://openbadges.org"
#define CC_OB3_SVG_NS "https://purl.imsglobal.org/ob/v3p0"
#define CC_CLR_SVG_NS "https://purl.imsglobal.org/clr/v2p0"

/* Bounds on a baked SVG, checked by a linear scan before libxml2 parses it (docs/security.md):
 * its size, the attributes of one element (namespace declarations included) and the
 * namespace declarations of the whole document.  Real badges use a few of each. */
enum { CC_SVG_MAX = 8 << 20, CC_SVG_MAX_ATTRS = 256, CC_SVG_MAX_NSDECL = 256 };

typedef enum { CC_IMAGE_NONE = 0, CC_IMAGE_PNG, CC_IMAGE_SVG } cc_image_kind;

/* What the first bytes of a file are: a PNG (signature) or an SVG (an <svg element). */
cc_image_kind cc_image_detect(const unsigned char *buf, size_t len);

/* The payload of a baked image: 0 with *payload (malloc'd, NUL-terminated, the exact bytes
 * stored) and *ver (from the PNG keyword or SVG element); -1 with a message in err when
 * the image is damaged, carries no badge, or carries two. */
int cc_unbake(const unsigned char *img, size_t len, char **payload, size_t *plen,
              cc_badge_version *ver, char *err, size_t errlen);

/* Writes img with payload baked in to out.  ver CC_BADGE_UNKNOWN: told from the payload.
 * Returns 0, -1 with a message in err (bad image, already baked, unknown payload), or -2
 * on an output error. */
int cc_bake(const unsigned char *img, size_t len, const char *payload, size_t plen,
            cc_badge_version ver, FILE *out, char *err, size_t errlen);

/* The SVG halves of cc_unbake and cc_bake (converters/bake/bake_svg.c). */
int cc_svg_unbake(const char *doc, size_t len, char **payload, size_t *plen,
                  cc_badge_version *ver, char *err, size_t errlen);
int cc_svg_bake(const char *doc, size_t len, const char *payload, size_t plen,
                cc_badge_version ver, FILE *out, char *err, size_t errlen);

/* OB 2.0, OB 3.0 or CLR 2.0, from a JSON document or a compact JWS; CC_BADGE_UNKNOWN
 * otherwise. */
cc_badge_version cc_badge_payload_version(const char *payload, size_t len);

/* "data:<mime>;base64,<bytes in base64>", malloc'd. */
char *cc_data_uri(const char *mime, const unsigned char *b, size_t len);

/* Reads a whole file (at most max bytes) into a malloc'd, NUL-terminated buffer. */
unsigned char *cc_slurp(FILE *fp, size_t max, size_t *len);

/* The bake and unbake commands (exit status 0, 1 bad image or payload, 2 I/O error);
 * out NULL writes to standard output.  Bake stores the payload without the white space
 * around it; unbake writes the stored bytes exactly. */
#include "credconv/credconv.h"
int cc_bake_file(const char *image, const char *input, const char *out, const cc_diag_sink *diag);
int cc_unbake_file(const char *image, const char *out, const cc_diag_sink *diag);

#endif
