/* JSON-LD 1.1 → RDF (converters/jsonld*.c): each feature on a tiny document (expected
 * N-Quads worked out by hand from the JSON-LD 1.1 API algorithms, run "ordered" so blank
 * nodes are _:b0, _:b1, ... in document order), the JSON-LD errors, hostile input, the
 * eddsa-rdfc-2022 test vectors (OB 3.0, CLR 2.0, W3C VC DI) and the validator's samples.
 *
 * Documents are written with ' for " to stay readable; J() swaps them back. */
#include "helpers.h"

#include <dirent.h>

#include "cc_fetch.h"
#include "cc_jose.h"
#include "cc_jsonld_terms.h"
#include "cc_rdf.h"

#define OBC CORPUS "/ob"
#define CTX OBC "/contexts"
#define VEC OBC "/test-vectors"

#define RDFT "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
#define RDFF "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>"
#define RDFR "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>"
#define NIL "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"
#define XSD "http://www.w3.org/2001/XMLSchema#"

/* ------------------------------------------------------------------ loader */

/* The URL each corpus context file stands for (corpus/ob/SOURCES.md). */
static const struct {
    const char *url, *file;
} corpus_contexts[] = {
    {.url = "https://www.w3.org/ns/credentials/v2", .file = "validator-credentials-v2.jsonld"},
    {.url = "https://www.w3.org/ns/credentials/examples/v2",
     .file = "w3c-credentials-examples-v2.RECONSTRUCTED.json"},
    {.url = "https://www.w3.org/2018/credentials/v1", .file = "validator-2018-credentials-v1.jsonld"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", .file = "ob-v3p0-context-3.0.3.json"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", .file = "ob-v3p0-context-3.0.2.json"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", .file = "ob-v3p0-context-3.0.1.json"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/context.json", .file = "ob-v3p0-context.json"},
    {.url = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", .file = "validator-ob-v3p0-extensions.json"},
    {.url = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", .file = "validator-clr-v2p0-2.0.1.json"},
    {.url = "https://purl.imsglobal.org/spec/clr/v2p0/context.json", .file = "validator-clr-v2p0.json"},
    {.url = "https://w3id.org/security/data-integrity/v1", .file = "validator-data-integrity-v1.jsonld"},
    {.url = "https://w3id.org/security/suites/ed25519-2020/v1",
     .file = "validator-security-suites-ed25519-2020-v1.jsonld"},
    {.url = "https://www.w3.org/ns/did/v1", .file = "validator-did-v1.jsonld"},
    {.url = "https://w3id.org/openbadges/v2", .file = "ob-v2-context.json"},
    {.url = "https://w3id.org/openbadges/v1", .file = "ob-v1-context.json"},
};

#define MAX_URLS 64

typedef struct loader {
    const char *const *inline_ctx;  /* url, document (with '), url, document, ..., NULL */
    bool chain;                     /* https://chain.example/N includes N+1, for ever */
    int calls;
    char urls[MAX_URLS][256];
    int counts[MAX_URLS];
} loader;

/* s with every ' turned into "; parsed (the test fails on bad JSON). */
static json_t *J(const char *s)
{
    char *t = strdup(s);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    json_error_t e;
    json_t *j = json_loads(t, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("bad test JSON: %s: %s", e.text, t);
    free(t);
    return j;
}

static void count_url(loader *l, const char *url)
{
    l->calls++;
    for (int i = 0; i < MAX_URLS; i++) {
        if (!l->urls[i][0])
            snprintf(l->urls[i], sizeof l->urls[i], "%s", url);
        if (!strcmp(l->urls[i], url)) {
            l->counts[i]++;
            return;
        }
    }
}

static json_t *test_load(void *ud, const char *url, char *err, size_t errlen)
{
    loader *l = ud;
    count_url(l, url);
    for (const char *const *p = l->inline_ctx; p && *p; p += 2)
        if (!strcmp(p[0], url))
            return J(p[1]);
    int n;
    if (sscanf(url, "https://many.example/%d", &n) == 1)
        return J("{'@context': {}}");
    if (l->chain && sscanf(url, "https://chain.example/%d", &n) == 1) {
        char doc[128];
        snprintf(doc, sizeof doc, "{'@context': 'https://chain.example/%d'}", n + 1);
        return J(doc);
    }
    for (size_t i = 0; i < sizeof corpus_contexts / sizeof *corpus_contexts; i++) {
        if (strcmp(corpus_contexts[i].url, url))
            continue;
        char path[512];
        snprintf(path, sizeof path, CTX "/%s", corpus_contexts[i].file);
        json_t *doc = json_load_file(path, 0, NULL);
        if (!doc)
            snprintf(err, errlen, "cannot read %s", path);
        return doc;
    }
    snprintf(err, errlen, "not available offline");
    return NULL;
}

/* ------------------------------------------------------------------ N-Quads text */

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* lines[0..n) sorted and joined; frees them. */
static char *join_sorted(char **lines, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(lines[i]);
    qsort(lines, n, sizeof *lines, cmp_line);
    char *out = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        strcat(out, lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

static char *dataset_text(const cc_rdf_dataset *d)
{
    size_t n = cc_rdf_count(d);
    char **lines = calloc(n + 1, sizeof *lines);
    for (size_t i = 0; i < n; i++)
        lines[i] = cc_rdf_quad_nquads(cc_rdf_get(d, i));
    return join_sorted(lines, n);
}

/* N-Quads text (one quad per line) in the same sorted form. */
static char *text_sorted(const char *text)
{
    size_t n = 0, cap = 16;
    char **lines = calloc(cap, sizeof *lines);
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k) {
            if (n == cap)
                lines = realloc(lines, (cap *= 2) * sizeof *lines);
            lines[n] = malloc(k + 2);
            memcpy(lines[n], p, k);
            strcpy(lines[n++] + k, "\n");
        }
        p += k + (e != NULL);
    }
    return join_sorted(lines, n);
}

/* ------------------------------------------------------------------ conversion */

/* Converts doc; returns the rc, the sorted N-Quads in *text (caller frees) and the error. */
static int convert(const json_t *doc, loader *l, char **text, char *err, size_t errlen)
{
    cc_rdf_dataset *d = cc_rdf_new();
    int rc = cc_jsonld_to_rdf(doc, test_load, l, d, err, errlen);
    if (text)
        *text = dataset_text(d);
    cc_rdf_free(d);
    return rc;
}

static void check_with(const char *doc, const char *const *inline_ctx, const char *expected)
{
    loader l = {.inline_ctx = inline_ctx};
    json_t *j = J(doc);
    char err[512], *have = NULL;
    int rc = convert(j, &l, &have, err, sizeof err);
    if (rc != 0)
        fail_msg("conversion failed: %s", err);
    char *want = text_sorted(expected);
    assert_string_equal(have, want);
    free(have);
    free(want);
    json_decref(j);
}

static void check(const char *doc, const char *expected)
{
    check_with(doc, NULL, expected);
}

/* The conversion must fail with an error naming `code`. */
static void check_error_with(const json_t *doc, loader *l, const char *code)
{
    char err[512] = "";
    char *text = NULL;
    int rc = convert(doc, l, &text, err, sizeof err);
    free(text);
    if (rc != -1 || !strstr(err, code))
        fail_msg("expected \"%s\", have rc %d: %s", code, rc, err);
}

static void check_error(const char *doc, const char *code)
{
    loader l = {0};
    json_t *j = J(doc);
    check_error_with(j, &l, code);
    json_decref(j);
}

/* ------------------------------------------------------------------ features */

static void test_vocab_and_native_types(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/'}, '@id': 'http://ex.org/a', '@type': 'Thing',"
          " 'name': 'A', 'n': 5, 'f': 1.1, 'g': 0.53, 'b': true, 'i': 5.0, 'big': 1e21,"
          " 'neg': -2.5e-7, 'nul': null, 'huge': 12345678901234567, 'zero': -0.0}",
          "<http://ex.org/a> " RDFT " <http://ex.org/Thing> .\n"
          "<http://ex.org/a> <http://ex.org/name> \"A\" .\n"
          "<http://ex.org/a> <http://ex.org/n> \"5\"^^<" XSD "integer> .\n"
          "<http://ex.org/a> <http://ex.org/f> \"1.1E0\"^^<" XSD "double> .\n"
          "<http://ex.org/a> <http://ex.org/g> \"5.3E-1\"^^<" XSD "double> .\n"
          "<http://ex.org/a> <http://ex.org/b> \"true\"^^<" XSD "boolean> .\n"
          "<http://ex.org/a> <http://ex.org/i> \"5\"^^<" XSD "integer> .\n"
          "<http://ex.org/a> <http://ex.org/big> \"1.0E21\"^^<" XSD "double> .\n"
          "<http://ex.org/a> <http://ex.org/neg> \"-2.5E-7\"^^<" XSD "double> .\n"
          "<http://ex.org/a> <http://ex.org/huge> \"12345678901234568\"^^<" XSD "integer> .\n"
          "<http://ex.org/a> <http://ex.org/zero> \"0\"^^<" XSD "integer> .\n");
}

static void test_compact_iris_and_coercion(void **state)
{
    (void)state;
    check("{'@context': {'ex': 'http://ex.org/', 'xsd': 'http://www.w3.org/2001/XMLSchema#',"
          "  'knows': {'@id': 'ex:knows', '@type': '@id'},"
          "  'kind': {'@id': 'ex:kind', '@type': '@vocab'}, 'Cat': 'ex:Cat',"
          "  'born': {'@id': 'ex:born', '@type': 'xsd:date'},"
          "  'dbl': {'@id': 'ex:dbl', '@type': 'xsd:double'},"
          "  'flag': {'@id': 'ex:flag', '@type': 'xsd:string'}},"
          " '@id': 'ex:a', 'knows': 'ex:b', 'kind': 'Cat', 'born': '2020-01-01', 'dbl': 5,"
          " 'flag': false, 'ex:plain': 'p', 'unmapped': 'dropped'}",
          "<http://ex.org/a> <http://ex.org/knows> <http://ex.org/b> .\n"
          "<http://ex.org/a> <http://ex.org/kind> <http://ex.org/Cat> .\n"
          "<http://ex.org/a> <http://ex.org/born> \"2020-01-01\"^^<" XSD "date> .\n"
          "<http://ex.org/a> <http://ex.org/dbl> \"5.0E0\"^^<" XSD "double> .\n"
          "<http://ex.org/a> <http://ex.org/flag> \"false\" .\n"
          "<http://ex.org/a> <http://ex.org/plain> \"p\" .\n");
}

static void test_languages(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/', '@language': 'en-US',"
          "  'nolang': {'@id': 'http://ex.org/nolang', '@language': null},"
          "  'fr': {'@id': 'http://ex.org/fr', '@language': 'fr'},"
          "  'label': {'@id': 'http://ex.org/label', '@container': '@language'}},"
          " '@id': 'http://ex.org/a', 'name': 'Hi', 'nolang': 'x', 'fr': 'Bonjour',"
          " 'tagged': {'@value': 'Hallo', '@language': 'de'},"
          " 'label': {'en': 'Cat', 'de': ['Katze', 'Mieze', null], '@none': 'cat'},"
          " 'bad': {'@value': 'y', '@language': 'not a tag'},"
          " 'dir': {'@value': 'z', '@language': 'ar', '@direction': 'rtl'}}",
          "<http://ex.org/a> <http://ex.org/name> \"Hi\"@en-us .\n"
          "<http://ex.org/a> <http://ex.org/nolang> \"x\" .\n"
          "<http://ex.org/a> <http://ex.org/fr> \"Bonjour\"@fr .\n"
          "<http://ex.org/a> <http://ex.org/tagged> \"Hallo\"@de .\n"
          "<http://ex.org/a> <http://ex.org/label> \"Cat\"@en .\n"
          "<http://ex.org/a> <http://ex.org/label> \"Katze\"@de .\n"
          "<http://ex.org/a> <http://ex.org/label> \"Mieze\"@de .\n"
          "<http://ex.org/a> <http://ex.org/label> \"cat\" .\n"
          "<http://ex.org/a> <http://ex.org/dir> \"z\"@ar .\n");
}

static void test_lists(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  'l': {'@id': 'http://ex.org/l', '@container': '@list'},"
          "  'e': {'@id': 'http://ex.org/e', '@container': '@list'}},"
          " '@id': 'http://ex.org/a', 'l': ['x', {'@id': 'http://ex.org/b'}, ['y']], 'e': [],"
          " 'inline': {'@list': [1]}}",
          "<http://ex.org/a> <http://ex.org/e> " NIL " .\n"
          "<http://ex.org/a> <http://ex.org/inline> _:b0 .\n"
          "_:b0 " RDFF " \"1\"^^<" XSD "integer> .\n"
          "_:b0 " RDFR " " NIL " .\n"
          "<http://ex.org/a> <http://ex.org/l> _:b1 .\n"
          "_:b1 " RDFF " \"x\" .\n"
          "_:b1 " RDFR " _:b2 .\n"
          "_:b2 " RDFF " <http://ex.org/b> .\n"
          "_:b2 " RDFR " _:b3 .\n"
          "_:b3 " RDFF " _:b4 .\n"
          "_:b3 " RDFR " " NIL " .\n"
          "_:b4 " RDFF " \"y\" .\n"
          "_:b4 " RDFR " " NIL " .\n");
}

