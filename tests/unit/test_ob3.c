/* The Open Badges 3.0 reader and writer: the spec and community examples, the round trip
 * ob3 -> model -> ob3 -> model, RNCP fiches as achievements, and hostile input. */
#include "helpers.h"

#include <dirent.h>

#include "jsonschema.h"

#define OB CORPUS "/ob"
#define SPEC OB "/examples/ob3-spec"
#define FULL SPEC "/fullOpenBadge--01-complete-openbadgecredential.json"
#define RNCP12 CORPUS "/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml"

static const char *const example_dirs[] = {
    SPEC, OB "/community/mynextid", OB "/community/edubadges/_data/credentials",
    OB "/community/edubadges/ref",
};

/* Calls fn on every .json file of the example folders; false when the corpus is absent. */
static bool each_example(void (*fn)(const char *path, void *ud), void *ud)
{
    bool any = false;
    for (size_t i = 0; i < sizeof example_dirs / sizeof *example_dirs; i++) {
        DIR *d = opendir(example_dirs[i]);
        if (!d)
            continue;
        any = true;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0 || strstr(e->d_name, "-fields-"))
                continue;  /* the mynextid form-field map is not a credential */
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", example_dirs[i], e->d_name);
            fn(path, ud);
        }
        closedir(d);
    }
    if (!any)
        printf("SKIP: OB examples (../shared/corpus absent)\n");
    return any;
}

static void one_read(const char *path, void *ud)
{
    int *count = ud;
    got g;
    assert_int_equal(read_path(&g, "ob3", path, false), 0);
    if (g.errors || g.n != 1)
        fail_msg("%s: %d records, %d errors (%s)", path, g.n, g.errors, g.last);
    ++*count;
    got_free(&g);
}

static void examples_read(void **state)
{
    (void)state;
    int count = 0;
    if (!each_example(one_read, &count))
        skip();
    assert_int_equal(count, 8 + 1 + 30 + 2);
}

static void full_example_fields(void **state)
{
    (void)state;
    got g;
    if (read_path(&g, "ob3", FULL, false))
        skip();
    assert_int_equal(g.n, 1);
    const cc_credential *k = g.recs[0]->credential;
    assert_string_equal(k->id, "http://1edtech.edu/credentials/3732");
    assert_string_equal(cc_text_get(&k->issuer->name, NULL), "1EdTech University");
    assert_string_equal(k->issuer->country, "US");
    assert_int_equal(k->issuer->identifiers.n, 2);
    assert_string_equal(k->valid_from, "2010-01-01T00:00:00Z");
    assert_string_equal(k->issued, "2010-01-01T00:00:00Z");
    assert_string_equal(k->valid_until, "2030-01-01T00:00:00Z");
    assert_int_equal(k->subject->identifiers.n, 2);
    assert_int_equal(k->evidence.n, 2);
    assert_int_equal(k->results.n, 1);  /* only one Result has a value */
    const cc_achievement *a = k->achievement;
    assert_string_equal(cc_text_get(&a->title, NULL), "1EdTech University Degree");
    assert_string_equal(a->code, "R1");
    assert_string_equal(a->kind, "Degree");
    assert_string_equal(a->credits, "36.0");
    assert_string_equal(a->homepage, "https://1edtech.edu/achievements/degree");
    assert_int_equal(a->alignments.n, 2);
    assert_string_equal(((cc_org *)a->orgs.head)->role, "creator");
    got_free(&g);
}

/* ob3 -> model -> ob3 -> model: the two models are the same, byte for byte. */
static void one_round_trip(const char *path, void *ud)
{
    int *count = ud;
    got g1, g2;
    assert_int_equal(read_path(&g1, "ob3", path, false), 0);
    assert_int_equal(g1.n, 1);
    char *m1 = model_json(g1.recs[0]);
    char *ob3 = write_all("ob3", g1.recs, 1);
    assert_int_equal(read_string(&g2, "ob3", ob3), 0);
    assert_int_equal(g2.n, 1);
    char *m2 = model_json(g2.recs[0]);
    if (strcmp(m1, m2) != 0)
        fail_msg("%s: the model changed on the round trip", path);
    ++*count;
    free(m1);
    free(m2);
    free(ob3);
    got_free(&g1);
    got_free(&g2);
}

