/* JOSE: the compact JWS parser (and the older payload decoder the OB 2.0 reader uses), the
 * JWK and PEM key parsers, and VC-JWT / OB 2.0 signed-assertion verification with a fixed
 * P-256 test key.  The seeds fuzz/seeds/jose-*.jwt are signed by that key's private half
 * (made for the seeds, not kept), so mutations reach the claim and date checks. */
#include <string.h>

#include "cc_jsonread.h"
#include "cc_jws.h"
#include "cc_sign.h"
#include "fuzz_common.h"

static const char TEST_JWK[] =
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"8O8Izp_h1AnWmmBueQ5vNfC8JhNByV-4uabQj42_mdg\","
    "\"y\":\"p6PrMUmp9H3XlLL6DWKl4XeBbyDas0kRQqEuXNMF20U\"}";

/* The key is made again on every call: a static one would be shared state, and it is cheap. */
static EVP_PKEY *test_key(void)
{
    cc_jose_err e = {0};
    json_t *jwk = json_loads(TEST_JWK, 0, NULL);
    EVP_PKEY *k = cc_key_from_jwk(jwk, false, &e);
    json_decref(jwk);
    if (!k)
        __builtin_trap();
    return k;
}

static void verify_token(const char *s, size_t n)
{
    cc_jws j;
    cc_jose_err e = {0};
    if (cc_jws_parse(s, n, &j, &e) != 0)
        return;
    EVP_PKEY *k = test_key();
    cc_verify_opts o = {.key = k, .key_file = "fuzz-key", .now = 1700000000};
    cc_diag_sink ds = {.emit = fuzz_diag};
    cc_verdict v = {0};
    json_t *p = cc_json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
    if (p && cc_is_ob2_assertion(p))
        cc_ob2_verify(&j, &o, "fuzz", &ds, &v);
    else
        cc_vcjwt_verify(&j, &o, "fuzz", &ds, &v);
    json_decref(p);
    EVP_PKEY_free(k);
    cc_jws_free(&j);
}

static void parse_keys(const char *s, size_t n)
{
    cc_jose_err e = {0};
    json_t *doc = cc_json_loadb(s, n, 0, NULL);
    if (doc) {
        EVP_PKEY_free(cc_key_from_jwk(doc, false, &e));
        EVP_PKEY_free(cc_key_from_jwk(doc, true, &e));
        json_decref(doc);
    }
    EVP_PKEY_free(cc_key_from_pem(s, n, &e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    verify_token(s, size);
    size_t plen;
    if (cc_jws_shape(s, size))
        free(cc_jws_payload(s, size, &plen));
    parse_keys(s, size);
    free(s);
    (void)fuzz_format;
    return 0;
}
