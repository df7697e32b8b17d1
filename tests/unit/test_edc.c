/* The Europass EDC 1.x reader and writer: the corpus samples, round trips checked against
 * the official 1.2 schema, and bad input. */
#include "helpers.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#define EDC CORPUS "/edc/edci-1.x"
#define OFFICIAL EDC "/xsd/genericschema_1.2.xsd"
#define OFFICIAL_VP EDC "/xsd/mandatedschema_dp_1.2.xsd"

static const char *const sample_dirs[] = {EDC "/samples", EDC "/samples/signed",
                                          EDC "/samples/presentations"};

/* ------------------------------------------------------------ official-schema checks */

static xmlSchemaPtr load_xsd(const char *path)
{
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    xmlSchemaPtr s = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaFreeParserCtxt(pc);
    return s;
}

static void quiet(void *ud, xmlErrorPtr e) { (void)ud, (void)e; }

static void loud(void *ud, xmlErrorPtr e)
{
    (void)ud;
    printf("    schema: line %d: %s", e->line, e->message);
}

/* 0 when the document (file or memory) is valid against the schema. */
static int xsd_check(xmlSchemaPtr s, const char *file, const char *mem, bool verbose)
{
    xmlDocPtr doc = mem ? xmlReadMemory(mem, (int)strlen(mem), "mem.xml", NULL, XML_PARSE_NONET)
                        : xmlReadFile(file, NULL, XML_PARSE_NONET);
    if (!doc)
        return -1;
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(s);
    xmlSchemaSetValidStructuredErrors(v, verbose ? loud : quiet, NULL);
    int rc = xmlSchemaValidateDoc(v, doc);
    xmlSchemaFreeValidCtxt(v);
    xmlFreeDoc(doc);
    return rc;
}

typedef struct sample {
    char path[512];
    bool ko;  /* a file meant to fail: *-KO*, *-ko* */
} sample;

/* Every corpus file the official 1.2 schemas accept (presentations: the VP schema). */
static int accepted_samples(sample *out, int cap, bool want_ko)
{
    xmlSchemaPtr cred = load_xsd(OFFICIAL), vp = load_xsd(OFFICIAL_VP);
    int n = 0;
    for (size_t i = 0; cred && vp && i < sizeof sample_dirs / sizeof *sample_dirs; i++) {
        DIR *dir = opendir(sample_dirs[i]);
        for (struct dirent *e; dir && (e = readdir(dir)) && n < cap;) {
            if (!strstr(e->d_name, ".xml"))
                continue;
            sample *s = &out[n];
            snprintf(s->path, sizeof s->path, "%s/%s", sample_dirs[i], e->d_name);
            s->ko = strstr(e->d_name, "-KO") || strstr(e->d_name, "-ko");
            bool valid = xsd_check(strstr(s->path, "presentations") ? vp : cred, s->path, NULL,
                                   false) == 0;
            if (want_ko ? s->ko : valid)
                n++;
        }
        if (dir)
            closedir(dir);
    }
    xmlSchemaFree(cred);
    xmlSchemaFree(vp);
    return n;
}

/* ------------------------------------------------------------ corpus */

static void corpus_samples_read(void **state)
{
    (void)state;
    sample s[64];
    int n = accepted_samples(s, 64, false);
    if (n == 0) {
        printf("SKIP: %s (../shared/corpus absent)\n", EDC);
        skip();
    }
    printf("    %d samples accepted by the official 1.2 schemas\n", n);
    assert_true(n >= 19);
    for (int i = 0; i < n; i++) {
        got g;
        read_path(&g, "edc", s[i].path, false);
        if (g.errors || g.n != 1)
            printf("    %s: %d errors, %d records: %s\n", s[i].path, g.errors, g.n, g.last);
        assert_int_equal(g.read_rc, 0);
        assert_int_equal(g.errors, 0);
        assert_int_equal(g.n, 1);
        assert_int_equal(g.recs[0]->kind, CC_REC_CREDENTIAL);
        assert_non_null(g.recs[0]->credential->issuer);
        got_free(&g);
    }
}

