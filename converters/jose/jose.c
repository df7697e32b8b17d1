/* JOSE: base64url, algorithms, raw signatures and compact JWS.  Keys are in jose_keys.c. */
#include "cc_jsonread.h"
#include "cc_jose.h"

#include <ctype.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cc_jose_fail(cc_jose_err *e, const char *rule, const char *fmt, ...)
{
    if (!e)
        return;
    e->rule = rule;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ base64url */

static const char b64u_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *cc_b64u_encode(const unsigned char *b, size_t n)
{
    char *out = malloc(n / 3 * 4 + 5);
    if (!out)
        cc_oom();
    char *p = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)b[i] << 16 | (unsigned)b[i + 1] << 8 | b[i + 2];
        for (int k = 18; k >= 0; k -= 6)
            *p++ = b64u_digits[(v >> k) & 63];
    }
    if (n - i == 1) {
        *p++ = b64u_digits[b[i] >> 2];
        *p++ = b64u_digits[(b[i] & 3) << 4];
    } else if (n - i == 2) {
        unsigned v = (unsigned)b[i] << 8 | b[i + 1];
        *p++ = b64u_digits[v >> 10];
        *p++ = b64u_digits[(v >> 4) & 63];
        *p++ = b64u_digits[(v & 15) << 2];
    }
    *p = '\0';
    return out;
}

/* The value of each base64url digit, -1 for any other byte (a table: decoding sees every
 * byte of every token). */
static const signed char b64u_values[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

static int b64u_value(unsigned char c)
{
    return b64u_values[c];
}

/* The last 2 or 3 digits of an unpadded text: 1 or 2 bytes, and the unused low bits of the
 * last digit must be 0 (else the same bytes would have a second spelling).  -1 if not. */
static int b64u_tail(const unsigned char *s, size_t r, unsigned char *out)
{
    if (r == 0)
        return 0;
    int a = b64u_value(s[0]), b = b64u_value(s[1]), c = r == 3 ? b64u_value(s[2]) : 0;
    if ((a | b | c) < 0)
        return -1;
    unsigned v = (unsigned)a << 12 | (unsigned)b << 6 | (unsigned)c;
    if (r == 2) {
        if (v & 0x3C0)  /* b's low 4 bits (v's bits 6-9) are not in the byte */
            return -1;
        out[0] = (unsigned char)(v >> 10);
        return 1;
    }
    if (c & 3)
        return -1;
    out[0] = (unsigned char)(v >> 10), out[1] = (unsigned char)(v >> 2);
    return 2;
}

unsigned char *cc_b64u_decode(const char *s, size_t n, size_t *out_len)
{
    if (n % 4 == 1)
        return NULL;  /* one digit cannot hold a byte */
    unsigned char *out = malloc(n / 4 * 3 + 3);
    if (!out)
        cc_oom();
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    for (; i + 4 <= n; i += 4) {  /* four digits, three bytes: a token is decoded in full */
        int a = b64u_value(u[i]), b = b64u_value(u[i + 1]), c = b64u_value(u[i + 2]), d = b64u_value(u[i + 3]);
        if ((a | b | c | d) < 0) {
            free(out);
            return NULL;
        }
        unsigned v = (unsigned)a << 18 | (unsigned)b << 12 | (unsigned)c << 6 | (unsigned)d;
        out[o] = (unsigned char)(v >> 16), out[o + 1] = (unsigned char)(v >> 8), out[o + 2] = (unsigned char)v;
        o += 3;
    }
    int t = b64u_tail(u + i, n - i, out + o);
    if (t < 0) {
        free(out);
        return NULL;
    }
    o += (size_t)t;
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ------------------------------------------------------------ algorithms */

cc_alg cc_alg_from_name(const char *name)
{
    if (!name) return CC_ALG_UNKNOWN;
    if (!strcmp(name, "RS256")) return CC_ALG_RS256;
    if (!strcmp(name, "ES256")) return CC_ALG_ES256;
    if (!strcmp(name, "EdDSA")) return CC_ALG_EDDSA;
    return CC_ALG_UNKNOWN;
}

const char *cc_alg_name(cc_alg a)
{
    return a == CC_ALG_RS256 ? "RS256" : a == CC_ALG_ES256 ? "ES256" : a == CC_ALG_EDDSA ? "EdDSA" : "?";
}

static bool is_p256(EVP_PKEY *k)
{
    char group[64];
    size_t len = 0;
    return EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) &&
           (!strcmp(group, "prime256v1") || !strcmp(group, "P-256"));
}

cc_alg cc_alg_for_key(EVP_PKEY *k)
{
    if (EVP_PKEY_is_a(k, "RSA")) return CC_ALG_RS256;
    if (EVP_PKEY_is_a(k, "EC") && is_p256(k)) return CC_ALG_ES256;
    if (EVP_PKEY_is_a(k, "ED25519")) return CC_ALG_EDDSA;
    return CC_ALG_UNKNOWN;
}

static const char *key_kind(EVP_PKEY *k)
{
    if (EVP_PKEY_is_a(k, "RSA")) return "an RSA key";
    if (EVP_PKEY_is_a(k, "EC")) return is_p256(k) ? "a P-256 key" : "an EC key on another curve";
    if (EVP_PKEY_is_a(k, "ED25519")) return "an Ed25519 key";
    return "a key of another type";
}

int cc_alg_check_key(cc_alg a, EVP_PKEY *k, cc_jose_err *e)
{
    if (a != CC_ALG_UNKNOWN && cc_alg_for_key(k) == a)
        return 0;
    /* Checked before any signature operation: an RS256 token must never be "verified" by
     * some other primitive because the key happened to be of another type. */
    cc_jose_fail(e, "jws-alg-key-mismatch", "alg %s does not suit %s", cc_alg_name(a), key_kind(k));
    return -1;
}

/* ------------------------------------------------------------ ES256 signature forms */

int cc_ecdsa_der_to_raw(const unsigned char *der, size_t n, unsigned char raw[64])
{
    const unsigned char *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)n);
    if (!s)
        return -1;
    const BIGNUM *r, *sv;
    ECDSA_SIG_get0(s, &r, &sv);
    int ok = p == der + n && BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(sv, raw + 32, 32) == 32;
    ECDSA_SIG_free(s);
    return ok ? 0 : -1;
}

