/* Baked images: every baked PNG and SVG of the corpus unbakes; bake → unbake gives the same
 * bytes; damaged PNGs are refused with a message that says what is wrong. */
#include "helpers.h"

#include "cc_bake.h"

#define OB CORPUS "/ob/"

static unsigned char *slurp_path(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    unsigned char *b = cc_slurp(fp, 1 << 26, len);
    fclose(fp);
    return b;
}

static const char *const baked[] = {
    "validator-dcpv/ob20/simple-badge.png",       "validator-dcpv/ob30/simple-json.png",
    "validator-dcpv/ob30/simple-jwt.png",         "validator-dcpv/ob30/simple-jwt_v1.png",
    "validator-dcpv/ob30/simple-json.svg",        "validator-dcpv/ob30/simple-jwt.svg",
    "validator-dcpv/ob30/simple-jwt_v1.svg",      "test-vectors/generated/ob2-hosted-baked.png",
    "test-vectors/generated/ob2-signed-baked.png", "test-vectors/generated/ob2-signed-baked.svg",
    "test-vectors/generated/ob3-vcjwt-baked.png", "test-vectors/generated/ob3-eddsa-baked.png",
    "community/mozilla-bakery/baked.svg",         "community/mozilla-bakery/bad-json.svg",
    "community/mozilla-bakery/no-json.svg",
};

/* Bakes payload into a clean image of the same kind and unbakes it again. */
static void round_trip(const char *payload, size_t plen, cc_badge_version ver, cc_image_kind kind)
{
    size_t clen, blen, out_len;
    unsigned char *clean = slurp_path(kind == CC_IMAGE_PNG ? OB "community/mozilla-bakery/unbaked.png"
                                                           : OB "community/mozilla-bakery/unbaked.svg",
                                      &clen);
    assert_non_null(clean);
    char *baked_img = NULL, err[256] = "", *back;
    FILE *mem = open_memstream(&baked_img, &blen);
    assert_int_equal(cc_bake(clean, clen, payload, plen, ver, mem, err, sizeof err), 0);
    fclose(mem);
    cc_badge_version v2;
    assert_int_equal(cc_unbake((unsigned char *)baked_img, blen, &back, &out_len, &v2, err, sizeof err), 0);
    assert_int_equal(v2, ver);
    assert_int_equal(out_len, plen);
    assert_memory_equal(back, payload, plen);
    if (kind == CC_IMAGE_PNG)  /* image data untouched: the clean PNG is a prefix but IEND */
        assert_memory_equal(baked_img, clean, clen - 12);
    free(back);
    free(baked_img);
    free(clean);
}

