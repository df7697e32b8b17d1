/* Unit tests for schemas/jsonschema: keyword behaviour, error locations and
   hostile inputs (reference loops, deep nesting, huge strings, bad regexes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema.h"
#include "jsonschema_int.h" /* ccs_validate_mode: the two evaluations, compared below */

#ifndef CORPUS /* the Makefile passes $(CREDCONV_CORPUS) */
#define CORPUS "../shared/corpus"
#endif

#define URI "https://example.test/schema.json"

typedef struct {
    int count;
    char ip[8][256], kp[8][512], msg[8][512];
} errs;

static void collect(void *ud, const char *ip, const char *kp, const char *msg)
{
    errs *e = ud;
    if (e->count < 8) {
        snprintf(e->ip[e->count], sizeof e->ip[0], "%s", ip);
        snprintf(e->kp[e->count], sizeof e->kp[0], "%s", kp);
        snprintf(e->msg[e->count], sizeof e->msg[0], "%s", msg);
    }
    e->count++;
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v)
        fprintf(stderr, "bad test JSON: %s: %s\n", text, jerr.text);
    assert_non_null(v);
    return v;
}

static cc_schema_set *set_with(const char *schema, const char *uri)
{
    cc_schema_set *set = cc_schema_set_new();
    assert_non_null(set);
    json_t *s = parse(schema);
    char err[256] = "";
    int rc = cc_schema_set_add(set, s, uri, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "add failed: %s\n", err);
    assert_int_equal(rc, 0);
    json_decref(s);
    return set;
}

/* Validates instance text against schema text; errors land in e. */
static int run(const char *schema, const char *instance, int flags, errs *e)
{
    cc_schema_set *set = set_with(schema, URI);
    json_t *x = parse(instance);
    memset(e, 0, sizeof *e);
    int rc = cc_schema_validate(set, URI, x, flags, collect, e);
    json_decref(x);
    cc_schema_set_free(set);
    return rc;
}

static int run_plain(const char *schema, const char *instance)
{
    errs e;
    return run(schema, instance, 0, &e);
}

/* ---- keywords ----------------------------------------------------------- */

static void test_type_and_required(void **state)
{
    (void)state;
    const char *s = "{\"type\":\"object\",\"required\":[\"id\"],"
                    "\"properties\":{\"id\":{\"type\":\"integer\"}}}";
    assert_int_equal(run_plain(s, "{\"id\":3}"), 0);
    assert_int_equal(run_plain(s, "{\"id\":3.0}"), 0); /* 3.0 is an integer */
    assert_int_equal(run_plain(s, "{\"id\":3.5}"), 1);
    assert_int_equal(run_plain(s, "{}"), 1);
    assert_int_equal(run_plain(s, "[]"), 1);
}

static void test_numbers(void **state)
{
    (void)state;
    assert_int_equal(run_plain("{\"multipleOf\":0.01}", "19.99"), 0);
    assert_int_equal(run_plain("{\"multipleOf\":0.01}", "19.995"), 1);
    assert_int_equal(run_plain("{\"multipleOf\":3}", "9"), 0);
    assert_int_equal(run_plain("{\"multipleOf\":0.5}", "1e308"), 0);
    assert_int_equal(run_plain("{\"multipleOf\":0.123456789}", "1e308"), 1);
    assert_int_equal(run_plain("{\"exclusiveMaximum\":10}", "10"), 1);
    assert_int_equal(run_plain("{\"maximum\":10}", "10.0"), 0);
    assert_int_equal(run_plain("{\"minimum\":9007199254740993}", "9007199254740992"), 1);
}

static void test_unique_items_json_equality(void **state)
{
    (void)state;
    const char *s = "{\"uniqueItems\":true}";
    assert_int_equal(run_plain(s, "[1, 1.0]"), 1);
    assert_int_equal(run_plain(s, "[{\"a\":1,\"b\":2}, {\"b\":2,\"a\":1.0}]"), 1);
    assert_int_equal(run_plain(s, "[1, \"1\", true, [1], {\"1\":1}]"), 0);
    assert_int_equal(run_plain("{\"enum\":[1.0]}", "1"), 0);
    assert_int_equal(run_plain("{\"const\":false}", "0"), 1);
}

static void test_length_counts_code_points(void **state)
{
    (void)state;
    /* "é" is 2 bytes, "😀" is 4 bytes: both are one character. */
    assert_int_equal(run_plain("{\"maxLength\":2}", "\"\\u00e9\\ud83d\\ude00\""), 0);
    assert_int_equal(run_plain("{\"minLength\":3}", "\"\\u00e9\\ud83d\\ude00\""), 1);
}

