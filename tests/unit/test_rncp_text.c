/* The RNCP text conventions: legacy HTML, outcome lists, dates. */
#include "helpers.h"
#include "rncp/rncp.h"

static cc_arena *arena;

static const cc_outcome *nth(const cc_list *l, size_t i)
{
    const cc_outcome *o = l->head;
    while (o && i--)
        o = o->next;
    return o;
}

static const char *text_of(const cc_outcome *o)
{
    return cc_text_get(&o->text, "fr");
}

static void split_two_levels(void **state)
{
    (void)state;
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, "    * Gérer le patrimoine            o Recenser les ressources"
                                  "            o Gérer des sauvegardes      * Travailler en mode projet",
                           &l);
    assert_int_equal(l.n, 4);
    assert_string_equal(text_of(nth(&l, 0)), "Gérer le patrimoine");
    assert_int_equal(nth(&l, 0)->level, 1);
    assert_string_equal(text_of(nth(&l, 1)), "Recenser les ressources");
    assert_int_equal(nth(&l, 1)->level, 2);
    assert_int_equal(nth(&l, 3)->level, 1);
}

/* More pieces than the splitter keeps from its first pass (64): the rest are cut again,
 * each once, in order, with the levels the whole text's bullets give. */
static void split_many_pieces(void **state)
{
    (void)state;
    char text[8192];
    size_t n = 0;
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s item %d\n", i % 3 ? "o" : "*", i);
    text[n - 1] = '\0';  /* no line break at the end */
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, text, &l);
    assert_int_equal(l.n, 150);
    char want[32];
    for (int i = 0; i < 150; i++) {
        snprintf(want, sizeof want, "item %d", i);
        assert_string_equal(text_of(nth(&l, (size_t)i)), want);
        assert_int_equal(nth(&l, (size_t)i)->level, i % 3 ? 2 : 1);
    }
}

static void split_dashes_are_top_level_alone(void **state)
{
    (void)state;
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, "- Analyser le dossier  - Proposer une solution", &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(text_of(nth(&l, 1)), "Proposer une solution");
    assert_int_equal(nth(&l, 1)->level, 1);
}

static void split_space_runs_without_glyphs(void **state)
{
    (void)state;
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, "Recueillir les besoins    Identifier les risques   Chiffrer", &l);
    assert_int_equal(l.n, 3);
    assert_string_equal(text_of(nth(&l, 2)), "Chiffrer");
}

static void split_keeps_inner_stars_and_single_spaces(void **state)
{
    (void)state;
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, "Exploiter une blockchain* privée et l'intelligence éc onomique", &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(nth(&l, 0)->level, 0);  /* no convention: one raw item */
    assert_string_equal(text_of(nth(&l, 0)),
                        "Exploiter une blockchain* privée et l'intelligence éc onomique");
}

static void split_lines_first(void **state)
{
    (void)state;
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, "- Traiter l'eau\n- Diagnostiquer  une anomalie", &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(text_of(nth(&l, 1)), "Diagnostiquer  une anomalie");
}

static void split_negative_number_is_not_a_bullet(void **state)
{
    (void)state;
    cc_list l = {0};
    cc_rncp_split_outcomes(arena, "-5 degrés  - Mesurer", &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(text_of(nth(&l, 0)), "-5 degrés");
}

static void clean_double_escaped_html(void **state)
{
    (void)state;
    /* What one XML decoding of the V2 export gives (docs/references.md rncp §5.2). */
    const char *s = cc_rncp_clean_html(
        arena, "<p>- Param&eacute;trer les &eacute;quipements</p>\r\n<p>- Contr&ocirc;ler</p>\r");
    assert_string_equal(s, "- Paramétrer les équipements\n- Contrôler");
    assert_string_equal(cc_rncp_clean_html(arena, "a<br/>b &amp; c&#233;&#x41;"), "a\nb & céA");
    assert_string_equal(cc_rncp_clean_html(arena, "unknown &zzz; kept"), "unknown &zzz; kept");
    /* Characters XML 1.0 cannot carry stay as written (the RNCP writer wrote them raw, and
     * its output was not well formed); signs and spaces are not digits. */
    assert_string_equal(cc_rncp_clean_html(arena, "a&#1;b&#xFFFE;c&#0;d&#xD800;e&#-4294967295;f&# 65;"),
                        "a&#1;b&#xFFFE;c&#0;d&#xD800;e&#-4294967295;f&# 65;");
    assert_string_equal(cc_rncp_clean_html(arena, "tab&#9;end&#x1F393;"), "tab\tend\xF0\x9F\x8E\x93");
    assert_string_equal(cc_rncp_clean_html(arena, "cut &#6"), "cut &#6");
}

static void dates(void **state)
{
    (void)state;
    char out[11];
    assert_true(cc_date_fr_to_iso("23/07/2020", out));
    assert_string_equal(out, "2020-07-23");
    assert_false(cc_date_fr_to_iso("2020-07-23", out));
    assert_false(cc_date_fr_to_iso("3/7/2020", out));
    assert_true(cc_date_iso_to_fr("2029-08-31", out));
    assert_string_equal(out, "31/08/2029");
}

static int setup(void **state)
{
    (void)state;
    arena = cc_arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cc_arena_free(arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_two_levels),
        cmocka_unit_test(split_dashes_are_top_level_alone),
        cmocka_unit_test(split_space_runs_without_glyphs),
        cmocka_unit_test(split_keeps_inner_stars_and_single_spaces),
        cmocka_unit_test(split_lines_first),
        cmocka_unit_test(split_negative_number_is_not_a_bullet),
        cmocka_unit_test(clean_double_escaped_html),
        cmocka_unit_test(dates),
        cmocka_unit_test(split_many_pieces),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