static void test_set_and_index_maps(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  's': {'@id': 'http://ex.org/s', '@container': '@set'},"
          "  'idx': {'@id': 'http://ex.org/idx', '@container': '@index'},"
          "  'pidx': {'@id': 'http://ex.org/pidx', '@container': '@index',"
          "           '@index': 'http://ex.org/cat'}},"
          " '@id': 'http://ex.org/a', 's': ['x'], 'wrapped': {'@set': ['w']},"
          " 'idx': {'k1': 'v1', 'k2': {'@id': 'http://ex.org/n1'}},"
          " 'pidx': {'tagA': {'@id': 'http://ex.org/n2'}, '@none': {'@id': 'http://ex.org/n3'}}}",
          "<http://ex.org/a> <http://ex.org/s> \"x\" .\n"
          "<http://ex.org/a> <http://ex.org/wrapped> \"w\" .\n"
          "<http://ex.org/a> <http://ex.org/idx> \"v1\" .\n"
          "<http://ex.org/a> <http://ex.org/idx> <http://ex.org/n1> .\n"
          "<http://ex.org/a> <http://ex.org/pidx> <http://ex.org/n2> .\n"
          "<http://ex.org/n2> <http://ex.org/cat> \"tagA\" .\n"
          "<http://ex.org/a> <http://ex.org/pidx> <http://ex.org/n3> .\n");
}

