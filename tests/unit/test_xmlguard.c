/* The one XML pre-scan (converters/util/cc_xmlguard.h): attribute and namespace counts
 * across chunk boundaries, markup that is skipped, the encoding check. */
#include "helpers.h"
#include "cc_xmlguard.h"

/* Feeds s one byte at a time: every chunk boundary there is. */
static bool feed_bytes(cc_xml_guard *g, const char *s)
{
    for (; *s; s++)
        if (!cc_xml_guard_feed(g, s, 1))
            return false;
    return cc_xml_guard_feed(g, s, 0);
}

/* A document whose element <e> has attrs attributes a0.., each with value v. */
static char *tag_with(int attrs, const char *v)
{
    size_t cap = (size_t)attrs * 32 + 64, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "<?xml version=\"1.0\"?>\n<root>\n<e");
    for (int i = 0; i < attrs; i++)
        n += (size_t)snprintf(s + n, cap - n, " a%d=%s", i, v);
    snprintf(s + n, cap - n, "/></root>");
    return s;
}

static void test_attribute_limit(void **state)
{
    (void)state;
    char *ok = tag_with(4, "'x'"), *bad = tag_with(5, "\">\"");
    cc_xml_guard g = CC_XML_GUARD_INIT(4, 0);
    assert_true(feed_bytes(&g, ok));
    cc_xml_guard h = CC_XML_GUARD_INIT(4, 0);
    assert_false(feed_bytes(&h, bad));  /* a '>' inside a quoted value does not end the tag */
    assert_string_equal(h.rule, "xml-attributes");
    assert_int_equal(h.tag_line, 3);
    assert_int_equal(h.tag_offset, (long long)(strstr(bad, "<e") - bad));
    assert_false(cc_xml_guard_feed(&h, "<x/>", 4));  /* stays refused */
    free(ok), free(bad);
}

static void test_markup_skipped(void **state)
{
    (void)state;
    const char *doc = "<r><!-- <e a=1 b=2 c=3> --><![CDATA[ <e a=1 b=2 c=3> ]]>"
                      "<?pi a=1 b=2 c=3?><!DOCTYPE x><e a='1=2=3' b=\"4=5\"/></r>";
    cc_xml_guard g = CC_XML_GUARD_INIT(2, 0);
    assert_true(feed_bytes(&g, doc));
    assert_false(cc_xml_guard_in_markup(&g));
    cc_xml_guard t = CC_XML_GUARD_INIT(2, 0);
    assert_true(cc_xml_guard_feed(&t, "<r><e a='1'", 11));
    assert_true(cc_xml_guard_in_markup(&t));  /* a truncated document ends inside a tag */
}

static void test_namespace_declarations(void **state)
{
    (void)state;
    /* xmlns, xmlns:p, "xmlns = …" with blanks: three declarations; xmlnsx is not one */
    const char *doc = "<r xmlns='u' xmlns:p='v'><e xmlns  =  'w' xmlnsx='z' p:a='1'/></r>";
    cc_xml_guard g = CC_XML_GUARD_INIT(0, 3);
    assert_true(feed_bytes(&g, doc));
    assert_int_equal(g.nsdecl, 3);
    cc_xml_guard h = CC_XML_GUARD_INIT(0, 2);
    assert_false(feed_bytes(&h, doc));
    assert_string_equal(h.rule, "xml-namespaces");
}

static void test_encoding(void **state)
{
    (void)state;
    cc_xml_guard g = {.check_encoding = true, .line = 1};
    const char *ebcdic = "<?xml version=\"1.0\" encoding=\"IBM037\"?><r/>";
    assert_false(cc_xml_guard_feed(&g, ebcdic, strlen(ebcdic)));
    assert_string_equal(g.rule, "xml-encoding");
    cc_xml_guard h = {.check_encoding = true, .line = 1};
    const char *latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><r/>";
    assert_true(cc_xml_guard_feed(&h, latin, strlen(latin)) && cc_xml_guard_feed(&h, latin, 0));
    cc_xml_guard off = CC_XML_GUARD_INIT(0, 0);  /* not asked: not checked */
    assert_true(cc_xml_guard_feed(&off, ebcdic, strlen(ebcdic)));
}

/* The runs skipped whole (text, quoted values, end tags, names) leave the scan where the
 * byte-by-byte scan is: line, column, offset, counts and the start tag that trips it. */
static void test_runs_as_bytes(void **state)
{
    (void)state;
    const char *doc = "<?xml version='1.0'?>\n<r xmlns='u'>\n  text\n  more <e\n a='1\n2'"
                      " xmlns:p=\"v\nw\"\n  b='3'>é\n</e ><!DOCTYPE x\n>\n<f c='4' d='5'/></r>";
    cc_xml_guard one = CC_XML_GUARD_INIT(0, 0), bytes = CC_XML_GUARD_INIT(0, 0);
    assert_true(cc_xml_guard_feed(&one, doc, strlen(doc)) && cc_xml_guard_feed(&one, doc, 0));
    assert_true(feed_bytes(&bytes, doc));
    assert_int_equal(one.line, bytes.line);
    assert_int_equal(one.line, 11);
    assert_int_equal(one.col, bytes.col);
    assert_int_equal(one.offset, bytes.offset);
    assert_int_equal(one.offset, (long long)strlen(doc));
    assert_int_equal(one.nsdecl, 2);
    assert_int_equal(one.attrs, bytes.attrs);
    cc_xml_guard lim = CC_XML_GUARD_INIT(2, 0);  /* <e> has 3 attributes */
    assert_false(cc_xml_guard_feed(&lim, doc, strlen(doc)));
    assert_int_equal(lim.tag_line, 4);
    assert_int_equal(lim.tag_offset, (long long)(strstr(doc, "<e") - doc));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attribute_limit),
        cmocka_unit_test(test_markup_skipped),
        cmocka_unit_test(test_namespace_declarations),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_runs_as_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