static void corpus_unbakes_and_rebakes(void **state)
{
    (void)state;
    int done = 0;
    for (size_t i = 0; i < sizeof baked / sizeof *baked; i++) {
        char path[512], *payload, err[256] = "";
        snprintf(path, sizeof path, OB "%s", baked[i]);
        size_t len, plen;
        unsigned char *img = slurp_path(path, &len);
        if (!img) {
            printf("SKIP: %s (../shared/corpus absent)\n", path);
            continue;
        }
        cc_badge_version ver;
        int rc = cc_unbake(img, len, &payload, &plen, &ver, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: %s", path, err);
        assert_true(plen > 0);
        assert_int_equal(ver, strstr(path, "ob2") || strstr(path, "bakery") ? CC_BADGE_OB2 : CC_BADGE_OB3);
        if (!strstr(path, "bakery"))  /* the bakery files hold OB 1.0 or broken payloads */
            assert_int_equal(cc_badge_payload_version(payload, plen), ver);
        size_t t = plen;  /* baking stores the payload without surrounding white space */
        const char *p = payload;
        while (t && strchr(" \t\r\n", *p))
            p++, t--;
        while (t && strchr(" \t\r\n", p[t - 1]))
            t--;
        if (!strstr(p, "]]>"))
            round_trip(p, t, ver, cc_image_detect(img, len));
        free(payload);
        free(img);
        done++;
    }
    printf("unbaked and re-baked %d corpus images\n", done);
}

static void png_damage_refused(void **state)
{
    (void)state;
    size_t len, plen;
    unsigned char *img = slurp_path(OB "validator-dcpv/ob20/simple-badge.png", &len);
    if (!img) {
        printf("SKIP: simple-badge.png (../shared/corpus absent)\n");
        return;
    }
    char *payload = NULL, err[256] = "";
    cc_badge_version ver;
    img[20] ^= 0x01;  /* a byte inside the IHDR chunk (offsets 8-32) */
    assert_int_equal(cc_unbake(img, len, &payload, &plen, &ver, err, sizeof err), -1);
    assert_non_null(strstr(err, "CRC"));
    assert_non_null(strstr(err, "IHDR"));
    img[20] ^= 0x01;
    assert_int_equal(cc_unbake(img, len - 20, &payload, &plen, &ver, err, sizeof err), -1);
    assert_non_null(strstr(err, "truncated"));
    assert_int_equal(cc_unbake(img, len, &payload, &plen, &ver, err, sizeof err), 0);
    free(payload);
    /* baking an already baked image is refused */
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(cc_bake(img, len, "{}", 2, CC_BADGE_OB2, devnull, err, sizeof err), -1);
    assert_non_null(strstr(err, "already baked"));
    fclose(devnull);
    free(img);
}

static void second_badge_chunk_refused(void **state)
{
    (void)state;
    size_t len, blen, b2len;
    unsigned char *clean = slurp_path(OB "community/mozilla-bakery/unbaked.png", &len);
    if (!clean) {
        printf("SKIP: unbaked.png (../shared/corpus absent)\n");
        return;
    }
    const char *a = "{\"@context\":\"https://w3id.org/openbadges/v2\"}";
    char *once = NULL, *twice = NULL, err[256] = "";
    FILE *m = open_memstream(&once, &blen);
    assert_int_equal(cc_bake(clean, len, a, strlen(a), CC_BADGE_OB2, m, err, sizeof err), 0);
    fclose(m);
    /* a second chunk, this time for OB 3.0, put in by hand before IEND */
    m = open_memstream(&twice, &b2len);
    assert_int_equal(cc_bake(clean, len, a, strlen(a), CC_BADGE_OB3, m, err, sizeof err), 0);
    fclose(m);
    size_t chunk = b2len - len;
    char *both = malloc(blen + chunk);
    memcpy(both, once, blen - 12);
    memcpy(both + blen - 12, twice + len - 12, chunk);
    memcpy(both + blen - 12 + chunk, once + blen - 12, 12);
    char *payload = NULL;
    size_t plen;
    cc_badge_version ver;
    assert_int_equal(cc_unbake((unsigned char *)both, blen + chunk, &payload, &plen, &ver, err, sizeof err), -1);
    assert_non_null(strstr(err, "two badge chunks"));
    free(both);
    free(once);
    free(twice);
    free(clean);
}

static void svg_verify_and_escaping(void **state)
{
    (void)state;
    const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" a='x>y'>"
                      "<rect/></svg>\n";
    const char *a = "{\"@context\":\"https://w3id.org/openbadges/v2\",\"id\":\"https://e.org/a?x=1&y=\\\"2\\\"\"}";
    char *out = NULL, err[256] = "";
    size_t olen;
    FILE *m = open_memstream(&out, &olen);
    assert_int_equal(cc_bake((const unsigned char *)svg, strlen(svg), a, strlen(a), CC_BADGE_UNKNOWN, m, err, sizeof err), 0);
    fclose(m);
    assert_non_null(strstr(out, "a='x>y' xmlns:openbadges=\"http://openbadges.org\">\n<openbadges:assertion verify=\"https://e.org/a?x=1&amp;y=&quot;2&quot;\"><![CDATA["));
    char *payload;
    size_t plen;
    cc_badge_version ver;
    assert_int_equal(cc_unbake((unsigned char *)out, olen, &payload, &plen, &ver, err, sizeof err), 0);
    assert_string_equal(payload, a);
    free(payload);
    /* ']]>' cannot go into CDATA: refused, not silently broken */
    const char *bad = "{\"@context\":\"https://w3id.org/openbadges/v2\",\"n\":\"]]>\"}";
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(cc_bake((const unsigned char *)svg, strlen(svg), bad, strlen(bad), CC_BADGE_OB2, devnull, err, sizeof err), -1);
    fclose(devnull);
    free(out);
}

/* Found by fuzz_bake: an SVG whose openbadges namespace declaration is broken (no '=') but
 * which holds an openbadges:assertion was baked again, and the result no longer unbaked
 * ("two elements").  Now that baking parses the image, such an image is refused as not
 * well-formed; a well-formed image that already declares a badge namespace or binds the
 * prefix openbadges, or holds a badge element, is refused as already baked. */
static void svg_half_baked_refused(void **state)
{
    (void)state;
    const char *a = "{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"Assertion\"}";
    static const struct { const char *svg, *why; } cases[] = {
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"\n xmlns:openbadges9\"http://openbadges.org\">\n"
         "<openbadges:assertion verify=\"http://example.org\"><![CDATA[]]>\n"
         "</openbadges:assertion><title>x</title></svg>\n", .why = "not well-formed"},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"urn:other\"><rect/></svg>", .why = "already baked"},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><g xmlns:ob=\"https://purl.imsglobal.org/ob/v3p0\"/></svg>", .why = "already baked"},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><g><assertion xmlns=\"http://openbadges.org\"/></g></svg>", .why = "already baked"},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", .why = "empty"},
        {.svg = "<svg><rect/></svg>", .why = "not <svg> in http://www.w3.org/2000/svg"},
        {.svg = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>", .why = "UTF-8"},
    };
    FILE *devnull = fopen("/dev/null", "w");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[256] = "";
        assert_int_equal(cc_bake((const unsigned char *)cases[i].svg, strlen(cases[i].svg), a, strlen(a),
                                 CC_BADGE_UNKNOWN, devnull, err, sizeof err), -1);
        if (!strstr(err, cases[i].why))
            fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].why);
    }
    fclose(devnull);
}