static void test_id_and_type_maps(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  'byId': {'@id': 'http://ex.org/byId', '@container': '@id'},"
          "  'byType': {'@id': 'http://ex.org/byType', '@container': ['@type', '@set']}},"
          " '@id': 'http://ex.org/a', 'byId': {'http://ex.org/x': {'name': 'X'}},"
          " 'byType': {'Dog': {'@id': 'http://ex.org/d'}, 'Cat': 'http://ex.org/c'}}",
          "<http://ex.org/a> <http://ex.org/byId> <http://ex.org/x> .\n"
          "<http://ex.org/x> <http://ex.org/name> \"X\" .\n"
          "<http://ex.org/a> <http://ex.org/byType> <http://ex.org/d> .\n"
          "<http://ex.org/d> " RDFT " <http://ex.org/Dog> .\n"
          "<http://ex.org/a> <http://ex.org/byType> <http://ex.org/c> .\n"
          "<http://ex.org/c> " RDFT " <http://ex.org/Cat> .\n");
}

/* Containers combined with @set, @graph with @index, a @type map whose type brings a
 * context, @type @none, a default @direction (dropped in RDF, as rdfDirection is null). */
static void test_more_containers(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/', '@direction': 'ltr',"
          "  'any': {'@id': 'http://ex.org/any', '@type': '@none'},"
          "  'ls': {'@id': 'http://ex.org/ls', '@container': ['@language', '@set']},"
          "  'is': {'@id': 'http://ex.org/is', '@container': ['@index', '@set']},"
          "  'gi': {'@id': 'http://ex.org/gi', '@container': ['@graph', '@index']},"
          "  'kinds': {'@id': 'http://ex.org/kinds', '@container': '@type'},"
          "  'Special': {'@id': 'http://ex.org/Special', '@context': {'x': 'http://special.org/x'}}},"
          " '@id': 'http://ex.org/a', 'any': 'v', 'ls': {'en': ['one']}, 'is': {'k': ['i1', 'i2']},"
          " 'gi': {'k': {'@id': 'http://ex.org/g', 'p': 'q'}},"
          " 'kinds': {'Special': {'@id': 'http://ex.org/s', 'x': 'X'}}}",
          "<http://ex.org/a> <http://ex.org/any> \"v\" .\n"
          "<http://ex.org/a> <http://ex.org/ls> \"one\"@en .\n"
          "<http://ex.org/a> <http://ex.org/is> \"i1\" .\n"
          "<http://ex.org/a> <http://ex.org/is> \"i2\" .\n"
          "<http://ex.org/a> <http://ex.org/gi> _:b0 .\n"
          "<http://ex.org/g> <http://ex.org/p> \"q\" _:b0 .\n"
          "<http://ex.org/a> <http://ex.org/kinds> <http://ex.org/s> .\n"
          "<http://ex.org/s> " RDFT " <http://ex.org/Special> .\n"
          "<http://ex.org/s> <http://special.org/x> \"X\" .\n");
}

/* @container @graph (a credential's proof) makes named graphs, as does a top-level @graph
 * with an @id. */
static void test_graphs(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  'proof': {'@id': 'http://ex.org/proof', '@type': '@id', '@container': '@graph'},"
          "  'g': {'@id': 'http://ex.org/g', '@container': ['@graph', '@id']}},"
          " '@id': 'http://ex.org/a', 'proof': {'created': 'now'},"
          " 'g': {'http://ex.org/G1': {'@id': 'http://ex.org/n', 'p': 'v'}}}",
          "<http://ex.org/a> <http://ex.org/g> <http://ex.org/G1> .\n"
          "<http://ex.org/n> <http://ex.org/p> \"v\" <http://ex.org/G1> .\n"
          "<http://ex.org/a> <http://ex.org/proof> _:b0 .\n"
          "_:b1 <http://ex.org/created> \"now\" _:b0 .\n");
    check("{'@context': {'@vocab': 'http://ex.org/'}, '@id': 'http://ex.org/G',"
          " '@graph': [{'@id': 'http://ex.org/s', 'p': 'o'}, 'free', {'@id': 'http://ex.org/lone'}]}",
          "<http://ex.org/s> <http://ex.org/p> \"o\" <http://ex.org/G> .\n");
    check("{'@context': {'@vocab': 'http://ex.org/'},"
          " '@graph': [{'@id': 'http://ex.org/s', 'p': 'o'}, {'@id': 'http://ex.org/t', 'p': 'q'}]}",
          "<http://ex.org/s> <http://ex.org/p> \"o\" .\n"
          "<http://ex.org/t> <http://ex.org/p> \"q\" .\n");
}

static void test_reverse(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  'parentOf': {'@reverse': 'http://ex.org/child'}},"
          " '@id': 'http://ex.org/a', 'parentOf': [{'@id': 'http://ex.org/b'}, {'name': 'anon'}],"
          " '@reverse': {'http://ex.org/knows': {'@id': 'http://ex.org/c'}}}",
          "<http://ex.org/b> <http://ex.org/child> <http://ex.org/a> .\n"
          "_:b0 <http://ex.org/child> <http://ex.org/a> .\n"
          "_:b0 <http://ex.org/name> \"anon\" .\n"
          "<http://ex.org/c> <http://ex.org/knows> <http://ex.org/a> .\n");
}

static void test_included_and_nest(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/', 'meta': '@nest', 'inc': '@included',"
          "  'info': {'@id': '@nest', '@context': {'title': 'http://schema.org/title'}}},"
          " '@id': 'http://ex.org/a', 'meta': {'name': 'A', 'meta': {'deep': 'D'}},"
          " 'info': [{'title': 'T'}],"
          " 'inc': [{'@id': 'http://ex.org/i', 'p': 'q'}]}",
          "<http://ex.org/a> <http://ex.org/name> \"A\" .\n"
          "<http://ex.org/a> <http://ex.org/deep> \"D\" .\n"
          "<http://ex.org/a> <http://schema.org/title> \"T\" .\n"
          "<http://ex.org/i> <http://ex.org/p> \"q\" .\n");
    check_error("{'@context': {'@vocab': 'http://ex.org/'}, '@nest': 'x'}", "invalid @nest value");
}

/* @json: the JSON Canonicalization Scheme (RFC 8785): keys in UTF-16 order (U+1F600, a
 * surrogate pair, before U+FF01), ECMAScript number forms, minimal string escapes. */
