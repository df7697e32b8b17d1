/* The one JSON loader (converters/util/jsonread.c): what it refuses, that its memory estimate is
 * an upper bound of what jansson allocates, and how a stream of documents is framed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cc_jsonread.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What jansson holds, counted in what malloc really gives (chunk headers included).  A test
 * program's counter: the library keeps no such state. */
static size_t held, peak;

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p && (held += malloc_usable_size(p) + 8) > peak)
        peak = held;
    return p;
}

static void count_free(void *p)
{
    if (p)
        held -= malloc_usable_size(p) + 8;
    free(p);
}

static void refused(const char *text, size_t flags, const char *rule, const char *what)
{
    json_error_t err;
    json_t *j = cc_json_loadb(text, strlen(text), flags, &err);
    if (j)
        fail_msg("accepted: %s", text);
    assert_string_equal(cc_json_error_rule(&err), rule);
    if (!strstr(err.text, what))
        fail_msg("'%s' not in '%s'", what, err.text);
    assert_true(err.line >= 1);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("{\"a\":1,\"a\":2}", 0, "json-syntax", "duplicate object key");
    refused("{\"a\":{\"b\":1,\"\\u0062\":2}}", 0, "json-syntax", "duplicate object key");
    refused("{\"a\":\"x\\u0000y\"}", JSON_ALLOW_NUL, "json-syntax", "\\u0000 is not allowed");
    refused("{\"a\":18446744073709551617}", 0, "json-syntax", "too big integer");
    refused("{\"a\":-9223372036854775809}", 0, "json-syntax", "too big negative integer");
    json_t *j = cc_json_loads("{\"a\":9223372036854775807,\"b\":-9223372036854775808}", 0, NULL);
    assert_non_null(j);
    assert_true(json_integer_value(json_object_get(j, "a")) == INT64_MAX);
    assert_true(json_integer_value(json_object_get(j, "b")) == INT64_MIN);
    json_decref(j);
    char big[2048];
    memset(big, ' ', sizeof big);
    memcpy(big, "{\"a\":1}", 7);
    big[sizeof big - 1] = '\0';
    json_error_t err;
    assert_null(cc_json_parse(big, strlen(big), 0, 1024, &err));
    assert_string_equal(cc_json_error_rule(&err), "json-too-large");
    assert_non_null(j = cc_json_parse(big, strlen(big), 0, 4096, &err));
    json_decref(j);
}

/* n copies of unit in an array, or as the values of n members of an object. */
static char *shape(const char *unit, size_t n, bool members)
{
    size_t cap = n * (strlen(unit) + 24) + 8, len = 1;
    char *s = malloc(cap);
    s[0] = members ? '{' : '[';
    for (size_t i = 0; i < n; i++) {
        if (i)
            s[len++] = ',';
        if (members)
            len += (size_t)snprintf(s + len, cap - len, "\"k%zu\":", i);
        len += (size_t)snprintf(s + len, cap - len, "%s", unit);
    }
    s[len++] = members ? '}' : ']';
    s[len] = '\0';
    return s;
}

/* The estimate is never below what jansson really takes (so the bound holds), nor far above
 * it (so documents are not refused for nothing): a document is refused with the cap set just
 * under what jansson holds / 8, and read with the cap at twice that. */
