/* The streaming JSON writer (converters/util/cc_jsonw.h): the buffer form writes exactly
 * what the FILE form writes, escapes included, and keeps growing past its first block. */
#include "helpers.h"
#include "cc_jsonw.h"

/* One document with every kind of value and every escape, written through w. */
static void sample(cc_jw *w, const char *big)
{
    cc_jw_obj(w);
    cc_jw_kstr(w, "plain", "Diplôme d’études");
    cc_jw_kstr(w, "esc\"key", "q\" b\\ n\n r\r t\t c\x01\x1f end");
    cc_jw_kstr(w, "skipped", NULL);
    cc_jw_key(w, "list");
    cc_jw_arr(w);
    cc_jw_int(w, -1234567890123LL);
    cc_jw_bool(w, true);
    cc_jw_raw(w, "{\"a\":null}");
    cc_jw_str(w, big);
    cc_jw_arr_end(w);
    cc_jw_obj_end(w);
    cc_jw_put(w, "\n");
}

static void test_buffer_as_file(void **state)
{
    (void)state;
    size_t n = 20000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 97 == 0 ? '"' : (char)('a' + i % 26);
    big[n] = '\0';
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cc_jw f;
    cc_jw_init(&f, m);
    sample(&f, big);
    fclose(m);
    cc_jwbuf b = {0};
    cc_jwbuf_put(&b, "x", 1);  /* what the buffer had stays */
    cc_jw w;
    cc_jw_init_buf(&w, &b);
    sample(&w, big);
    assert_int_equal(b.len, len + 1);
    assert_memory_equal(b.data + 1, text, len);
    assert_int_equal(b.data[b.len], '\0');
    assert_non_null(strstr(text, "\"esc\\\"key\":\"q\\\" b\\\\ n\\n r\\r t\\t c\\u0001\\u001f end\""));
    assert_null(strstr(text, "skipped"));
    cc_jwbuf_free(&b);
    assert_null(b.data);
    free(text);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffer_as_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
