/* RDF datasets, N-Quads and RDFC-1.0: every entry of the W3C RDFC-1.0 test suite, the
 * eddsa-rdfc-2022 vectors' canonical documents, and the parser's and serializer's corners. */
#include "helpers.h"

#include "cc_jose.h"
#include "cc_rdf.h"

#include <openssl/evp.h>

#define W3C CORPUS "/ob/test-vectors/rdfc-1.0-w3c"
#define EDDSA CORPUS "/ob/test-vectors/eddsa-rdfc-2022"
#define POISON "too many Hash N-Degree Quads calls (RDFC-1.0 poison limit)"
#define OBV3_DOC_SHA256 "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"

/* ------------------------------------------------------------ helpers */

static cc_rdf_dataset *parse_ok(const char *text, size_t len)
{
    cc_rdf_dataset *d = cc_rdf_new();
    char err[256] = "";
    assert_non_null(d);
    if (cc_rdf_parse_nquads(d, text, len, err, sizeof err) != 0)
        fail_msg("N-Quads rejected: %s", err);
    return d;
}

/* The canonical form of N-Quads text; the caller frees it. */
static char *canon_of(const char *text)
{
    cc_rdf_dataset *d = parse_ok(text, strlen(text));
    char err[256] = "";
    char *out = cc_rdfc_canonize(d, 0, NULL, err, sizeof err);
    if (!out)
        fail_msg("canonize: %s", err);
    cc_rdf_free(d);
    return out;
}

