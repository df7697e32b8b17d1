/* The address guard of --fetch: which addresses a fetch may connect to.  A link in a
 * credential is chosen by whoever wrote the credential, so without --fetch-allow-private a
 * fetch never reaches the machine itself or its networks (loopback, private, link-local and
 * cloud metadata at 169.254.169.254, unique-local, CGNAT, multicast, broadcast, unspecified),
 * nor those spelt through IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64,
 * 6to4).  The check is made on the socket address libcurl is about to connect to
 * (fetch_net.c), so there is no second name lookup to steer. */
#include "cc_fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct range4 {
    uint32_t net;
    int bits;
    const char *what;
} range4;

static const range4 v4_refused[] = {
    {.net = 0x00000000u, .bits = 8, .what = "unspecified 0.0.0.0/8"},
    {.net = 0x0A000000u, .bits = 8, .what = "private 10.0.0.0/8"},
    {.net = 0x64400000u, .bits = 10, .what = "shared CGNAT 100.64.0.0/10"},
    {.net = 0x7F000000u, .bits = 8, .what = "loopback 127.0.0.0/8"},
    {.net = 0xA9FE0000u, .bits = 16, .what = "link-local 169.254.0.0/16"},
    {.net = 0xAC100000u, .bits = 12, .what = "private 172.16.0.0/12"},
    {.net = 0xC0000000u, .bits = 24, .what = "IETF protocol assignments 192.0.0.0/24"},
    {.net = 0xC0000200u, .bits = 24, .what = "documentation 192.0.2.0/24"},
    {.net = 0xC0A80000u, .bits = 16, .what = "private 192.168.0.0/16"},
    {.net = 0xC6120000u, .bits = 15, .what = "benchmarking 198.18.0.0/15"},
    {.net = 0xC6336400u, .bits = 24, .what = "documentation 198.51.100.0/24"},
    {.net = 0xCB007100u, .bits = 24, .what = "documentation 203.0.113.0/24"},
    {.net = 0xE0000000u, .bits = 4, .what = "multicast 224.0.0.0/4"},
    {.net = 0xFFFFFFFFu, .bits = 32, .what = "broadcast 255.255.255.255"},
    {.net = 0xF0000000u, .bits = 4, .what = "reserved 240.0.0.0/4"},
};

const char *cc_fetch_v4_refusal(const unsigned char a[4])
{
    uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
    for (size_t i = 0; i < sizeof v4_refused / sizeof *v4_refused; i++) {
        uint32_t mask = v4_refused[i].bits ? ~0u << (32 - v4_refused[i].bits) : 0;
        if ((v & mask) == v4_refused[i].net)
            return v4_refused[i].what;
    }
    return NULL;
}

typedef struct range6 {
    unsigned char prefix[16];
    int bits;
    const char *what;
    int v4_at;        /* >= 0: the IPv4 address it carries starts at this byte, and decides */
} range6;

static const range6 v6_refused[] = {
    {.prefix = {0}, .bits = 128, .what = "unspecified ::/128", .v4_at = -1},
    {.prefix = {[15] = 1}, .bits = 128, .what = "loopback ::1/128", .v4_at = -1},
    {.prefix = {[10] = 0xff, [11] = 0xff}, .bits = 96, .what = "IPv4-mapped", .v4_at = 12},
    {.prefix = {0}, .bits = 96, .what = "IPv4-compatible ::/96, deprecated", .v4_at = -1},
    {.prefix = {0x00, 0x64, 0xff, 0x9b}, .bits = 96, .what = "NAT64", .v4_at = 12},
    {.prefix = {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, .bits = 48, .what = "local-use NAT64 64:ff9b:1::/48", .v4_at = -1},
    {.prefix = {0x01, 0x00}, .bits = 64, .what = "discard-only 100::/64", .v4_at = -1},
    {.prefix = {0x20, 0x01, 0x0d, 0xb8}, .bits = 32, .what = "documentation 2001:db8::/32", .v4_at = -1},
    {.prefix = {0x20, 0x01, 0x00, 0x00}, .bits = 32, .what = "Teredo 2001::/32", .v4_at = -1},
    {.prefix = {0x20, 0x02}, .bits = 16, .what = "6to4", .v4_at = 2},
    {.prefix = {0xfc}, .bits = 7, .what = "unique-local fc00::/7", .v4_at = -1},
    {.prefix = {0xfe, 0x80}, .bits = 10, .what = "link-local fe80::/10", .v4_at = -1},
    {.prefix = {0xfe, 0xc0}, .bits = 10, .what = "site-local fec0::/10, deprecated", .v4_at = -1},
    {.prefix = {0xff}, .bits = 8, .what = "multicast ff00::/8", .v4_at = -1},
};

static bool has_prefix(const unsigned char *a, const unsigned char *p, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, p, (size_t)whole) != 0)
        return false;
    return !rest || ((a[whole] ^ p[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* An IPv6 address: the first range it falls in decides (the table lists ::1 and the mapped
 * form before ::/96).  A form carrying an IPv4 address is refused as that address would be,
 * and the reason says both ("IPv4-mapped loopback 127.0.0.0/8"). */
const char *cc_fetch_v6_refusal(const unsigned char a[16], char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof v6_refused / sizeof *v6_refused; i++) {
        const range6 *r = &v6_refused[i];
        if (!has_prefix(a, r->prefix, r->bits))
            continue;
        if (r->v4_at < 0)
            return r->what;
        const char *v4 = cc_fetch_v4_refusal(a + r->v4_at);
        if (!v4)
            return NULL;
        snprintf(buf, cap, "%s %s", r->what, v4);
        return buf;
    }
    return NULL;
}

const char *cc_fetch_addr_refusal(const struct sockaddr *sa, char *text, size_t textcap,
                                  char *buf, size_t cap)
{
    snprintf(text, textcap, "an address of family %d", sa->sa_family);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)textcap);
        return cc_fetch_v4_refusal((const unsigned char *)&in->sin_addr);
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)textcap);
        return cc_fetch_v6_refusal(in6->sin6_addr.s6_addr, buf, cap);
    }
    return "not an IP address";  /* a Unix socket or anything else: never */
}

static bool listed(const cc_fetch_opts *o, const struct sockaddr *sa)
{
    const unsigned char *a = NULL;
    if (sa->sa_family == AF_INET)
        a = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
    else if (sa->sa_family == AF_INET6)
        a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    size_t n = sa->sa_family == AF_INET ? 4 : 16;
    for (size_t i = 0; a && i < o->nallowed; i++)
        if (o->allowed[i].family == sa->sa_family && !memcmp(o->allowed[i].a, a, n))
            return true;
    return false;
}

const char *cc_fetch_guard(const cc_fetch_opts *o, const struct sockaddr *sa, char *text,
                           size_t textcap, char *buf, size_t cap)
{
    const char *why = cc_fetch_addr_refusal(sa, text, textcap, buf, cap);
    if (!why || (o->allow_private && (!o->nallowed || listed(o, sa))))
        return NULL;
    return why;
}

int cc_fetch_parse_addr(const char *s, cc_fetch_addr *out)
{
    char tmp[64];
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']' && n - 2 < sizeof tmp) {
        memcpy(tmp, s + 1, n - 2);
        tmp[n - 2] = '\0';
        s = tmp;
    }
    *out = (cc_fetch_addr){.family = AF_INET};
    if (inet_pton(AF_INET, s, out->a) == 1)
        return 0;
    out->family = AF_INET6;
    return inet_pton(AF_INET6, s, out->a) == 1 ? 0 : -1;
}