static void corpus_sample_degree_fields(void **state)
{
    (void)state;
    got g;
    if (read_path(&g, "edc", EDC "/samples/elm_EDC_SampleDegree_AA.xml", false))
        skip();
    const cc_credential *c = g.recs[0]->credential;
    const cc_achievement *q = c->achievement;
    assert_non_null(q);
    assert_true(q->eqf_level >= 1 && q->eqf_level <= 8);
    assert_non_null(q->nqf_level);
    assert_true(q->outcomes.n > 0);
    assert_true(q->alignments.n > 0);
    assert_string_equal(((cc_code *)q->alignments.head)->scheme, "isced-f");
    assert_non_null(q->credits);
    assert_true(q->orgs.n > 0);  /* the awarding process's awarding bodies */
    assert_non_null(c->awarded);
    assert_string_equal(cc_text_get(&c->results, NULL), "excellent (5)");
    assert_string_equal(c->issuer->country != NULL ? "set" : "unset", "set");
    assert_true(c->subject->given_name && c->subject->family_name);
    got_free(&g);
}

static void corpus_ko_rejected_with_reason(void **state)
{
    (void)state;
    sample s[8];
    int n = accepted_samples(s, 8, true);
    if (n == 0) {
        printf("SKIP: KO samples (../shared/corpus absent)\n");
        skip();
    }
    for (int i = 0; i < n; i++) {
        got g;
        read_path(&g, "edc", s[i].path, true);
        assert_non_null(strstr(g.rules, "edc-schema"));
        assert_true(strstr(g.last, "Expected is") || strstr(g.last, "Missing child"));
        assert_true(g.n == 0 || g.recs[0]->invalid > 0);
        got_free(&g);
    }
}

/* The model JSON of two reads, compared key by key so a failure names the field. */
static void assert_same_model(const cc_record *a, const cc_record *b, const char *what)
{
    char *ja = model_json(a), *jb = model_json(b);
    json_error_t err;
    json_t *x = json_loads(ja, 0, &err);
    if (!x)
        fail_msg("%s: model JSON does not parse: %s", what, err.text);
    json_t *y = json_loads(jb, 0, NULL);
    const json_t *cx = json_object_get(x, "credential"), *cy = json_object_get(y, "credential");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)cx, key, v) {
        if (!json_equal(v, json_object_get(cy, key)))
            fail_msg("%s: credential.%s differs after edc -> model -> edc", what, key);
    }
    assert_int_equal(json_object_size(cx), json_object_size(cy));
    json_decref(x);
    json_decref(y);
    free(ja);
    free(jb);
}

static void corpus_round_trip(void **state)
{
    (void)state;
    sample s[64];
    int n = accepted_samples(s, 64, false);
    xmlSchemaPtr official = load_xsd(OFFICIAL);
    if (n == 0 || !official) {
        printf("SKIP: %s (../shared/corpus absent)\n", EDC);
        skip();
    }
    for (int i = 0; i < n; i++) {
        got a, b;
        read_path(&a, "edc", s[i].path, false);
        char *xml = write_all("edc", a.recs, a.n);
        if (xsd_check(official, NULL, xml, true) != 0)
            fail_msg("%s: the written credential is not valid EDC 1.2", s[i].path);
        assert_int_equal(read_string(&b, "edc", xml), 0);
        assert_int_equal(b.errors, 0);
        assert_int_equal(b.n, 1);
        assert_same_model(a.recs[0], b.recs[0], s[i].path);
        free(xml);
        got_free(&a);
        got_free(&b);
    }
    xmlSchemaFree(official);
}

/* ------------------------------------------------------------ small documents */

