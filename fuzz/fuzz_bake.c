/* Baked images: cc_unbake on the input as a PNG or SVG; the "baked" format reader, which hands
 * the payload to the format that bids for it; and baking a fixed payload into the input,
 * which must then unbake to that payload again. */
#include <string.h>

#include "cc_bake.h"
#include "fuzz_common.h"

static const char PAYLOAD[] = "{\"@context\": \"https://w3id.org/openbadges/v2\", "
                              "\"type\": \"Assertion\", \"id\": \"https://example.org/a&b<1>\"}";

static void unbake_once(const uint8_t *data, size_t size)
{
    char *payload = NULL, err[256];
    size_t plen = 0;
    cc_badge_version ver;
    if (cc_unbake(data, size, &payload, &plen, &ver, err, sizeof err) == 0)
        cc_badge_payload_version(payload, plen);
    free(payload);
}

/* An image bake accepts must give back what was baked into it. */
static void bake_round_trip(const uint8_t *data, size_t size)
{
    char *img = NULL, err[256];
    size_t len = 0;
    FILE *out = open_memstream(&img, &len);
    if (!out)
        return;
    int rc = cc_bake(data, size, PAYLOAD, strlen(PAYLOAD), CC_BADGE_UNKNOWN, out, err, sizeof err);
    fclose(out);
    if (rc == 0) {
        char *payload = NULL;
        size_t plen = 0;
        cc_badge_version ver;
        if (cc_unbake((const unsigned char *)img, len, &payload, &plen, &ver, err, sizeof err) != 0 ||
            plen != strlen(PAYLOAD) || memcmp(payload, PAYLOAD, plen) != 0)
            __builtin_trap();
        free(payload);
    }
    free(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unbake_once(data, size);
    bake_round_trip(data, size);
    fuzz_format("baked", data, size, NULL);
    return 0;
}