static void test_ecma_patterns(void **state)
{
    (void)state;
    assert_int_equal(run_plain("{\"pattern\":\"^\\\\d+$\"}", "\"123\""), 0);
    /* ECMA-262 \d is ASCII only */
    assert_int_equal(run_plain("{\"pattern\":\"^\\\\d+$\"}", "\"\\u0661\""), 1);
    assert_int_equal(run_plain("{\"pattern\":\"^\\\\p{Letter}+$\"}", "\"\\u03c0x\""), 0);
    assert_int_equal(run_plain("{\"pattern\":\"^\\\\s$\"}", "\"\\u00a0\""), 0);
    assert_int_equal(run_plain("{\"pattern\":\"^a$\"}", "\"a\\n\""), 1);
    assert_int_equal(run_plain("{\"pattern\":\"b\"}", "\"abc\""), 0); /* unanchored */
}

static void test_format_assert_flag(void **state)
{
    (void)state;
    errs e;
    const char *s = "{\"format\":\"date\"}";
    assert_int_equal(run(s, "\"2021-02-29\"", 0, &e), 0);
    assert_int_equal(run(s, "\"2021-02-29\"", CC_SCHEMA_FORMAT_ASSERT, &e), 1);
    assert_int_equal(run(s, "\"2020-02-29\"", CC_SCHEMA_FORMAT_ASSERT, &e), 0);
    assert_int_equal(cc_schema_check_format("ipv4", "1.2.3.4", 7), 1);
    assert_int_equal(cc_schema_check_format("ipv6", "::1", 3), 1);
    assert_int_equal(cc_schema_check_format("email", "a@b.c", 5), 1);
    assert_int_equal(cc_schema_check_format("no-such-format", "x", 1), -1);
}

static void test_unevaluated_properties(void **state)
{
    (void)state;
    const char *s = "{\"allOf\":[{\"properties\":{\"a\":true}}],"
                    "\"unevaluatedProperties\":false}";
    assert_int_equal(run_plain(s, "{\"a\":1}"), 0);
    assert_int_equal(run_plain(s, "{\"a\":1,\"b\":2}"), 1);
}

static void test_refs_between_documents(void **state)
{
    (void)state;
    cc_schema_set *set = cc_schema_set_new();
    json_t *a = parse("{\"$id\":\"https://example.test/a.json\","
                      "\"properties\":{\"n\":{\"$ref\":\"b.json#/$defs/pos\"}}}");
    json_t *b = parse("{\"$id\":\"https://example.test/b.json\","
                      "\"$defs\":{\"pos\":{\"type\":\"integer\",\"minimum\":1}}}");
    char err[256];
    assert_int_equal(cc_schema_set_add(set, a, NULL, err, sizeof err), 0);
    assert_int_equal(cc_schema_set_add(set, b, NULL, err, sizeof err), 0);
    json_t *good = parse("{\"n\":2}"), *bad = parse("{\"n\":0}");
    errs e = {0};
    assert_int_equal(cc_schema_validate(set, "https://example.test/a.json", good, 0, collect, &e),
                     0);
    assert_int_equal(cc_schema_validate(set, "https://example.test/a.json", bad, 0, collect, &e),
                     1);
    assert_string_equal(e.ip[0], "/n");
    assert_string_equal(e.kp[0], "https://example.test/b.json#/$defs/pos/minimum");
    /* a fragment in the validation URI selects a subschema */
    assert_int_equal(
        cc_schema_validate(set, "https://example.test/b.json#/$defs/pos", good, 0, NULL, NULL), 1);
    json_decref(a);
    json_decref(b);
    json_decref(good);
    json_decref(bad);
    cc_schema_set_free(set);
}

/* ---- error locations ---------------------------------------------------- */

static void test_error_pointers(void **state)
{
    (void)state;
    errs e;
    const char *s = "{\"properties\":{\"a/b\":{\"items\":{\"type\":\"string\"}},"
                    "\"t~\":{\"maxLength\":1}}}";
    assert_int_equal(run(s, "{\"a/b\":[\"x\",2],\"t~\":\"xy\"}", 0, &e), 1);
    assert_int_equal(e.count, 2);
    assert_string_equal(e.ip[0], "/a~1b/1");
    assert_string_equal(e.kp[0], URI "#/properties/a~1b/items/type");
    assert_string_equal(e.ip[1], "/t~0");
    assert_string_equal(e.kp[1], URI "#/properties/t~0/maxLength");
}