#define HEAD                                                                                   \
    "<europassCredential xmlns=\"http://data.europa.eu/snb\" "                                 \
    "xmlns:cred=\"http://data.europa.eu/europass/model/credentials/w3c#\" "                    \
    "cred:id=\"urn:credential:1\">\n"                                                          \
    "<type uri=\"http://data.europa.eu/snb/credential/e34929035b\" "                           \
    "targetFrameworkUrl=\"http://data.europa.eu/snb/credential/25831c2\"><targetName>"         \
    "<text lang=\"en\" content-type=\"text/plain\">Generic</text></targetName></type>\n"       \
    "<primaryLanguage>fr</primaryLanguage><availableLanguages><language>fr</language>"         \
    "</availableLanguages>\n<cred:issued>2024-01-15T00:00:00</cred:issued>\n"                  \
    "<cred:issuer idref=\"urn:org:1\"/>\n"                                                     \
    "<title><text lang=\"fr\" content-type=\"text/plain\">Titre</text>"                        \
    "<text lang=\"en\" content-type=\"text/plain\">Title</text></title>\n"
#define SUBJECT                                                                                \
    "<credentialSubject id=\"urn:p:1\"><givenNames><text lang=\"fr\" "                         \
    "content-type=\"text/plain\">Jeanne</text></givenNames><familyName><text lang=\"fr\" "     \
    "content-type=\"text/plain\">Martin</text></familyName></credentialSubject>\n"
#define AGENTS                                                                                 \
    "<agentReferences><organization id=\"urn:org:1\"><registration>1</registration>"           \
    "<prefLabel><text lang=\"fr\" content-type=\"text/plain\">Org</text></prefLabel>"          \
    "<hasLocation><hasAddress><country uri=\"http://publications.europa.eu/resource/"          \
    "authority/country/FRA\" targetFrameworkUrl=\"http://publications.europa.eu/resource/"     \
    "authority/country\"><targetName><text lang=\"fr\" content-type=\"text/plain\">France"     \
    "</text></targetName></country></hasAddress></hasLocation></organization>"                 \
    "</agentReferences>\n"
#define TAIL "</europassCredential>\n"

static void minimal_credential(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "edc", HEAD SUBJECT AGENTS TAIL), 0);
    assert_int_equal(g.n, 1);
    const cc_credential *c = g.recs[0]->credential;
    assert_string_equal(c->id, "urn:credential:1");
    assert_int_equal(c->name.n, 2);  /* every language kept */
    assert_string_equal(cc_text_get(&c->name, "en"), "Title");
    assert_string_equal(c->issuer->country, "FR");
    assert_string_equal(c->subject->given_name, "Jeanne");
    got_free(&g);
}

static void dangling_idref(void **state)
{
    (void)state;
    got g;
    const char *doc = HEAD SUBJECT "\n<agentReferences/>" TAIL;
    assert_int_equal(read_string(&g, "edc", doc), 0);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.rejected, 1);
    assert_non_null(strstr(g.rules, "edc-idref"));
    assert_non_null(strstr(g.last, "'urn:org:1'"));
    assert_int_equal(g.last_line, 5);  /* the cred:issuer line */
    got_free(&g);
}

static void wrong_namespace(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "edc",
                                 "<europassCredential xmlns=\"http://data.europa.eu/europass/"
                                 "model/credentials#\"/>"),
                     1);
    assert_non_null(strstr(g.rules, "edc-root"));
    assert_non_null(strstr(g.last, "model/credentials#"));
    got_free(&g);
}

static void missing_required_element(void **state)
{
    (void)state;
    /* No givenNames: the reader still maps it; validation says what is missing. */
    const char *doc = HEAD
        "<credentialSubject id=\"urn:p:1\"><familyName><text lang=\"fr\" "
        "content-type=\"text/plain\">Martin</text></familyName></credentialSubject>\n" AGENTS TAIL;
    FILE *fp = fmemopen((void *)doc, strlen(doc), "r");
    got g;
    read_fp(&g, "edc", fp, "<test>", true);
    fclose(fp);
    assert_int_equal(g.n, 1);
    assert_true(g.recs[0]->invalid > 0);
    assert_non_null(strstr(g.last, "givenNames"));
    got_free(&g);
}

