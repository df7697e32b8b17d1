/* The library's entry points (include/credconv/api.h), as a program linking it calls them:
 * return codes, counts, diagnostics to the caller's sink, output to the caller's stream,
 * and sign → verify round trips with the key binding rule.  Run from the project root. */
#include "helpers.h"

#include "credconv/api.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

static const char cred[] =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
    "\"id\":\"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6\",\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"issuer\":{\"id\":\"https://ecole.example/issuer\",\"type\":[\"Profile\"],\"name\":\"Ecole\"},"
    "\"validFrom\":\"2024-06-30T00:00:00Z\",\"name\":\"Bloc 1\",\"credentialSubject\":{\"id\":\"did:example:jeanne\","
    "\"type\":[\"AchievementSubject\"],\"achievement\":{\"id\":\"https://ecole.example/a/1\",\"type\":[\"Achievement\"],"
    "\"name\":\"Bloc 1\",\"description\":\"d\",\"criteria\":{\"narrative\":\"n\"}}}}";

static const char *sample[] = {"samples/rncp-sample.xml"};

static void convert_into_a_stream(void **state)
{
    (void)state;
    got g = {0};
    cc_diag_sink diag = {.emit = got_diag, .ud = &g};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cc_result res = {0};
    cc_convert_opts o = {.to = "ob3", .inputs = sample, .ninputs = 1, .out = out, .schema_dir = "schemas",
                         .diag = &diag, .result = &res};
    assert_int_equal(cc_convert(&o), CC_OK);
    fclose(out);
    assert_int_equal(res.read, 2);
    assert_int_equal(res.written, 2);
    assert_int_equal(res.rejected, 0);
    assert_int_equal(g.errors, 0);
    assert_non_null(strstr(buf, "\"type\":[\"Achievement\"]"));
    assert_non_null(strchr(buf, '\n'));
    free(buf);
}

/* Usage errors are CC_FAILED, reported to the sink with rule "usage", and nothing is written. */
static void usage_errors(void **state)
{
    (void)state;
    got g = {0};
    cc_diag_sink diag = {.emit = got_diag, .ud = &g};
    cc_convert_opts no_to = {.inputs = sample, .ninputs = 1, .diag = &diag};
    assert_int_equal(cc_convert(&no_to), CC_FAILED);
    cc_convert_opts unknown = {.to = "nope", .inputs = sample, .ninputs = 1, .diag = &diag};
    assert_int_equal(cc_convert(&unknown), CC_FAILED);
    const char *maps[] = {"no-equals-sign"};
    cc_convert_opts bad_map = {.to = "ob3", .inputs = sample, .ninputs = 1, .diag = &diag,
                               .fetch = {.maps = maps, .nmaps = 1}};
    assert_int_equal(cc_convert(&bad_map), CC_FAILED);
    assert_int_equal(g.errors, 3);
    assert_non_null(strstr(g.rules, "usage"));
}

static void validate_good_and_bad(void **state)
{
    (void)state;
    got g = {0};
    cc_diag_sink diag = {.emit = got_diag, .ud = &g};
    cc_result res = {0};
    cc_convert_opts o = {.inputs = sample, .ninputs = 1, .schema_dir = "schemas", .diag = &diag, .result = &res};
    assert_int_equal(cc_validate(&o), CC_OK);
    assert_int_equal(res.read, 2);
    assert_int_equal(res.invalid, 0);
    char path[] = "/tmp/cc-api-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "<a><b></a>", 10), 10);
    close(fd);
    const char *bad[] = {path};
    cc_convert_opts ob = {.from = "rncp", .inputs = bad, .ninputs = 1, .schema_dir = "schemas", .diag = &diag};
    assert_int_equal(cc_validate(&ob), CC_BAD);
    assert_true(g.errors > 0);
    unlink(path);
}