static void test_error_pointer_through_ref(void **state)
{
    (void)state;
    errs e;
    const char *s = "{\"$defs\":{\"s\":{\"type\":\"string\"}},"
                    "\"additionalProperties\":{\"$ref\":\"#/$defs/s\"}}";
    assert_int_equal(run(s, "{\"x\":1}", 0, &e), 1);
    assert_int_equal(e.count, 1);
    assert_string_equal(e.ip[0], "/x");
    assert_string_equal(e.kp[0], URI "#/$defs/s/type");
    assert_int_equal(run("{\"additionalProperties\":false}", "{\"x\":1}", 0, &e), 1);
    assert_string_equal(e.ip[0], "/x");
    assert_string_equal(e.kp[0], URI "#/additionalProperties");
}

/* ---- schema errors (-1) ------------------------------------------------- */

static void test_ref_to_self_is_a_loop(void **state)
{
    (void)state;
    errs e;
    assert_int_equal(run("{\"$ref\":\"#\"}", "1", 0, &e), -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "loop"));
}

static void test_two_schema_cycle(void **state)
{
    (void)state;
    errs e;
    const char *s = "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},"
                    "\"$ref\":\"#/$defs/a\"}";
    assert_int_equal(run(s, "{}", 0, &e), -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "loop"));
}

static void test_cycle_across_documents(void **state)
{
    (void)state;
    cc_schema_set *set = cc_schema_set_new();
    json_t *a = parse("{\"$id\":\"https://example.test/a\",\"allOf\":[{\"$ref\":\"b\"}]}");
    json_t *b = parse("{\"$id\":\"https://example.test/b\",\"anyOf\":[{\"$ref\":\"a\"}]}");
    assert_int_equal(cc_schema_set_add(set, a, NULL, NULL, 0), 0);
    assert_int_equal(cc_schema_set_add(set, b, NULL, NULL, 0), 0);
    errs e = {0};
    assert_int_equal(cc_schema_validate(set, "https://example.test/a", a, 0, collect, &e), -1);
    assert_int_equal(e.count, 1);
    json_decref(a);
    json_decref(b);
    cc_schema_set_free(set);
}

static void test_recursion_with_progress_is_fine(void **state)
{
    (void)state;
    /* the same schema is re-entered, but one level deeper in the instance */
    const char *s = "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}";
    assert_int_equal(run_plain(s, "[[[[]]],[]]"), 0);
    assert_int_equal(run_plain(s, "[[[[1]]]]"), 1);
}

static void test_long_reference_chain(void **state)
{
    (void)state;
    /* 20,000 distinct schemas referencing the next one: no loop, but too deep
       to evaluate on the C stack, so it must be refused, not crash. */
    enum { N = 20000 };
    json_t *defs = json_object();
    for (int i = 0; i < N; i++) {
        char key[32], ref[48];
        snprintf(key, sizeof key, "d%d", i);
        snprintf(ref, sizeof ref, "#/$defs/d%d", i + 1);
        json_object_set_new(defs, key, i + 1 < N ? json_pack("{s:s}", "$ref", ref) : json_true());
    }
    json_t *schema = json_pack("{s:o,s:s}", "$defs", defs, "$ref", "#/$defs/d0");
    cc_schema_set *set = cc_schema_set_new();
    assert_int_equal(cc_schema_set_add(set, schema, URI, NULL, 0), 0);
    errs e = {0};
    json_t *x = json_integer(1);
    assert_int_equal(cc_schema_validate(set, URI, x, 0, collect, &e), -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "too deeply"));
    json_decref(x);
    json_decref(schema);
    cc_schema_set_free(set);
}

static void test_unresolvable_ref(void **state)
{
    (void)state;
    errs e;
    /* the fatal error replaces the ordinary one from "type" */
    const char *s = "{\"allOf\":[{\"type\":\"string\"},{\"$ref\":\"other.json#/x\"}]}";
    assert_int_equal(run(s, "1", 0, &e), -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "other.json"));
    assert_int_equal(run("{\"$ref\":\"#/$defs/missing\"}", "1", 0, &e), -1);
    assert_int_equal(run("{\"$ref\":\"#nope\"}", "1", 0, &e), -1);
}

