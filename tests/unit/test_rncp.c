/* The RNCP/RS reader and writer, on small documents and on the real corpus files. */
#include "helpers.h"

#define RNCP12 CORPUS "/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml"
#define RS8 CORPUS "/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml"
#define RAW2 CORPUS "/rncp/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml"
#define V3 CORPUS "/rncp/api-apprentissage_export_fiches_RS_V3_0_fixture_2fiches.xml"
#define V2FRAG CORPUS "/rncp/saxy-issue73_export_fiches_RNCP_V2_fragment_RNCP31214.txt"

static const char *const v41_files[] = {RNCP12, RS8, RAW2};

static size_t count_blocks(const got *g)
{
    size_t n = 0;
    for (int i = 0; i < g->n; i++)
        n += g->recs[i]->achievement->parts.n;
    return n;
}

static void corpus_12_fiches_53_blocks(void **state)
{
    (void)state;
    got g;
    if (read_path(&g, "rncp", RNCP12, false))
        skip();
    assert_int_equal(g.read_rc, 0);
    assert_int_equal(g.n, 12);
    assert_int_equal(g.errors, 0);
    assert_int_equal(count_blocks(&g), 53);  /* not 156: CORRESPONDANCES blocks are not blocks */
    const cc_achievement *f = g.recs[0]->achievement;
    assert_string_equal(f->code, "RNCP34762");
    assert_int_equal(f->eqf_level, 7);
    assert_int_equal(f->active, 0);  /* FICHE/ACTIF, not SI_JURY_xx/ACTIF */
    assert_string_equal(f->valid_until, "2024-08-31");
    assert_string_equal(f->homepage, "https://www.francecompetences.fr/recherche/rncp/34762/");
    assert_string_equal(((cc_code *)f->successors.head)->code, "RNCP39568");
    got_free(&g);
}

static void corpus_rs_8_fiches(void **state)
{
    (void)state;
    got g;
    if (read_path(&g, "rncp", RS8, false))
        skip();
    assert_int_equal(g.n, 8);
    assert_int_equal(count_blocks(&g), 0);
    for (int i = 0; i < g.n; i++) {
        assert_int_equal(g.recs[i]->achievement->eqf_level, 0);
        assert_true(g.recs[i]->achievement->outcomes.n > 0);  /* from CAPACITES_ATTESTEES */
    }
    got_free(&g);
}

static void corpus_v3_clean_text(void **state)
{
    (void)state;
    got g;
    if (read_path(&g, "rncp", V3, false))
        skip();
    assert_int_equal(g.n, 2);
    const cc_code *fc = g.recs[0]->achievement->alignments.head;
    assert_string_equal(fc->scheme, "formacode");
    assert_string_equal(cc_text_get(&fc->label, "fr"), "Maquillage");  /* " Maquillage" trimmed */
    assert_string_equal(g.recs[1]->achievement->code, "RS6010");
    got_free(&g);
}

/* The V2 fragment is not a document: the test wraps it in the fiche and block it came from. */
static void corpus_v2_fragment_clean_text(void **state)
{
    (void)state;
    FILE *fp = fopen(V2FRAG, "rb");
    if (!fp) {
        printf("SKIP: %s not found\n", V2FRAG);
        skip();
    }
    char frag[8192];
    size_t n = fread(frag, 1, sizeof frag - 1, fp);
    fclose(fp);
    frag[n] = '\0';
    char *amp = strrchr(frag, '&');  /* it stops in the middle of an entity */
    if (amp && !strchr(amp, ';'))
        *amp = '\0';
    char doc[12288];
    snprintf(doc, sizeof doc,
             "<FICHES><FICHE><NUMERO_FICHE>RNCP31214</NUMERO_FICHE><BLOCS_COMPETENCES>"
             "<BLOC_COMPETENCES><CODE>RNCP31214BC04</CODE><LISTE_COMPETENCES>%s"
             "</LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES></FICHE></FICHES>",
             frag);
    got g;
    assert_int_equal(read_string(&g, "rncp", doc), 0);
    assert_int_equal(g.n, 1);
    const cc_achievement *bc04 = g.recs[0]->achievement->parts.head;
    const cc_achievement *bc05 = bc04->next;
    const char *raw = cc_text_get(&bc04->outcomes_text, "fr");
    assert_non_null(strstr(raw, "- Paramétrer et régler les équipements de traitement\n"));
    assert_null(strstr(raw, "&eacute;"));
    assert_null(strstr(raw, "<p>"));
    assert_int_equal(bc04->outcomes.n, 9);
    assert_string_equal(cc_text_get(&bc05->title, "fr"), "U41 Mathématiques");
    got_free(&g);
}

static void corpus_validates(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof v41_files / sizeof *v41_files; i++) {
        got g;
        if (read_path(&g, "rncp", v41_files[i], true))
            skip();
        assert_int_equal(g.read_rc, 0);
        assert_int_equal(g.errors, 0);
        for (int k = 0; k < g.n; k++)
            assert_int_equal(g.recs[k]->invalid, 0);
        got_free(&g);
    }
}

/* rncp → model → rncp → model: the two models are the same, byte for byte. */
static void corpus_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof v41_files / sizeof *v41_files; i++) {
        got a, b;
        if (read_path(&a, "rncp", v41_files[i], false))
            skip();
        char *xml = write_all("rncp", a.recs, a.n);
        assert_int_equal(read_string(&b, "rncp", xml), 0);
        assert_int_equal(a.n, b.n);
        for (int k = 0; k < a.n; k++) {
            char *ja = model_json(a.recs[k]), *jb = model_json(b.recs[k]);
            assert_string_equal(ja, jb);
            free(ja);
            free(jb);
        }
        free(xml);
        got_free(&a);
        got_free(&b);
    }
}