static void examples_round_trip(void **state)
{
    (void)state;
    int count = 0;
    if (!each_example(one_round_trip, &count))
        skip();
    assert_int_equal(count, 41);
}

/* The write shape: context order, arrays, embedded issuer, proof as an array. */
static void write_shape(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "ob3",
        "{\"@context\":[\"https://www.w3.org/2018/credentials/v1\","
        "\"https://purl.imsglobal.org/spec/ob/v3p0/context.json\"],"
        "\"id\":\"urn:uuid:1\",\"type\":[\"VerifiableCredential\",\"AchievementCredential\"],"
        "\"issuer\":{\"id\":\"https://ex.org/i\",\"type\":\"Profile\",\"name\":\"Ex\"},"
        "\"issuanceDate\":\"2024-05-01\","
        "\"credentialSubject\":{\"id\":\"did:ex:1\",\"achievement\":{\"id\":\"urn:uuid:2\","
        "\"type\":\"Achievement\",\"name\":\"A\",\"description\":\"d\","
        "\"criteria\":{\"narrative\":\"n\"},\"alignment\":{\"targetName\":\"x\","
        "\"targetUrl\":\"https://ex.org/x\"}}},"
        "\"proof\":{\"type\":\"DataIntegrityProof\",\"proofValue\":\"z1\"}}"), 0);
    assert_int_equal(g.n, 1);
    assert_non_null(strstr(g.rules, "ob3-vc11"));
    char *out = write_all("ob3", g.recs, 1);
    assert_non_null(strstr(out, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                                "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]"));
    assert_non_null(strstr(out, "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]"));
    assert_non_null(strstr(out, "\"issuer\":{\"id\":\"https://ex.org/i\",\"type\":[\"Profile\"],"
                                "\"name\":\"Ex\"}"));
    assert_non_null(strstr(out, "\"validFrom\":\"2024-05-01T00:00:00Z\""));
    assert_non_null(strstr(out, "\"alignment\":[{\"type\":[\"Alignment\"]"));
    assert_non_null(strstr(out, "\"proof\":[{\"type\":\"DataIntegrityProof\""));
    assert_null(strstr(out, "issuanceDate"));
    assert_int_equal(strcspn(out, "\n") + 1, strlen(out));  /* one line */
    free(out);
    got_free(&g);
}

static void language_map(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "ob3",
        "{\"id\":\"urn:a\",\"type\":[\"Achievement\"],\"name\":{\"en\":\"Cook\",\"fr\":\"Cuisinier\"},"
        "\"description\":\"d\",\"criteria\":{\"narrative\":\"n\"},\"inLanguage\":\"fr\"}"), 0);
    assert_int_equal(g.n, 1);
    const cc_achievement *a = g.recs[0]->achievement;
    assert_int_equal(a->title.n, 2);
    assert_string_equal(cc_text_get(&a->title, "fr"), "Cuisinier");
    assert_string_equal(((cc_text *)a->description.head)->lang, "fr");  /* from inLanguage */
    char *out = write_all("ob3", g.recs, 1);
    assert_non_null(strstr(out, "\"name\":\"Cuisinier\""));  /* the achievement's language */
    free(out);
    got_free(&g);
}

/* ------------------------------------------------------------ RNCP fiches */

static void rncp_fiche_and_blocks(void **state)
{
    (void)state;
    got g, back;
    if (read_path(&g, "rncp", RNCP12, false))
        skip();
    char *out = write_all("ob3", g.recs, 1);  /* RNCP34762 and its 5 blocks */
    assert_int_equal(g.recs[0]->achievement->parts.n, 5);
    assert_int_equal(read_string(&back, "ob3", out), 0);
    assert_int_equal(back.errors, 0);
    assert_int_equal(back.n, 1);  /* the blocks after their fiche are its parts again */
    const cc_achievement *f = back.recs[0]->achievement, *b = f->parts.head;
    assert_int_equal(f->parts.n, 5);
    assert_string_equal(f->code, "RNCP34762");
    assert_string_equal(f->kind, "certification");
    assert_int_equal(f->eqf_level, 7);
    assert_string_equal(f->homepage, "https://www.francecompetences.fr/recherche/rncp/34762/");
    assert_int_equal(f->alignments.n, g.recs[0]->achievement->alignments.n);
    assert_string_equal(((cc_code *)f->alignments.head)->scheme, "formacode");
    assert_null(((cc_code *)f->alignments.head)->uri);  /* rebuilt from the code */
    const cc_org *creator = f->orgs.head;
    assert_string_equal(((cc_code *)creator->identifiers.head)->scheme, "siret");
    assert_true(f->criteria.n > 0);  /* the competences, as a Markdown list */
    assert_string_equal(b->code, "RNCP34762BC01");
    assert_string_equal(b->kind, "skills-block");
    assert_string_equal(b->part_of, "RNCP34762");
    assert_non_null(strstr(out, "\"achievementType\":\"Certificate\""));
    assert_non_null(strstr(out, "\"targetType\":\"ceterms:Credential\""));
    assert_non_null(strstr(out, "\"targetUrl\":\"http://data.europa.eu/snb/eqf/7\""));
    free(out);
    got_free(&back);
    got_free(&g);
}