static void test_unknown_uri(void **state)
{
    (void)state;
    cc_schema_set *set = set_with("{}", URI);
    json_t *x = json_null();
    errs e = {0};
    assert_int_equal(cc_schema_validate(set, "https://example.test/nope", x, 0, collect, &e), -1);
    assert_int_equal(e.count, 1);
    assert_int_equal(cc_schema_validate(set, URI, x, 0, NULL, NULL), 0); /* fn may be NULL */
    cc_schema_set_free(set);
}

static void test_invalid_regex(void **state)
{
    (void)state;
    errs e;
    assert_int_equal(run("{\"pattern\":\"(abc\"}", "\"abc\"", 0, &e), -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "invalid regular expression"));
    assert_int_equal(run("{\"patternProperties\":{\"[\":true}}", "{\"a\":1}", 0, &e), -1);
    /* \a is not an ECMA-262 escape; PCRE2 would read it as BEL */
    assert_int_equal(run("{\"pattern\":\"\\\\a\"}", "\"x\"", 0, &e), -1);
    /* the pattern is not used for non-strings, so nothing fails */
    assert_int_equal(run("{\"pattern\":\"(abc\"}", "1", 0, &e), 0);
}

static void test_catastrophic_backtracking_is_bounded(void **state)
{
    (void)state;
    errs e;
    /* exponential in PCRE2's backtracking matcher: stopped by its match
       limit and reported as an error instead of hanging */
    assert_int_equal(run("{\"pattern\":\"^(a+)+$\"}", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"",
                         0, &e),
                     -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "limit"));
}

static void test_invalid_schema_values(void **state)
{
    (void)state;
    errs e;
    assert_int_equal(run("{\"minimum\":\"5\"}", "1", 0, &e), -1);
    assert_int_equal(run("{\"type\":\"integr\"}", "1", 0, &e), -1);
    assert_int_equal(run("{\"items\":5}", "[1]", 0, &e), -1);
}

static void test_set_add_errors(void **state)
{
    (void)state;
    cc_schema_set *set = cc_schema_set_new();
    char err[256];
    json_t *s = parse("{\"type\":\"string\"}");
    assert_int_equal(cc_schema_set_add(set, s, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "URI"));
    assert_int_equal(cc_schema_set_add(set, s, URI, err, sizeof err), 0);
    assert_int_equal(cc_schema_set_add(set, s, URI, err, sizeof err), -1); /* duplicate */
    json_t *n = json_integer(3);
    assert_int_equal(cc_schema_set_add(set, n, "https://example.test/n", err, sizeof err), -1);
    assert_int_equal(cc_schema_set_add_file(set, "/nonexistent/schema.json", NULL, err, sizeof err),
                     -1);
    assert_int_equal(cc_schema_set_default_dialect(set, "http://json-schema.org/draft-07/schema"),
                     -1);
    json_decref(n);
    json_decref(s);
    cc_schema_set_free(set);
    cc_schema_set_free(NULL);
}

/* ---- sizes -------------------------------------------------------------- */

static char *nested_arrays_text(size_t depth)
{
    char *t = malloc(2 * depth + 1);
    assert_non_null(t);
    memset(t, '[', depth);
    memset(t + depth, ']', depth);
    t[2 * depth] = '\0';
    return t;
}

static void test_jansson_refuses_10000_nested_arrays(void **state)
{
    (void)state;
    char *text = nested_arrays_text(10000);
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    assert_null(v); /* jansson stops at JSON_PARSER_MAX_DEPTH (2048) */
    assert_non_null(strstr(jerr.text, "depth"));
    free(text);
}

static void test_deepest_parsable_instance(void **state)
{
    (void)state;
    char *text = nested_arrays_text(2000);
    json_t *x = parse(text);
    free(text);
    cc_schema_set *set = set_with("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}", URI);
    assert_int_equal(cc_schema_validate(set, URI, x, 0, NULL, NULL), 0);
    cc_schema_set_free(set);
    set = set_with("{\"items\":{\"items\":{\"$ref\":\"#\"}},\"uniqueItems\":true,"
                   "\"enum\":[[[]]]}",
                   URI);
    assert_int_equal(cc_schema_validate(set, URI, x, 0, NULL, NULL), 1);
    cc_schema_set_free(set);
    json_decref(x);
}

