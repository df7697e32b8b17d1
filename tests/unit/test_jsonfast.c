/* The JSON fast path (converters/util/jsonfast.c) against jansson's own loader: whatever the
 * fast path returns, jansson returns the same value with members in the same order; whatever
 * jansson refuses, the fast path refuses too (it gives up, and jansson reports).  Over every
 * JSON file of the corpus, a table of edge cases, and byte mutations of a real credential. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cc_jsonfast.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CORPUS
#define CORPUS "../shared/corpus"
#endif

typedef struct tally {
    int files, fast, refused;
} tally;

/* 1 when the fast path took it, 0 when it gave up; fails the test on any disagreement. */
static int same_as_jansson(const char *buf, size_t len, const char *what)
{
    json_error_t e;
    json_t *slow = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
    json_t *fast = cc_json_fast_parse(buf, len, JSON_REJECT_DUPLICATES);
    int took = fast != NULL;
    if (fast) {
        if (!slow)
            fail_msg("%s: the fast path read what jansson refuses (%s)", what, e.text);
        char *a = json_dumps(slow, JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps(fast, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!a || !b || strcmp(a, b) || !json_equal(slow, fast))
            fail_msg("%s: the fast path reads another value", what);
        free(a), free(b);
    }
    if (slow) {  /* and the writer: what json_dumps writes, byte for byte */
        char *a = json_dumps(slow, JSON_COMPACT), *b = cc_json_dumps_compact(slow);
        if ((a || b) && (!a || !b || strcmp(a, b)))
            fail_msg("%s: cc_json_dumps_compact writes %s, json_dumps %s", what, b ? b : "NULL", a ? a : "NULL");
        free(a), free(b);
    }
    json_decref(slow), json_decref(fast);
    return took;
}

static void writer(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s, s:s#, s:[i, I, b, b, n, f, {}], s:{s:s}}", "esc",
                          "\"\\/\b\f\n\r\t\x01\x1f\x7f é €", "nul", "a\0b", 3, "n", -3,
                          (json_int_t)-9223372036854775807LL - 1, 1, 0, 2.5, "o", "\xc3\xa9", "k");
    assert_non_null(v);
    json_object_set_new(v, "bad", json_stringn_nocheck("\xff", 1));
    char *a = json_dumps(v, JSON_COMPACT), *b = cc_json_dumps_compact(v);
    assert_true(a == b || (a && b && !strcmp(a, b)));  /* the real and the bad UTF-8 go to jansson */
    free(a), free(b);
    json_object_del(v, "bad");
    json_array_remove(json_object_get(v, "n"), 5);
    a = json_dumps(v, JSON_COMPACT), b = cc_json_dumps_compact(v);
    assert_non_null(a);
    assert_string_equal(a, b);
    free(a), free(b);
    json_decref(v);
}

static tally *walk_tally;  /* nftw has no user pointer: the test's own, set and cleared around it */

static int visit(const char *path, const struct stat *st, int kind, struct FTW *ftw)
{
    (void)ftw;
    size_t n = strlen(path);
    if (kind != FTW_F || st->st_size > (8 << 20) ||
        !((n > 5 && !strcmp(path + n - 5, ".json")) || (n > 7 && !strcmp(path + n - 7, ".jsonld"))))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *buf = malloc((size_t)st->st_size + 1);
    size_t got = buf ? fread(buf, 1, (size_t)st->st_size, f) : 0;
    fclose(f);
    if (buf) {
        walk_tally->files++;
        if (same_as_jansson(buf, got, path))
            walk_tally->fast++;
    }
    free(buf);
    return 0;
}

static void corpus_files(void **state)
{
    (void)state;
    tally t = {0};
    walk_tally = &t;
    int rc = nftw(CORPUS, visit, 16, FTW_PHYS);
    walk_tally = NULL;
    if (rc != 0 || t.files == 0)
        skip();
    /* most real files are read by the fast path (those with reals or errors are not) */
    assert_true(t.fast * 2 > t.files);
}

