/* JSON numbers to integers (converters/util/jsonnum.c): every out-of-range value is refused
 * before a cast, so no double beyond long long is ever converted (issue 11.4). */
#include "helpers.h"

#include "cc_jsonnum.h"

static void in_range(void **state)
{
    (void)state;
    struct { const char *json; long long want; } ok[] = {
        {.json = "0", .want = 0}, {.json = "1719705600", .want = 1719705600}, {.json = "1.5e9", .want = 1500000000}, {.json = "-62135596800", .want = CC_EPOCH_MIN},
        {.json = "253402300799", .want = CC_EPOCH_MAX}, {.json = "253402300798.9", .want = CC_EPOCH_MAX - 1}, {.json = "-0.5", .want = 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        json_t *v = json_loads(ok[i].json, JSON_DECODE_ANY, NULL);
        long long n = 42;
        assert_non_null(v);
        if (cc_json_to_ll(v, CC_EPOCH_MIN, CC_EPOCH_MAX, true, &n, NULL, 0) != 0 || n != ok[i].want)
            fail_msg("%s: %lld, expected %lld", ok[i].json, n, ok[i].want);
        json_decref(v);
    }
}

static void out_of_range(void **state)
{
    (void)state;
    const char *bad[] = {"-1e300", "1e300", "1.7976931348623157e308", "-1.7976931348623157e308",
                         "9.3e18", "-9.3e18", "9223372036854775807", "-9223372036854775808",
                         "253402300800", "-62135596801", "253402300799.5", "\"1\"", "null", "true"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *v = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        long long n = 42;
        char why[120] = "";
        assert_non_null(v);
        if (cc_json_to_ll(v, CC_EPOCH_MIN, CC_EPOCH_MAX, true, &n, why, sizeof why) != -1 || n != 42)
            fail_msg("%s: accepted as %lld", bad[i], n);
        assert_true(strstr(why, "out of range") || strstr(why, "not a number"));
        json_decref(v);
    }
    /* jansson never holds a NaN or an infinity (json_real refuses them, the parser calls 1e400
     * an overflow), so NaN needs no case of its own; the comparison would refuse it anyway. */
    assert_null(json_real(0.0 / 0.0));
    assert_null(json_loads("1e400", JSON_DECODE_ANY, NULL));
}

static void fraction_refused_when_asked(void **state)
{
    (void)state;
    json_t *v = json_real(1.5);
    long long n = 42;
    char why[120] = "";
    assert_int_equal(cc_json_to_ll(v, 0, 10, false, &n, why, sizeof why), -1);
    assert_non_null(strstr(why, "not an integer"));
    assert_int_equal(n, 42);
    json_decref(v);
    v = json_real(2.0);
    assert_int_equal(cc_json_to_ll(v, 0, 10, false, &n, NULL, 0), 0);
    assert_int_equal(n, 2);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_range),
        cmocka_unit_test(out_of_range),
        cmocka_unit_test(fraction_refused_when_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
