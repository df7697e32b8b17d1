/* The CLR 2.0 format: detection, a fiche written as one CLR, the 1EdTech validator's samples
 * read and judged, and the checks beyond the schema. */
#include "helpers.h"

#include <jansson.h>

#include "clr/clr.h"

#define DCPV CORPUS "/ob/validator-dcpv/clr20"
#define VECTOR CORPUS "/ob/test-vectors/eddsa-rdfc-2022/clrv2p0/signed-credential.json"

static void detection(void **state)
{
    (void)state;
    static const struct {
        const char *s, *want;
    } cases[] = {
        {.s = "{\"type\":[\"VerifiableCredential\",\"ClrCredential\"]}", .want = "clr"},
        {.s = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
         "\"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json\","
         "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]}", .want = "clr"},
        /* a CLR nests OB 3.0 credentials: never read as one of them */
        {.s = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
         "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
         "\"type\":[\"VerifiableCredential\",\"ClrCredential\"],"
         "\"credentialSubject\":{\"verifiableCredential\":[{\"type\":[\"OpenBadgeCredential\"]}]}}", .want = "clr"},
        {.s = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
         "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
         "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]}", .want = "ob3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const cc_format *f = cc_format_detect((const unsigned char *)cases[i].s, strlen(cases[i].s));
        assert_non_null(f);
        assert_string_equal(f->name, cases[i].want);
    }
}

static json_t *first_line(const char *text)
{
    return json_loadb(text, strcspn(text, "\n"), 0, NULL);
}

/* The sample fiche and its two blocks: one CLR, the blocks isPartOf the certification, and
 * the issuer's EndorsementCredential as the one nested credential. */
static void fiche_as_one_clr(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_path(&g, "rncp", "samples/rncp-sample.xml", false), 0);
    assert_true(g.n >= 1);
    assert_int_equal(g.recs[0]->achievement->parts.n, 2);
    char *out = write_all("clr", g.recs, 1);
    json_t *clr = first_line(out);
    assert_non_null(clr);
    json_t *s = json_object_get(clr, "credentialSubject");
    json_t *ach = json_object_get(s, "achievement"), *assoc = json_object_get(s, "association");
    assert_int_equal(json_array_size(ach), 3);
    assert_int_equal(json_array_size(assoc), 2);
    const char *cert = json_string_value(json_object_get(json_array_get(ach, 0), "id"));
    for (size_t i = 0; i < 2; i++) {
        json_t *a = json_array_get(assoc, i);
        assert_string_equal(json_string_value(json_object_get(a, "associationType")), "isPartOf");
        assert_string_equal(json_string_value(json_object_get(a, "targetId")), cert);
        assert_string_equal(json_string_value(json_object_get(a, "sourceId")),
                            json_string_value(json_object_get(json_array_get(ach, i + 1), "id")));
    }
    json_t *vc = json_array_get(json_object_get(s, "verifiableCredential"), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(vc, "type"), 1)),
                        "EndorsementCredential");
    assert_null(json_object_get(clr, "partial"));
    assert_null(json_object_get(s, "id"));
    /* and back: the fiche with its blocks inside */
    got back;
    read_string(&back, "clr", out);
    assert_int_equal(back.n, 1);
    assert_string_equal(back.recs[0]->achievement->code, "RNCP99001");
    assert_int_equal(back.recs[0]->achievement->parts.n, 2);
    got_free(&back);
    json_decref(clr);
    free(out);
    got_free(&g);
}

static void validator_samples(void **state)
{
    (void)state;
    got g;
    if (read_path(&g, "clr", DCPV "/simple.json", true))
        return;
    assert_int_equal(g.n, 1);
    assert_int_equal(g.errors, 0);
    assert_int_equal(g.recs[0]->invalid, 0);
    got_free(&g);
    read_path(&g, "clr", DCPV "/simple_v1.json", true);
    assert_int_equal(g.n, 6);  /* one credential record per nested credential */
    assert_int_equal(g.errors, 0);
    assert_true(g.warnings > 0);  /* VC Data Model 1.1 */
    assert_non_null(strstr(g.rules, "clr-context"));
    got_free(&g);
    read_path(&g, "clr", VECTOR, true);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.errors, 0);
    got_free(&g);
}

/* A nested credential that is not valid OB 3.0 makes its record invalid, at its pointer. */
static void nested_judged_as_ob3(void **state)
{
    (void)state;
    json_t *doc = json_load_file(DCPV "/simple.json", 0, NULL);
    if (!doc) {
        printf("SKIP: %s not found\n", DCPV "/simple.json");
        return;
    }
    json_t *vc = json_array_get(cc_clr_nested(doc), 0);
    json_object_del(json_object_get(json_object_get(vc, "credentialSubject"), "achievement"), "criteria");
    char *text = json_dumps(doc, JSON_COMPACT);
    FILE *fp = fmemopen(text, strlen(text), "r");
    got g;
    read_fp(&g, "clr", fp, "<test>", true);
    fclose(fp);
    assert_int_equal(g.n, 1);
    assert_true(g.recs[0]->invalid > 0);
    assert_non_null(strstr(g.rules, "ob3-schema"));
    assert_non_null(strstr(g.last, "(at /credentialSubject/verifiableCredential/0/credentialSubject/achievement"));
    got_free(&g);
    free(text);
    json_decref(doc);
}

static int check_of(const char *json, got *g)
{
    memset(g, 0, sizeof *g);
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    json_t *doc = json_loads(json, 0, NULL);
    assert_non_null(doc);
    int n = cc_clr_check(doc, &ds, "<test>", 1, NULL);
    json_decref(doc);
    return n;
}

static void checks(void **state)
{
    (void)state;
    got g;
    /* the contexts out of order, a bare issuer, an award without a learner id */
    assert_true(check_of("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                         "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
                         "\"type\":[\"VerifiableCredential\",\"ClrCredential\"],\"issuer\":\"urn:x\","
                         "\"credentialSubject\":{\"type\":\"ClrSubject\",\"verifiableCredential\":"
                         "[{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]}]}}", &g) >= 3);
    assert_non_null(strstr(g.rules, "clr-context"));
    assert_non_null(strstr(g.rules, "clr-issuer-profile"));
    assert_non_null(strstr(g.rules, "clr-subject"));
    /* no award, no learner: a note; an association to nothing held: a warning */
    assert_int_equal(check_of("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                              "\"" CLR_CTX "\",\"" CLR_CTX_OB "\"],"
                              "\"type\":[\"VerifiableCredential\",\"ClrCredential\"],"
                              "\"issuer\":{\"id\":\"urn:x\",\"type\":[\"Profile\"]},"
                              "\"credentialSubject\":{\"type\":[\"ClrSubject\"],\"achievement\":[{\"id\":\"urn:a\"}],"
                              "\"association\":[{\"sourceId\":\"urn:a\",\"targetId\":\"urn:b\"}],"
                              "\"verifiableCredential\":[{\"type\":[\"VerifiableCredential\",\"EndorsementCredential\"]}]}}",
                              &g), 0);
    assert_non_null(strstr(g.rules, "clr-no-learner"));
    assert_non_null(strstr(g.rules, "clr-association-unknown"));
    assert_null(strstr(g.rules, "urn:a"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detection),
        cmocka_unit_test(fiche_as_one_clr),
        cmocka_unit_test(validator_samples),
        cmocka_unit_test(nested_judged_as_ob3),
        cmocka_unit_test(checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