static void test_json_literals(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  'data': {'@id': 'http://ex.org/data', '@type': '@json'}},"
          " '@id': 'http://ex.org/a',"
          " 'data': {'b': [1.0, 1e21, 1e-7, 0.000001, -0.0, 4.5, 1.2345678901234568e20, 100, -3,"
          "                333333333.333333, 2e-3, 1e-27],"
          "          'a': 'x\\n\\u00e9\\u0001', '\\uff01': 1, '\\ud83d\\ude00': 2,"
          "          'c': {'z': null, 'y': false}},"
          " 'scalar': {'@value': true, '@type': '@json'}}",
          "<http://ex.org/a> <http://ex.org/data> \"{\\\"a\\\":\\\"x\\\\n\xc3\xa9\\\\u0001\\\","
          "\\\"b\\\":[1,1e+21,1e-7,0.000001,0,4.5,123456789012345680000,100,-3,"
          "333333333.333333,0.002,1e-27],"
          "\\\"c\\\":{\\\"y\\\":false,\\\"z\\\":null},\\\"\xf0\x9f\x98\x80\\\":2,"
          "\\\"\xef\xbc\x81\\\":1}\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n"
          "<http://ex.org/a> <http://ex.org/scalar> \"true\""
          "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n");
}

/* A type-scoped context applies to the node of that type only; a property-scoped one to
 * the value and what it nests; @propagate true makes a type-scoped one propagate. */
static void test_scoped_contexts(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/',"
          "  'Person': {'@id': 'http://ex.org/Person',"
          "             '@context': {'name': 'http://schema.org/name'}},"
          "  'Wide': {'@id': 'http://ex.org/Wide',"
          "           '@context': {'@propagate': true, 'name': 'http://wide.org/name'}},"
          "  'address': {'@id': 'http://ex.org/address',"
          "              '@context': {'street': 'http://schema.org/street'}}},"
          " '@id': 'http://ex.org/p', '@type': 'Person', 'name': 'P',"
          " 'knows': {'@id': 'http://ex.org/q', 'name': 'Q'},"
          " 'address': {'street': 'S', 'inner': {'street': 'T'}},"
          " 'other': {'@id': 'http://ex.org/w', '@type': 'Wide', 'sub': {'@id': 'http://ex.org/v',"
          "           'name': 'V'}}}",
          "<http://ex.org/p> " RDFT " <http://ex.org/Person> .\n"
          "<http://ex.org/p> <http://schema.org/name> \"P\" .\n"
          "<http://ex.org/p> <http://ex.org/knows> <http://ex.org/q> .\n"
          "<http://ex.org/q> <http://ex.org/name> \"Q\" .\n"
          "<http://ex.org/p> <http://ex.org/address> _:b0 .\n"
          "_:b0 <http://schema.org/street> \"S\" .\n"
          "_:b0 <http://ex.org/inner> _:b1 .\n"
          "_:b1 <http://schema.org/street> \"T\" .\n"
          "<http://ex.org/p> <http://ex.org/other> <http://ex.org/w> .\n"
          "<http://ex.org/w> " RDFT " <http://ex.org/Wide> .\n"
          "<http://ex.org/w> <http://ex.org/sub> <http://ex.org/v> .\n"
          "<http://ex.org/v> <http://wide.org/name> \"V\" .\n");
}

static void test_protected_and_null(void **state)
{
    (void)state;
    /* the same definition again is no redefinition */
    check("{'@context': [{'@protected': true, 'name': 'http://ex.org/name'},"
          "              {'name': {'@id': 'http://ex.org/name'}}],"
          " '@id': 'http://ex.org/a', 'name': 'N'}",
          "<http://ex.org/a> <http://ex.org/name> \"N\" .\n");
    /* a property-scoped context may override */
    check("{'@context': {'@protected': true, 'name': 'http://ex.org/name',"
          "  'sub': {'@id': 'http://ex.org/sub', '@context': {'name': 'http://other.org/name'}}},"
          " '@id': 'http://ex.org/a', 'sub': {'@id': 'http://ex.org/b', 'name': 'N'}}",
          "<http://ex.org/a> <http://ex.org/sub> <http://ex.org/b> .\n"
          "<http://ex.org/b> <http://other.org/name> \"N\" .\n");
    /* null resets */
    check("{'@context': [{'@vocab': 'http://ex.org/'}, null, {'@vocab': 'http://other.org/'}],"
          " '@id': 'http://ex.org/a', 'p': 'x',"
          " 'q': {'@context': null, '@id': 'http://ex.org/b', 'dropped': 'y'}}",
          "<http://ex.org/a> <http://other.org/p> \"x\" .\n"
          "<http://ex.org/a> <http://other.org/q> <http://ex.org/b> .\n");
    check_error("{'@context': [{'@protected': true, 'name': 'http://ex.org/name'},"
                "              {'name': 'http://evil.org/name'}], 'name': 'N'}",
                "protected term redefinition");
    check_error("{'@context': [{'@protected': true, 'name': 'http://ex.org/name'}, null],"
                " 'name': 'N'}", "invalid context nullification");
}

/* No document base: relative IRIs stay relative and their quads are dropped; @base in a
 * context resolves them (RFC 3986 §5.2). */
static void test_relative_iris_and_base(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/'}, '@id': 'rel/a', 'p': 'x',"
          " 'q': {'@id': 'http://ex.org/c', 'r': {'@id': '../d'}, '@type': 'T'}}",
          "<http://ex.org/c> " RDFT " <http://ex.org/T> .\n");
    check("{'@context': {'@base': 'http://base.org/x/y/z', '@vocab': 'http://ex.org/',"
          "  'link': {'@id': 'http://ex.org/link', '@type': '@id'}},"
          " '@id': '../a', 'p': {'@id': 'b?q#f'}, 'link': ['./c/../d', '//other.org/e', '#frag', '']}",
          "<http://base.org/x/a> <http://ex.org/p> <http://base.org/x/y/b?q#f> .\n"
          "<http://base.org/x/a> <http://ex.org/link> <http://base.org/x/y/d> .\n"
          "<http://base.org/x/a> <http://ex.org/link> <http://other.org/e> .\n"
          "<http://base.org/x/a> <http://ex.org/link> <http://base.org/x/y/z#frag> .\n"
          "<http://base.org/x/a> <http://ex.org/link> <http://base.org/x/y/z> .\n");
}

