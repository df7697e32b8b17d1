/* JAdES seals (converters/jose/jades.c): seal and verify round trips with a key and a
 * certificate made here, the binding by --key, and the first refusals; the attacks on real
 * seals are in tests/e2e/e2e_jades.sh. */
#include "helpers.h"

#include "cc_jades.h"
#include "cc_jsonread.h"

#include <openssl/x509v3.h>

typedef struct rules {
    char text[2048];
} rules;

static void keep_rule(void *ud, const cc_diag *d)
{
    rules *r = ud;
    if (d->severity == CC_ERROR && d->rule)
        snprintf(r->text + strlen(r->text), sizeof r->text - strlen(r->text), "%s ", d->rule);
}

/* A P-256 key and its self-signed certificate, valid from a day ago for 30 days. */
static X509 *make_cert(EVP_PKEY *k)
{
    X509 *c = X509_new();
    X509_NAME *n = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Ecole", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "organizationIdentifier", MBSTRING_ASC, (const unsigned char *)"VATFR-1", -1,
                               -1, 0);
    X509_set_issuer_name(c, n);
    ASN1_INTEGER_set(X509_get_serialNumber(c), 7);
    X509_gmtime_adj(X509_getm_notBefore(c), -86400);
    X509_gmtime_adj(X509_getm_notAfter(c), 30 * 86400);
    X509_set_pubkey(c, k);
    assert_true(X509_sign(c, k, EVP_sha256()) > 0);
    return c;
}

typedef struct fixture {
    EVP_PKEY *key, *other;
    STACK_OF(X509) *certs;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->key = EVP_EC_gen("P-256");
    f->other = EVP_EC_gen("P-256");
    f->certs = sk_X509_new_null();
    sk_X509_push(f->certs, make_cert(f->key));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    EVP_PKEY_free(f->key);
    EVP_PKEY_free(f->other);
    sk_X509_pop_free(f->certs, X509_free);
    free(f);
    return 0;
}

static const char CRED[] = "{\"id\":\"urn:credential:1\",\"issuer\":{\"id\":\"urn:org:1\"},\"name\":\"Caf\xC3\xA9\"}";

static json_t *seal(fixture *f, const char *sigt)
{
    cc_jose_err e = {0};
    cc_jades_seal_opts o = {.key = f->key, .certs = f->certs, .sigt = sigt};
    char *out = cc_jades_seal(CRED, strlen(CRED), &o, &e);
    assert_non_null(out);
    json_t *doc = cc_json_loadb(out, strlen(out), JSON_REJECT_DUPLICATES, NULL);
    free(out);
    assert_true(cc_jades_is_jws_json(doc));
    return doc;
}

static int verify(const json_t *doc, EVP_PKEY *key, rules *r, cc_verdict *v)
{
    cc_verify_opts o = {.key = key, .key_file = "k.pem", .now = cc_epoch_now()};
    cc_diag_sink ds = {.emit = keep_rule, .ud = r};
    memset(v, 0, sizeof *v);
    return cc_jades_verify(doc, &o, "t", &ds, v);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    json_t *doc = seal(f, NULL);
    /* the payload is the credential's bytes, unencoded, and the header is baseline-B */
    assert_string_equal(json_string_value(json_object_get(doc, "payload")), CRED);
    rules r = {.text = ""};
    cc_verdict v;
    assert_int_equal(verify(doc, f->key, &r, &v), 1);
    assert_true(v.bound);
    assert_non_null(strstr(v.checked, "seal valid (JAdES, ES256, unencoded payload"));
    assert_string_equal(r.text, "");
    /* no key: valid, not bound */
    assert_int_equal(verify(doc, NULL, &r, &v), 1);
    assert_false(v.bound);
    assert_non_null(strstr(v.binding, "comes from the seal itself"));
    /* another key given */
    assert_int_equal(verify(doc, f->other, &r, &v), 0);
    assert_non_null(strstr(r.text, "jades-key-mismatch"));
    json_decref(doc);
}

static void test_flattened(void **state)
{
    fixture *f = *state;
    json_t *doc = seal(f, NULL);
    json_t *sig = json_array_get(json_object_get(doc, "signatures"), 0);
    json_t *flat = json_pack("{s:O, s:O, s:O}", "payload", json_object_get(doc, "payload"), "protected",
                             json_object_get(sig, "protected"), "signature", json_object_get(sig, "signature"));
    assert_true(cc_jades_is_jws_json(flat));
    rules r = {.text = ""};
    cc_verdict v;
    assert_int_equal(verify(flat, f->key, &r, &v), 1);
    json_decref(flat);
    json_decref(doc);
}

static void test_tampered(void **state)
{
    fixture *f = *state;
    json_t *doc = seal(f, NULL);
    char *changed = strdup(CRED);
    changed[strlen(changed) - 3] = 'e';  /* one byte of the é changed */
    json_object_set_new(doc, "payload", json_string_nocheck(changed));
    free(changed);
    rules r = {.text = ""};
    cc_verdict v;
    assert_int_equal(verify(doc, f->key, &r, &v), 0);
    assert_non_null(strstr(r.text, "jades-signature"));
    json_decref(doc);
}

static void test_sigt(void **state)
{
    fixture *f = *state;
    json_t *doc = seal(f, "2999-01-01T00:00:00Z");
    rules r = {.text = ""};
    cc_verdict v;
    assert_int_equal(verify(doc, f->key, &r, &v), 0);
    assert_non_null(strstr(r.text, "jades-sigt"));
    json_decref(doc);
    cc_jose_err e = {0};
    cc_jades_seal_opts o = {.key = f->key, .certs = f->certs, .alg = "RS256"};
    assert_null(cc_jades_seal(CRED, strlen(CRED), &o, &e));
    assert_string_equal(e.rule, "jws-alg-key-mismatch");
}

static void test_detect(void **state)
{
    (void)state;
    const char *yes[] = {"{\"payload\":\"x\",\"signatures\":[]}", "{\"protected\":\"e30\",\"signature\":\"x\"}",
                         "{\"signatures\":[]}"};
    const char *no[] = {"{\"payload\":\"x\"}", "{\"proof\":{}}", "[1]"};
    for (size_t i = 0; i < 3; i++) {
        json_t *y = json_loads(yes[i], 0, NULL), *n = json_loads(no[i], 0, NULL);
        assert_true(cc_jades_is_jws_json(y));
        assert_false(cc_jades_is_jws_json(n));
        json_decref(y), json_decref(n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_flattened),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_sigt),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