static void huge_text_node(void **state)
{
    (void)state;
    size_t big = 30u * 1024 * 1024;
    const char *pre = HEAD "<description><text lang=\"fr\" content-type=\"text/plain\">";
    const char *post = "</text></description>" SUBJECT AGENTS TAIL;
    char *doc = malloc(strlen(pre) + big + strlen(post) + 1);
    strcpy(doc, pre);
    memset(doc + strlen(pre), 'a', big);
    strcpy(doc + strlen(pre) + big, post);
    got g;
    assert_int_equal(read_string(&g, "edc", doc), 1);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(g.rules, "xml-huge-text"));
    assert_non_null(strstr(g.last, "a text node longer than 10000000 bytes: refused"));
    assert_true(g.last_line > 0);
    got_free(&g);
    free(doc);
}

static void deep_nesting(void **state)
{
    (void)state;
    enum { DEPTH = 5000 };
    char *doc = malloc(strlen(HEAD) + DEPTH * 7 + 100);
    strcpy(doc, HEAD);
    for (int i = 0; i < DEPTH; i++)
        strcat(doc, "<a>");
    got g;
    assert_int_equal(read_string(&g, "edc", doc), 1);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(g.rules, "xml-syntax"));
    got_free(&g);
    free(doc);
}

static void doctype_refused(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "edc",
                                 "<?xml version=\"1.0\"?><!DOCTYPE europassCredential "
                                 "[<!ENTITY a \"aaaa\">]>" HEAD SUBJECT AGENTS TAIL),
                     1);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(g.rules, "xml-doctype"));
    got_free(&g);
}

static void spec_cycle_is_an_error(void **state)
{
    (void)state;
    const char *doc = HEAD
        "<credentialSubject id=\"urn:p:1\"><givenNames/><familyName/><achievements>"
        "<learningAchievement id=\"urn:a:1\"><title/><specifiedBy idref=\"urn:q:1\"/>"
        "</learningAchievement></achievements></credentialSubject>\n"
        "<learningSpecificationReferences><qualification id=\"urn:q:1\"><hasPart idref=\"urn:q:2\"/>"
        "</qualification><qualification id=\"urn:q:2\"><hasPart idref=\"urn:q:1\"/></qualification>"
        "</learningSpecificationReferences>" AGENTS TAIL;
    got g;
    read_string(&g, "edc", doc);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.rejected, 1);
    assert_non_null(strstr(g.rules, "edc-cycle"));
    got_free(&g);
}

/* The seal digests the document less every ds:Signature: nothing inside one is read, from a
 * text or as an extension of the root; nor are comments. */
static void signature_content_never_read(void **state)
{
    (void)state;
#define DS "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
    const char *doc = HEAD SUBJECT AGENTS
        "\n" DS "<description><text lang=\"en\">Forged root</text></description></ds:Signature>" TAIL;
    char *forged = strdup(doc);
    got g;
    assert_int_equal(read_string(&g, "edc", forged), 0);
    assert_int_equal(g.n, 1);
    const cc_credential *c = g.recs[0]->credential;
    assert_int_equal(c->description.n, 0);
    for (const cc_ext *e = c->ext.head; e; e = e->next)
        assert_null(strstr(e->name, "Signature"));
    got_free(&g);
    free(forged);
    const char *in_text = "<text lang=\"en\" content-type=\"text/plain\">Title";
    const char *h = strstr(HEAD, in_text);
    assert_non_null(h);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*s%s" DS "Forged</ds:Signature><!--Comment--></text>%s" SUBJECT AGENTS TAIL,
             (int)(h - HEAD), HEAD, in_text, strstr(h, "</text>") + 7);
    assert_int_equal(read_string(&g, "edc", buf), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(cc_text_get(&g.recs[0]->credential->name, "en"), "Title");
    got_free(&g);
#undef DS
}

/* Two reference-section entries with one id: an idref to it would be ambiguous. */
static void duplicate_entry_ids_refused(void **state)
{
    (void)state;
    const char *doc = HEAD SUBJECT AGENTS TAIL;
    const char *org = strstr(doc, "<organization ");
    const char *end = strstr(org, "</organization>") + 15;
    char buf[8192];
    snprintf(buf, sizeof buf, "%.*s%.*s%s", (int)(end - doc), doc, (int)(end - org), org, end);
    got g;
    read_string(&g, "edc", buf);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.rejected, 1);
    assert_non_null(strstr(g.rules, "edc-duplicate-id"));
    got_free(&g);
}