static void test_aliases_prefixes_import(void **state)
{
    (void)state;
    static const char *const ctx[] = {
        "https://ctx.example/base",
        "{'@context': {'p': 'http://imp.org/p', 'q': 'http://imp.org/q'}}", NULL};
    check("{'@context': {'id': '@id', 'type': '@type', '@version': 1.1,"
          "  'ex': {'@id': 'http://ex.org/', '@prefix': false}, 'ex2': 'http://ex2.org/',"
          "  'ex3': {'@id': 'http://ex3.org/', '@prefix': true}},"
          " 'id': 'http://ex.org/a', 'type': 'http://ex.org/T', 'ex:p': 'x', 'ex2:p': 'y',"
          " 'ex3:p': 'z'}",
          "<http://ex.org/a> " RDFT " <http://ex.org/T> .\n"
          "<http://ex.org/a> <ex:p> \"x\" .\n"
          "<http://ex.org/a> <http://ex2.org/p> \"y\" .\n"
          "<http://ex.org/a> <http://ex3.org/p> \"z\" .\n");
    check_with("{'@context': {'@import': 'https://ctx.example/base', 'q': 'http://local.org/q'},"
               " '@id': 'http://ex.org/a', 'p': 1, 'q': 2}",
               ctx,
               "<http://ex.org/a> <http://imp.org/p> \"1\"^^<" XSD "integer> .\n"
               "<http://ex.org/a> <http://local.org/q> \"2\"^^<" XSD "integer> .\n");
}

/* Blank node identifiers are relabelled in document order; blank node properties (not
 * RDF) are dropped. */
static void test_blank_nodes(void **state)
{
    (void)state;
    check("{'@context': {'@vocab': 'http://ex.org/'}, '@id': '_:x',"
          " 'p': {'@id': '_:y', 'q': {'@id': '_:x'}}, '_:prop': 'dropped', '@type': '_:t'}",
          "_:b0 " RDFT " _:b1 .\n"
          "_:b0 <http://ex.org/p> _:b3 .\n"
          "_:b3 <http://ex.org/q> _:b0 .\n");
}

static void test_remote_contexts_loaded_once(void **state)
{
    (void)state;
    static const char *const ctx[] = {
        "https://ctx.example/a", "{'@context': {'@vocab': 'http://ex.org/'}}",
        "https://ctx.example/b", "{'@context': ['https://ctx.example/a', {'x': 'http://x.org/'}]}",
        NULL};
    loader l = {.inline_ctx = ctx};
    json_t *doc = J("{'@context': 'https://ctx.example/b', '@id': 'http://ex.org/s',"
                    " 'p': {'@context': ['https://ctx.example/a', 'https://ctx.example/b'],"
                    "       '@id': 'http://ex.org/o', 'q': 'v'}}");
    char err[256], *text = NULL;
    assert_int_equal(convert(doc, &l, &text, err, sizeof err), 0);
    assert_string_equal(text, "<http://ex.org/o> <http://ex.org/q> \"v\" .\n"
                              "<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> .\n");
    assert_int_equal(l.calls, 2);
    free(text);
    json_decref(doc);
}

/* ------------------------------------------------------------------ errors */

static void test_errors(void **state)
{
    (void)state;
    check_error("{'@context': 'https://missing.example/ctx', 'p': 1}",
                "loading remote context failed");
    check_error("{'@context': {'a': 'b:x', 'b': 'a:y'}, 'a': 1}", "cyclic IRI mapping");
    check_error("{'@context': {'foo': {'@id': 5}}}", "invalid IRI mapping");
    check_error("{'@context': {'foo': {'@id': 'http://x/', '@bogus': 1}}}",
                "invalid term definition");
    check_error("{'@context': {'foo': 5}}", "invalid term definition");
    check_error("{'@context': {'foo': {'@id': 'http://x/', '@container': '@bogus'}}}",
                "invalid container mapping");
    check_error("{'@context': {'@id': 'http://x/'}}", "keyword redefinition");
    check_error("{'@context': {'@version': 1.0}}", "invalid @version value");
    check_error("{'@context': {'p': 'http://x/'}, '@id': 5}", "invalid @id value");
    check_error("{'@context': {'p': 'http://x/p'}, 'p': {'@value': 1, '@language': 'en'}}",
                "invalid language-tagged value");
    check_error("{'@context': {'p': 'http://x/p'}, 'p': {'@value': 'x', '@type': 'notiri'}}",
                "invalid typed value");
    check_error("{'@context': {'id1': '@id', 'id2': '@id'}, 'id1': 'http://x/a',"
                " 'id2': 'http://x/b'}", "colliding keywords");
    check_error("{'@context': 5}", "invalid local context");
}

/* Safe mode: what the algorithms drop is an error (-2) naming the member's JSON pointer,
 * and the same documents convert (dropping it) without safe mode. */
static void check_unsafe(const char *doc, const char *what)
{
    loader l = {0};
    json_t *j = J(doc);
    char err[512] = "";
    cc_rdf_dataset *d = cc_rdf_new();
    int rc = cc_jsonld_to_rdf_mode(j, test_load, &l, true, d, err, sizeof err);
    if (rc != -2 || !strstr(err, "safe mode") || !strstr(err, what))
        fail_msg("expected a safe-mode error with \"%s\", have rc %d: %s", what, rc, err);
    cc_rdf_free(d);
    d = cc_rdf_new();
    assert_int_equal(cc_jsonld_to_rdf_mode(j, test_load, &l, false, d, err, sizeof err), 0);
    cc_rdf_free(d);
    json_decref(j);
}

static void test_safe_mode(void **state)
{
    (void)state;
    const char *ctx = "'@context': {'p': 'http://x/p', 'q': {'@id': 'http://x/q', '@type': '@id'}}";
    char doc[512];
#define UNSAFE(body, what) (snprintf(doc, sizeof doc, "{%s, %s}", ctx, body), check_unsafe(doc, what))
    UNSAFE("'@id': 'http://x/s', 'p': 1, 'foo': 2", "no context defines foo at /foo");
    UNSAFE("'@id': 'http://x/s', 'p': {'foo~/': 2}", "at /p/foo~0~1");
    UNSAFE("'@id': 'http://x/s', 'p': [1, {'@id': 'http://x/o', 'bar': 1}]", "at /p/1/bar");
    UNSAFE("'@id': 'http://x/s', '@foo': 1, 'p': 1", "at /@foo");
    UNSAFE("'@id': 'relative', 'p': 1", "relative @id reference relative");
    UNSAFE("'@id': 'http://x/s', '@type': 'T'", "relative @type reference T");
    UNSAFE("'@id': 'http://x/s', 'q': 'rel'", "relative @id reference rel at /q");
    UNSAFE("'@id': 'http://x/s', 'p': {'@value': 'x', '@language': 'not a tag'}", "invalid @language value");
    UNSAFE("'@id': 'http://x/s', 'p': {'@value': null}", "null @value value");
#undef UNSAFE
    /* a well-defined document is not affected */
    loader l = {0};
    json_t *j = J("{'@context': {'p': 'http://x/p'}, '@id': 'http://x/s', 'p': 'v'}");
    cc_rdf_dataset *d = cc_rdf_new();
    char err[256];
    assert_int_equal(cc_jsonld_to_rdf_mode(j, test_load, &l, true, d, err, sizeof err), 0);
    assert_int_equal(cc_rdf_count(d), 1);
    cc_rdf_free(d);
    json_decref(j);
}

