/* The identifiers the CASE writer derives (checked against Python's uuid.uuid5, an
 * independent implementation) and the Moodle CSV helpers. */
#include "helpers.h"

#include "case/case.h"
#include "moodle/moodle.h"

static void node_uuid_from_url_or_code(void **state)
{
    (void)state;
    char u[37];
    assert_true(cc_case_node_uuid("https://www.francecompetences.fr/recherche/rncp/35340/", "X", u));
    assert_string_equal(u, "37508a02-c620-50f0-8b19-996b3ed87b3b");
    /* no absolute id: the code names it */
    assert_true(cc_case_node_uuid("#RNCP1BC01", "RNCP1BC01", u));
    assert_string_equal(u, "e2788725-62ef-54a5-883c-ea2948959f54");
    assert_true(cc_case_node_uuid(NULL, "RNCP1BC01", u));
    assert_string_equal(u, "e2788725-62ef-54a5-883c-ea2948959f54");
    assert_false(cc_case_node_uuid(NULL, NULL, u));
    assert_false(cc_case_node_uuid("not an iri", "", u));
}

static void outcome_and_association_uuids(void **state)
{
    (void)state;
    char u[37];
    cc_case_outcome_uuid("37508a02-c620-50f0-8b19-996b3ed87b3b", "Gérer", 0, u);
    assert_string_equal(u, "76716f22-5147-5ff5-a2fd-40bce97a6520");
    cc_case_outcome_uuid("37508a02-c620-50f0-8b19-996b3ed87b3b", "Gérer", 1, u);
    assert_string_equal(u, "249cb89d-783d-5d49-a2b0-51f74859cee4");  /* a repeated text */
    cc_case_child_uuid("a", "b", u);
    assert_string_equal(u, "497091ad-6200-55e5-9401-23498e94d701");
}

static void uris_and_codes(void **state)
{
    (void)state;
    cc_arena *a = cc_arena_new();
    assert_string_equal(cc_case_node_uri(a, "https://x.example/a", "u"), "https://x.example/a");
    assert_string_equal(cc_case_node_uri(a, NULL, "1-2"), "urn:uuid:1-2");
    assert_string_equal(cc_case_outcome_code(a, "RNCP1BC01", 3), "RNCP1BC01.3");
    assert_string_equal(cc_case_kind_to_type("skills-block"), CASE_TYPE_BLOCK);
    assert_string_equal(cc_case_type_to_kind(a, CASE_TYPE_BLOCK), "skills-block");
    assert_string_equal(cc_case_type_to_kind(a, "Cluster"), "Cluster");
    assert_int_equal(cc_case_property(CASE_DOCUMENT, "caseVersion"), 11);
    assert_int_equal(cc_case_property(CASE_ITEM, "humanCodingScheme"), 10);
    assert_int_equal(cc_case_property(CASE_ASSOCIATION, "CFDocumentURI"), 0);
    cc_arena_free(a);
}

/* The latest change date of a fiche, not its end dates. */
static void last_change(void **state)
{
    (void)state;
    cc_arena *a = cc_arena_new();
    cc_achievement *x = cc_achievement_new(a);
    cc_ext_add(a, &x->ext, "rncp:DATE_EFFET", "2024-09-01");
    cc_ext_add(a, &x->ext, "rncp:DATE_DE_PUBLICATION", "2024-09-19");
    cc_ext_add(a, &x->ext, "rncp:DATE_LIMITE_DELIVRANCE", "2034-08-31");
    assert_string_equal(cc_case_last_change(a, x), "2024-09-19T00:00:00Z");
    cc_ext_add(a, &x->ext, "case:lastChangeDateTime", "\"2017-05-25T18:05:33Z\"");
    assert_string_equal(cc_case_last_change(a, x), "2017-05-25T18:05:33Z");
    cc_arena_free(a);
}

static void moodle_fields(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cc_moodle_field(f, "plain", false);
    cc_moodle_field(f, "with space", false);
    cc_moodle_field(f, "a \"quote\"", false);
    cc_moodle_field(f, NULL, false);
    cc_moodle_field(f, "a,b", true);
    fclose(f);
    assert_string_equal(buf, "plain,\"with space\",\"a \"\"quote\"\"\",,\"a,b\"\n");
    free(buf);
    assert_true(cc_moodle_is_outcome_id("RNCP1BC01.12", "RNCP1BC01"));
    assert_false(cc_moodle_is_outcome_id("RNCP1BC01.", "RNCP1BC01"));
    assert_false(cc_moodle_is_outcome_id("RNCP1BC01.1a", "RNCP1BC01"));
    assert_false(cc_moodle_is_outcome_id("RNCP1BC02.1", "RNCP1BC01"));
    assert_false(cc_moodle_is_outcome_id("x.1", NULL));
    cc_arena *a = cc_arena_new();
    /* 101 two-byte characters: cut at 100 characters, never inside one */
    char s[256] = "";
    for (int i = 0; i < 101; i++)
        strcat(s, "\xC3\xA9");
    assert_int_equal(strlen(cc_moodle_shortname(a, s)), 200);
    assert_string_equal(cc_moodle_shortname(a, "short"), "short");
    cc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(node_uuid_from_url_or_code),
        cmocka_unit_test(outcome_and_association_uuids),
        cmocka_unit_test(uris_and_codes),
        cmocka_unit_test(last_change),
        cmocka_unit_test(moodle_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