unsigned char *cc_ecdsa_raw_to_der(const unsigned char raw[64], size_t *n)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL), *sv = BN_bin2bn(raw + 32, 32, NULL);
    if (!s || !r || !sv || !ECDSA_SIG_set0(s, r, sv)) {
        BN_free(r), BN_free(sv), ECDSA_SIG_free(s);
        return NULL;
    }
    unsigned char *der = NULL;
    int len = i2d_ECDSA_SIG(s, &der);
    ECDSA_SIG_free(s);
    if (len <= 0)
        return NULL;
    unsigned char *out = malloc((size_t)len);
    if (out)
        memcpy(out, der, (size_t)len);
    OPENSSL_free(der);
    *n = (size_t)len;
    return out;
}

/* ------------------------------------------------------------ raw signatures */

static void ssl_fail(cc_jose_err *e, const char *rule, const char *what)
{
    char buf[256] = "";
    unsigned long code = ERR_get_error();
    if (code)
        ERR_error_string_n(code, buf, sizeof buf);
    ERR_clear_error();
    cc_jose_fail(e, rule, "%s%s%s", what, *buf ? ": " : "", buf);
}

/* EdDSA hashes inside the algorithm (one-shot, no digest); the others use SHA-256. */
static const EVP_MD *alg_md(cc_alg a)
{
    return a == CC_ALG_EDDSA ? NULL : EVP_sha256();
}

/* RS256 signatures from keys shorter than 2048 bits are refused (RFC 7518 §3.3). */
static int key_strong_enough(EVP_PKEY *k, cc_alg a, cc_jose_err *e)
{
    if (a == CC_ALG_RS256 && EVP_PKEY_get_bits(k) < 2048) {
        cc_jose_fail(e, "key-weak", "the RSA key has %d bits; RS256 needs at least 2048",
                     EVP_PKEY_get_bits(k));
        return -1;
    }
    return 0;
}