static void test_context_includes_itself(void **state)
{
    (void)state;
    static const char *const ctx[] = {
        "https://ctx.example/self", "{'@context': 'https://ctx.example/self'}",
        "https://ctx.example/a", "{'@context': ['https://ctx.example/b']}",
        "https://ctx.example/b", "{'@context': {'@vocab': 'http://ex.org/'},"
                                 " 'x': 1, '@ignored': 'https://ctx.example/a'}",
        "https://ctx.example/c", "{'@context': {'t': {'@id': 'http://ex.org/t',"
                                 "  '@context': 'https://ctx.example/c'}}}",
        "https://ctx.example/m1", "{'@context': 'https://ctx.example/m2'}",
        "https://ctx.example/m2", "{'@context': 'https://ctx.example/m1'}",
        "https://ctx.example/bad", "{'no context': true}",
        NULL};
    loader l = {.inline_ctx = ctx};
    json_t *doc = J("{'@context': 'https://ctx.example/self', 'p': 1}");
    check_error_with(doc, &l, "recursive context inclusion");
    json_decref(doc);
    assert_int_equal(l.calls, 1);  /* loaded once, not once per inclusion */

    loader l2 = {.inline_ctx = ctx};
    doc = J("{'@context': 'https://ctx.example/m1', 'p': 1}");
    check_error_with(doc, &l2, "recursive context inclusion");
    json_decref(doc);

    /* a scoped context naming the context that defines it is no error */
    loader l3 = {.inline_ctx = ctx};
    doc = J("{'@context': 'https://ctx.example/c', '@id': 'http://ex.org/s',"
            " 't': {'@id': 'http://ex.org/o'}}");
    char err[256], *text = NULL;
    assert_int_equal(convert(doc, &l3, &text, err, sizeof err), 0);
    assert_string_equal(text, "<http://ex.org/s> <http://ex.org/t> <http://ex.org/o> .\n");
    free(text);
    json_decref(doc);

    loader l4 = {.inline_ctx = ctx};
    doc = J("{'@context': 'https://ctx.example/bad', 'p': 1}");
    check_error_with(doc, &l4, "invalid remote context");
    json_decref(doc);

    loader l5 = {.chain = true};
    doc = J("{'@context': 'https://chain.example/0', 'p': 1}");
    check_error_with(doc, &l5, "context overflow");
    json_decref(doc);

    /* a bound on the distinct contexts one document may make us fetch */
    json_t *many = json_array();
    for (int i = 0; i < 100; i++) {
        char url[64];
        snprintf(url, sizeof url, "https://many.example/%d", i);
        json_array_append_new(many, json_string(url));
    }
    doc = json_pack("{s:o,s:i}", "@context", many, "p", 1);
    loader l6 = {0};
    check_error_with(doc, &l6, "more than 64 remote contexts");
    assert_int_equal(l6.calls, 64);
    json_decref(doc);
}

/* 10,000 levels of nodes, arrays, lists and scoped contexts: an error, not a crash. */
static json_t *deep(int levels, const char *key, bool arrays)
{
    json_t *v = json_string("leaf");
    for (int i = 0; i < levels; i++) {
        json_t *o = json_object();
        json_object_set_new(o, key, arrays ? json_pack("[o]", v) : v);
        v = o;
    }
    return v;
}

static void test_hostile_nesting(void **state)
{
    (void)state;
    const char *keys[] = {"http://ex.org/p", "@list", "@set", "@graph", "@included"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        json_t *d = deep(10000, keys[k], k % 2 == 0);
        json_t *top = json_pack("{s:s,s:o}", "@id", "http://ex.org/top", "http://ex.org/p", d);
        loader l = {0};
        check_error_with(top, &l, "nesting too deep");
        json_decref(top);
    }
    /* contexts nested through scoped contexts */
    json_t *ctx = json_object();
    for (int i = 0; i < 10000; i++) {
        json_t *outer = json_object();
        json_object_set_new(outer, "t", json_pack("{s:s,s:o}", "@id", "http://ex.org/t",
                                                  "@context", ctx));
        ctx = outer;
    }
    json_t *doc = json_pack("{s:o,s:i}", "@context", ctx, "t", 1);
    loader l = {0};
    check_error_with(doc, &l, "nesting too deep");
    json_decref(doc);
    /* scoped contexts 100 wide and 4 deep: 10^8 term definitions, stopped early */
    json_t *level = json_pack("{s:s}", "@vocab", "http://ex.org/");
    for (int depth = 0; depth < 4; depth++) {
        json_t *next = json_object();
        for (int i = 0; i < 100; i++) {
            char term[16];
            snprintf(term, sizeof term, "t%d", i);
            json_object_set_new(next, term, json_pack("{s:s,s:O}", "@id", "http://ex.org/t",
                                                      "@context", level));
        }
        json_decref(level);
        level = next;
    }
    doc = json_pack("{s:o,s:i}", "@context", level, "t1", 1);
    loader l3 = {0};
    check_error_with(doc, &l3, "context overflow");
    json_decref(doc);
    /* 10,000 nested arrays */
    json_t *arr = json_string("x");
    for (int i = 0; i < 10000; i++)
        arr = json_pack("[o]", arr);
    doc = json_pack("{s:o}", "http://ex.org/p", arr);
    loader l2 = {0};
    check_error_with(doc, &l2, "nesting too deep");
    json_decref(doc);
}

/* One memory budget per document for context processing, checked before allocating:
 * 20,000 one-term inline contexts (each copies the growing term table), and a 100 KB prefix
 * IRI that 7,000 compact IRIs repeat, both end in "context overflow", not in gigabytes. */
static void test_memory_budget(void **state)
{
    (void)state;
    json_t *ctxs = json_array();
    for (int i = 0; i < 20000; i++) {
        char term[16], iri[48];
        snprintf(term, sizeof term, "t%d", i);
        snprintf(iri, sizeof iri, "https://e.example/t%d", i);
        json_array_append_new(ctxs, json_pack("{s:s}", term, iri));
    }
    json_t *doc = json_pack("{s:o,s:s}", "@context", ctxs, "t1", "x");
    loader l = {0};
    check_error_with(doc, &l, "context overflow");
    json_decref(doc);
    char *prefix = malloc(100001);
    memset(prefix, 'a', 100000);
    memcpy(prefix, "https://e.example/", 18);
    prefix[99999] = '/';  /* a simple term ending in "/" is a prefix */
    prefix[100000] = '\0';
    json_t *ctx = json_pack("{s:s}", "p", prefix);
    json_t *node = json_object();
    for (int i = 0; i < 7000; i++) {
        char key[16];
        snprintf(key, sizeof key, "p:%d", i);
        json_object_set_new(node, key, json_string("v"));
    }
    json_object_set_new(node, "@context", ctx);
    loader l2 = {0};
    check_error_with(node, &l2, "context overflow");
    json_decref(node);
    free(prefix);
}

/* ------------------------------------------------------------------ test vectors */

static char *read_or_skip(const char *path)
{
    size_t len;
    char *s = cc_read_file(path, 8 << 20, &len);
    if (!s)
        printf("SKIP: %s (../shared/corpus absent)\n", path);
    return s;
}

