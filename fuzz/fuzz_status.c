/* Status lists: the Bitstring Status List decoder (multibase base64url + GZIP, bounded) on
 * the input as an encodedList, the list credential reader on the input as a list credential
 * (JSON or VC-JWT), and the round trip encode(decode(x)) == decode(x), encode of the input's
 * bytes as bits and back. */
#include "cc_jsonread.h"
#include "cc_status.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const uint8_t *bits, size_t n)
{
    char *enc = cc_status_encode(bits, n);
    uint8_t *back = NULL;
    size_t m = 0;
    char why[256];
    if (!enc)
        return;
    if (cc_status_decode(enc, &back, &m, why, sizeof why) != 0 || m != n || memcmp(back, bits, n) != 0)
        __builtin_trap();  /* what credconv encodes, it reads back the same */
    free(back);
    free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), why[256];
    memcpy(s, data, size);
    s[size] = '\0';
    uint8_t *bits = NULL;
    size_t n = 0;
    if (cc_status_decode(s, &bits, &n, why, sizeof why) == 0) {
        if (n == 0 || n > CC_STATUS_MAX_BYTES)
            __builtin_trap();  /* the bound holds */
        if (n <= (1u << 20))  /* re-encoding 16 MiB at level 9 would dominate the run's time */
            round_trip(bits, n);
        free(bits);
    }
    json_t *list = cc_status_list_parse(s, size, why, sizeof why);
    cc_status_purpose p;
    if (list && cc_status_list_bits(list, &p, &bits, &n, why, sizeof why) == 0)
        free(bits);
    json_decref(list);
    if (size > 0 && size <= 65536)
        round_trip(data, size);
    free(s);
    return 0;
}
