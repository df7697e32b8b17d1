/* The fetch address guard (converters/util/fetch_addr.c) on every range it refuses, the forms of
 * IPv6 that carry an IPv4 address, --fetch-allow-private[=ADDRESS], and the run's cache. */
#include "helpers.h"

#include "cc_fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* The guard's reason for a textual address, "" when it is let through. */
static const char *reason(const cc_fetch_opts *o, const char *addr, char *buf, size_t cap)
{
    struct sockaddr_storage ss = {0};
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &in->sin_addr) == 1)
        in->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1)
        in6->sin6_family = AF_INET6;
    else
        fail_msg("not an address: %s", addr);
    char text[64];
    const char *why = cc_fetch_guard(o, (struct sockaddr *)&ss, text, sizeof text, buf, cap);
    return why ? why : "";
}

static void test_refused_ranges(void **state)
{
    (void)state;
    static const struct { const char *addr, *why; } v[] = {
        {.addr = "127.0.0.1", .why = "loopback 127.0.0.0/8"}, {.addr = "127.255.0.9", .why = "loopback 127.0.0.0/8"},
        {.addr = "0.0.0.0", .why = "unspecified 0.0.0.0/8"}, {.addr = "10.1.2.3", .why = "private 10.0.0.0/8"},
        {.addr = "172.16.0.1", .why = "private 172.16.0.0/12"}, {.addr = "172.31.255.255", .why = "private 172.16.0.0/12"},
        {.addr = "192.168.1.1", .why = "private 192.168.0.0/16"}, {.addr = "169.254.169.254", .why = "link-local 169.254.0.0/16"},
        {.addr = "100.64.0.1", .why = "shared CGNAT 100.64.0.0/10"}, {.addr = "224.0.0.1", .why = "multicast 224.0.0.0/4"},
        {.addr = "255.255.255.255", .why = "broadcast 255.255.255.255"}, {.addr = "240.0.0.1", .why = "reserved 240.0.0.0/4"},
        {.addr = "::", .why = "unspecified ::/128"}, {.addr = "::1", .why = "loopback ::1/128"},
        {.addr = "fc00::1", .why = "unique-local fc00::/7"}, {.addr = "fd12:3456::1", .why = "unique-local fc00::/7"},
        {.addr = "fe80::1", .why = "link-local fe80::/10"}, {.addr = "ff02::1", .why = "multicast ff00::/8"},
        {.addr = "::ffff:127.0.0.1", .why = "IPv4-mapped loopback 127.0.0.0/8"},
        {.addr = "::ffff:10.0.0.1", .why = "IPv4-mapped private 10.0.0.0/8"},
        {.addr = "::ffff:169.254.169.254", .why = "IPv4-mapped link-local 169.254.0.0/16"},
        {.addr = "::127.0.0.1", .why = "IPv4-compatible ::/96, deprecated"},
        {.addr = "64:ff9b::7f00:1", .why = "NAT64 loopback 127.0.0.0/8"},
        {.addr = "64:ff9b::a9fe:a9fe", .why = "NAT64 link-local 169.254.0.0/16"},
        {.addr = "64:ff9b:1::1", .why = "local-use NAT64 64:ff9b:1::/48"},
        {.addr = "2002:7f00:1::1", .why = "6to4 loopback 127.0.0.0/8"},
        {.addr = "2002:c0a8:101::1", .why = "6to4 private 192.168.0.0/16"},
    };
    cc_fetch_opts o = CC_FETCH_DEFAULTS;
    char buf[160];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        assert_string_equal(reason(&o, v[i].addr, buf, sizeof buf), v[i].why);
}

static void test_public_addresses_pass(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "169.253.1.1", "192.169.0.1", "11.0.0.1", "2606:4700::1111", "2a00:1450:4007::1",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    };
    cc_fetch_opts o = CC_FETCH_DEFAULTS;
    char buf[160];
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        assert_string_equal(reason(&o, ok[i], buf, sizeof buf), "");
}

static void test_allow_private(void **state)
{
    (void)state;
    char buf[160];
    cc_fetch_opts all = CC_FETCH_DEFAULTS;
    all.allow_private = true;
    assert_string_equal(reason(&all, "127.0.0.1", buf, sizeof buf), "");
    assert_string_equal(reason(&all, "fd00::1", buf, sizeof buf), "");
    /* =ADDRESS: that address only, compared as connected to (same family, same bytes) */
    cc_fetch_addr one[2];
    assert_int_equal(cc_fetch_parse_addr("127.0.0.1", &one[0]), 0);
    assert_int_equal(cc_fetch_parse_addr("[::1]", &one[1]), 0);
    cc_fetch_addr name;
    assert_int_equal(cc_fetch_parse_addr("localhost", &name), -1);  /* addresses, not names */
    cc_fetch_opts some = CC_FETCH_DEFAULTS;
    some.allow_private = true;
    some.allowed = one;
    some.nallowed = 2;
    assert_string_equal(reason(&some, "127.0.0.1", buf, sizeof buf), "");
    assert_string_equal(reason(&some, "::1", buf, sizeof buf), "");
    assert_string_equal(reason(&some, "127.0.0.2", buf, sizeof buf), "loopback 127.0.0.0/8");
    assert_string_equal(reason(&some, "::ffff:127.0.0.1", buf, sizeof buf),
                        "IPv4-mapped loopback 127.0.0.0/8");
    assert_string_equal(reason(&some, "10.0.0.1", buf, sizeof buf), "private 10.0.0.0/8");
}

/* A response and a failure are kept; each consumer gets its own copy of the body. */
static void test_cache(void **state)
{
    (void)state;
    cc_fetch_cache *c = cc_fetch_cache_new();
    assert_non_null(c);
    char body[] = "{\"a\":1}";
    cc_fetched r = {.status = 200, .body = body, .len = 7};
    cc_fetch_cache_put(c, "http://x.example/a", 0, &r);
    cc_fetched bad = {0};
    snprintf(bad.error, sizeof bad.error, "no answer");
    cc_fetch_cache_put(c, "http://x.example/b", -1, &bad);
    cc_fetched back = {0};
    assert_int_equal(cc_fetch_cache_get(c, "http://x.example/a", &back), 0);
    assert_int_equal(back.status, 200);
    assert_string_equal(back.body, "{\"a\":1}");
    assert_ptr_not_equal(back.body, r.body);
    cc_fetched_free(&back);
    assert_int_equal(cc_fetch_cache_get(c, "http://x.example/b", &back), -1);
    assert_string_equal(back.error, "no answer");
    assert_int_equal(cc_fetch_cache_get(c, "http://x.example/c", &back), 1);
    /* time is counted per input, and an input met again keeps its count */
    cc_fetch_opts o = CC_FETCH_DEFAULTS;
    o.cache = c;
    cc_fetch_input(&o, "one.json");
    cc_fetch_cache_charge(c, 2.5);
    cc_fetch_input(&o, "two.json");
    assert_true(cc_fetch_cache_spent(c) == 0);
    cc_fetch_input(&o, "one.json");
    assert_true(cc_fetch_cache_spent(c) == 2.5);
    cc_fetch_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_ranges),
        cmocka_unit_test(test_public_addresses_pass),
        cmocka_unit_test(test_allow_private),
        cmocka_unit_test(test_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