static void standalone_block(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "model",
        "{\"model\":\"credconv-model/1\",\"achievement\":{\"id\":\"https://ex.org/b\","
        "\"code\":\"RS5000BC01\",\"kind\":\"skills-block\",\"title\":{\"fr\":\"Bloc\"},"
        "\"assessment\":{\"fr\":\"Mise en situation\"},\"partOf\":\"RS5000\"}}"), 0);
    char *out = write_all("ob3", g.recs, 1);
    assert_non_null(strstr(out, "\"targetName\":\"RS5000\",\"targetUrl\":"
                                "\"https://www.francecompetences.fr/recherche/rs/5000/\""));
    assert_non_null(strstr(out, "\"criteria\":{\"narrative\":\"Mise en situation\"}"));
    assert_non_null(strstr(out, "\"description\":\"Bloc\""));  /* filled from the title */
    free(out);
    got_free(&g);
}

/* ------------------------------------------------------------ official schemas */

#define OFFICIAL OB "/schemas/ob3/ob_v3p0_achievementcredential_schema.json"
#define OFFICIAL_E OB "/schemas/ob3/ob_v3p0_endorsementcredential_schema.json"
#define OFFICIAL_ID "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
#define OURS "https://credconv.invalid/schemas/ob3/ob3.schema.json"

typedef struct vstate {
    cc_schema_set *set;
    int docs, errors;
} vstate;

static void on_schema_error(void *ud, const char *instance, const char *keyword, const char *msg)
{
    printf("    %s: %s [%s]\n", *instance ? instance : "/", msg, keyword);
    ((vstate *)ud)->errors++;
}

