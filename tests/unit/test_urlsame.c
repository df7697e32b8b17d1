/* cc_url_same: the rule by which a linked document's id must name the URL it came from
 * (docs/signatures.md, OB 2.0).  Only case of scheme and host, the default port, an empty
 * path and the fragment are normalised; anything else is another URL. */
#include "helpers.h"

#include "cc_fetch.h"

static void test_same(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"https://u.example/issuer.json", "https://u.example/issuer.json"},
        {"HTTPS://U.Example/issuer.json", "https://u.example/issuer.json"},
        {"https://u.example:443/issuer.json", "https://u.example/issuer.json"},
        {"http://u.example:80/k", "http://u.example/k"},
        {"https://u.example", "https://u.example/"},
        {"https://u.example/issuer.json#profile", "https://u.example/issuer.json"},
        {"https://u.example/a?x=1", "https://u.example/a?x=1#f"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        assert_true(cc_url_same(same[i][0], same[i][1]));
}

static void test_other(void **state)
{
    (void)state;
    static const char *const other[][2] = {
        {"https://university.example/issuer.json", "https://attacker.example/issuer.json"},
        {"https://u.example/Issuer.json", "https://u.example/issuer.json"},   /* the path's case matters */
        {"https://u.example/issuer", "https://u.example/issuer.json"},
        {"https://u.example/a/", "https://u.example/a"},
        {"https://u.example:8443/a", "https://u.example/a"},
        {"http://u.example/a", "https://u.example/a"},
        {"https://u.example:443/a", "http://u.example/a"},
        {"https://u.example/a?x=1", "https://u.example/a?x=2"},
        {"https://u.example/a%2Fb", "https://u.example/a/b"},                 /* no percent-decoding */
        {"https://u.example.attacker.example/a", "https://u.example/a"},
        {"https://u.example@attacker.example/a", "https://attacker.example/a"}, /* userinfo kept */
        {"urn:uuid:1", "https://u.example/a"},
        {"https://u.example/a", ""},                                         /* unknown final URL */
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        assert_false(cc_url_same(other[i][0], other[i][1]));
    assert_false(cc_url_same(NULL, "https://u.example/a"));
    assert_false(cc_url_same("https://u.example/a", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same),
        cmocka_unit_test(test_other),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
