/* base58btc, Ed25519 Multikeys, did:key, and Data Integrity proofs made and checked in memory
 * (inline contexts, so no context file is needed). */
#include "helpers.h"

#include "cc_multikey.h"
#include "cc_sign.h"

/* The published OB 3.0 test key (docs/references.md ob §3.7): its public key in hex and as a
 * Multikey, and its secret key as the 64-byte seed ‖ public Multikey. */
#define PUB_HEX "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
#define PUB_MB "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
#define SEC_MB "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx"

static void hex_bytes(const char *hex, unsigned char *out)
{
    for (size_t i = 0; hex[2 * i]; i++)
        sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

static void test_base58(void **state)
{
    (void)state;
    static const struct { const char *bytes; size_t n; const char *b58; } v[] = {
        {.bytes = "", .n = 0, .b58 = ""}, {.bytes = "\0", .n = 1, .b58 = "1"}, {.bytes = "\0\0\x01", .n = 3, .b58 = "112"}, {.bytes = "a", .n = 1, .b58 = "2g"},
        {.bytes = "Hello World!", .n = 12, .b58 = "2NEpo7TZRRrLZSi2U"}, {.bytes = "\xff\xff", .n = 2, .b58 = "LUv"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *s = cc_base58_encode((const unsigned char *)v[i].bytes, v[i].n);
        assert_string_equal(s, v[i].b58);
        unsigned char back[32];
        size_t len = 99;
        assert_int_equal(cc_base58_decode(s, back, sizeof back, &len), 0);
        assert_int_equal(len, v[i].n);
        assert_memory_equal(back, v[i].bytes, v[i].n);
        free(s);
    }
    unsigned char out[4];
    size_t len;
    assert_int_equal(cc_base58_decode("0OIl", out, sizeof out, &len), -1);  /* not in the alphabet */
    assert_int_equal(cc_base58_decode("2NEpo7TZRRrLZSi2U", out, sizeof out, &len), -1);  /* too long */
    /* the largest 64-byte value still fits (the length bound is not too tight) … */
    unsigned char ff[64], back[64];
    memset(ff, 0xff, sizeof ff);
    char *s = cc_base58_encode(ff, sizeof ff);
    assert_int_equal(strlen(s), 88);
    assert_int_equal(cc_base58_decode(s, back, sizeof back, &len), 0);
    assert_int_equal(len, 64);
    assert_memory_equal(back, ff, 64);
    free(s);
    /* … and 300,000 digits are refused before any arithmetic (issue 11.1: was quadratic) */
    char *big = malloc(300001);
    memset(big, '5', 300000);
    big[300000] = '\0';
    assert_int_equal(cc_base58_decode(big, back, sizeof back, &len), -1);
    memset(big, '1', 100);  /* leading zeros beyond the buffer: refused too */
    big[100] = '\0';
    assert_int_equal(cc_base58_decode(big, back, sizeof back, &len), -1);
    free(big);
}

static void test_multikey(void **state)
{
    (void)state;
    cc_jose_err e = {0};
    EVP_PKEY *pub = cc_multikey_public(PUB_MB, &e);
    assert_non_null(pub);
    unsigned char raw[32], want[32];
    size_t n = sizeof raw;
    assert_true(EVP_PKEY_get_raw_public_key(pub, raw, &n));
    hex_bytes(PUB_HEX, want);
    assert_memory_equal(raw, want, 32);
    char *mb = cc_multikey_encode(pub);
    assert_string_equal(mb, PUB_MB);
    free(mb);
    EVP_PKEY *sec = cc_multikey_private(SEC_MB, &e);
    assert_non_null(sec);
    mb = cc_multikey_encode(sec);  /* the secret key derives the published public key */
    assert_string_equal(mb, PUB_MB);
    free(mb);
    EVP_PKEY_free(sec);
    EVP_PKEY_free(pub);
    const char *bad[] = {"6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "z6Mk", "zzz", "",
                         "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hw0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cc_jose_err e2 = {0};
        assert_null(cc_multikey_public(bad[i], &e2));
        assert_string_equal(e2.rule, "multikey-invalid");
    }
    assert_null(cc_multikey_private(PUB_MB, &e));  /* a public Multikey is not a secret one */
}

static void test_did_key(void **state)
{
    (void)state;
    cc_jose_err e = {0};
    EVP_PKEY *k = cc_did_key_public("did:key:" PUB_MB "#" PUB_MB, &e);
    assert_non_null(k);
    EVP_PKEY_free(k);
    k = cc_did_key_public("did:key:" PUB_MB, &e);
    assert_non_null(k);
    EVP_PKEY_free(k);
    cc_jose_err e2 = {0};
    assert_null(cc_did_key_public("did:key:" PUB_MB "#key-1", &e2));  /* another fragment */
    assert_string_equal(e2.rule, "did-key");
    cc_jose_err e3 = {0};
    assert_null(cc_did_key_public("did:web:example.com", &e3));
}

/* A credential whose context is inline: signed, verified, then tampered with. */
static const char CRED[] =
    "{\"@context\":{\"@vocab\":\"https://example.org/v#\",\"id\":\"@id\",\"type\":\"@type\","
    "\"proof\":{\"@id\":\"https://w3id.org/security#proof\",\"@type\":\"@id\",\"@container\":\"@graph\"},"
    "\"verificationMethod\":{\"@id\":\"https://w3id.org/security#verificationMethod\",\"@type\":\"@id\"}},"
    "\"id\":\"urn:uuid:1\",\"type\":\"Badge\",\"name\":\"Bloc 1\",\"issuer\":\"https://ecole.example\"}";

static void test_di_sign_verify(void **state)
{
    (void)state;
    cc_jose_err e = {0};
    EVP_PKEY *key = cc_multikey_private(SEC_MB, &e);
    json_t *cred = json_loads(CRED, 0, NULL);
    /* the issuer is not the key's did:key: the default method would bind nothing */
    cc_di_sign_opts so = {.key = key, .verification_method = NULL, .created = "2020-01-01T00:00:00Z", .fetch = NULL};
    assert_null(cc_di_sign(cred, &so, &e));
    assert_string_equal(e.rule, "di-kid");
    so.verification_method = "did:key:" PUB_MB "#" PUB_MB;
    e = (cc_jose_err){0};
    json_t *signed_doc = cc_di_sign(cred, &so, &e);
    assert_non_null(signed_doc);
    const char *vm = json_string_value(json_object_get(json_array_get(json_object_get(signed_doc, "proof"), 0),
                                                       "verificationMethod"));
    assert_string_equal(vm, "did:key:" PUB_MB "#" PUB_MB);
    cc_verify_opts vo = {.now = 1893456000};  /* 2030: after the proof's created */
    cc_diag_sink quiet = {0};
    cc_verdict v = {0};
    assert_int_equal(cc_di_verify(signed_doc, &vo, "t", &quiet, &v), 1);
    assert_non_null(strstr(v.checked, "signature valid (eddsa-rdfc-2022, did:key)"));
    json_object_set_new(signed_doc, "name", json_string("Bloc 2"));  /* tampered */
    cc_verdict v2 = {0};
    assert_int_equal(cc_di_verify(signed_doc, &vo, "t", &quiet, &v2), 0);
    assert_string_equal(v2.reason, "di-signature");
    assert_null(cc_di_sign(signed_doc, &so, &e));  /* already has a proof */
    json_decref(signed_doc);
    json_decref(cred);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base58),
        cmocka_unit_test(test_multikey),
        cmocka_unit_test(test_did_key),
        cmocka_unit_test(test_di_sign_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