/* Found by fuzz_bake: a NUL byte inside the CDATA payload of an SVG made unbake report more
 * bytes than it had copied.  XML cannot carry a NUL byte or &#0;: the parser refuses the
 * image, whatever the place, and no payload comes out. */
static void svg_payload_with_nul(void **state)
{
    (void)state;
    static const char cdata[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
                                "<openbadges:assertion><![CDATA[{\"a\":\"\0\"}  ]]></openbadges:assertion></svg>";
    static const char attr[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
                               "<openbadges:assertion verify=\"a&amp;&#x41;&#0;\"/></svg>";
    static const char text[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
                               "<openbadges:assertion>&lt;\0&#9731;</openbadges:assertion></svg>";
    const struct { const char *svg; size_t len; } cases[] = {
        {.svg = cdata, .len = sizeof cdata - 1}, {.svg = attr, .len = sizeof attr - 1}, {.svg = text, .len = sizeof text - 1}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *payload = NULL, err[256] = "";
        size_t plen = 0;
        cc_badge_version ver;
        assert_int_equal(cc_unbake((const unsigned char *)cases[i].svg, cases[i].len, &payload, &plen, &ver, err, sizeof err), -1);
        assert_null(payload);
        assert_non_null(strstr(err, "not well-formed XML"));
    }
}

/* Entities: the five predefined ones and character references are decoded, in text and in the
 * verify attribute, as any XML reader decodes them; "&#38;" written by hand stays "&#38;"
 * text when it is itself escaped. */
static void svg_references_decoded(void **state)
{
    (void)state;
    static const char attr[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
                               "<openbadges:assertion verify=\"a&amp;b&#38;c&lt;&#x41;&amp;#38;&#9;\"/></svg>";
    static const char text[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
                               "<openbadges:assertion>&lt;x&#9731;<![CDATA[&amp;]]></openbadges:assertion></svg>";
    char *payload = NULL, err[256] = "";
    size_t plen;
    cc_badge_version ver;
    assert_int_equal(cc_unbake((const unsigned char *)attr, sizeof attr - 1, &payload, &plen, &ver, err, sizeof err), 0);
    assert_string_equal(payload, "a&b&c<A&#38;\t");
    free(payload);
    assert_int_equal(cc_unbake((const unsigned char *)text, sizeof text - 1, &payload, &plen, &ver, err, sizeof err), 0);
    assert_string_equal(payload, "<x\xE2\x98\x83&amp;");  /* text, then the CDATA bytes as they are */
    free(payload);
}

/* What the XML parser sees is the badge, and only that: comments, PIs, CDATA text and
 * elements of other namespaces are never the badge; two, a misplaced one, markup inside one,
 * a body beside a signed verify attribute, a DOCTYPE with an internal subset: refused. */
static void svg_parser_rules(void **state)
{
    (void)state;
#define ROOT "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\">"
    static const struct { const char *svg, *want, *err; } cases[] = {
        {.svg = "<!-- <svg xmlns:ob=\"http://openbadges.org\"><ob:assertion verify=\"HIDDEN\"/></svg> -->"
         ROOT "<openbadges:assertion verify=\"SEEN\"/></svg>", .want = "SEEN", .err = NULL},
        {.svg = "<?x <svg xmlns:ob=\"http://openbadges.org\"><ob:assertion verify=\"HIDDEN\"/></svg> ?>"
         ROOT "<openbadges:assertion verify=\"SEEN\"/></svg>", .want = "SEEN", .err = NULL},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><desc><![CDATA[<x xmlns:ob=\"http://openbadges.org\">"
         "<ob:assertion verify=\"HIDDEN\"/></x>]]></desc><assertion xmlns=\"http://openbadges.org\" verify=\"SEEN\"/></svg>",
         .want = "SEEN", .err = NULL},
        {.svg = ROOT "<openbadges:assertion xmlns:openbadges=\"https://evil.example/\" verify=\"HIDDEN\"/>"
         "<ob:assertion xmlns:ob=\"http://openbadges.org\" verify=\"SEEN\"/></svg>", .want = "SEEN", .err = NULL},
        {.svg = ROOT "<openbadges:assertion>\n  <![CDATA[{\"a\": 1}]]>\n</openbadges:assertion></svg>", .want = "{\"a\": 1}", .err = NULL},
        {.svg = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
         ROOT "<openbadges:assertion verify=\"SEEN\"/></svg>", .want = "SEEN", .err = NULL},
        {.svg = ROOT "<credential xmlns=\"https://purl.imsglobal.org/clr/v2p0\">{}</credential></svg>", .want = "{}", .err = NULL},
        {.svg = ROOT "<openbadges:assertion verify=\"A\"/><ob:credential xmlns:ob=\"https://purl.imsglobal.org/ob/v3p0\" "
         "verify=\"B\"/></svg>", .want = NULL, .err = "two badge elements"},
        {.svg = ROOT "<openbadges:assertion verify=\"A\"/><openbadges:assertion verify=\"B\"/></svg>", .want = NULL, .err = "two badge elements"},
        {.svg = ROOT "<g><openbadges:assertion verify=\"A\"/></g></svg>", .want = NULL, .err = "not a child of the root"},
        {.svg = ROOT "<openbadges:credential verify=\"A\"/></svg>", .want = NULL, .err = "not a badge element"},
        {.svg = ROOT "<openbadges:assertion><!-- x -->{}</openbadges:assertion></svg>", .want = NULL, .err = "comment inside"},
        {.svg = ROOT "<openbadges:assertion><?x y?>{}</openbadges:assertion></svg>", .want = NULL, .err = "processing instruction"},
        {.svg = ROOT "<openbadges:assertion><b>{}</b></openbadges:assertion></svg>", .want = NULL, .err = "inside the badge element"},
        {.svg = ROOT "<openbadges:assertion verify=\"eyJhbGciOiJSUzI1NiJ9.e30.AAAA\">{}</openbadges:assertion></svg>", .want = NULL, .err = "ambiguous"},
        {.svg = "<!DOCTYPE svg [<!ENTITY e \"x\">]>" ROOT "<openbadges:assertion>&e;</openbadges:assertion></svg>", .want = NULL, .err = "internal subset"},
        {.svg = "<!DOCTYPE svg []>" ROOT "<openbadges:assertion verify=\"A\"/></svg>", .want = NULL, .err = "internal subset"},
        {.svg = "<!DOCTYPE svg SYSTEM \"x.dtd\">" ROOT "<openbadges:assertion>&e;</openbadges:assertion></svg>", .want = NULL, .err = "Entity 'e' not defined"},
        {.svg = ROOT "<openbadges:assertion>&e;</openbadges:assertion></svg>", .want = NULL, .err = "not well-formed"},
        {.svg = ROOT "<openbadges:assertion>{}</openbadges:assertion>", .want = NULL, .err = "not well-formed"},
        {.svg = ROOT "<openbadges:assertion/></svg>", .want = NULL, .err = "holds no payload"},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><ev:assertion xmlns:ev=\"https://evil.example/\" verify=\"A\"/></svg>",
         .want = NULL, .err = "no badge in this SVG"},
        {.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><openbadges:assertion verify=\"A\"/></svg>", .want = NULL, .err = "not well-formed"},
    };
#undef ROOT
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *payload = NULL, err[256] = "";
        size_t plen = 0;
        cc_badge_version ver;
        int rc = cc_unbake((const unsigned char *)cases[i].svg, strlen(cases[i].svg), &payload, &plen, &ver, err, sizeof err);
        if (cases[i].want && (rc != 0 || strcmp(payload, cases[i].want)))
            fail_msg("case %zu: rc %d, payload '%s', expected '%s' (%s)", i, rc, payload ? payload : "", cases[i].want, err);
        if (cases[i].err && (rc != -1 || payload || !strstr(err, cases[i].err)))
            fail_msg("case %zu: rc %d, error '%s', expected '%s'", i, rc, err, cases[i].err);
        free(payload);
    }
}

/* Baking goes into the root start tag the parser found, not into a "<svg" written in a
 * comment before it; characters attribute-value normalisation would change are escaped. */
static void svg_bake_where_the_parser_says(void **state)
{
    (void)state;
    const char *svg = "<?xml version=\"1.0\"?>\n<!-- logo: <svg> of 2019 -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "a=\"x>y\"><rect/></svg>\n";
    const char *a = "{\"@context\":\"https://w3id.org/openbadges/v2\",\"id\":\"https://e.org/a\\tb\\nc\"}";
    char *out = NULL, err[256] = "";
    size_t olen;
    FILE *m = open_memstream(&out, &olen);
    assert_int_equal(cc_bake((const unsigned char *)svg, strlen(svg), a, strlen(a), CC_BADGE_UNKNOWN, m, err, sizeof err), 0);
    fclose(m);
    assert_non_null(strstr(out, "<!-- logo: <svg> of 2019 -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" a=\"x>y\" "
                                "xmlns:openbadges=\"http://openbadges.org\">\n<openbadges:assertion "
                                "verify=\"https://e.org/a&#9;b&#10;c\"><![CDATA["));
    char *payload;
    size_t plen;
    cc_badge_version ver;
    assert_int_equal(cc_unbake((unsigned char *)out, olen, &payload, &plen, &ver, err, sizeof err), 0);
    assert_string_equal(payload, a);
    free(payload);
    free(out);
    /* a payload XML cannot carry is refused by the read-back check, not written */
    const char *ctl = "{\"@context\":\"https://w3id.org/openbadges/v2\",\"n\":\"\x01\"}";
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(cc_bake((const unsigned char *)svg, strlen(svg), ctl, strlen(ctl), CC_BADGE_OB2, devnull, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot be carried in an SVG"));
    fclose(devnull);
}

/* CLR 2.0 has its own PNG keyword and SVG namespace; an SVG with a UTF-8 byte order mark and
 * CRLF lines (found untested: the mark made the image "not a PNG or SVG") bakes and unbakes. */
static void clr_and_bom(void **state)
{
    (void)state;
    const char *clr = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                      "\"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json\"],\"type\":[\"ClrCredential\"]}";
    assert_int_equal(cc_badge_payload_version(clr, strlen(clr)), CC_BADGE_CLR);
    round_trip(clr, strlen(clr), CC_BADGE_CLR, CC_IMAGE_PNG);
    round_trip(clr, strlen(clr), CC_BADGE_CLR, CC_IMAGE_SVG);
    const char *svg = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- c -->\r\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\"\r\n width=\"1\">\r\n<rect/></svg>\r\n";
    assert_int_equal(cc_image_detect((const unsigned char *)svg, strlen(svg)), CC_IMAGE_SVG);
    char *out = NULL, err[256] = "", *payload;
    size_t olen, plen;
    cc_badge_version ver;
    FILE *m = open_memstream(&out, &olen);
    assert_int_equal(cc_bake((const unsigned char *)svg, strlen(svg), clr, strlen(clr), CC_BADGE_UNKNOWN, m, err, sizeof err), 0);
    fclose(m);
    assert_non_null(strstr(out, "width=\"1\" xmlns:openbadges=\"https://purl.imsglobal.org/clr/v2p0\">\n<openbadges:credential>"));
    assert_int_equal(cc_unbake((unsigned char *)out, olen, &payload, &plen, &ver, err, sizeof err), 0);
    assert_int_equal(ver, CC_BADGE_CLR);
    assert_string_equal(payload, clr);
    free(payload);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_unbakes_and_rebakes),
        cmocka_unit_test(png_damage_refused),
        cmocka_unit_test(second_badge_chunk_refused),
        cmocka_unit_test(svg_verify_and_escaping),
        cmocka_unit_test(svg_half_baked_refused),
        cmocka_unit_test(svg_payload_with_nul),
        cmocka_unit_test(svg_references_decoded),
        cmocka_unit_test(svg_parser_rules),
        cmocka_unit_test(svg_bake_where_the_parser_says),
        cmocka_unit_test(clr_and_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