/* RDFC-1.0 canonical N-Quads of doc's RDF, compared with the expected file. */
static void expect_canon(const json_t *doc, const char *expected_path, loader *l)
{
    char *want = read_or_skip(expected_path);
    if (!want)
        return;
    char err[512];
    cc_rdf_dataset *d = cc_rdf_new();
    if (cc_jsonld_to_rdf(doc, test_load, l, d, err, sizeof err) != 0)
        fail_msg("%s: %s", expected_path, err);
    char *canon = cc_rdfc_canonize(d, 0, NULL, err, sizeof err);
    if (!canon)
        fail_msg("%s: canonicalization: %s", expected_path, err);
    assert_string_equal(canon, want);  /* byte for byte */
    free(canon);
    cc_rdf_free(d);
    free(want);
}

/* The two documents an eddsa-rdfc-2022 proof hashes (docs/references.md ob §3.7): the credential without
 * its proof, and the proof without proofValue under the credential's @context. */
static void check_vector(const char *signed_path, const char *doc_canon, const char *proof_canon)
{
    json_t *signed_doc = json_load_file(signed_path, 0, NULL);
    if (!signed_doc) {
        printf("SKIP: %s (../shared/corpus absent)\n", signed_path);
        return;
    }
    json_t *proof = json_object_get(signed_doc, "proof");
    if (json_is_array(proof))
        proof = json_array_get(proof, 0);
    proof = json_deep_copy(proof);
    assert_non_null(proof);
    json_object_del(signed_doc, "proof");
    json_object_del(proof, "proofValue");
    json_object_set(proof, "@context", json_object_get(signed_doc, "@context"));
    loader l = {0};
    expect_canon(signed_doc, doc_canon, &l);
    for (int i = 0; i < MAX_URLS && l.urls[i][0]; i++)
        assert_int_equal(l.counts[i], 1);  /* each context URL loaded once */
    loader l2 = {0};
    expect_canon(proof, proof_canon, &l2);
    json_decref(proof);
    json_decref(signed_doc);
}

static void test_vector_ob3(void **state)
{
    (void)state;
    check_vector(VEC "/eddsa-rdfc-2022/obv3p0/signed-credential.json",
                 VEC "/eddsa-rdfc-2022/obv3p0/document-canon.txt",
                 VEC "/eddsa-rdfc-2022/obv3p0/proof-canon.txt");
}

static void test_vector_clr2(void **state)
{
    (void)state;
    check_vector(VEC "/eddsa-rdfc-2022/clrv2p0/signed-credential.json",
                 VEC "/eddsa-rdfc-2022/clrv2p0/document-canon.txt",
                 VEC "/eddsa-rdfc-2022/clrv2p0/proof-canon.txt");
}

static void test_vector_w3c(void **state)
{
    (void)state;
    check_vector(VEC "/w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
                 VEC "/w3c-vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt",
                 VEC "/w3c-vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt");
}

/* The unsigned documents give the same quads as the signed ones without their proof. */
static void test_vector_unsigned(void **state)
{
    (void)state;
    json_t *doc = json_load_file(VEC "/eddsa-rdfc-2022/obv3p0/credential.json", 0, NULL);
    if (!doc) {
        printf("SKIP: OB credential.json (../shared/corpus absent)\n");
        return;
    }
    loader l = {0};
    expect_canon(doc, VEC "/eddsa-rdfc-2022/obv3p0/document-canon.txt", &l);
    json_decref(doc);
    doc = json_load_file(VEC "/w3c-vc-di-eddsa/unsigned.json", 0, NULL);
    if (doc) {
        loader l2 = {0};
        expect_canon(doc, VEC "/w3c-vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt", &l2);
        json_decref(doc);
    }
}

/* ------------------------------------------------------------------ smoke */

typedef struct smoke {
    int converted, offline;
} smoke;

static void smoke_file(const char *path, smoke *s)
{
    json_t *doc = json_load_file(path, 0, NULL);
    if (!doc)
        return;  /* not JSON (the corpus keeps a few broken samples) */
    loader l = {0};
    char err[512];
    int rc = convert(doc, &l, NULL, err, sizeof err);
    json_decref(doc);
    if (rc != 0 && strstr(err, "loading remote context failed")) {
        s->offline++;
        return;
    }
    if (rc != 0)
        fail_msg("%s: %s", path, err);
    s->converted++;
}

static void smoke_dir(const char *dir, smoke *s, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[1024];
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".json"))
            smoke_file(path, s);
        else if (depth < 1)
            smoke_dir(path, s, depth + 1);
    }
    closedir(d);
}

static void test_validator_samples(void **state)
{
    (void)state;
    smoke s = {0};
    smoke_dir(OBC "/validator-dcpv/ob30", &s, 0);
    smoke_dir(OBC "/examples/ob3-spec", &s, 0);
    if (!s.converted && !s.offline) {
        printf("SKIP: validator samples (../shared/corpus absent)\n");
        return;
    }
    printf("validator samples: %d converted, %d skipped (a context not available offline)\n",
           s.converted, s.offline);
    assert_true(s.converted >= 30);
}


/* ------------------------------------------------------------------ one expansion (issue 17) */

#define NCTX (sizeof corpus_contexts / sizeof *corpus_contexts)

/* The corpus contexts by --map-url (each URL mapped whole to its file), a run of its own. */
typedef struct terms_env {
    char files[NCTX][512];
    cc_url_map maps[NCTX];
    cc_fetch_opts fetch;
} terms_env;

static void env_init(terms_env *e)
{
    for (size_t i = 0; i < NCTX; i++) {
        snprintf(e->files[i], sizeof e->files[i], "%s/%s", CTX, corpus_contexts[i].file);
        e->maps[i] = (cc_url_map){.prefix = corpus_contexts[i].url, .dir = e->files[i]};
    }
    e->fetch = (cc_fetch_opts)CC_FETCH_DEFAULTS;
    e->fetch.maps = e->maps, e->fetch.nmaps = NCTX;
    e->fetch.jsonld = cc_jsonld_run_new();
}

static void count_diag(void *ud, const cc_diag *d)
{
    (void)d;
    (*(int *)ud)++;
}

/* The terms check on doc: its errors, and in *diags every diagnostic it gave. */
static int terms_of(terms_env *e, const json_t *doc, int *diags)
{
    cc_jsonld_cache c;
    cc_jsonld_cache_init(&c, &e->fetch);
    *diags = 0;
    cc_diag_sink sink = {.emit = count_diag, .ud = diags};
    int r = cc_jsonld_check_terms(doc, &c, "ob3", &sink, "t", 1, NULL);
    cc_jsonld_cache_free(&c);
    return r;
}

/* The split against the two conversions it stands for: the same quads (labels included) as
 * the credential without its proof, and, when it says clean, a terms check (in a run that
 * was told nothing) with no error and nothing said.  want_rc: 0 or 1; want_clean: 0 or 1. */