static void sha256_hex(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned n = 0;
    assert_true(EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL));
    for (unsigned i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static const char *member(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ------------------------------------------------------------ the W3C test suite */

enum outcome { PASSED, FAILED, SKIPPED };

static enum outcome expect_output(const char *out, const char *result, char *why, size_t n)
{
    size_t len;
    char *want = cc_read_file(result, 16 << 20, &len);
    enum outcome o = want && !strcmp(out, want) ? PASSED : FAILED;
    if (o == FAILED)
        snprintf(why, n, "output differs from %s:\n%s", result, out);
    free(want);
    return o;
}

static enum outcome expect_map(const json_t *issued, const char *result, char *why, size_t n)
{
    json_t *want = json_load_file(result, 0, NULL);
    enum outcome o = want && issued && json_equal(issued, want) ? PASSED : FAILED;
    if (o == FAILED) {
        char *text = issued ? json_dumps(issued, JSON_SORT_KEYS) : NULL;
        snprintf(why, n, "issued map %s differs from %s", text ? text : "(none)", result);
        free(text);
    }
    json_decref(want);
    return o;
}

/* Runs one manifest entry on its already parsed input. */
static enum outcome run_on(const json_t *e, const cc_rdf_dataset *d, char *why, size_t n)
{
    const char *type = member(e, "type"), *result = member(e, "result");
    char path[1024], err[256] = "";
    snprintf(path, sizeof path, W3C "/%s", result ? result : "");
    bool map = !strcmp(type, "rdfc:RDFC10MapTest");
    json_t *issued = NULL;
    char *out = cc_rdfc_canonize(d, 0, map ? &issued : NULL, err, sizeof err);
    enum outcome o = FAILED;
    if (!strcmp(type, "rdfc:RDFC10NegativeEvalTest")) {
        o = !out && !strcmp(err, POISON) ? PASSED : FAILED;
        snprintf(why, n, "expected the poison error, got %s", out ? "a result" : err);
    } else if (!out) {
        snprintf(why, n, "canonize failed: %s", err);
    } else if (map) {
        o = expect_map(issued, path, why, n);
    } else if (!strcmp(type, "rdfc:RDFC10EvalTest")) {
        o = expect_output(out, path, why, n);
    } else {
        snprintf(why, n, "unknown test type %s", type);
    }
    free(out);
    json_decref(issued);
    return o;
}

static enum outcome run_entry(const json_t *e, char *why, size_t n)
{
    const char *action = member(e, "action"), *alg = member(e, "hashAlgorithm");
    if (alg && strcmp(alg, "SHA256") != 0) {
        snprintf(why, n, "hash %s: cc_rdfc_canonize has no hash parameter", alg);
        return SKIPPED;
    }
    char path[1024], err[256] = "";
    snprintf(path, sizeof path, W3C "/%s", action ? action : "");
    size_t len;
    char *text = cc_read_file(path, 16 << 20, &len);
    if (!text) {
        snprintf(why, n, "cannot read %s", path);
        return FAILED;
    }
    cc_rdf_dataset *d = cc_rdf_new();
    enum outcome o = FAILED;
    if (cc_rdf_parse_nquads(d, text, len, err, sizeof err) != 0)
        snprintf(why, n, "%s: %s", path, err);
    else
        o = run_on(e, d, why, n);
    cc_rdf_free(d);
    free(text);
    return o;
}

static void w3c_suite(void **state)
{
    (void)state;
    json_t *manifest = json_load_file(W3C "/manifest.jsonld", 0, NULL);
    if (!manifest) {
        printf("SKIP: %s (../shared/corpus absent)\n", W3C "/manifest.jsonld");
        skip();
    }
    const json_t *entries = json_object_get(manifest, "entries");
    size_t i;
    json_t *e;
    int count[3] = {0};
    json_array_foreach(entries, i, e) {
        char why[8192] = "";
        enum outcome o = run_entry(e, why, sizeof why);
        count[o]++;
        if (o != PASSED)
            printf("%s %s (%s): %s\n", o == FAILED ? "FAIL" : "SKIP", member(e, "id"),
                   member(e, "name"), why);
    }
    printf("rdfc-1.0: %d passed, %d failed", count[PASSED], count[FAILED]);
    if (count[SKIPPED])
        printf(", %d skipped (not SHA-256)", count[SKIPPED]);
    printf("\n");
    assert_int_equal(count[FAILED], 0);
    assert_int_equal((size_t)(count[PASSED] + count[SKIPPED]), json_array_size(entries));
    assert_true(count[PASSED] > 0);
    json_decref(manifest);
}

/* A copy of d with its quads in reverse order and its blank nodes renamed. */
static cc_rdf_dataset *relabelled(const cc_rdf_dataset *d)
{
    cc_rdf_dataset *r = cc_rdf_new();
    for (size_t i = cc_rdf_count(d); i-- > 0;) {
        cc_rdf_quad q = *cc_rdf_get(d, i);
        cc_rdf_term *t[] = {&q.s, &q.o, &q.g};
        char names[3][256];
        for (int k = 0; k < 3; k++) {
            if (t[k]->kind != CC_RDF_BLANK)
                continue;
            snprintf(names[k], sizeof names[k], "x%s", t[k]->value);
            t[k]->value = names[k];
        }
        assert_int_equal(cc_rdf_add(r, &q.s, &q.p, &q.o, &q.g), 0);
    }
    return r;
}

/* Canonical means the same output whatever the labels and the order of the input. */
static void w3c_isomorphic_inputs(void **state)
{
    (void)state;
    json_t *manifest = json_load_file(W3C "/manifest.jsonld", 0, NULL);
    if (!manifest) {
        printf("SKIP: %s (../shared/corpus absent)\n", W3C "/manifest.jsonld");
        skip();
    }
    size_t i, checked = 0;
    json_t *e;
    json_array_foreach(json_object_get(manifest, "entries"), i, e) {
        if (strcmp(member(e, "type"), "rdfc:RDFC10EvalTest") != 0 || member(e, "hashAlgorithm"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, W3C "/%s", member(e, "action"));
        size_t len;
        char *text = cc_read_file(path, 16 << 20, &len);
        assert_non_null(text);
        cc_rdf_dataset *d = parse_ok(text, len), *r = relabelled(d);
        char *a = cc_rdfc_canonize(d, 0, NULL, NULL, 0), *b = cc_rdfc_canonize(r, 0, NULL, NULL, 0);
        assert_non_null(a);
        assert_non_null(b);
        if (strcmp(a, b) != 0)
            fail_msg("%s: relabelled input canonizes differently", path);
        checked++;
        free(a), free(b), free(text);
        cc_rdf_free(d), cc_rdf_free(r);
    }
    assert_true(checked > 0);
    json_decref(manifest);
}

/* ------------------------------------------------------------ eddsa-rdfc-2022 vectors */

static void eddsa_canon_documents(void **state)
{
    (void)state;
    static const char *const files[] = {
        EDDSA "/obv3p0/document-canon.txt", EDDSA "/obv3p0/proof-canon.txt",
        EDDSA "/clrv2p0/document-canon.txt", EDDSA "/clrv2p0/proof-canon.txt",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        size_t len;
        char *text = cc_read_file(files[i], 16 << 20, &len);
        if (!text) {
            printf("SKIP: %s (../shared/corpus absent)\n", files[i]);
            skip();
        }
        char *again = canon_of(text);
        if (strcmp(again, text) != 0)
            fail_msg("%s is not a fixed point of RDFC-1.0:\n%s", files[i], again);
        if (i == 0) {
            char hex[65];
            sha256_hex(again, hex);
            assert_string_equal(hex, OBV3_DOC_SHA256);
        }
        free(again);
        free(text);
    }
}

/* ------------------------------------------------------------ N-Quads in */

static void parse_errors_name_their_line(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {.text = "<s> <http://p> <http://o> .", .want = "line 1: relative IRI"},
        {.text = "# c\n\n<a:s> <a:p> \"open .\n", .want = "line 3: unterminated string"},
        {.text = "<a:s> <a:p> <a:o>\n", .want = "line 1: expected '.'"},
        {.text = "<a:s> <a:p> <a:o> . <a:x>\n", .want = "line 1: unexpected text after '.'"},
        {.text = "<a:s> <a:p> <a:o> .\r\n<a:s> <a:p> \"\\x\" .", .want = "line 2: invalid escape"},
        {.text = "<a:s> <a:p> <a:o> .\r\r\"lit\" <a:p> <a:o> .", .want = "line 3: expected a subject"},
        {.text = "_:a _:p <a:o> .", .want = "line 1: expected a predicate IRI"},
        {.text = "<a:s> <a:p> \"x\"@ .", .want = "line 1: empty language tag"},
        {.text = "<a:s> <a:p> \"x\"^^\"y\" .", .want = "line 1: expected a datatype IRI"},
        {.text = "<a:s> <a:p> \"\\uD800\" .", .want = "line 1: \\u escape is not a Unicode scalar value"},
        {.text = "<a:s> <a:p> \"\\U00110000\" .", .want = "line 1: \\U escape is not a Unicode scalar value"},
        {.text = "<a:s> <a:p> \"\\u12", .want = "line 1: truncated \\u escape"},
        {.text = "<a:s> <a:p> \"\\u12zz\" .", .want = "line 1: \\u escape needs 4 hex digits"},
        {.text = "<a:\\u0020> <a:p> <a:o> .", .want = "line 1: IRI escape for U+0020"},
        {.text = "<a:s a> <a:p> <a:o> .", .want = "line 1: character U+0020 not allowed in an IRI"},
        {.text = "<a:s> <a:p> \"\xff\" .", .want = "line 1: invalid UTF-8 in string"},
        {.text = "<a:s> <a:p> \"\xc0\x80\" .", .want = "line 1: invalid UTF-8 in string"},
        {.text = "<a:\xed\xa0\x80> <a:p> <a:o> .", .want = "line 1: invalid UTF-8 in IRI"},
        {.text = "_:.a <a:p> <a:o> .", .want = "line 1: empty or invalid blank node label"},
        {.text = "<a:s> <a:p> <a:o", .want = "line 1: unterminated IRI"},
        {.text = "<a:s> <a:p> <a:o> <a:g> <a:h> .", .want = "line 1: expected '.'"},
        {.text = "<a:s> <a:p> <a:o> . # fine\n<a:s> <a:p> # not\n", .want = "line 2: expected an object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cc_rdf_dataset *d = cc_rdf_new();
        char err[256] = "";
        int rc = cc_rdf_parse_nquads(d, cases[i].text, strlen(cases[i].text), err, sizeof err);
        if (rc != -1 || strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("case %zu: rc %d, \"%s\", want \"%s\"", i, rc, err, cases[i].want);
        cc_rdf_free(d);
    }
}

static void parse_accepts_the_grammar(void **state)
{
    (void)state;
    static const char text[] =
        "# a comment\n"
        "  \t\n"
        "<http://a/s><http://a/p>\"x\"@en-GB-oed<http://a/g>.\n"
        "_:b.1_-x <http://a/p> _:0 _:g.   # a label may hold dots, not end with one\n"
        "<http://a/s> <http://a/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\r\n"
        "<http://a/s> <http://a/p> \"caf\\u00E9 \\U0001F303\" .";
    cc_rdf_dataset *d = parse_ok(text, sizeof text - 1);
    assert_int_equal(cc_rdf_count(d), 4);
    const cc_rdf_quad *q = cc_rdf_get(d, 0);
    assert_string_equal(q->o.lang, "en-GB-oed");
    assert_string_equal(q->o.datatype, CC_RDF_LANGSTRING);
    assert_string_equal(q->g.value, "http://a/g");
    q = cc_rdf_get(d, 1);
    assert_int_equal(q->s.kind, CC_RDF_BLANK);
    assert_string_equal(q->s.value, "b.1_-x");
    assert_string_equal(q->o.value, "0");
    assert_string_equal(q->g.value, "g");
    q = cc_rdf_get(d, 3);
    assert_string_equal(q->o.value, "caf\xc3\xa9 \xf0\x9f\x8c\x83");
    assert_string_equal(q->o.datatype, CC_XSD_STRING);
    assert_int_equal(q->g.kind, CC_RDF_NONE);
    assert_null(cc_rdf_get(d, 4));
    cc_rdf_free(d);
}

/* Every truncation and many single-byte changes of a document: parsed or refused, never a
 * read outside the text (the sanitizer and valgrind runs watch). */
static void parse_survives_mangled_input(void **state)
{
    (void)state;
    static const char doc[] =
        "_:b0 <http://a/p> \"x\\u00e9\\n\\\"\"@en <http://a/g> .\n"
        "<http://a/s> <http://a/p> \"1\"^^<http://a/dt> _:g .\n"
        "_:b1 <http://a/p> _:b0 . # c\n";
    size_t n = sizeof doc - 1;
    unsigned seed = 1;
    for (size_t cut = 0; cut <= n; cut++) {
        char *t = malloc(cut + 1);
        memcpy(t, doc, cut);
        cc_rdf_dataset *d = cc_rdf_new();
        char err[128];
        cc_rdf_parse_nquads(d, t, cut, err, sizeof err);
        cc_rdf_free(d);
        free(t);
    }
    for (int round = 0; round < 4000; round++) {
        char t[sizeof doc];
        memcpy(t, doc, sizeof doc);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            t[(seed >> 8) % n] = (char)(seed >> 20);
        }
        cc_rdf_dataset *d = cc_rdf_new();
        char err[128];
        if (cc_rdf_parse_nquads(d, t, n, err, sizeof err) == 0) {
            char *out = cc_rdfc_canonize(d, 0, NULL, err, sizeof err);
            assert_non_null(out);
            free(out);
        } else {
            assert_true(!strncmp(err, "line ", 5));
        }
        cc_rdf_free(d);
    }
}

/* ------------------------------------------------------------ N-Quads out */

/* A literal written a run of plain bytes at a time: runs before, between and after each
 * escape, a run of 300 bytes (past the line's first allocation), UTF-8 (C0-free) kept,
 * and a literal that is only escapes. */
static void literal_runs(void **state)
{
    (void)state;
    char long_run[301];
    memset(long_run, 'x', 300);
    long_run[300] = '\0';
    char in[512], want[512];
    snprintf(in, sizeof in, "<a:s> <a:p> \"ab\\\"cd\\\\ef\\tgh\\u007F\xc3\xa9%s\\n\" .\n", long_run);
    snprintf(want, sizeof want, "<a:s> <a:p> \"ab\\\"cd\\\\ef\\tgh\\u007F\xc3\xa9%s\\n\" .\n", long_run);
    cc_rdf_dataset *d = parse_ok(in, strlen(in));
    char *out = cc_rdf_quad_nquads(cc_rdf_get(d, 0));
    assert_string_equal(out, want);
    free(out);
    cc_rdf_free(d);
    static const char only[] = "<a:s> <a:p> \"\\t\\u0000\\\"\" .\n";
    d = parse_ok(only, sizeof only - 1);
    out = cc_rdf_quad_nquads(cc_rdf_get(d, 0));
    assert_string_equal(out, only);
    free(out);
    cc_rdf_free(d);
}

static void literal_escaping_round_trip(void **state)
{
    (void)state;
    static const char in[] =
        "<a:s> <a:p> \"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001F "
        "\\\"\\'\\\\\\u007f\\u0080\xe2\x88\x9e\" .\n";
    static const char want[] =
        "<a:s> <a:p> \"\\u0000\\u0001\\b\\t\\n\\u000B\\f\\r\\u001F "
        "\\\"'\\\\\\u007F\xc2\x80\xe2\x88\x9e\" .\n";
    cc_rdf_dataset *d = parse_ok(in, sizeof in - 1);
    char *once = cc_rdf_quad_nquads(cc_rdf_get(d, 0));
    assert_string_equal(once, want);
    cc_rdf_dataset *again = parse_ok(once, strlen(once));
    char *twice = cc_rdf_quad_nquads(cc_rdf_get(again, 0));
    assert_string_equal(twice, want);
    free(once), free(twice);
    cc_rdf_free(d), cc_rdf_free(again);

    /* A raw NUL in a literal (the grammar allows it) comes out escaped too. */
    static const char raw[] = "<a:s> <a:p> \"x\0y\" .";
    d = parse_ok(raw, sizeof raw - 1);
    once = cc_rdf_quad_nquads(cc_rdf_get(d, 0));
    assert_string_equal(once, "<a:s> <a:p> \"x\\u0000y\" .\n");
    free(once);
    cc_rdf_free(d);

    cc_rdf_dataset *e = cc_rdf_new();
    cc_rdf_term s = {.kind = CC_RDF_BLANK, .value = "b0", .datatype = NULL, .lang = NULL}, p = {.kind = CC_RDF_IRI, .value = "http://a/p", .datatype = NULL, .lang = NULL};
    cc_rdf_term o = {.kind = CC_RDF_LITERAL, .value = "1", .datatype = "http://www.w3.org/2001/XMLSchema#integer", .lang = NULL};
    cc_rdf_term g = {.kind = CC_RDF_IRI, .value = "http://a/g", .datatype = NULL, .lang = NULL};
    assert_int_equal(cc_rdf_add(e, &s, &p, &o, &g), 0);
    o = (cc_rdf_term){.kind = CC_RDF_LITERAL, .value = "chat", .datatype = NULL, .lang = "fr"};
    assert_int_equal(cc_rdf_add(e, &s, &p, &o, NULL), 0);
    char *l0 = cc_rdf_quad_nquads(cc_rdf_get(e, 0)), *l1 = cc_rdf_quad_nquads(cc_rdf_get(e, 1));
    assert_string_equal(l0, "_:b0 <http://a/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> "
                            "<http://a/g> .\n");
    assert_string_equal(l1, "_:b0 <http://a/p> \"chat\"@fr .\n");
    free(l0), free(l1);
    cc_rdf_free(e);
}

/* ------------------------------------------------------------ the dataset */

static void add_keeps_a_set(void **state)
{
    (void)state;
    cc_rdf_dataset *d = cc_rdf_new();
    cc_rdf_term s = {.kind = CC_RDF_IRI, .value = "http://a/s", .datatype = NULL, .lang = NULL};
    cc_rdf_term p = {.kind = CC_RDF_IRI, .value = "http://a/p", .datatype = NULL, .lang = NULL};
    cc_rdf_term plain = {.kind = CC_RDF_LITERAL, .value = "x", .datatype = NULL, .lang = NULL};
    cc_rdf_term typed = {.kind = CC_RDF_LITERAL, .value = "x", .datatype = CC_XSD_STRING, .lang = NULL};
    cc_rdf_term en = {.kind = CC_RDF_LITERAL, .value = "x", .datatype = NULL, .lang = "en"}, none = {.kind = CC_RDF_NONE, .value = NULL, .datatype = NULL, .lang = NULL};
    assert_int_equal(cc_rdf_add(d, &s, &p, &plain, NULL), 0);
    assert_int_equal(cc_rdf_add(d, &s, &p, &typed, &none), 0);  /* the same quad */
    assert_int_equal(cc_rdf_count(d), 1);
    assert_int_equal(cc_rdf_add(d, &s, &p, &en, NULL), 0);
    assert_int_equal(cc_rdf_add(d, &s, &p, &plain, &s), 0);     /* another graph */
    assert_int_equal(cc_rdf_count(d), 3);
    /* Copies: the caller's strings may go. */
    char buf[32];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 3000; i++) {
            snprintf(buf, sizeof buf, "v%d", i);
            cc_rdf_term o = {.kind = CC_RDF_LITERAL, .value = buf, .datatype = NULL, .lang = NULL};
            assert_int_equal(cc_rdf_add(d, &s, &p, &o, NULL), 0);
            memset(buf, 'z', sizeof buf - 1);
        }
    assert_int_equal(cc_rdf_count(d), 3003);
    assert_string_equal(cc_rdf_get(d, 3)->o.value, "v0");
    assert_string_equal(cc_rdf_get(d, 3002)->o.value, "v2999");
    /* What RDF cannot hold is refused. */
    assert_int_equal(cc_rdf_add(d, &plain, &p, &s, NULL), -1);
    assert_int_equal(cc_rdf_add(d, &s, &plain, &s, NULL), -1);
    assert_int_equal(cc_rdf_add(d, &s, &p, &s, &plain), -1);
    assert_int_equal(cc_rdf_count(d), 3003);
    cc_rdf_free(d);
}

static void duplicate_lines_in_input(void **state)
{
    (void)state;
    char *out = canon_of("_:x <a:p> \"v\" .\n_:x <a:p> \"v\" .\n"
                         "<a:s> <a:p> _:x .\n<a:s> <a:p> _:x .\n");
    assert_string_equal(out, "<a:s> <a:p> _:c14n0 .\n_:c14n0 <a:p> \"v\" .\n");
    free(out);
}

static void empty_dataset(void **state)
{
    (void)state;
    cc_rdf_dataset *d = cc_rdf_new();
    assert_int_equal(cc_rdf_parse_nquads(d, "# nothing\n\n", 11, NULL, 0), 0);
    assert_int_equal(cc_rdf_parse_nquads(d, NULL, 0, NULL, 0), 0);
    json_t *issued = NULL;
    char *out = cc_rdfc_canonize(d, 0, &issued, NULL, 0);
    assert_non_null(out);
    assert_string_equal(out, "");
    assert_non_null(issued);
    assert_int_equal(json_object_size(issued), 0);
    free(out);
    json_decref(issued);
    cc_rdf_free(d);
}

/* ------------------------------------------------------------ the poison limit */

/* n blank nodes in a ring: all share one first-degree hash, so Hash N-Degree Quads walks the
 * ring from every node (n² calls, n deep). */
static char *ring(int n)
{
    size_t cap = (size_t)n * 48 + 1, len = 0;
    char *t = malloc(cap);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(t + len, cap - len, "_:n%d <a:next> _:n%d .\n", i, (i + 1) % n);
    return t;
}

static void poison_limit(void **state)
{
    (void)state;
    char *text = ring(8), err[256] = "";
    cc_rdf_dataset *d = parse_ok(text, strlen(text));
    char *out = cc_rdfc_canonize(d, 0, NULL, err, sizeof err);  /* 64 calls: well under */
    assert_non_null(out);
    assert_non_null(strstr(out, "_:c14n0 <a:next> _:c14n7 .\n_:c14n1 <a:next> _:c14n0 .\n"));
    free(out);
    json_t *issued = (json_t *)1;
    assert_null(cc_rdfc_canonize(d, 63, &issued, err, sizeof err));
    assert_string_equal(err, POISON);
    assert_null(issued);
    out = cc_rdfc_canonize(d, 64, NULL, err, sizeof err);
    assert_non_null(out);
    free(out);
    cc_rdf_free(d);
    free(text);

    /* One call may be all it takes to do too much: the second bound (1024 related hashes or
     * permutations a call allowed) stops at max 1 call two hubs of 1100 distinct blank leaves
     * (one call from each hub), which the default limit lets through. */
    size_t cap = 2 * 1100 * 64 + 1, len = 0;
    text = malloc(cap);
    for (int h = 0; h < 2; h++)
        for (int i = 0; i < 1100; i++)
            len += (size_t)snprintf(text + len, cap - len,
                                    "_:h%d <a:p> _:l%d_%d .\n_:l%d_%d <a:v> \"%d-%d\" .\n", h, h, i,
                                    h, i, h, i);
    d = parse_ok(text, len);
    assert_null(cc_rdfc_canonize(d, 1, NULL, err, sizeof err));
    assert_string_equal(err, "too much work in Hash N-Degree Quads (RDFC-1.0 poison limit)");
    out = cc_rdfc_canonize(d, 0, NULL, err, sizeof err);
    assert_non_null(out);
    free(out);
    cc_rdf_free(d);
    free(text);

    /* Deep: walking a ring of 5000 would hold 5000-node issuers at each of its levels; the
     * depth × blank nodes bound stops it early. */
    text = ring(5000);
    d = parse_ok(text, strlen(text));
    assert_null(cc_rdfc_canonize(d, 0, NULL, err, sizeof err));
    assert_string_equal(err, "too much work in Hash N-Degree Quads (RDFC-1.0 poison limit)");
    cc_rdf_free(d);
    free(text);

    /* A ring of 1000 fails on the call count (a million calls wanted), after a first walk 1000
     * calls deep: the deepest recursion the default limits allow (depth ≤ blank nodes, and
     * depth × blank nodes ≤ 4096 × 256), so the stack must hold it (ASan's frames too). */
    text = ring(1000);
    d = parse_ok(text, strlen(text));
    assert_null(cc_rdfc_canonize(d, 0, NULL, err, sizeof err));
    assert_string_equal(err, POISON);
    cc_rdf_free(d);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(w3c_suite),
        cmocka_unit_test(w3c_isomorphic_inputs),
        cmocka_unit_test(eddsa_canon_documents),
        cmocka_unit_test(parse_errors_name_their_line),
        cmocka_unit_test(parse_accepts_the_grammar),
        cmocka_unit_test(parse_survives_mangled_input),
        cmocka_unit_test(literal_escaping_round_trip),
        cmocka_unit_test(literal_runs),
        cmocka_unit_test(add_keeps_a_set),
        cmocka_unit_test(duplicate_lines_in_input),
        cmocka_unit_test(empty_dataset),
        cmocka_unit_test(poison_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
