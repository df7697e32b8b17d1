/* The EDC 3 module's pieces: the merge of a kept credential under a built one, the SHACL
 * checks (a minimal valid credential, then one property taken away at a time), unwrapping
 * the JWS and upload forms, and the model's values read from a corpus sample. */
#include "helpers.h"

#include "edc3/edc3.h"
#include "edc3/edc3_int.h"

#define SAMPLE CORPUS "/edc/elm-v3/samples/Sample-MC-Annex1-unsigned.jsonld"

static void merge_rules(void **state)
{
    (void)state;
    json_t *built = json_pack("{s:s,s:[s],s:{s:s},s:[{s:s,s:s}]}", "id", "urn:epass:org:9",
                              "type", "Organisation", "legalName", "en", "Built",
                              "location", "id", "urn:epass:location:1", "type", "Location");
    json_t *rest = json_pack("{s:s,s:s,s:{s:s,s:s},s:[{s:s,s:s},{s:s}],s:s}", "id", "urn:kept",
                             "type", "Other", "legalName", "en", "Kept", "fr", "Gardé",
                             "location", "id", "urn:kept:loc", "extra", "x", "id", "urn:second",
                             "altLabel", "only in rest");
    cc_edc3w_merge(built, rest);
    assert_string_equal(json_string_value(json_object_get(built, "id")), "urn:kept");
    assert_string_equal(json_string_value(json_array_get(json_object_get(built, "type"), 0)),
                        "Organisation");  /* built's type always */
    json_t *name = json_object_get(built, "legalName");
    assert_string_equal(json_string_value(json_object_get(name, "en")), "Built");  /* model wins */
    assert_string_equal(json_string_value(json_object_get(name, "fr")), "Gardé");  /* rest adds */
    json_t *loc = json_object_get(built, "location");
    assert_int_equal(json_array_size(loc), 2);  /* merged by position, the extra appended */
    assert_string_equal(json_string_value(json_object_get(json_array_get(loc, 0), "id")),
                        "urn:kept:loc");
    assert_string_equal(json_string_value(json_object_get(json_array_get(loc, 0), "extra")), "x");
    assert_string_equal(json_string_value(json_object_get(built, "altLabel")), "only in rest");
    json_decref(built);
    json_decref(rest);
}

static const char *minimal =
    "{\"@context\":[\"https://www.w3.org/2018/credentials/v1\","
    "\"http://data.europa.eu/snb/model/context/edc-ap\"],\"id\":\"urn:credential:1\","
    "\"type\":[\"VerifiableCredential\",\"EuropeanDigitalCredential\"],"
    "\"credentialProfiles\":[{\"id\":\"http://data.europa.eu/snb/credential/e34929035b\",\"type\":\"Concept\"}],"
    "\"credentialSchema\":[{\"id\":\"http://data.europa.eu/snb/model/ap/edc-generic-full\",\"type\":\"ShaclValidator2017\"}],"
    "\"displayParameter\":{\"id\":\"urn:d\",\"type\":\"DisplayParameter\",\"title\":{\"en\":\"T\"},"
    "\"language\":[{\"id\":\"http://publications.europa.eu/resource/authority/language/ENG\",\"type\":\"Concept\"}],"
    "\"primaryLanguage\":{\"id\":\"http://publications.europa.eu/resource/authority/language/ENG\",\"type\":\"Concept\"},"
    "\"individualDisplay\":[{\"id\":\"urn:i\",\"type\":\"IndividualDisplay\","
    "\"language\":{\"id\":\"http://publications.europa.eu/resource/authority/language/ENG\",\"type\":\"Concept\"},"
    "\"displayDetail\":[{\"id\":\"urn:dd\",\"type\":\"DisplayDetail\",\"page\":1,\"image\":{\"id\":\"urn:m\","
    "\"type\":\"MediaObject\",\"content\":\"AA==\","
    "\"contentType\":{\"id\":\"http://publications.europa.eu/resource/authority/file-type/PNG\",\"type\":\"Concept\"},"
    "\"contentEncoding\":{\"id\":\"http://data.europa.eu/snb/encoding/6146cde7dd\",\"type\":\"Concept\"}}}]}]},"
    "\"issuer\":{\"id\":\"urn:o\",\"type\":\"Organisation\",\"legalName\":{\"en\":\"O\"},"
    "\"location\":[{\"id\":\"urn:l\",\"type\":\"Location\",\"address\":[{\"id\":\"urn:a\",\"type\":\"Address\","
    "\"countryCode\":{\"id\":\"http://publications.europa.eu/resource/authority/country/FRA\",\"type\":\"Concept\"}}]}]},"
    "\"credentialSubject\":{\"id\":\"urn:p\",\"type\":\"Person\",\"hasClaim\":[{\"id\":\"urn:c\","
    "\"type\":\"LearningAchievement\",\"title\":{\"en\":\"C\"},\"awardedBy\":{\"id\":\"urn:ap\","
    "\"type\":\"AwardingProcess\",\"awardingBody\":[{\"id\":\"urn:o\"}]}}]},"
    "\"validFrom\":\"2024-01-01T00:00:00Z\"}";