static void split_case(const char *what, const json_t *doc, int want_rc, int want_clean)
{
    terms_env e;
    env_init(&e);
    cc_jsonld_cache *c = cc_jsonld_run_cache(e.fetch.jsonld, &e.fetch);
    cc_rdf_dataset *ds = cc_rdf_new(), *ref = cc_rdf_new();
    bool clean = true;
    char err[512] = "", err2[512] = "";
    int rc = cc_jsonld_to_rdf_split(doc, "proof", cc_jsonld_cache_load, c, e.fetch.jsonld, ds, &clean, err, sizeof err);
    if (rc != want_rc || (int)clean != want_clean)
        fail_msg("%s: split rc %d clean %d, expected %d %d (%s)", what, rc, clean, want_rc, want_clean, err);
    json_t *u = json_deep_copy(doc);
    json_object_del(u, "proof");
    int rrc = cc_jsonld_to_rdf_run(u, cc_jsonld_cache_load, c, true, e.fetch.jsonld, ref, err2, sizeof err2);
    if (rc == 0) {
        if (rrc != 0)
            fail_msg("%s: the split converted what the credential alone does not: %s", what, err2);
        char *a = dataset_text(ds), *b = dataset_text(ref);
        assert_string_equal(a, b);
        free(a), free(b);
    }
    json_decref(u);
    cc_rdf_free(ds), cc_rdf_free(ref);
    cc_jsonld_run_free(e.fetch.jsonld);
    env_init(&e);  /* a run that was told nothing */
    int diags = 0, errors = terms_of(&e, doc, &diags);
    if (clean && (errors || diags))
        fail_msg("%s: said clean, but the terms check gives %d errors, %d diagnostics", what, errors, diags);
    cc_jsonld_run_free(e.fetch.jsonld);
}

/* A copy of doc with member key set to the JSON text s (' for "). */
static json_t *variant(const json_t *doc, const char *key, const char *s)
{
    json_t *v = json_deep_copy(doc), *x = J(s);
    json_object_set_new(v, key, x);
    return v;
}

static void test_split_one_expansion(void **state)
{
    (void)state;
    json_t *doc = json_load_file(VEC "/eddsa-rdfc-2022/obv3p0/signed-credential.json", 0, NULL);
    if (!doc) {
        printf("SKIP: split (../shared/corpus absent)\n");
        return;
    }
    const char *v2 = "'https://www.w3.org/ns/credentials/v2','https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'";
    char ctx[512];
    split_case("the OB 3.0 vector", doc, 0, 1);
    /* an issuer-dependent @vocab: the undefined term is signed, and still reported */
    snprintf(ctx, sizeof ctx, "[%s,{'@vocab':'https://www.w3.org/ns/credentials/issuer-dependent#'}]", v2);
    json_t *a = variant(doc, "@context", ctx), *b = json_deep_copy(a);
    json_object_set_new(b, "favouriteColour", json_string("blue"));
    split_case("inline issuer-dependent @vocab, nothing undefined", a, 0, 1);
    split_case("an issuer-dependent term", b, 0, 0);
    int diags;
    terms_env e;
    env_init(&e);
    assert_int_equal(terms_of(&e, b, &diags), 1);
    /* in the proof only: the credential alone converts, the whole document does not pass */
    json_t *p = json_deep_copy(a);
    json_t *pp = json_object_get(p, "proof");
    assert_int_equal(json_object_set_new(json_is_array(pp) ? json_array_get(pp, 0) : pp, "colour",
                                         json_string("red")), 0);
    split_case("an issuer-dependent term in the proof", p, 0, 0);
    assert_int_equal(terms_of(&e, p, &diags), 1);
    /* no vocabulary at all: a @base makes a relative type absolute, the catch-all would not */
    json_t *nb = J("{'@context':[{'@base':'https://ex.org/','name':'https://ex.org/name','proof':"
                   "{'@id':'https://w3id.org/security#proof','@type':'@id','@container':'@graph'}}],"
                   "'@type':'Thing','name':'n','proof':{'@id':'https://ex.org/p'}}");
    split_case("@base, a relative type, no vocabulary", nb, 0, 0);
    assert_int_equal(terms_of(&e, nb, &diags), 1);
    /* the proof member as a keyword, or a reverse property: no split */
    json_t *kw = J("{'@context':{'@vocab':'https://ex.org/','proof':'@included'},'name':'n','proof':{'name':'m'}}");
    split_case("proof aliased to @included", kw, 1, 0);
    json_t *rv = J("{'@context':{'@vocab':'https://ex.org/','proof':{'@reverse':'https://ex.org/of'}},"
                   "'@id':'https://ex.org/a','name':'n','proof':{'@id':'https://ex.org/b'}}");
    split_case("proof as a reverse property", rv, 1, 0);
    /* a lone @graph at the root, an @index in the proof, no proof at all */
    json_t *g = J("{'@context':{'@vocab':'https://ex.org/'},'@graph':[{'@id':'https://ex.org/a','name':'n'}],"
                  "'proof':{'name':'m'}}");
    split_case("a root @graph", g, 0, 0);
    json_t *ix = J("{'@context':{'@vocab':'https://ex.org/'},'@id':'https://ex.org/a','name':'n',"
                   "'proof':{'@id':'https://ex.org/a','@index':'i','name':'m'}}");
    split_case("an @index in the proof", ix, 0, 0);
    json_t *none = json_deep_copy(doc);
    json_object_del(none, "proof");
    split_case("no proof", none, 1, 0);
    /* vouched: the very document is not checked again; one member more, it is */
    cc_jsonld_terms_vouch(e.fetch.jsonld, b);
    assert_int_equal(terms_of(&e, b, &diags), 0);
    json_object_set_new(b, "another", json_string("x"));
    assert_int_equal(terms_of(&e, b, &diags), 1);
    cc_jsonld_run_free(e.fetch.jsonld);
    json_decref(doc), json_decref(a), json_decref(b), json_decref(p), json_decref(nb), json_decref(kw);
    json_decref(rv), json_decref(g), json_decref(ix), json_decref(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocab_and_native_types),
        cmocka_unit_test(test_compact_iris_and_coercion),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_set_and_index_maps),
        cmocka_unit_test(test_id_and_type_maps),
        cmocka_unit_test(test_more_containers),
        cmocka_unit_test(test_graphs),
        cmocka_unit_test(test_reverse),
        cmocka_unit_test(test_included_and_nest),
        cmocka_unit_test(test_json_literals),
        cmocka_unit_test(test_scoped_contexts),
        cmocka_unit_test(test_protected_and_null),
        cmocka_unit_test(test_relative_iris_and_base),
        cmocka_unit_test(test_aliases_prefixes_import),
        cmocka_unit_test(test_blank_nodes),
        cmocka_unit_test(test_remote_contexts_loaded_once),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_safe_mode),
        cmocka_unit_test(test_context_includes_itself),
        cmocka_unit_test(test_hostile_nesting),
        cmocka_unit_test(test_memory_budget),
        cmocka_unit_test(test_vector_ob3),
        cmocka_unit_test(test_vector_clr2),
        cmocka_unit_test(test_vector_w3c),
        cmocka_unit_test(test_vector_unsigned),
        cmocka_unit_test(test_validator_samples),
        cmocka_unit_test(test_split_one_expansion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