int cc_jws_sign_check(EVP_PKEY *k, cc_alg a, cc_jose_err *e)
{
    if (cc_alg_check_key(a, k, e) || key_strong_enough(k, a, e))
        return -1;
    if (!cc_key_is_private(k)) {
        cc_jose_fail(e, "key-not-private", "signing needs a private key; this is a public key");
        return -1;
    }
    return 0;
}

int cc_jws_sign_bytes(EVP_PKEY *k, cc_alg a, const unsigned char *msg, size_t n,
                      unsigned char **sig, size_t *siglen, cc_jose_err *e)
{
    *sig = NULL;
    return cc_jws_sign_check(k, a, e) ? -1 : cc_jws_sign_checked(k, a, msg, n, sig, siglen, e);
}

int cc_jws_sign_checked(EVP_PKEY *k, cc_alg a, const unsigned char *msg, size_t n,
                        unsigned char **sig, size_t *siglen, cc_jose_err *e)
{
    *sig = NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t len = 0;
    unsigned char *out = NULL;
    int rc = -1;
    if (ctx && EVP_DigestSignInit_ex(ctx, NULL, a == CC_ALG_EDDSA ? NULL : "SHA256", NULL, NULL, k,
                                     NULL) == 1 &&
        EVP_DigestSign(ctx, NULL, &len, msg, n) == 1 && (out = malloc(len)) &&
        EVP_DigestSign(ctx, out, &len, msg, n) == 1)
        rc = 0;
    else
        ssl_fail(e, "sign-failed", "the signature could not be made");
    EVP_MD_CTX_free(ctx);
    if (rc == 0 && a == CC_ALG_ES256) {
        unsigned char *raw = malloc(64);
        if (!raw || cc_ecdsa_der_to_raw(out, len, raw)) {
            free(raw);
            cc_jose_fail(e, "sign-failed", "OpenSSL gave an ECDSA signature that is not DER");
            rc = -1;
        } else {
            free(out);
            out = raw;
            len = 64;
        }
    }
    if (rc) {
        free(out);
        return -1;
    }
    *sig = out;
    *siglen = len;
    return 0;
}

/* The signature as OpenSSL wants it (DER for ECDSA); *owned is set when it is a copy. */
static const unsigned char *ossl_sig(cc_alg a, const unsigned char *sig, size_t n, size_t *out_n,
                                     unsigned char **owned, cc_jose_err *e)
{
    *owned = NULL;
    *out_n = n;
    size_t want = a == CC_ALG_ES256 || a == CC_ALG_EDDSA ? 64 : 0;
    if (want && n != want) {
        cc_jose_fail(e, "jws-signature", "a %s signature has %zu bytes, not %zu", cc_alg_name(a), want, n);
        return NULL;
    }
    if (a != CC_ALG_ES256)
        return sig;
    *owned = cc_ecdsa_raw_to_der(sig, out_n);
    if (!*owned)
        cc_jose_fail(e, "jws-signature", "the ES256 signature cannot be read");
    return *owned;
}

int cc_jws_verify_bytes(EVP_PKEY *k, cc_alg a, const unsigned char *msg, size_t n,
                        const unsigned char *sig, size_t siglen, cc_jose_err *e)
{
    if (cc_alg_check_key(a, k, e) || key_strong_enough(k, a, e))
        return -1;
    unsigned char *owned;
    size_t dlen;
    const unsigned char *d = ossl_sig(a, sig, siglen, &dlen, &owned, e);
    if (!d)
        return 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int rc = -1;
    if (ctx && EVP_DigestVerifyInit_ex(ctx, NULL, alg_md(a) ? "SHA256" : NULL, NULL, NULL, k, NULL) == 1) {
        int v = EVP_DigestVerify(ctx, d, dlen, msg, n);
        rc = v == 1 ? 1 : 0;
        if (!rc)
            cc_jose_fail(e, "jws-signature", "the %s signature does not match: the token was changed "
                         "after signing, or another key signed it", cc_alg_name(a));
        ERR_clear_error();
    } else {
        ssl_fail(e, "verify-failed", "the signature could not be checked");
    }
    EVP_MD_CTX_free(ctx);
    free(owned);
    return rc;
}