/* Each written document against the official schema of its class, and against ours. */
static void check_written(vstate *v, const char *source, char *ndjson)
{
    for (char *line = strtok(ndjson, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *doc = json_loads(line, 0, NULL);
        assert_non_null(doc);
        const char *t = json_string_value(json_array_get(json_object_get(doc, "type"), 1));
        bool achievement = !t, endorsement = t && strcmp(t, "EndorsementCredential") == 0;
        const char *official = endorsement ? OFFICIAL_ID "ob_v3p0_endorsementcredential_schema.json"
                               : achievement ? OFFICIAL_ID "ob_v3p0_achievementcredential_schema.json#/$defs/Achievement"
                                             : OFFICIAL_ID "ob_v3p0_achievementcredential_schema.json";
        const char *ours = endorsement ? OURS "#/$defs/EndorsementCredential"
                           : achievement ? OURS "#/$defs/Achievement" : OURS;
        int before = v->errors;
        assert_int_not_equal(cc_schema_validate(v->set, official, doc, CC_SCHEMA_FORMAT_ASSERT,
                                                on_schema_error, v), -1);
        assert_int_not_equal(cc_schema_validate(v->set, ours, doc, CC_SCHEMA_FORMAT_ASSERT,
                                                on_schema_error, v), -1);
        if (v->errors > before)
            printf("  ^ a document written from %s\n", source);
        v->docs++;
        json_decref(doc);
    }
}

static void write_and_check(const char *path, void *ud)
{
    got g;
    const char *fmt = strstr(path, ".xml") ? "rncp" : "ob3";
    assert_int_equal(read_path(&g, fmt, path, false), 0);
    char *out = write_all("ob3", g.recs, g.n);
    check_written(ud, path, out);
    free(out);
    got_free(&g);
}

static void written_documents_pass_official_schemas(void **state)
{
    (void)state;
    char err[512];
    vstate v = {.set = cc_schema_set_new(), .docs = 0, .errors = 0};
    if (access(OFFICIAL, R_OK) != 0) {
        printf("SKIP: %s (../shared/corpus absent)\n", OFFICIAL);
        cc_schema_set_free(v.set);
        skip();
    }
    assert_int_equal(cc_schema_set_add_file(v.set, OFFICIAL, NULL, err, sizeof err), 0);
    assert_int_equal(cc_schema_set_add_file(v.set, OFFICIAL_E, NULL, err, sizeof err), 0);
    assert_int_equal(cc_schema_set_add_file(v.set, "schemas/ob3/ob3.schema.json", NULL, err,
                                            sizeof err), 0);
    each_example(write_and_check, &v);
    write_and_check(RNCP12, &v);
    write_and_check(CORPUS "/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml", &v);
    write_and_check(CORPUS "/rncp/moncampus_export-fiches-rncp-v4-1_extract_RNCP35340_RNCP40792_partial.xml", &v);
    cc_schema_set_free(v.set);
    assert_int_equal(v.docs, 41 + 65 + 8 + 9);
    assert_int_equal(v.errors, 0);
}

/* ------------------------------------------------------------ the writer refuses */

typedef struct sink {
    int errors, notes;
    char last[512];
} sink;

static void on_diag(void *ud, const cc_diag *d)
{
    sink *s = ud;
    if (d->severity == CC_ERROR) {
        s->errors++;
        snprintf(s->last, sizeof s->last, "%s", d->message);
    } else if (d->severity == CC_NOTE && strcmp(d->rule, "loss") == 0) {
        s->notes++;
    }
}

/* One model record through the OB 3.0 writer.  records_in_output as cc_write_ctx says;
 * tree: where cc_write_ctx.doc_out hands the checked tree (NULL: not asked). */
static int write_with(const char *model, sink *s, char **out, int records, json_t **tree)
{
    got g;
    assert_int_equal(read_string(&g, "model", model), 0);
    assert_int_equal(g.n, 1);
    size_t len = 0;
    FILE *mem = open_memstream(out, &len);
    cc_diag_sink ds = {.emit = on_diag, .ud = s};
    void *t = NULL;
    cc_write_ctx wc = {.out = mem, .diag = &ds, .records_in_output = records, .doc_out = tree ? &t : NULL};
    const cc_format *f = cc_format_find("ob3");
    void *w = f->writer_open(&wc);
    int rc = f->writer_record(w, g.recs[0]);
    assert_int_equal(f->writer_close(w), 0);
    fclose(mem);
    got_free(&g);
    if (tree)
        *tree = t;
    return rc;
}

static int write_one(const char *model, sink *s, char **out)
{
    return write_with(model, s, out, -1, NULL);
}

static void writer_rejects(void **state)
{
    (void)state;
    static const struct {
        const char *model, *message;
    } cases[] = {
        {.model = "{\"model\":\"credconv-model/1\",\"achievement\":{\"title\":{\"en\":\"x\"}}}",
         .message = "no id (model achievement.id)"},
        {.model = "{\"model\":\"credconv-model/1\",\"achievement\":{\"id\":\"urn:x\"}}",
         .message = "no name (model achievement.title)"},
        {.model = "{\"model\":\"credconv-model/1\",\"credential\":{\"id\":\"urn:c\",\"issuer\":{\"id\":"
         "\"urn:i\",\"name\":{\"en\":\"I\"}},\"issued\":\"2024-01-01\",\"achievement\":{\"id\":"
         "\"urn:a\",\"title\":{\"en\":\"A\"},\"criteria\":{\"en\":\"c\"}}}}",
         .message = "neither id nor identifier (model credential.subject)"},
        {.model = "{\"model\":\"credconv-model/1\",\"credential\":{\"id\":\"urn:c\",\"issuer\":{\"id\":"
         "\"urn:i\"},\"issued\":\"2024-01-01\",\"subject\":{\"id\":\"did:x\"}}}",
         .message = "issuer has no name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sink s = {0};
        char *out = NULL;
        assert_int_equal(write_one(cases[i].model, &s, &out), 1);
        assert_int_equal(s.errors, 1);
        if (!strstr(s.last, cases[i].message))
            fail_msg("case %zu: \"%s\"", i, s.last);
        assert_string_equal(out, "");  /* nothing half-written */
        free(out);
    }
}

/* cc_write_ctx.doc_out: the tree the check passed is handed over, equal to the text written;
 * a record the schema rejects (an issuer id that is no URI) leaves it NULL and writes nothing. */
static void writer_hands_checked_tree(void **state)
{
    (void)state;
    static const char *model = "{\"model\":\"credconv-model/1\",\"credential\":{\"id\":\"urn:c\","
        "\"issuer\":{\"id\":\"ISSUER\",\"name\":{\"en\":\"I\"}},\"issued\":\"2024-01-01\","
        "\"subject\":{\"id\":\"did:x\"},\"achievement\":{\"id\":\"urn:a\",\"title\":{\"en\":"
        "\"A\"},\"criteria\":{\"en\":\"c\"}}}}";
    char good[1024], bad[1024];
    const char *at = strstr(model, "ISSUER");
    snprintf(good, sizeof good, "%.*surn:i%s", (int)(at - model), model, at + 6);
    snprintf(bad, sizeof bad, "%.*snot a uri%s", (int)(at - model), model, at + 6);
    sink s = {0};
    char *out = NULL;
    json_t *tree = NULL;
    assert_int_equal(write_with(good, &s, &out, 1, &tree), 0);
    assert_non_null(tree);
    json_t *back = json_loads(out, 0, NULL);
    assert_true(json_equal(tree, back));
    json_decref(back);
    json_decref(tree);
    free(out);
    sink s2 = {0};
    assert_int_equal(write_with(bad, &s2, &out, 1, &tree), 1);
    assert_null(tree);
    assert_true(s2.errors >= 1);
    assert_string_equal(out, "");
    free(out);
}

static void writer_notes_losses(void **state)
{
    (void)state;
    sink s = {0};
    char *out = NULL;
    assert_int_equal(write_one("{\"model\":\"credconv-model/1\",\"credential\":{\"id\":\"urn:c\","
                               "\"issuer\":{\"id\":\"urn:i\",\"name\":{\"en\":\"I\"}},"
                               "\"validFrom\":\"2024-01-01T10:00:00\",\"subject\":{\"email\":"
                               "\"a@ex.org\",\"birthDate\":\"2000-01-01\"},\"achievement\":{"
                               "\"id\":\"urn:a\",\"title\":{\"en\":\"A\"},\"criteria\":{\"en\":"
                               "\"c\"},\"volume\":\"PT10H\"}}}", &s, &out), 0);
    assert_int_equal(s.notes, 2);  /* birthDate, volume */
    assert_non_null(strstr(out, "\"validFrom\":\"2024-01-01T10:00:00Z\""));
    assert_non_null(strstr(out, "\"identityHash\":\"a@ex.org\",\"identityType\":\"emailAddress\""));
    free(out);
}

/* ------------------------------------------------------------ hostile input */

static void bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *message;
    } cases[] = {
        {.doc = "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"urn:i\","
         "\"credentialSubject\":42}",
         .message = "credentialSubject must be one object (an AchievementSubject) (at /credentialSubject)"},
        {.doc = "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"urn:i\","
         "\"credentialSubject\":{\"id\":\"did:x\"}}",
         .message = "missing achievement (at /credentialSubject/achievement)"},
        {.doc = "{\"type\":\"Achievement\",\"name\":[1,2]}", .message = "(at /name)"},
        {.doc = "{\"type\":\"Achievement\",\"alignment\":[{\"targetName\":\"x\"},7]}",
         .message = "an Alignment must be an object (at /alignment/1)"},
        {.doc = "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":\"urn:i\","
         "\"credentialSubject\":{\"identifier\":[{\"type\":\"IdentityObject\"}],"
         "\"achievement\":{}}}",
         .message = "an IdentityObject needs an identityHash (at /credentialSubject/identifier/0)"},
        {.doc = "{\"hello\":\"world\"}", .message = "not an Open Badges 3.0 document (at /type)"},
        {.doc = "[1]", .message = "a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        got g;
        assert_int_equal(read_string(&g, "ob3", cases[i].doc), 0);
        assert_int_equal(g.n, 0);
        assert_int_equal(g.rejected, 1);
        if (!strstr(g.last, cases[i].message))
            fail_msg("case %zu: \"%s\"", i, g.last);
        got_free(&g);
    }
}

/* A bad document is skipped; the ones around it are read; a line that is not JSON is a
 * record rejected, with its line, and the stream goes on. */
static void stream_goes_on(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "ob3",
        "{\"id\":\"urn:1\",\"type\":\"Achievement\",\"name\":\"a\"}\n"
        "{\"id\":\"urn:2\",\"type\":\"Achievement\",\"creator\":true}\n"
        "{\"id\":\"urn:3\",\"type\":\"Achievement\",\"name\":\"c\"}\n"
        "not json\n"
        "{\"id\":\"urn:5\",\"type\":\"Achievement\",\"name\":\"e\"}\n"), 1);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.rejected, 2);
    assert_non_null(strstr(g.rules, "json-syntax"));
    assert_int_equal(g.last_line, 4);
    got_free(&g);
}