static void test_10000_nested_arrays_built_in_memory(void **state)
{
    (void)state;
    json_t *root = json_array(), *cur = root;
    for (int i = 1; i < 10000; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    cc_schema_set *set = set_with("{\"items\":{\"$ref\":\"#\"}}", URI);
    errs e = {0};
    assert_int_equal(cc_schema_validate(set, URI, root, 0, collect, &e), -1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "nested deeper"));
    cc_schema_set_free(set);
    json_decref(root);
}

static void test_huge_string(void **state)
{
    (void)state;
    size_t n = 16u << 20; /* 16 MiB */
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    json_t *x = json_stringn(big, n);
    free(big);
    assert_non_null(x);
    cc_schema_set *set = set_with("{\"maxLength\":5}", URI);
    errs e = {0};
    assert_int_equal(cc_schema_validate(set, URI, x, 0, collect, &e), 1);
    assert_int_equal(e.count, 1);
    assert_non_null(strstr(e.msg[0], "16777216"));
    cc_schema_set_free(set);
    set = set_with("{\"maxLength\":16777216,\"pattern\":\"^a*$\"}", URI);
    assert_int_equal(cc_schema_validate(set, URI, x, 0, NULL, NULL), 0);
    cc_schema_set_free(set);
    json_decref(x);
}

static void test_many_unique_items(void **state)
{
    (void)state;
    json_t *x = json_array();
    for (int i = 0; i < 200000; i++)
        json_array_append_new(x, json_integer(i));
    cc_schema_set *set = set_with("{\"uniqueItems\":true}", URI);
    assert_int_equal(cc_schema_validate(set, URI, x, 0, NULL, NULL), 0);
    json_array_append_new(x, json_real(777.0));
    assert_int_equal(cc_schema_validate(set, URI, x, 0, NULL, NULL), 1);
    cc_schema_set_free(set);
    json_decref(x);
}

/* ---- formats ------------------------------------------------------------- */

/* The URI formats with every byte (0 to 255, NUL included) in each part of a URI: one hex
   digit per 4 bytes, bit k set when byte 4i+k is accepted.  The table was made by main's
   strchr-based character classes before they became a switch (uri_class): the same answers. */
static void test_uri_formats_byte_by_byte(void **state)
{
    (void)state;
    static const struct {
        const char *format, *tmpl, *want;
    } rows[] = {
        {.format = "uri", .tmpl = "http://uX@h.example/p?q#f",
         .want = "000000002dfffffaefffff78efffff7400000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://u@hX.example/p?q#f",
         .want = "000000002dffffbaefffff78efffff7400000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://u@h.example:8X/p?q#f",
         .want = "000000000008ff38000000000000000000000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://u@h.example/pX?q#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://u@h.example/p?qX#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://u@h.example/p?q#fX",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri", .tmpl = "sX:rest",
         .want = "000000000086ff70efffff70efffff7000000000000000000000000000000000"},
        {.format = "uri", .tmpl = "X/a:b",
         .want = "0000000000000000000000000000000000000000000000000000000000000000"},
        {.format = "uri", .tmpl = "//hX/p",
         .want = "0000000000000000000000000000000000000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://[::1X]/p",
         .want = "000000000000ff30e7000000e700000000000000000000000000000000000000"},
        {.format = "uri", .tmpl = "http://[v1.aX]/p",
         .want = "000000002df7fff2efffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://uX@h.example/p?q#f",
         .want = "000000002dfffffaefffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://u@hX.example/p?q#f",
         .want = "000000002dffffbaefffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://u@h.example:8X/p?q#f",
         .want = "000000000008ff38000000000000000000000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://u@h.example/pX?q#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://u@h.example/p?qX#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://u@h.example/p?q#fX",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "sX:rest",
         .want = "00000000808eff78efffff70efffff7000000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "X/a:b",
         .want = "00000000adf7ffbaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "//hX/p",
         .want = "00000000adfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://[::1X]/p",
         .want = "000000000000ff30e7000000e700000000000000000000000000000000000000"},
        {.format = "uri-reference", .tmpl = "http://[v1.aX]/p",
         .want = "000000002df7fff2efffff78efffff7400000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://uX@h.example/p?q#f",
         .want = "000000002dfffffaefffff78efffff7400000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://u@hX.example/p?q#f",
         .want = "000000002dffffbaefffff78efffff7400000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://u@h.example:8X/p?q#f",
         .want = "000000000008ff38000000000000000000000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://u@h.example/pX?q#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://u@h.example/p?qX#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://u@h.example/p?q#fX",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri", .tmpl = "sX:rest",
         .want = "000000000086ff70efffff70efffff7000000000000000000000000000000000"},
        {.format = "iri", .tmpl = "X/a:b",
         .want = "0000000000000000000000000000000000000000000000000000000000000000"},
        {.format = "iri", .tmpl = "//hX/p",
         .want = "0000000000000000000000000000000000000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://[::1X]/p",
         .want = "000000000000ff30e7000000e700000000000000000000000000000000000000"},
        {.format = "iri", .tmpl = "http://[v1.aX]/p",
         .want = "000000002df7fff2efffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://uX@h.example/p?q#f",
         .want = "000000002dfffffaefffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://u@hX.example/p?q#f",
         .want = "000000002dffffbaefffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://u@h.example:8X/p?q#f",
         .want = "000000000008ff38000000000000000000000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://u@h.example/pX?q#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://u@h.example/p?qX#f",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://u@h.example/p?q#fX",
         .want = "000000002dfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "sX:rest",
         .want = "00000000808eff78efffff70efffff7000000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "X/a:b",
         .want = "00000000adf7ffbaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "//hX/p",
         .want = "00000000adfffffaffffff78efffff7400000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://[::1X]/p",
         .want = "000000000000ff30e7000000e700000000000000000000000000000000000000"},
        {.format = "iri-reference", .tmpl = "http://[v1.aX]/p",
         .want = "000000002df7fff2efffff78efffff7400000000000000000000000000000000"},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const char *x = strchr(rows[r].tmpl, 'X');
        size_t pre = (size_t)(x - rows[r].tmpl), post = strlen(x + 1);
        char got[65], buf[128];
        for (int b = 0; b < 256; b += 4) {
            int nib = 0;
            for (int k = 0; k < 4; k++) {
                memcpy(buf, rows[r].tmpl, pre);
                buf[pre] = (char)(b + k);
                memcpy(buf + pre + 1, x + 1, post);
                nib |= (cc_schema_check_format(rows[r].format, buf, pre + 1 + post) == 1) << k;
            }
            got[b / 4] = "0123456789abcdef"[nib];
        }
        got[64] = '\0';
        if (strcmp(got, rows[r].want) != 0)
            fail_msg("%s %s: %s, want %s", rows[r].format, rows[r].tmpl, got, rows[r].want);
    }
}