static void test_estimate_is_an_upper_bound(void **state)
{
    (void)state;
    static const struct { const char *unit; bool members; } shapes[] = {
        {.unit = "{}", .members = false}, {.unit = "[]", .members = false}, {.unit = "0", .members = false}, {.unit = "\"\"", .members = false}, {.unit = "\"abcdefghijklmnop\"", .members = false},
        {.unit = "true", .members = false}, {.unit = "1.5", .members = false}, {.unit = "0", .members = true}, {.unit = "{\"a\":[1,2]}", .members = true},
        {.unit = "{\"type\":[\"Alignment\"],\"targetName\":\"N1\",\"targetUrl\":\"u:1\"}", .members = false},
    };
    json_set_alloc_funcs(count_malloc, count_free);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        char *doc = shape(shapes[i].unit, 20000, shapes[i].members);
        size_t len = strlen(doc);
        held = peak = 0;
        json_t *j = json_loadb(doc, len, 0, NULL);
        assert_non_null(j);
        size_t real = peak;
        json_decref(j);
        json_error_t err;
        size_t under = real / CC_JSON_MEM_RATIO - 1;
        if (under >= len) {
            j = cc_json_parse(doc, len, 0, under, &err);
            if (j)
                fail_msg("%s: read with the cap under jansson's %zu bytes / %d", shapes[i].unit, real,
                         CC_JSON_MEM_RATIO);
            assert_string_equal(cc_json_error_rule(&err), "json-too-large");
        }
        size_t over = 2 * real / CC_JSON_MEM_RATIO + len;
        j = cc_json_parse(doc, len, 0, over, &err);
        if (!j)
            fail_msg("%s: refused with the cap at twice jansson's need: %s", shapes[i].unit, err.text);
        json_decref(j);
        free(doc);
    }
    json_set_alloc_funcs(malloc, free);
}

typedef struct seen {
    int docs;
    long lines[8];
    char first[8][16];
} seen;

static int on_doc(void *ud, const json_t *doc, long line)
{
    seen *s = ud;
    if (s->docs < 8) {
        s->lines[s->docs] = line;
        const char *k = json_object_iter_key(json_object_iter((json_t *)doc));
        snprintf(s->first[s->docs], sizeof s->first[0], "%s", k ? k : "");
    }
    s->docs++;
    return 0;
}

typedef struct diags {
    int errors;
    long line[8];
} diags;

static void on_diag(void *ud, const cc_diag *d)
{
    diags *g = ud;
    if (d->severity == CC_ERROR && g->errors < 8)
        g->line[g->errors++] = d->line;
}

static int stream(const char *text, seen *s, diags *g)
{
    memset(s, 0, sizeof *s);
    memset(g, 0, sizeof *g);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    cc_input in;
    assert_int_equal(cc_input_from_fp(&in, fp, "t.json"), 0);
    cc_diag_sink ds = {.emit = on_diag, .ud = g};
    int rc = cc_json_each(&in, &ds, on_doc, s);
    fclose(fp);
    return rc;
}

static void test_stream_framing(void **state)
{
    (void)state;
    seen s;
    diags g;
    /* a valid document is read whole whatever its layout, even with { at column 1 inside */
    assert_int_equal(stream("{\"a\":\n{\"b\":1}}\n{\"c\":2}\n", &s, &g), 0);
    assert_int_equal(s.docs, 2);
    assert_string_equal(s.first[0], "a");
    assert_int_equal(s.lines[1], 3);
    /* a line cut short: the next line starting with { is the next record */
    assert_int_equal(stream("{\"a\":1}\n{\"b\":\n{\"c\":3}\n", &s, &g), 1);
    assert_int_equal(s.docs, 2);
    assert_string_equal(s.first[1], "c");
    assert_int_equal(g.errors, 1);
    assert_int_equal(g.line[0], 2);
    /* an unterminated string ends at its line; junk after a bad document on its line goes too */
    assert_int_equal(stream("{\"a\":\"x\n{\"b\":1}\n{\"c\":,} {\"d\":4}\n{\"e\":5}", &s, &g), 1);
    assert_int_equal(s.docs, 2);
    assert_string_equal(s.first[0], "b");
    assert_string_equal(s.first[1], "e");
    assert_int_equal(g.errors, 2);
    /* pretty-printed documents, a BOM, a top-level array of records */
    assert_int_equal(stream("\xEF\xBB\xBF{\n  \"a\": [\n    1\n  ]\n}\n[{\"b\":1},\n{\"c\":2}]\n", &s, &g), 0);
    assert_int_equal(s.docs, 3);
    assert_int_equal(s.lines[1], 6);
    /* bare tokens and stray brackets are errors of their own */
    assert_int_equal(stream("nope\n}\n{\"a\":1}\n", &s, &g), 1);
    assert_int_equal(s.docs, 1);
    assert_int_equal(g.errors, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_estimate_is_an_upper_bound),
        cmocka_unit_test(test_stream_framing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