static void duplicate_keys_and_depth(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "ob3", "{\"type\":\"Achievement\",\"id\":\"a\",\"id\":\"b\"}"), 1);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(g.last, "duplicate"));
    got_free(&g);

    size_t deep = 100000;  /* far beyond jansson's limit */
    char *doc = malloc(deep + 64);
    strcpy(doc, "{\"type\":\"Achievement\",\"x\":");
    memset(doc + strlen(doc), '[', deep);
    doc[26 + deep] = '\0';
    assert_int_equal(read_string(&g, "ob3", doc), 1);
    assert_int_equal(g.errors, 1);
    got_free(&g);

    /* nesting the parser accepts is carried through the bag and written back */
    size_t ok = 1000;
    snprintf(doc, deep, "{\"id\":\"urn:d\",\"type\":\"Achievement\",\"name\":\"n\","
             "\"criteria\":{\"id\":\"https://ex.org/c\"},\"x\":");
    size_t n = strlen(doc);
    memset(doc + n, '[', ok);
    memset(doc + n + ok, ']', ok);
    strcpy(doc + n + 2 * ok, "}");
    assert_int_equal(read_string(&g, "ob3", doc), 0);
    assert_int_equal(g.n, 1);
    char *out = write_all("ob3", g.recs, 1);
    assert_non_null(strstr(out, "\"x\":[[[["));
    free(out);
    got_free(&g);
    free(doc);
}

