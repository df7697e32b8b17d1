/* The model's JSON form: round trips and errors with their JSON pointers. */
#include "helpers.h"
#include "cc_loss.h"

static void sample_round_trip_is_byte_identical(void **state)
{
    (void)state;
    got a, b;
    assert_int_equal(read_path(&a, "rncp", "samples/rncp-sample.xml", false), 0);
    assert_int_equal(a.n, 2);
    char *json = write_all("model", a.recs, a.n);
    assert_int_equal(read_string(&b, "model", json), 0);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.warnings, 0);
    char *again = write_all("model", b.recs, b.n);
    assert_string_equal(json, again);
    /* Each line is one record. */
    size_t lines = 0;
    for (const char *p = json; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 2);
    free(json);
    free(again);
    got_free(&a);
    got_free(&b);
}

static void wrong_type_names_the_pointer(void **state)
{
    (void)state;
    got g;
    read_string(&g, "model",
                "{\"model\":\"credconv-model/1\",\"achievement\":{\"code\":\"X\","
                "\"parts\":[{\"code\":\"Y\",\"title\":\"plain string\"}]}}\n"
                "{\"model\":\"credconv-model/1\",\"achievement\":{\"code\":\"Z\"}}\n");
    assert_int_equal(g.n, 1);  /* the second record still goes through */
    assert_int_equal(g.rejected, 1);
    assert_string_equal(g.recs[0]->achievement->code, "Z");
    assert_non_null(strstr(g.rules, "model-type"));
    got_free(&g);
}

static const char *last_pointer;
static char pointer_buf[256];
static void keep_pointer(void *ud, const cc_diag *d)
{
    (void)ud;
    if (d->pointer) {
        snprintf(pointer_buf, sizeof pointer_buf, "%s", d->pointer);
        last_pointer = pointer_buf;
    }
}

static void pointer_is_exact(void **state)
{
    (void)state;
    json_error_t err;
    json_t *j = json_loads("{\"model\":\"credconv-model/1\",\"achievement\":{\"parts\":[{},"
                           "{\"alignments\":[{\"code\":5}]}]}}",
                           0, &err);
    cc_diag_sink ds = {.emit = keep_pointer, .ud = NULL};
    assert_null(cc_model_read(j, "t", 1, &ds));
    assert_string_equal(last_pointer, "/achievement/parts/1/alignments/0/code");
    json_decref(j);
}

static void not_a_model_record(void **state)
{
    (void)state;
    got g;
    read_string(&g, "model", "{\"achievement\":{}}");
    assert_int_equal(g.rejected, 1);
    assert_non_null(strstr(g.rules, "model-tag"));
    got_free(&g);
    read_string(&g, "model", "{\"model\":\"credconv-model/1\",\"achievement\":{},\"credential\":{}}");
    assert_non_null(strstr(g.rules, "model-kind"));
    got_free(&g);
}

static void syntax_errors_and_duplicates(void **state)
{
    (void)state;
    got g;
    assert_int_equal(read_string(&g, "model", "{\"model\":\"credconv-model/1\"}\n{\"a\":1,\"a\":2}"), 1);
    assert_non_null(strstr(g.rules, "json-syntax"));
    assert_non_null(strstr(g.last, "duplicate"));
    assert_int_equal(g.last_line, 2);
    got_free(&g);
    assert_int_equal(read_string(&g, "model", "{\"model\": tru"), 1);
    got_free(&g);
}

static void deep_nesting_is_refused(void **state)
{
    (void)state;
    enum { DEPTH = 100000 };
    char *s = malloc(2 * DEPTH + 1);
    memset(s, '[', DEPTH);
    memset(s + DEPTH, ']', DEPTH);
    s[2 * DEPTH] = '\0';
    got g;
    assert_int_equal(read_string(&g, "model", s), 1);
    assert_non_null(strstr(g.last, "depth"));
    got_free(&g);
    free(s);
}

static void unknown_key_is_a_warning(void **state)
{
    (void)state;
    got g;
    read_string(&g, "model", "{\"model\":\"credconv-model/1\",\"achievement\":{\"code\":\"A\",\"colour\":1}}");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.warnings, 1);
    assert_non_null(strstr(g.rules, "model-unknown-key"));
    got_free(&g);
}

/* Every writer keeps the first reason it is given to reject a record (cc_reject_reason). */
static void first_reject_reason_is_kept(void **state)
{
    (void)state;
    const char *why = NULL;
    cc_reject_reason(&why, "no criteria");
    cc_reject_reason(&why, "no name");
    assert_string_equal(why, "no criteria");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_round_trip_is_byte_identical),
        cmocka_unit_test(wrong_type_names_the_pointer),
        cmocka_unit_test(pointer_is_exact),
        cmocka_unit_test(not_a_model_record),
        cmocka_unit_test(syntax_errors_and_duplicates),
        cmocka_unit_test(deep_nesting_is_refused),
        cmocka_unit_test(unknown_key_is_a_warning),
        cmocka_unit_test(first_reject_reason_is_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