/* A start tag past EDC_MAX_ATTRIBUTES is refused before libxml2 parses it. */
static void too_many_attributes(void **state)
{
    (void)state;
    size_t cap = 300 * 16 + 4096;
    char *buf = malloc(cap);
    assert_non_null(buf);
    const char *doc = HEAD SUBJECT AGENTS TAIL;
    const char *at = strstr(doc, "<credentialSubject ") + 19;
    size_t n = (size_t)snprintf(buf, cap, "%.*s", (int)(at - doc), doc);
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(buf + n, cap - n, "a%d='>' ", i);
    snprintf(buf + n, cap - n, "%s", at);
    got g;
    assert_int_equal(read_string(&g, "edc", buf), 1);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(g.rules, "xml-attributes"));
    got_free(&g);
    free(buf);
}

/* ------------------------------------------------------------ writer */

static cc_record *model_record(const char *json)
{
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    cc_record *r = cc_model_read(j, "<json>", 1, NULL);
    json_decref(j);
    assert_non_null(r);
    return r;
}

/* What a writer says: its return code and its diagnostics. */
static int write_one(cc_record *r, got *g, char **xml)
{
    size_t len = 0;
    FILE *mem = open_memstream(xml, &len);
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    cc_write_ctx wc = {.out = mem, .diag = &ds, .records_in_output = -1};
    void *w = cc_format_find("edc")->writer_open(&wc);
    int rc = cc_format_find("edc")->writer_record(w, r);
    cc_format_find("edc")->writer_close(w);
    fclose(mem);
    return rc;
}

#define BLOCK_CREDENTIAL                                                                       \
    "{\"model\":\"credconv-model/1\",\"credential\":{\"id\":\"urn:credential:7\","             \
    "\"issued\":\"2024-06-30\",\"issuer\":{\"name\":{\"fr\":\"Université\"},"                  \
    "\"identifiers\":[{\"scheme\":\"siret\",\"code\":\"19750000000000\"}],\"country\":\"FR\"}," \
    "\"subject\":{\"givenName\":\"Jeanne\",\"familyName\":\"Martin\","                         \
    "\"email\":\"j@example.org\"},\"results\":{\"fr\":\"Acquis\"},"                            \
    "\"achievement\":{\"code\":\"RNCP35340BC01\",\"kind\":\"skills-block\","                   \
    "\"partOf\":\"RNCP35340\",\"title\":{\"fr\":\"Bloc 1\"},\"eqfLevel\":6,"                   \
    "\"nqfLevel\":{\"scheme\":\"fr-nqf\",\"code\":\"NIV6\"},"                                  \
    "\"assessment\":{\"fr\":\"Étude de cas\"},"                                                \
    "\"outcomes\":[{\"text\":{\"fr\":\"Concevoir\"}},{\"text\":{\"fr\":\"Tester\"},\"level\":2}]," \
    "\"alignments\":[{\"scheme\":\"nsf\",\"code\":\"326\"}],"                                  \
    "\"organizations\":[{\"role\":\"awarding-body\",\"name\":{\"fr\":\"Université\"},"         \
    "\"identifiers\":[{\"scheme\":\"siret\",\"code\":\"19750000000000\"}],\"country\":\"FR\"}]}}}"