static void huge_string(void **state)
{
    (void)state;
    size_t big = 15u << 20;  /* under the default --max-json-size, 16 MiB */
    char *doc = malloc(big + 128);
    int n = sprintf(doc, "{\"id\":\"urn:big\",\"type\":\"Achievement\",\"name\":\"");
    memset(doc + n, 'x', big);
    strcpy(doc + n + big, "\",\"criteria\":{\"narrative\":\"n\"}}");
    got g;
    assert_int_equal(read_string(&g, "ob3", doc), 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(strlen(cc_text_get(&g.recs[0]->achievement->title, NULL)), big);
    char *out = write_all("ob3", g.recs, 1);
    assert_true(strlen(out) > big);
    free(out);
    got_free(&g);
    free(doc);
}

static void detection(void **state)
{
    (void)state;
    static const struct {
        const char *s, *want;
    } cases[] = {
        {.s = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
         "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]}", .want = "ob3"},
        {.s = "{\"type\":[\"Achievement\"],\"id\":\"x\"}", .want = "ob3"},
        {.s = "{\"model\":\"credconv-model/1\",\"achievement\":{\"kind\":\"Achievement\"}}", .want = "model"},
        {.s = "{\"hello\":\"world\"}", .want = NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const cc_format *f = cc_format_detect((const unsigned char *)cases[i].s, strlen(cases[i].s));
        if (!cases[i].want)
            assert_null(f);
        else
            assert_string_equal(f->name, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(examples_read),
        cmocka_unit_test(full_example_fields),
        cmocka_unit_test(examples_round_trip),
        cmocka_unit_test(write_shape),
        cmocka_unit_test(language_map),
        cmocka_unit_test(rncp_fiche_and_blocks),
        cmocka_unit_test(standalone_block),
        cmocka_unit_test(written_documents_pass_official_schemas),
        cmocka_unit_test(writer_rejects),
        cmocka_unit_test(writer_hands_checked_tree),
        cmocka_unit_test(writer_notes_losses),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(stream_goes_on),
        cmocka_unit_test(duplicate_keys_and_depth),
        cmocka_unit_test(huge_string),
        cmocka_unit_test(detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