/* ---- the valid-or-not evaluation against the error-collecting one -------- */

/* Every error of one evaluation as "ip\tkp\tmsg\n" lines, in order. */
typedef struct {
    char *s;
    size_t len, cap;
    int calls;
} transcript;

static void record(void *ud, const char *ip, const char *kp, const char *msg)
{
    transcript *t = ud;
    size_t n = strlen(ip) + strlen(kp) + strlen(msg) + 3;
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    t->len += (size_t)snprintf(t->s + t->len, t->cap - t->len, "%s\t%s\t%s\n", ip, kp, msg);
    t->calls++;
}

typedef struct {
    size_t compared, invalid, fatal;
} agreement;

/* The quiet evaluation agrees with the full one on validity (it may stop before a fatal
   condition the full one reaches later, never the reverse), it reports nothing, and
   cc_schema_validate gives exactly the full evaluation's result and messages. */
static void modes_agree(cc_schema_set *set, const char *uri, const json_t *x, int flags,
                        agreement *a, const char *what)
{
    transcript quiet = {0}, full = {0}, pub = {0};
    int q = ccs_validate_mode(set, uri, x, flags, 0, record, &quiet);
    int f = ccs_validate_mode(set, uri, x, flags, 1, record, &full);
    int p = cc_schema_validate(set, uri, x, flags, record, &pub);
    if ((q == 0) != (f == 0) || (q < 0 && f >= 0) || p != f || quiet.calls ||
        pub.len != full.len || (full.len && memcmp(pub.s, full.s, full.len) != 0))
        fail_msg("%s: quiet %d, full %d, validate %d\nfull:\n%s\nvalidate:\n%s", what, q, f, p,
                 full.s ? full.s : "", pub.s ? pub.s : "");
    a->compared++;
    a->invalid += f == 1;
    a->fatal += f < 0;
    free(quiet.s);
    free(full.s);
    free(pub.s);
}

#define SUITE CORPUS "/json-schema-test-suite"
#define REMOTE_BASE "http://localhost:1234/"
#define TEST_SCHEMA_URI "https://cc-suite.invalid/test-schema.json"

