/* Multikey (W3C Controlled Identifiers §Multikey) and did:key: Ed25519 keys written as
 * multibase base58btc ("z…") of a multicodec prefix and the raw key, the form Data Integrity
 * proofs name their keys in.  Also the base58btc they use for proofValue. */
#include "cc_multikey.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* Multicodec varint prefixes: ed25519-pub 0xed, ed25519-priv 0x1300. */
static const unsigned char ED_PUB[] = {0xed, 0x01}, ED_PRIV[] = {0x80, 0x26};

char *cc_base58_encode(const unsigned char *in, size_t n)
{
    size_t zeros = 0;
    while (zeros < n && !in[zeros])
        zeros++;
    size_t cap = (n - zeros) * 138 / 100 + 1;  /* log(256) / log(58) */
    unsigned char *digits = calloc(cap ? cap : 1, 1);
    char *out = malloc(zeros + cap + 1);
    if (!digits || !out) {
        free(digits), free(out);
        return NULL;
    }
    size_t len = 0;  /* digits used, least significant first */
    for (size_t i = zeros; i < n; i++) {
        unsigned carry = in[i];
        for (size_t j = 0; j < len || carry; j++) {
            if (j == len)
                len++;
            carry += 256u * digits[j];
            digits[j] = (unsigned char)(carry % 58);
            carry /= 58;
        }
    }
    memset(out, '1', zeros);
    for (size_t j = 0; j < len; j++)
        out[zeros + j] = B58[digits[len - 1 - j]];
    out[zeros + len] = '\0';
    free(digits);
    return out;
}

int cc_base58_decode(const char *s, unsigned char *out, size_t cap, size_t *len)
{
    size_t zeros = 0, n = strlen(s), used = 0;  /* bytes used, least significant first */
    while (zeros < n && s[zeros] == '1')
        zeros++;
    /* cap bytes take at most cap * log(256)/log(58) < cap * 1.3658 digits: a longer string
     * cannot fit, and refusing it first keeps the decoding O(cap²), whatever the input. */
    if (zeros > cap || n - zeros > cap * 13658 / 10000 + 1)
        return -1;
    unsigned char *acc = calloc(cap + 2, 1);
    if (!acc)
        return -1;
    for (size_t i = zeros; i < n; i++) {
        const char *p = memchr(B58, s[i], sizeof B58 - 1);
        unsigned carry = p && s[i] ? (unsigned)(p - B58) : 58;
        if (carry == 58) {
            free(acc);
            return -1;
        }
        for (size_t j = 0; j < used || carry; j++) {
            if (j == used && ++used > cap + 1) {  /* the value already exceeds cap bytes */
                free(acc);
                return -1;
            }
            carry += 58u * acc[j];
            acc[j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
    }
    int rc = zeros + used <= cap ? 0 : -1;
    if (rc == 0) {
        memset(out, 0, zeros);
        for (size_t j = 0; j < used; j++)
            out[zeros + j] = acc[used - 1 - j];
        *len = zeros + used;
    }
    free(acc);
    return rc;
}

/* "z" + base58btc → bytes, which must start with prefix and hold want bytes after it. */
static bool multibase_key(const char *mb, const unsigned char prefix[2], size_t want,
                          unsigned char *key)
{
    unsigned char raw[80];
    size_t n;
    if (!mb || mb[0] != 'z' || strlen(mb) > 120 || cc_base58_decode(mb + 1, raw, sizeof raw, &n))
        return false;
    bool ok = n == 2 + want && !memcmp(raw, prefix, 2);
    if (ok)
        memcpy(key, raw + 2, want);
    OPENSSL_cleanse(raw, sizeof raw);
    return ok;
}

EVP_PKEY *cc_multikey_public(const char *mb, cc_jose_err *e)
{
    unsigned char pub[32];
    EVP_PKEY *k = multibase_key(mb, ED_PUB, 32, pub)
                      ? EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, pub, 32) : NULL;
    if (!k)
        cc_jose_fail(e, "multikey-invalid", "\"%.80s\" is not an Ed25519 Multikey (z6Mk…: base58btc "
                     "of 0xed01 and 32 bytes)", mb ? mb : "");
    return k;
}

/* The secret key as its 32-byte seed, or the 64-byte seed ‖ public form some tools write. */
EVP_PKEY *cc_multikey_private(const char *mb, cc_jose_err *e)
{
    unsigned char key[64];
    EVP_PKEY *k = NULL;
    if (multibase_key(mb, ED_PRIV, 32, key) || multibase_key(mb, ED_PRIV, 64, key))
        k = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, key, 32);
    OPENSSL_cleanse(key, sizeof key);
    if (!k)
        cc_jose_fail(e, "multikey-invalid", "not an Ed25519 secret Multikey (z3u2… or zrv…: base58btc "
                     "of 0x8026 and a 32-byte seed)");
    return k;
}

char *cc_multikey_encode(EVP_PKEY *k)
{
    unsigned char raw[2 + 32];
    size_t n = 32;
    if (!k || !EVP_PKEY_is_a(k, "ED25519") || !EVP_PKEY_get_raw_public_key(k, raw + 2, &n) || n != 32)
        return NULL;
    memcpy(raw, ED_PUB, 2);
    char *b58 = cc_base58_encode(raw, sizeof raw);
    char *out = b58 ? malloc(strlen(b58) + 2) : NULL;
    if (out) {
        out[0] = 'z';
        strcpy(out + 1, b58);
    }
    free(b58);
    return out;
}

bool cc_did_of(const char *id, const char *did_url)
{
    size_t n = strcspn(did_url, "#");
    return id && strlen(id) == n && !strncmp(id, did_url, n);
}

EVP_PKEY *cc_did_key_public(const char *did_url, cc_jose_err *e)
{
    if (strncmp(did_url, "did:key:", 8) != 0) {
        cc_jose_fail(e, "did-key", "%.200s is not a did:key", did_url);
        return NULL;
    }
    char mb[128];
    size_t n = strcspn(did_url + 8, "#?/");
    if (n >= sizeof mb) {
        cc_jose_fail(e, "did-key", "did:key too long");
        return NULL;
    }
    memcpy(mb, did_url + 8, n);
    mb[n] = '\0';
    const char *frag = strchr(did_url, '#');
    if (frag && strcmp(frag + 1, mb) != 0) {  /* did:key names one key: its fragment is that key */
        cc_jose_fail(e, "did-key", "the fragment of %.200s is not its own key", did_url);
        return NULL;
    }
    return cc_multikey_public(mb, e);
}