/* ------------------------------------------------------------ compact JWS */

/* The index of the first byte from i on that is not a base64url digit (len if none): four
 * bytes a test, since a token is long and mostly digits. */
static size_t digits_end(const unsigned char *u, size_t i, size_t len)
{
    for (; i + 4 <= len; i += 4)
        if ((b64u_value(u[i]) | b64u_value(u[i + 1]) | b64u_value(u[i + 2]) | b64u_value(u[i + 3])) < 0)
            break;
    while (i < len && b64u_value(u[i]) >= 0)
        i++;
    return i;
}

bool cc_jws_looks(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    const unsigned char *u = (const unsigned char *)s;
    int dots = 0;
    for (size_t i = digits_end(u, 0, len); i < len; i = digits_end(u, i + 1, len))
        if (u[i] != '.' || ++dots > 2)
            return false;
    return dots == 2 && len > 0 && s[0] != '.';
}

void cc_jws_free(cc_jws *j)
{
    json_decref(j->header);
    free(j->payload);
    free(j->sig);
    free(j->signing_input);
    memset(j, 0, sizeof *j);
}

/* The header rules of cc_jws_parse. */
static int check_header(cc_jws *j, cc_jose_err *e)
{
    const char *alg = json_string_value(json_object_get(j->header, "alg"));
    if (!alg) {
        cc_jose_fail(e, "jws-header", "the JOSE header has no \"alg\" string");
        return -1;
    }
    if (!strcmp(alg, "none") || !strcmp(alg, "None") || !strcmp(alg, "NONE")) {
        cc_jose_fail(e, "jws-alg-none", "alg \"none\": an unsigned token is never accepted");
        return -1;
    }
    if (!strncmp(alg, "HS", 2)) {
        /* A verifier that fed a public key to HMAC would accept tokens anyone can forge. */
        cc_jose_fail(e, "jws-alg-hmac", "alg %s is an HMAC: a shared secret is not a signature, and "
                     "is never checked with a public key", alg);
        return -1;
    }
    j->alg = cc_alg_from_name(alg);
    if (j->alg == CC_ALG_UNKNOWN) {
        cc_jose_fail(e, "jws-alg-unsupported", "alg \"%.64s\" is not supported (RS256, ES256, EdDSA)", alg);
        return -1;
    }
    json_t *crit = json_object_get(j->header, "crit");
    if (crit) {
        char *list = json_dumps(crit, JSON_COMPACT | JSON_ENCODE_ANY);
        cc_jose_fail(e, "jws-crit", "the header marks %.200s as critical; credconv understands no "
                     "JWS extension, so it must refuse the token", list ? list : "parameters");
        free(list);
        return -1;
    }
    json_t *jwk = json_object_get(j->header, "jwk");
    if (jwk && (!json_is_object(jwk) || cc_jwk_has_private(jwk))) {
        cc_jose_fail(e, "jws-jwk-private", json_is_object(jwk)
                     ? "the header jwk holds private-key members: the signer's key has leaked"
                     : "the header jwk is not a JSON object");
        return -1;
    }
    return 0;
}

/* Splits at the two dots and decodes the header into j->header. */
static int split_header(const char *s, size_t len, const char **d1, const char **d2, cc_jws *j,
                        cc_jose_err *e)
{
    *d1 = memchr(s, '.', len);
    *d2 = *d1 ? memchr(*d1 + 1, '.', len - (size_t)(*d1 + 1 - s)) : NULL;
    if (!*d2 || memchr(*d2 + 1, '.', len - (size_t)(*d2 + 1 - s))) {
        cc_jose_fail(e, "jws-syntax", "not a compact JWS: it needs exactly three parts separated by dots");
        return -1;
    }
    size_t hlen = (size_t)(*d1 - s), hn;
    if (hlen > CC_JWS_MAX_HEADER) {
        cc_jose_fail(e, "jws-limit", "the JOSE header has %zu characters (limit %d)", hlen, CC_JWS_MAX_HEADER);
        return -1;
    }
    unsigned char *h = hlen ? cc_b64u_decode(s, hlen, &hn) : NULL;
    if (!h) {
        cc_jose_fail(e, "jws-syntax", "the header is not unpadded base64url");
        return -1;
    }
    json_error_t je;
    j->header = cc_json_loadb((const char *)h, hn, JSON_REJECT_DUPLICATES, &je);
    free(h);
    if (!json_is_object(j->header)) {
        cc_jose_fail(e, "jws-header", "the JOSE header is not a JSON object%s%s", j->header ? "" : ": ",
                     j->header ? "" : je.text);
        return -1;
    }
    return 0;
}