static int errors_of(const json_t *cred, bool sealed, got *g)
{
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    return cc_edc3_check(cred, 0, sealed, &ds, "t", 1, "urn:credential:1");
}

static void shacl_minimal(void **state)
{
    (void)state;
    json_t *cred = json_loads(minimal, 0, NULL);
    assert_non_null(cred);
    got g = {0};
    assert_int_equal(errors_of(cred, false, &g), 0);
    assert_true(errors_of(cred, true, &g) == 2);  /* sealed: issued, eIDAS identifier */
    static const char *const paths[][2] = {
        {"", "validFrom"}, {"", "credentialProfiles"}, {"issuer", "legalName"},
        {"displayParameter", "primaryLanguage"},
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        json_t *c = json_deep_copy(cred);
        json_t *o = *paths[i][0] ? json_object_get(c, paths[i][0]) : c;
        json_object_del(o, paths[i][1]);
        got h = {0};
        assert_int_equal(errors_of(c, false, &h), 1);
        assert_non_null(strstr(h.rules, "edc3-shacl-min"));
        assert_non_null(strstr(h.last, paths[i][1]));
        json_decref(c);
    }
    json_object_set_new(json_object_get(cred, "issuer"), "legalName", json_string("plain"));
    got h = {0};
    assert_int_equal(errors_of(cred, false, &h), 1);
    assert_non_null(strstr(h.last, "(at /issuer/legalName)"));
    json_decref(cred);
}

static void unwrap_forms(void **state)
{
    (void)state;
    json_t *cred = json_loads(minimal, 0, NULL);
    char *text = json_dumps(cred, JSON_COMPACT);
    json_t *jws = json_pack("{s:s,s:[{s:s}]}", "payload", text, "signatures", "signature", "AA");
    json_t *upload = json_pack("{s:O}", "credential", cred);
    got g = {0};
    cc_diag_sink ds = {.emit = got_diag, .ud = &g};
    bool sealed;
    json_t *a = cc_edc3_unwrap(jws, &sealed, &ds, "t", 1, 0);
    assert_true(sealed);
    assert_true(json_equal(a, cred));
    json_t *b = cc_edc3_unwrap(upload, &sealed, &ds, "t", 1, 0);
    assert_false(sealed);
    assert_true(json_equal(b, cred));
    json_t *other = json_pack("{s:[s]}", "type", "VerifiableCredential");
    assert_null(cc_edc3_unwrap(other, &sealed, &ds, "t", 1, 0));
    assert_non_null(strstr(g.rules, "edc3-not-credential"));
    json_decref(a), json_decref(b), json_decref(other), json_decref(jws), json_decref(upload);
    json_decref(cred);
    free(text);
}

static void read_sample(void **state)
{
    (void)state;
    if (access(SAMPLE, R_OK) != 0) {
        skip();
    }
    got g = {0};
    read_path(&g, "edc3", SAMPLE, false);
    assert_int_equal(g.n, 1);
    const cc_credential *c = g.recs[0]->credential;
    assert_string_equal(cc_text_get(&c->issuer->name, "en"), "University of Zed");
    assert_string_equal(c->issuer->country, "IE");
    assert_string_equal(c->subject->given_name, "Ana");
    assert_string_equal(cc_text_get(&c->achievement->title, "en"),
                        "Digital micro-credential creation");
    assert_int_equal(c->achievement->eqf_level, 6);
    assert_string_equal(c->achievement->credits, "2");
    assert_string_equal(c->achievement->kind, "qualification");
    assert_int_equal((int)c->achievement->outcomes.n, 2);
    assert_string_equal(c->valid_from, "2022-12-31T23:00:00Z");
    got_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merge_rules),
        cmocka_unit_test(shacl_minimal),
        cmocka_unit_test(unwrap_forms),
        cmocka_unit_test(read_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