static void edge_cases(void **state)
{
    (void)state;
    static const struct { const char *text; int fast; } cases[] = {
        {.text = "{}", .fast = 1}, {.text = "[]", .fast = 1}, {.text = " \t\r\n{\"a\" : \t\r\n 1 } \n", .fast = 1},
        {.text = "{\"a\":1,\"a\":2}", .fast = 0}, {.text = "{\"\\u0061\":1,\"a\":2}", .fast = 0},
        {.text = "{\"a\":\"\\u0000\"}", .fast = 0}, {.text = "{\"a\\u0000\":1}", .fast = 0},
        {.text = "{\"a\":\"\\ud83d\\ude00\"}", .fast = 1}, {.text = "{\"a\":\"\\uD83D\\uDE00\"}", .fast = 1},
        {.text = "{\"a\":\"\\ud83d\"}", .fast = 0}, {.text = "{\"a\":\"\\udc00\"}", .fast = 0}, {.text = "{\"a\":\"\\ud83dx\"}", .fast = 0},
        {.text = "{\"a\":\"\\u00e9\\u20ac\\u0041\"}", .fast = 1}, {.text = "{\"a\":\"\\u00\"}", .fast = 0}, {.text = "{\"a\":\"\\x\"}", .fast = 0},
        {.text = "{\"a\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", .fast = 1},
        {.text = "{\"a\":01}", .fast = 0}, {.text = "{\"a\":-0}", .fast = 1}, {.text = "{\"a\":-}", .fast = 0}, {.text = "{\"a\":0}", .fast = 1},
        {.text = "{\"a\":1.5}", .fast = 0}, {.text = "{\"a\":1e5}", .fast = 0}, {.text = "{\"a\":-12}", .fast = 1},
        {.text = "{\"a\":123456789012345678}", .fast = 1}, {.text = "{\"a\":1234567890123456789}", .fast = 0},
        {.text = "{\"a\":99999999999999999999}", .fast = 0},
        {.text = "{\"a\":tru}", .fast = 0}, {.text = "{\"a\":true}x", .fast = 0}, {.text = "{\"a\":truex}", .fast = 0},
        {.text = "{\"a\":[true,false,null]}", .fast = 1},
        {.text = "{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}", .fast = 1}, {.text = "{\"a\":\"\xc0\xaf\"}", .fast = 0},
        {.text = "{\"a\":\"\xed\xa0\x80\"}", .fast = 0}, {.text = "{\"a\":\"\xf4\x90\x80\x80\"}", .fast = 0},
        {.text = "{\"a\":\"\xe0\x80\xaf\"}", .fast = 0}, {.text = "{\"a\":\"\xc3\"}", .fast = 0}, {.text = "{\"a\":\"\x01\"}", .fast = 0},
        {.text = "{\"a\":\"\x7f\"}", .fast = 1}, {.text = "{\"\xc3\xa9\\u00e9\":\"x\",\"b\":[1,2,{\"c\":null}]}", .fast = 1},
        {.text = "[1,]", .fast = 0}, {.text = "[,1]", .fast = 0}, {.text = "{\"a\":1,}", .fast = 0}, {.text = "{,}", .fast = 0}, {.text = "{\"a\"}", .fast = 0}, {.text = "{\"a\":}", .fast = 0},
        {.text = "\"str\"", .fast = 0}, {.text = "1", .fast = 0}, {.text = "", .fast = 0}, {.text = "   ", .fast = 0}, {.text = "{\"a\":[[[[]]]]}", .fast = 1}, {.text = "{} {}", .fast = 0},
        {.text = "{\"a\":\"unterminated}", .fast = 0}, {.text = "[\"\\\\\", \"\\\"\"]", .fast = 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int took = same_as_jansson(cases[i].text, strlen(cases[i].text), cases[i].text);
        if (took != cases[i].fast)
            fail_msg("%s: fast path %s", cases[i].text, took ? "took it" : "gave up");
    }
    /* a NUL byte inside the buffer, and nesting past the fast path's depth */
    assert_int_equal(same_as_jansson("{\"a\":\"x\0y\"}", 11, "raw NUL"), 0);
    char deep[3000];
    memset(deep, '[', 1500), memset(deep + 1500, ']', 1500);
    assert_int_equal(same_as_jansson(deep, 3000, "1500 deep"), 0);
    assert_int_equal(same_as_jansson(deep + 500, 2000, "1000 deep"), 1);
    assert_null(cc_json_fast_parse("{}", 2, JSON_DECODE_ANY));  /* other flags: jansson's */
}

/* Every one-byte change of a real credential (sampled), read the same or refused alike. */
static void mutations(void **state)
{
    (void)state;
    const char *cred =
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"id\":\"urn:uuid:2a8f\","
        "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":{\"id\":"
        "\"https://ecole.example/issuer\",\"name\":\"\xc3\x89\x63ole \\u00e9\\n\"},\"n\":[1,-2,0,true,"
        "false,null],\"credentialSubject\":{\"achievement\":{\"criteria\":{\"narrative\":\"n\"}}}}";
    size_t n = strlen(cred);
    char *buf = malloc(n);
    static const char bytes[] = "{}[]\",:\\ \n0-1.eEtfnu\x01\x80\xc3\xff";
    int took = 0, tried = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < sizeof bytes - 1; b++) {
            memcpy(buf, cred, n);
            buf[i] = bytes[b];
            took += same_as_jansson(buf, n, "mutation");
            tried++;
        }
    for (size_t cut = 0; cut < n; cut++)
        took += same_as_jansson(cred, cut, "cut"), tried++;
    free(buf);
    assert_true(took > 0 && took < tried);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_cases),
        cmocka_unit_test(writer),
        cmocka_unit_test(mutations),
        cmocka_unit_test(corpus_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