/* The payload and the signature, once the header is known to be acceptable. */
static int decode_rest(const char *s, size_t len, const char *d1, const char *d2, cc_jws *j,
                       cc_jose_err *e)
{
    size_t plen = (size_t)(d2 - d1 - 1), slen = len - (size_t)(d2 + 1 - s);
    j->payload = cc_b64u_decode(d1 + 1, plen, &j->payload_len);
    j->sig = slen ? cc_b64u_decode(d2 + 1, slen, &j->sig_len) : NULL;
    if (!j->payload || !j->sig) {
        cc_jose_fail(e, "jws-syntax", !j->payload ? "the payload is not unpadded base64url"
                     : slen ? "the signature is not unpadded base64url" : "the signature is empty");
        return -1;
    }
    j->signing_input = strndup(s, (size_t)(d2 - s));
    if (!j->signing_input)
        cc_oom();
    j->signing_input_len = (size_t)(d2 - s);
    return 0;
}

/* The header is judged before the rest: an "alg: none" token, which comes with an empty
 * signature, is refused as what it is (jws-alg-none), not as a syntax error. */
int cc_jws_parse(const char *token, size_t len, cc_jws *j, cc_jose_err *e)
{
    memset(j, 0, sizeof *j);
    while (len && isspace((unsigned char)*token))
        token++, len--;
    while (len && isspace((unsigned char)token[len - 1]))
        len--;
    if (len > CC_JWS_MAX_TOKEN) {
        cc_jose_fail(e, "jws-limit", "the token has %zu characters (limit %d)", len, CC_JWS_MAX_TOKEN);
        return -1;
    }
    const char *d1, *d2;
    if (split_header(token, len, &d1, &d2, j, e) || check_header(j, e) ||
        decode_rest(token, len, d1, d2, j, e)) {
        cc_jws_free(j);
        return -1;
    }
    return 0;
}

int cc_jws_verify(const cc_jws *j, EVP_PKEY *k, cc_jose_err *e)
{
    return cc_jws_verify_bytes(k, j->alg, (const unsigned char *)j->signing_input,
                               j->signing_input_len, j->sig, j->sig_len, e);
}

char *cc_jws_sign(const json_t *header, const unsigned char *payload, size_t n, EVP_PKEY *k,
                  cc_alg a, cc_jose_err *e)
{
    char *hjson = json_dumps(header, JSON_COMPACT);
    if (!hjson) {
        cc_jose_fail(e, "sign-failed", "the header cannot be serialised");
        return NULL;
    }
    char *h64 = cc_b64u_encode((const unsigned char *)hjson, strlen(hjson));
    char *p64 = cc_b64u_encode(payload, n);
    free(hjson);
    size_t in_len = strlen(h64) + 1 + strlen(p64);
    char *input = malloc(in_len + 1);
    if (!input)
        cc_oom();
    snprintf(input, in_len + 1, "%s.%s", h64, p64);
    free(h64), free(p64);
    unsigned char *sig;
    size_t siglen;
    if (cc_jws_sign_bytes(k, a, (const unsigned char *)input, in_len, &sig, &siglen, e)) {
        free(input);
        return NULL;
    }
    char *s64 = cc_b64u_encode(sig, siglen);
    free(sig);
    char *token = malloc(in_len + 1 + strlen(s64) + 1);
    if (!token)
        cc_oom();
    sprintf(token, "%s.%s", input, s64);
    free(input), free(s64);
    return token;
}

/* ------------------------------------------------------------ times */

long long cc_epoch_now(void)
{
    return (long long)time(NULL);
}