static void skills_block_credential_is_valid_edc(void **state)
{
    (void)state;
    xmlSchemaPtr official = load_xsd(OFFICIAL);
    if (!official) {
        printf("SKIP: %s (../shared/corpus absent)\n", OFFICIAL);
        skip();
    }
    cc_record *r = model_record(BLOCK_CREDENTIAL);
    got g = {0};
    char *xml = NULL;
    assert_int_equal(write_one(r, &g, &xml), 0);
    if (xsd_check(official, NULL, xml, true) != 0)
        fail_msg("not valid EDC 1.2:\n%s", xml);
    assert_non_null(strstr(xml, "<isPartialQualification>true</isPartialQualification>"));
    assert_non_null(strstr(xml, "<identifier>RNCP35340</identifier>"));  /* the fiche */
    assert_non_null(strstr(xml, "<hasPart idref="));
    assert_non_null(strstr(xml, "qdr/c_5ad5d222"));
    assert_non_null(strstr(xml, "<grade>Acquis</grade>"));
    assert_non_null(strstr(g.rules, "loss"));  /* nsf alignment, outcome level */
    got b;
    read_string(&b, "edc", xml);
    assert_int_equal(b.n, 1);
    const cc_achievement *a = b.recs[0]->credential->achievement;
    assert_string_equal(a->kind, "skills-block");
    assert_string_equal(a->part_of, "RNCP35340");
    assert_int_equal(a->outcomes.n, 2);
    assert_string_equal(cc_text_get(&a->assessment, "fr"), "Étude de cas");
    got_free(&b);
    free(xml);
    cc_record_free(r);
    xmlSchemaFree(official);
}

static void achievement_record_rejected(void **state)
{
    (void)state;
    cc_record *r = model_record("{\"model\":\"credconv-model/1\",\"achievement\":{\"code\":\"RNCP1\"}}");
    got g = {0};
    char *xml = NULL;
    assert_int_equal(write_one(r, &g, &xml), 1);
    assert_non_null(strstr(g.last, "--issuer"));
    assert_non_null(strstr(g.last, "--recipients"));
    free(xml);
    cc_record_free(r);
}

static void missing_fields_named(void **state)
{
    (void)state;
    cc_record *r = model_record(
        "{\"model\":\"credconv-model/1\",\"credential\":{\"id\":\"urn:c:1\",\"issued\":\"2024-01-01\","
        "\"name\":{\"fr\":\"x\"},\"issuer\":{\"name\":{\"fr\":\"O\"},\"identifiers\":[{\"code\":\"1\"}]},"
        "\"subject\":{\"familyName\":\"M\"}}}");
    got g = {0};
    char *xml = NULL;
    assert_int_equal(write_one(r, &g, &xml), 1);
    assert_non_null(strstr(g.last, "credential.issuer.country"));
    assert_non_null(strstr(g.last, "credential.subject.givenName"));
    assert_null(strstr(g.last, "familyName"));
    assert_string_equal(xml, "");  /* nothing written for a rejected record */
    free(xml);
    cc_record_free(r);
}

static void several_credentials_use_the_bulk_wrapper(void **state)
{
    (void)state;
    cc_record *r[2] = {model_record(BLOCK_CREDENTIAL), model_record(BLOCK_CREDENTIAL)};
    char *xml = write_all("edc", r, 2);
    assert_non_null(strstr(xml, "<europassCredentials xmlns=\"http://data.europa.eu/snbUpload\">"));
    got g;
    assert_int_equal(read_string(&g, "edc", xml), 0);
    assert_int_equal(g.n, 2);
    got_free(&g);
    free(xml);
    char *one = write_all("edc", r, 1);
    assert_null(strstr(one, "europassCredentials"));
    free(one);
    cc_record_free(r[0]);
    cc_record_free(r[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_samples_read),
        cmocka_unit_test(corpus_sample_degree_fields),
        cmocka_unit_test(corpus_ko_rejected_with_reason),
        cmocka_unit_test(corpus_round_trip),
        cmocka_unit_test(minimal_credential),
        cmocka_unit_test(dangling_idref),
        cmocka_unit_test(wrong_namespace),
        cmocka_unit_test(missing_required_element),
        cmocka_unit_test(huge_text_node),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(doctype_refused),
        cmocka_unit_test(spec_cycle_is_an_error),
        cmocka_unit_test(signature_content_never_read),
        cmocka_unit_test(duplicate_entry_ids_refused),
        cmocka_unit_test(too_many_attributes),
        cmocka_unit_test(skills_block_credential_is_valid_edc),
        cmocka_unit_test(achievement_record_rejected),
        cmocka_unit_test(missing_fields_named),
        cmocka_unit_test(several_credentials_use_the_bulk_wrapper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