/* nftw has no user pointer: the walks below keep their state here, one walk at a time. */
static struct {
    json_t *remotes; /* uri -> document */
    agreement a;
} walk;

static int ends_with_json(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcmp(path + n - 5, ".json") == 0;
}

static int add_remote(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type != FTW_F || !ends_with_json(path))
        return 0;
    json_t *doc = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char uri[1024];
    snprintf(uri, sizeof uri, REMOTE_BASE "%s", path + strlen(SUITE "/remotes/"));
    if (doc)
        json_object_set_new(walk.remotes, uri, doc);
    return 0;
}

static cc_schema_set *group_set(const char *path, json_t *schema)
{
    cc_schema_set *set = cc_schema_set_new();
    assert_non_null(set);
    cc_schema_set_default_dialect(set, strstr(path, "draft2019-09")
                                           ? "https://json-schema.org/draft/2019-09/schema"
                                           : "https://json-schema.org/draft/2020-12/schema");
    const char *uri;
    json_t *doc;
    char err[512];
    json_object_foreach(walk.remotes, uri, doc)
        cc_schema_set_add(set, doc, uri, err, sizeof err);
    if (cc_schema_set_add(set, schema, TEST_SCHEMA_URI, err, sizeof err) < 0) {
        cc_schema_set_free(set);
        return NULL;
    }
    return set;
}

static int compare_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type != FTW_F || !ends_with_json(path))
        return 0;
    json_t *groups = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    size_t i, j;
    json_t *g, *t;
    json_array_foreach(groups, i, g)
    {
        cc_schema_set *set = group_set(path, json_object_get(g, "schema"));
        if (!set)
            continue;
        json_array_foreach(json_object_get(g, "tests"), j, t)
        {
            char what[1024];
            snprintf(what, sizeof what, "%s: %s / %s", path,
                     json_string_value(json_object_get(g, "description")),
                     json_string_value(json_object_get(t, "description")));
            for (int flags = 0; flags <= CC_SCHEMA_FORMAT_ASSERT; flags++)
                modes_agree(set, TEST_SCHEMA_URI, json_object_get(t, "data"), flags, &walk.a,
                            what);
        }
        cc_schema_set_free(set);
    }
    json_decref(groups);
    return 0;
}

/* Every JSON-Schema-Test-Suite case of both drafts, required and optional, with and without
   format assertion. */
static void test_quiet_and_full_agree_on_the_suite(void **state)
{
    (void)state;
    walk.remotes = json_object();
    memset(&walk.a, 0, sizeof walk.a);
    int rc = nftw(SUITE "/remotes", add_remote, 16, FTW_PHYS);
    if (rc == 0)
        rc = nftw(SUITE "/tests/draft2019-09", compare_file, 16, FTW_PHYS);
    if (rc == 0)
        rc = nftw(SUITE "/tests/draft2020-12", compare_file, 16, FTW_PHYS);
    json_decref(walk.remotes);
    if (rc != 0 && getenv("CORPUS_REQUIRED") == NULL)
        skip(); /* no corpus here */
    assert_int_equal(rc, 0);
    print_message("%zu suite cases compared: %zu invalid, %zu fatal\n", walk.a.compared,
                  walk.a.invalid, walk.a.fatal);
    /* the suite has thousands of cases, a good share of them invalid */
    assert_true(walk.a.compared > 4000);
    assert_true(walk.a.invalid > 1000);
}

