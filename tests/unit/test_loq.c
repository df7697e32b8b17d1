/* The LOQ module's tables and checks: the RNCP level -> QDR concept table against the
 * official list (cv/nqf.xsd in the corpus), the language authority codes, the id set, and
 * the SHACL checks on small documents, each violation with its rule. */
#include "helpers.h"

#include "loq/loq.h"
#include "vocab/vocab.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

static void test_nqf_table(void **state)
{
    (void)state;
    const char *label = NULL;
    assert_string_equal(cc_vocab_fr_nqf_concept(5, &label), "http://data.europa.eu/snb/qdr/c_243aefbe");
    assert_string_equal(label, "NQF RNCP Level III");
    assert_string_equal(cc_vocab_fr_nqf_concept(7, &label), "http://data.europa.eu/snb/qdr/c_828fbcc3");
    assert_string_equal(label, "NQF RNCP Level I-Master");
    assert_null(cc_vocab_fr_nqf_concept(2, &label));  /* the list has no concept below V */
    assert_null(cc_vocab_fr_nqf_concept(9, &label));
    for (int lv = 3; lv <= 8; lv++)
        assert_int_equal(cc_vocab_fr_nqf_level(cc_vocab_fr_nqf_concept(lv, NULL)), lv);
    assert_int_equal(cc_vocab_fr_nqf_level("http://data.europa.eu/snb/qdr/c_cf509e8a"), 0);  /* FQF 1: Flemish */
}

/* Each of the six concepts is in the official enumeration, with the label the table has. */
static void test_nqf_in_official_list(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/edc/elm-v3/loq-xsd/cv/nqf.xsd", CORPUS);
    FILE *f = fopen(path, "r");
    if (!f)
        skip();
    static char buf[200000];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (int lv = 3; lv <= 8; lv++) {
        const char *label = NULL, *uri = cc_vocab_fr_nqf_concept(lv, &label);
        char want[200];
        snprintf(want, sizeof want, "<xs:enumeration value=\"%s\">", uri);
        const char *at = strstr(buf, want);
        assert_non_null(at);
        const char *doc = strstr(at, "<xs:documentation>");
        assert_non_null(doc);
        assert_memory_equal(doc + strlen("<xs:documentation>"), label, strlen(label));
    }
}

static void test_languages(void **state)
{
    (void)state;
    char out[4];
    assert_true(cc_vocab_lang_authority("fr", out));
    assert_string_equal(out, "FRA");
    assert_true(cc_vocab_lang_authority("en-GB", out));
    assert_string_equal(out, "ENG");
    assert_true(cc_vocab_lang_authority("aae", out));
    assert_string_equal(out, "AAE");
    assert_false(cc_vocab_lang_authority("xx", out));
    assert_false(cc_vocab_lang_authority(NULL, out));
    assert_true(cc_vocab_lang_tag("FRA", out));
    assert_string_equal(out, "fr");
    assert_true(cc_vocab_lang_tag("AAE", out));
    assert_string_equal(out, "aae");
}

static void test_idset(void **state)
{
    (void)state;
    cc_loq_idset s = {0};
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "urn:x:%d", i);
        assert_true(cc_loq_idset_add(&s, cc_loq_hash("k", id)));
    }
    assert_int_equal(s.n, 5000);
    assert_true(cc_loq_idset_has(&s, cc_loq_hash("k", "urn:x:4999")));
    assert_false(cc_loq_idset_has(&s, cc_loq_hash("o", "urn:x:4999")));  /* another kind */
    assert_false(cc_loq_idset_has(&s, cc_loq_hash("k", "urn:x:5000")));
    assert_true(cc_loq_idset_add(&s, cc_loq_hash("k", "urn:x:1")));
    assert_int_equal(s.n, 5000);
    cc_loq_idset_free(&s);
}

typedef struct seen {
    int n;
    char rules[8][64];
} seen;

static void on_diag(void *ud, const cc_diag *d)
{
    seen *s = ud;
    if (s->n < 8)
        snprintf(s->rules[s->n], sizeof s->rules[0], "%s:%ld", d->rule, d->line);
    s->n++;
}

static int check(const char *xml, seen *s)
{
    memset(s, 0, sizeof *s);
    cc_diag_sink ds = {.emit = on_diag, .ud = s};
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
    assert_non_null(d);
    int n = cc_loq_check_doc(d, &ds, "t.xml", NULL);
    xmlFreeDoc(d);
    return n;
}

#define HEAD "<Courses xmlns=\"" LOQ_NS "\"><learningAchievementSpecificationReferences>\n"
#define TAIL "</learningAchievementSpecificationReferences></Courses>"

static void test_shacl(void **state)
{
    (void)state;
    seen s;
    assert_int_equal(check(HEAD "<qualification id=\"q\"><title language=\"fr\">A</title>"
                                "<title language=\"en\">B</title></qualification>\n" TAIL, &s), 0);
    assert_int_equal(check(HEAD "<qualification id=\"q\"><title language=\"fr\">A</title>\n"
                                "<title language=\"fr\">B</title></qualification>\n" TAIL, &s), 1);
    assert_string_equal(s.rules[0], "loq-shacl-QualificationShape:3");
    assert_int_equal(check(HEAD "<learningAchievementSpecification id=\"q\"><title language=\"f r\">A</title>"
                                "</learningAchievementSpecification>\n" TAIL, &s), 1);
    assert_string_equal(s.rules[0], "loq-shacl-LearningAchievementSpecificationShape:2");
    assert_int_equal(check(HEAD "<qualification id=\"q\"><homepage><contentUrl>mailto:a@b</contentUrl></homepage>"
                                "</qualification>\n" TAIL, &s), 1);
    assert_string_equal(s.rules[0], "loq-shacl-URLRegexRestriction:2");
    /* isPartOf: a qualification's parent must be a qualification of the document, in any order */
    assert_int_equal(check(HEAD "<qualification id=\"b\"><isPartOf idref=\"q\"/></qualification>\n"
                                "<qualification id=\"q\"/>\n" TAIL, &s), 0);
    assert_int_equal(check(HEAD "<learningAchievementSpecification id=\"q\"/>\n"
                                "<qualification id=\"b\"><isPartOf idref=\"q\"/></qualification>\n" TAIL, &s), 1);
    assert_string_equal(s.rules[0], "loq-shacl-QualificationShape:3");
    assert_int_equal(check(HEAD "<qualification id=\"q\"><EQFLevel uri=\"http://data.europa.eu/snb/eqf/0\"/>"
                                "<NQFLevel uri=\"http://example.org/c_1\"/></qualification>\n" TAIL, &s), 2);
    assert_string_equal(s.rules[0], "loq-shacl-EQFLevelRestriction:2");
    assert_string_equal(s.rules[1], "loq-shacl-NQFLevelRestriction:2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nqf_table),
        cmocka_unit_test(test_nqf_in_official_list),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_idset),
        cmocka_unit_test(test_shacl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