static void paths_not_names(void **state)
{
    (void)state;
    got g;
    read_string(&g, "rncp",
                "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>"
                "<ACTIF>Oui</ACTIF><SI_JURY_FI><ACTIF>Non</ACTIF></SI_JURY_FI>"
                "<CORRESPONDANCES><CORRESPONDANCE><DESTINATION><NUMERO_FICHE>RNCP2</NUMERO_FICHE>"
                "<BLOC_COMPETENCES><CODE>RNCP2BC01</CODE></BLOC_COMPETENCES></DESTINATION>"
                "</CORRESPONDANCE></CORRESPONDANCES></FICHE></FICHES>");
    assert_int_equal(g.n, 1);
    const cc_achievement *f = g.recs[0]->achievement;
    assert_string_equal(f->code, "RNCP1");  /* not DESTINATION/NUMERO_FICHE */
    assert_int_equal(f->active, 1);         /* first value, not the last ACTIF */
    assert_int_equal(f->parts.n, 0);
    const cc_ext *jury = f->ext.head;
    assert_string_equal(jury->name, "rncp:SI_JURY_FI");
    assert_true(((cc_ext *)jury->children.head)->is_bool);
    got_free(&g);
}

static void fiche_without_number_is_skipped(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "rncp",
                                 "<FICHES>\n<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>\n"
                                 "<FICHE><INTITULE>x</INTITULE></FICHE>\n"
                                 "<FICHE><NUMERO_FICHE>RS3</NUMERO_FICHE></FICHE></FICHES>"),
                     0);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.rejected, 1);
    assert_int_equal(g.last_line, 3);
    assert_non_null(strstr(g.rules, "rncp-no-numero"));
    got_free(&g);
}

static void not_well_formed_keeps_earlier_records(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "rncp",
                                 "<FICHES>\n<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>\n"
                                 "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>x</FICHE>"),
                     1);
    assert_int_equal(g.n, 1);  /* the broken fiche is never delivered half-read */
    assert_int_equal(g.last_line, 3);
    assert_non_null(strstr(g.rules, "xml-syntax"));
    got_free(&g);
}

static void doctype_refused(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "rncp",
                                 "<?xml version=\"1.0\"?><!DOCTYPE FICHES [<!ENTITY a \"aaaa\">"
                                 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                                 "<FICHES><FICHE><NUMERO_FICHE>&b;</NUMERO_FICHE></FICHE></FICHES>"),
                     1);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(g.rules, "xml-doctype"));
    got_free(&g);
}

/* The SAX reader gathers text itself: it applies libxml2's 10 MB text limit too, with the same
 * message as the EDC reader; the fiche before it is still read, and 10 MB exactly passes. */
static void huge_text_refused(void **state)
{
    (void)state;
    const char *pre = "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE>"
                      "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>";
    const char *post = "</INTITULE></FICHE></FICHES>";
    size_t limit = 10000000;
    char *doc = malloc(strlen(pre) + limit + 1 + strlen(post) + 1);
    for (size_t len = limit; len <= limit + 1; len++) {
        strcpy(doc, pre);
        memset(doc + strlen(pre), 'a', len);
        strcpy(doc + strlen(pre) + len, post);
        got g;
        assert_int_equal(read_string(&g, "rncp", doc), len > limit);
        assert_int_equal(g.n, len > limit ? 1 : 2);
        if (len > limit) {
            assert_non_null(strstr(g.rules, "xml-huge-text"));
            assert_non_null(strstr(g.last, "a text node longer than 10000000 bytes: refused"));
        }
        got_free(&g);
    }
    free(doc);
}

static void not_rncp(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "rncp", "<europassCredential/>"), 1);
    assert_non_null(strstr(g.rules, "rncp-root"));
    got_free(&g);
}

static void block_without_code_is_named_and_invalid(void **state)
{
    (void)state;
    const char *doc = "<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n<FICHE>\n"
                      "<NUMERO_FICHE>RNCP7</NUMERO_FICHE><BLOCS_COMPETENCES>\n"
                      "<BLOC_COMPETENCES><LIBELLE>x</LIBELLE></BLOC_COMPETENCES>"
                      "</BLOCS_COMPETENCES></FICHE></FICHES>";
    got g;
    read_string(&g, "rncp", doc);
    assert_int_equal(g.n, 1);
    assert_string_equal(((cc_achievement *)g.recs[0]->achievement->parts.head)->code,
                        "RNCP7BC01");
    assert_non_null(strstr(g.rules, "rncp-block-no-code"));
    got_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_12_fiches_53_blocks),
        cmocka_unit_test(corpus_rs_8_fiches),
        cmocka_unit_test(corpus_v3_clean_text),
        cmocka_unit_test(corpus_v2_fragment_clean_text),
        cmocka_unit_test(corpus_validates),
        cmocka_unit_test(corpus_round_trip),
        cmocka_unit_test(paths_not_names),
        cmocka_unit_test(fiche_without_number_is_skipped),
        cmocka_unit_test(not_well_formed_keeps_earlier_records),
        cmocka_unit_test(doctype_refused),
        cmocka_unit_test(not_rncp),
        cmocka_unit_test(huge_text_refused),
        cmocka_unit_test(block_without_code_is_named_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