/* Hand-made cases where the quiet evaluation stops early, in every applicator. */
static void test_quiet_and_full_agree_on_applicators(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"{\"oneOf\":[{\"type\":\"string\"},{\"minLength\":2}]}", "\"ab\""},
        {"{\"oneOf\":[{\"type\":\"string\"},{\"minLength\":2}]}", "\"a\""},
        {"{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}", "null"},
        {"{\"anyOf\":[{\"type\":\"string\"},{\"required\":[\"a\"]}]}", "{\"b\":1}"},
        {"{\"not\":{\"type\":\"object\"}}", "{}"},
        {"{\"if\":{\"required\":[\"a\"]},\"then\":{\"required\":[\"b\"]},\"else\":false}",
         "{\"a\":1}"},
        {"{\"allOf\":[{\"minimum\":3},{\"multipleOf\":2},{\"const\":7}]}", "1"},
        {"{\"items\":{\"type\":\"integer\"},\"contains\":{\"const\":1},\"maxContains\":1}",
         "[1,1,\"x\"]"},
        {"{\"properties\":{\"a\":{\"$ref\":\"#/$defs/s\"}},\"$defs\":{\"s\":{\"enum\":[1]}},"
         "\"additionalProperties\":false,\"unevaluatedProperties\":false}",
         "{\"a\":2,\"b\":3}"},
        {"{\"propertyNames\":{\"pattern\":\"^[a-z]+$\"},\"minProperties\":3}",
         "{\"A\":1,\"b~/\":2}"},
        {"{\"prefixItems\":[{\"type\":\"string\"}],\"unevaluatedItems\":false}", "[\"a\",2]"},
        {"{\"$ref\":\"#\",\"$defs\":{}}", "1"}, /* a loop: fatal in both */
        {"{\"pattern\":\"(\"}", "\"x\""},       /* a bad pattern: fatal in both */
        {"{\"type\":\"string\",\"format\":\"date-time\"}", "\"2026-13-01T00:00:00Z\""},
    };
    agreement a = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cc_schema_set *set = set_with(cases[i][0], URI);
        json_t *x = parse(cases[i][1]);
        for (int flags = 0; flags <= CC_SCHEMA_FORMAT_ASSERT; flags++)
            modes_agree(set, URI, x, flags, &a, cases[i][0]);
        json_decref(x);
        cc_schema_set_free(set);
    }
    assert_int_equal(a.compared, 2 * sizeof cases / sizeof cases[0]);
    assert_true(a.fatal >= 4);
}

/* A failing document's messages, in order, as the error-collecting evaluation always gave
   them: the quiet evaluation that runs first changes none of them. */
static void test_failing_document_messages_unchanged(void **state)
{
    (void)state;
    const char *s = "{\"properties\":{\"a\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]},"
                    "\"b\":{\"items\":{\"minimum\":2}},\"c\":{\"anyOf\":[{\"const\":1},{\"const\":2}]}},"
                    "\"required\":[\"d\"]}";
    transcript t = {0};
    cc_schema_set *set = set_with(s, URI);
    json_t *x = parse("{\"a\":1.5,\"b\":[1,3,0],\"c\":3}");
    assert_int_equal(cc_schema_validate(set, URI, x, 0, record, &t), 1);
    assert_string_equal(t.s, "/a\t" URI "#/properties/a/oneOf\tvalue does not match any of the schemas in oneOf\n"
                             "/b/0\t" URI "#/properties/b/items/minimum\t1 must be at least 2\n"
                             "/b/2\t" URI "#/properties/b/items/minimum\t0 must be at least 2\n"
                             "/c\t" URI "#/properties/c/anyOf\tvalue does not match any of the 2 schemas in anyOf\n"
                             "\t" URI "#/required\trequired property 'd' is missing\n");
    json_decref(x);
    cc_schema_set_free(set);
    free(t.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_and_required),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_unique_items_json_equality),
        cmocka_unit_test(test_length_counts_code_points),
        cmocka_unit_test(test_ecma_patterns),
        cmocka_unit_test(test_format_assert_flag),
        cmocka_unit_test(test_unevaluated_properties),
        cmocka_unit_test(test_refs_between_documents),
        cmocka_unit_test(test_error_pointers),
        cmocka_unit_test(test_error_pointer_through_ref),
        cmocka_unit_test(test_ref_to_self_is_a_loop),
        cmocka_unit_test(test_two_schema_cycle),
        cmocka_unit_test(test_cycle_across_documents),
        cmocka_unit_test(test_recursion_with_progress_is_fine),
        cmocka_unit_test(test_long_reference_chain),
        cmocka_unit_test(test_unresolvable_ref),
        cmocka_unit_test(test_unknown_uri),
        cmocka_unit_test(test_invalid_regex),
        cmocka_unit_test(test_catastrophic_backtracking_is_bounded),
        cmocka_unit_test(test_invalid_schema_values),
        cmocka_unit_test(test_set_add_errors),
        cmocka_unit_test(test_jansson_refuses_10000_nested_arrays),
        cmocka_unit_test(test_deepest_parsable_instance),
        cmocka_unit_test(test_10000_nested_arrays_built_in_memory),
        cmocka_unit_test(test_huge_string),
        cmocka_unit_test(test_many_unique_items),
        cmocka_unit_test(test_uri_formats_byte_by_byte),
        cmocka_unit_test(test_quiet_and_full_agree_on_the_suite),
        cmocka_unit_test(test_quiet_and_full_agree_on_applicators),
        cmocka_unit_test(test_failing_document_messages_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