static void read_then_write(void **state)
{
    (void)state;
    got g = {0};
    cc_diag_sink diag = {.emit = got_diag, .ud = &g};
    cc_record_sink sink = {.record = got_record, .reject = got_reject, .ud = &g};
    assert_int_equal(cc_read_records(sample[0], NULL, "schemas", false, &sink, &diag), CC_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(cc_record_id(g.recs[0]), "RNCP99001");
    char *doc = NULL;
    size_t len = 0;
    assert_int_equal(cc_write_record(g.recs[0], "ob3", "schemas", &doc, &len, &diag), CC_OK);
    assert_true(len > 100 && strlen(doc) == len);
    assert_non_null(strstr(doc, "RNCP99001"));
    free(doc);
    assert_int_equal(cc_write_record(g.recs[0], "nope", "schemas", &doc, &len, &diag), CC_FAILED);
    assert_null(doc);
    assert_int_equal(cc_read_records("/nonexistent/x.xml", NULL, NULL, false, &sink, &diag), CC_FAILED);
    for (int i = 0; i < g.n; i++)
        cc_record_free(g.recs[i]);
}

/* A P-256 key pair written to two temporary PEM files. */
static void key_files(char priv[32], char pub[32])
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(k);
    strcpy(priv, "/tmp/cc-api-kXXXXXX");
    strcpy(pub, "/tmp/cc-api-pXXXXXX");
    FILE *a = fdopen(mkstemp(priv), "w"), *b = fdopen(mkstemp(pub), "w");
    assert_true(a && b);
    assert_true(PEM_write_PrivateKey(a, k, NULL, NULL, 0, NULL, NULL));
    assert_true(PEM_write_PUBKEY(b, k));
    fclose(a), fclose(b);
    EVP_PKEY_free(k);
}

static void sign_then_verify(void **state)
{
    (void)state;
    char priv[32], pub[32];
    key_files(priv, pub);
    got g = {0};
    cc_diag_sink diag = {.emit = got_diag, .ud = &g};
    char *token = NULL;
    assert_int_equal(cc_sign_buffer(cred, strlen(cred), &(cc_sign_opts){.key_file = priv}, &token, &diag), CC_OK);
    assert_non_null(token);
    cc_verify_result v;
    /* the issuer's key: valid and bound */
    assert_int_equal(cc_verify_buffer(token, strlen(token), &(cc_verify_options){.key_file = pub}, &v, &diag), CC_OK);
    assert_int_equal(v.status, 1);
    assert_true(v.bound);
    assert_string_equal(v.kind, "VC-JWT");
    /* the key in the header only: proves nothing about who signed */
    assert_int_equal(cc_verify_buffer(token, strlen(token), &(cc_verify_options){0}, &v, &diag), CC_BAD);
    assert_int_equal(v.status, 0);
    assert_string_equal(v.reason, "key-not-bound");
    assert_non_null(strstr(g.rules, "key-not-bound"));
    /* accepted by name: integrity only, still not bound */
    assert_int_equal(cc_verify_buffer(token, strlen(token), &(cc_verify_options){.accept_unbound = true}, &v, &diag),
                     CC_OK);
    assert_false(v.bound);
    /* one character of the signature changed */
    size_t n = strlen(token);
    token[n - 2] = token[n - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(cc_verify_buffer(token, n, &(cc_verify_options){.key_file = pub}, &v, &diag), CC_BAD);
    assert_int_equal(v.status, 0);
    free(token);
    /* a public key cannot sign; a missing key file is CC_FAILED */
    assert_int_equal(cc_sign_buffer(cred, strlen(cred), &(cc_sign_opts){.key_file = pub}, &token, &diag), CC_FAILED);
    assert_null(token);
    assert_int_equal(cc_verify_buffer(cred, strlen(cred), &(cc_verify_options){.key_file = "/nonexistent"}, &v,
                                      &diag), CC_FAILED);
    /* JSON without a proof: nothing to verify */
    assert_int_equal(cc_verify_buffer(cred, strlen(cred), &(cc_verify_options){0}, &v, &diag), CC_BAD);
    assert_int_not_equal(v.status, 1);
    unlink(priv), unlink(pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(convert_into_a_stream), cmocka_unit_test(usage_errors),
        cmocka_unit_test(validate_good_and_bad), cmocka_unit_test(read_then_write),
        cmocka_unit_test(sign_then_verify),
    };
    if (cc_lib_init() != CC_OK)
        return 2;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    cc_lib_cleanup();
    return rc;
}
