/* Baked SVG images (docs/references.md ob §3.5), read with libxml2's SAX parser.
 *
 * The badge is the one element, child of the root <svg>, named `assertion` in the namespace
 * http://openbadges.org (OB 2.0) or `credential` in https://purl.imsglobal.org/ob/v3p0
 * (OB 3.0) or https://purl.imsglobal.org/clr/v2p0 (CLR 2.0): found by namespace, as every
 * XML reader finds it, never by searching the text.  A comment, a processing instruction,
 * an element in another namespace or a prefix bound elsewhere is therefore never the badge;
 * an element of a badge namespace anywhere else, or a second one, is an error, as is any
 * markup inside the badge element (readers differ on what its text is then).
 *
 * XML safety, as the other XML readers (docs/ARCHITECTURE.md "XML safety"): XML_PARSE_NONET,
 * no XML_PARSE_HUGE, no DTD loaded, no entity substituted.  A DOCTYPE with an internal subset
 * (where entities are declared) is refused, and so is any entity reference; a DOCTYPE that
 * only names an external DTD — the SVG 1.1 one every drawing program writes, and the 1EdTech
 * validator's own baked samples carry — is accepted and never read.  Before libxml2 sees the
 * bytes, a linear scan bounds the size, the attributes per element and the namespace
 * declarations: libxml2 2.9 checks attributes and namespaces pairwise, so 100k attributes on
 * one element cost minutes there. */
#include "cc_bake.h"
#include "cc_xmlguard.h"
#include "cc_jsonread.h"
#include "cc_jws.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SVG_NS "http://www.w3.org/2000/svg"

/* The badge elements: namespace, local name, version (docs/references.md ob §3.5, §4). */
static const struct badge_kind {
    const char *ns, *local;
    cc_badge_version ver;
} KINDS[] = {
    {.ns = CC_OB2_SVG_NS, .local = "assertion", .ver = CC_BADGE_OB2},
    {.ns = CC_OB3_SVG_NS, .local = "credential", .ver = CC_BADGE_OB3},
    {.ns = CC_CLR_SVG_NS, .local = "credential", .ver = CC_BADGE_CLR},
};

static const struct badge_kind *kind_of_ns(const xmlChar *uri)
{
    for (size_t i = 0; uri && i < sizeof KINDS / sizeof *KINDS; i++)
        if (!strcmp((const char *)uri, KINDS[i].ns))
            return &KINDS[i];
    return NULL;
}

static const struct badge_kind *kind_of_ver(cc_badge_version v)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
        if (KINDS[i].ver == v)
            return &KINDS[i];
    return NULL;
}

static int failf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static bool xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* ------------------------------------------------------------ bounds, before parsing */

/* Linear in the size, streaming the bytes through the one XML pre-scan (cc_xmlguard.h).
 * Markup that the scan cannot delimit is left to the parser, which refuses it. */
static int svg_bounds(const char *d, size_t n, char *err, size_t errlen)
{
    if (n > CC_SVG_MAX)
        return failf(err, errlen, "SVG of %zu bytes: the limit for a baked SVG is %d MiB", n,
                     CC_SVG_MAX >> 20);
    cc_xml_guard g = CC_XML_GUARD_INIT(CC_SVG_MAX_ATTRS, CC_SVG_MAX_NSDECL);
    if (cc_xml_guard_feed(&g, d, n))
        return 0;
    bool attrs = !strcmp(g.rule, "xml-attributes");
    return failf(err, errlen, attrs
                 ? "line %ld: an element with more than %d attributes: refused (limit for a baked SVG)"
                 : "line %ld: more than %d namespace declarations: refused (limit for a baked SVG)",
                 g.tag_line, attrs ? CC_SVG_MAX_ATTRS : CC_SVG_MAX_NSDECL);
}

/* ------------------------------------------------------------ the SAX scan */

typedef struct sbuf {
    char *b;
    size_t n, cap;
} sbuf;

static bool sbuf_add(sbuf *s, const char *p, size_t n)
{
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->n + n + 1)
            cap *= 2;
        char *b = realloc(s->b, cap);
        if (!b)
            return false;
        s->b = b, s->cap = cap;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = '\0';
    return true;
}

typedef struct svg_scan {
    xmlParserCtxtPtr px;
    bool bake;                   /* a clean image to bake into: no badge may be there */
    char *err;
    size_t errlen;
    bool failed;
    int depth;                   /* of the element being read; the root is 1 */
    int badge_depth;             /* while inside the badge element, its depth; else 0 */
    const struct badge_kind *kind;
    sbuf verify;                 /* the badge element's verify attribute, decoded */
    bool has_verify;
    sbuf text;                   /* all its character data, CDATA included, in order */
    sbuf cdata;                  /* its CDATA sections' bytes */
    int cdata_sections;
    bool last_cdata, text_nonblank;
    long root_gt;                /* bake: byte offset of the root start tag's '>' */
} svg_scan;

static void scan_fail(svg_scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void scan_fail(svg_scan *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    s->failed = true;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(s->err, s->errlen, "line %d: %s", xmlSAX2GetLineNumber(s->px), msg);
    xmlStopParser(s->px);
}

/* libxml2 hands an attribute value with "&" written as "&#38;" when entities are not
 * substituted (its tree builder re-parses it); everything else is already decoded. */
static bool attr_decode(sbuf *out, const xmlChar *v, const xmlChar *end)
{
    const char *p = (const char *)v, *e = (const char *)end;
    while (p < e) {
        const char *amp = memmem(p, (size_t)(e - p), "&#38;", 5);
        size_t n = amp ? (size_t)(amp - p) : (size_t)(e - p);
        if (!sbuf_add(out, p, n) || (amp && !sbuf_add(out, "&", 1)))
            return false;
        p = amp ? amp + 5 : e;
    }
    return sbuf_add(out, "", 0);
}

static void root_element(svg_scan *s, const xmlChar *local, const xmlChar *uri, int nb_ns,
                         const xmlChar **ns)
{
    if (strcmp((const char *)local, "svg") || !uri || strcmp((const char *)uri, SVG_NS)) {
        scan_fail(s, "the root element is <%.100s> in namespace '%.200s', not <svg> in " SVG_NS,
                  (const char *)local, uri ? (const char *)uri : "");
        return;
    }
    if (!s->bake)
        return;
    if (s->px->input->buf && s->px->input->buf->encoder) {
        scan_fail(s, "the SVG is not in UTF-8 (encoding %.40s): only UTF-8 images are baked",
                  s->px->input->buf->encoder->name);
        return;
    }
    for (int i = 0; i < nb_ns; i++)
        if (ns[2 * i] && !strcmp((const char *)ns[2 * i], "openbadges"))
            scan_fail(s, "the <svg> root already binds the prefix openbadges (to '%.200s'): "
                      "this SVG is already baked, or half baked: unbake a clean image instead",
                      ns[2 * i + 1] ? (const char *)ns[2 * i + 1] : "");
    s->root_gt = xmlByteConsumed(s->px);
}

static void badge_element(svg_scan *s, const struct badge_kind *k, const xmlChar *local,
                          int nb_attrs, const xmlChar **attrs)
{
    if (s->bake) {
        scan_fail(s, "this SVG is already baked (an element <%.100s> in %s): unbake a clean image instead",
                  (const char *)local, k->ns);
    } else if (strcmp((const char *)local, k->local)) {
        scan_fail(s, "<%.100s> in namespace %s is not a badge element (the badge is <%s>): refused",
                  (const char *)local, k->ns, k->local);
    } else if (s->depth != 2) {
        scan_fail(s, "the badge element <%s> (%s) is not a child of the root <svg>, where the "
                  "baking specification puts it: refused", k->local, k->ns);
    } else if (s->kind) {
        scan_fail(s, "two badge elements (<%s> in %s, then <%s> in %s): refused, a badge image "
                  "carries exactly one", s->kind->local, s->kind->ns, k->local, k->ns);
    } else {
        s->kind = k;
        s->badge_depth = s->depth;
        for (int i = 0; i < nb_attrs; i++) {
            const xmlChar **a = attrs + 5 * i;  /* local, prefix, URI, value, end */
            if (!a[2] && !strcmp((const char *)a[0], "verify")) {
                s->has_verify = true;
                if (!attr_decode(&s->verify, a[3], a[4]))
                    scan_fail(s, "out of memory");
            }
        }
    }
}

static void on_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nb_ns, const xmlChar **ns, int nb_attrs, int nb_def, const xmlChar **attrs)
{
    (void)prefix, (void)nb_def;
    svg_scan *s = ud;
    s->depth++;
    if (s->failed)
        return;
    if (s->badge_depth) {
        scan_fail(s, "an element <%.100s> inside the badge element: refused (a badge holds only "
                  "its payload)", (const char *)local);
        return;
    }
    if (s->depth == 1)
        root_element(s, local, uri, nb_ns, ns);
    for (int i = 0; s->bake && i < nb_ns; i++)
        if (kind_of_ns(ns[2 * i + 1]))
            scan_fail(s, "this SVG already declares the badge namespace %s: it is already baked, "
                      "or half baked: unbake a clean image instead", (const char *)ns[2 * i + 1]);
    const struct badge_kind *k = kind_of_ns(uri);
    if (k && !s->failed)
        badge_element(s, k, local, nb_attrs, attrs);
}

static void on_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    svg_scan *s = ud;
    if (s->badge_depth == s->depth)
        s->badge_depth = 0;
    s->depth--;
}

static void on_text(void *ud, const xmlChar *ch, int len)
{
    svg_scan *s = ud;
    if (s->failed || !s->badge_depth)
        return;
    for (int i = 0; i < len && !s->text_nonblank; i++)
        s->text_nonblank = !xml_space((char)ch[i]);
    s->last_cdata = false;
    if (!sbuf_add(&s->text, (const char *)ch, (size_t)len))
        scan_fail(s, "out of memory");
}

static void on_cdata(void *ud, const xmlChar *ch, int len)
{
    svg_scan *s = ud;
    if (s->failed || !s->badge_depth)
        return;
    if (!s->last_cdata)
        s->cdata_sections++;
    s->last_cdata = true;
    if (!sbuf_add(&s->text, (const char *)ch, (size_t)len) ||
        !sbuf_add(&s->cdata, (const char *)ch, (size_t)len))
        scan_fail(s, "out of memory");
}

/* Comments and PIs are never the badge; inside the badge element they are refused, as a
 * reader that keeps them and one that drops them would read two payloads. */
static void on_comment(void *ud, const xmlChar *value)
{
    (void)value;
    svg_scan *s = ud;
    if (s->badge_depth)
        scan_fail(s, "a comment inside the badge element: refused (readers differ on whether "
                  "it belongs to the payload)");
}

static void on_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
    (void)data;
    svg_scan *s = ud;
    if (s->badge_depth)
        scan_fail(s, "a processing instruction <?%.50s?> inside the badge element: refused",
                  (const char *)target);
}

/* The DTD is where external entities and expansion bombs live: an internal subset is
 * refused before any declaration in it is read; an external one is never loaded. */
static void on_doctype(void *ud, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    svg_scan *s = ud;
    const xmlChar *cur = s->px->input ? s->px->input->cur : NULL;
    if (!cur || *cur != '>')
        scan_fail(s, "a DOCTYPE with an internal subset (declarations, entities) is refused "
                  "in a baked SVG (no DTD or entity is ever loaded)");
}

static void on_entity_decl(void *ud, const xmlChar *name, int type, const xmlChar *pub,
                           const xmlChar *sys, xmlChar *content)
{
    (void)name, (void)type, (void)pub, (void)sys, (void)content;
    scan_fail(ud, "an entity declaration is refused in a baked SVG");
}

static void on_reference(void *ud, const xmlChar *name)
{
    scan_fail(ud, "the entity reference &%.60s; is refused in a baked SVG (no entity is ever "
              "declared, loaded or expanded)", (const char *)name);
}

static void on_error(void *ud, xmlErrorPtr e)
{
    (void)ud;
    xmlParserCtxtPtr px = e ? e->ctxt : NULL;
    svg_scan *s = px ? px->_private : NULL;
    if (!s || (e->level < XML_ERR_ERROR && e->code != XML_WAR_UNDECLARED_ENTITY))
        return;
    char msg[200];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "?");
    msg[strcspn(msg, "\n")] = '\0';
    scan_fail(s, "not well-formed XML: %s", msg);
}

static void init_sax(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = on_start;
    sax->endElementNs = on_end;
    sax->characters = on_text;
    sax->ignorableWhitespace = on_text;
    sax->cdataBlock = on_cdata;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
    sax->internalSubset = on_doctype;
    sax->entityDecl = on_entity_decl;
    sax->reference = on_reference;
    sax->serror = on_error;
}

static void scan_free(svg_scan *s)
{
    free(s->verify.b);
    free(s->text.b);
    free(s->cdata.b);
}

/* Parses doc with the SAX handler above into s; 0 when well-formed and every rule held. */
static int svg_scan_run(svg_scan *s, const char *doc, size_t len, char *err, size_t errlen)
{
    s->err = err, s->errlen = errlen, s->root_gt = -1;
    if (svg_bounds(doc, len, err, errlen) != 0)
        return -1;
    xmlSAXHandler sax;
    init_sax(&sax);
    s->px = xmlCreatePushParserCtxt(&sax, s, NULL, 0, "svg");
    if (!s->px)
        return failf(err, errlen, "out of memory");
    s->px->_private = s;
    /* NONET: nothing reaches the network; neither NOENT, DTDLOAD nor HUGE. */
    xmlCtxtUseOptions(s->px, XML_PARSE_NONET);
    /* In chunks: libxml2 keeps (and refuses past 10 MB) what it was handed in one piece. */
    enum { CHUNK = 64 * 1024 };
    for (size_t off = 0; !s->failed && off < len; off += CHUNK)
        xmlParseChunk(s->px, doc + off, (int)(len - off < CHUNK ? len - off : CHUNK), 0);
    if (!s->failed)
        xmlParseChunk(s->px, NULL, 0, 1);
    if (!s->failed && (!s->px->wellFormed || !s->px->nsWellFormed))
        scan_fail(s, "not well-formed XML");
    if (!s->failed && s->depth != 0)
        scan_fail(s, "the SVG is cut short");
    xmlFreeParserCtxt(s->px);
    s->px = NULL;
    return s->failed ? -1 : 0;
}

/* ------------------------------------------------------------ unbake */

static char *dup_bytes(const char *p, size_t n)
{
    char *b = malloc(n + 1);  /* not strndup: the length must be exact */
    if (b) {
        memcpy(b, p, n);
        b[n] = '\0';
    }
    return b;
}

/* The payload: the element's character data — the bytes of its one CDATA section when the
 * text around it is white space —, else (no body) its verify attribute. */
static int pick_payload(const svg_scan *s, char **payload, size_t *plen, char *err, size_t errlen)
{
    bool body = s->text.n && strspn(s->text.b, " \t\r\n") < s->text.n;
    const char *k = s->kind->local;
    if (body && s->has_verify && cc_jws_shape(s->verify.b, s->verify.n))
        return failf(err, errlen, "<%s> holds both a signed verify attribute and a body: which "
                     "one is the badge is ambiguous, refused", k);
    const sbuf *src = body ? (s->cdata_sections == 1 && !s->text_nonblank ? &s->cdata : &s->text)
                           : s->has_verify ? &s->verify : NULL;
    if (!src)
        return failf(err, errlen, "<%s> holds no payload (no body, no verify)", k);
    *payload = dup_bytes(src->b ? src->b : "", src->n);
    *plen = src->n;
    return *payload ? 0 : failf(err, errlen, "out of memory");
}

int cc_svg_unbake(const char *doc, size_t len, char **payload, size_t *plen,
                  cc_badge_version *ver, char *err, size_t errlen)
{
    svg_scan s = {.bake = false};
    int rc = svg_scan_run(&s, doc, len, err, errlen);
    if (rc == 0 && !s.kind)
        rc = failf(err, errlen, "no badge in this SVG (no <assertion> in " CC_OB2_SVG_NS
                   ", no <credential> in " CC_OB3_SVG_NS " or " CC_CLR_SVG_NS
                   " as a child of the root <svg>)");
    if (rc == 0 && (rc = pick_payload(&s, payload, plen, err, errlen)) == 0)
        *ver = s.kind->ver;
    scan_free(&s);
    return rc;
}

/* ------------------------------------------------------------ bake */

static void attr_escape(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '"': fputs("&quot;", out); break;
        /* a character reference: attribute-value normalisation would make a space of it */
        case '\t': fputs("&#9;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\r': fputs("&#13;", out); break;
        default: putc(s[i], out);
        }
    }
}

/* The id of an OB 2.0 JSON assertion: the verify attribute of an unsigned bake. */
static char *assertion_id(const char *payload, size_t plen)
{
    json_t *doc = cc_json_loadb(payload, plen, 0, NULL);
    const char *id = json_string_value(json_object_get(doc, "id"));
    char *r = id ? strdup(id) : NULL;
    json_decref(doc);
    return r;
}

/* The badge element, right after the root start tag's '>'. */
static void write_badge(FILE *out, const struct badge_kind *k, const char *payload, size_t plen,
                        bool jws)
{
    fprintf(out, " xmlns:openbadges=\"%s\">\n<openbadges:%s", k->ns, k->local);
    char *verify = jws ? dup_bytes(payload, plen)
                 : k->ver == CC_BADGE_OB2 ? assertion_id(payload, plen) : NULL;
    if (verify) {
        fputs(" verify=\"", out);
        attr_escape(out, verify, strlen(verify));
        putc('"', out);
        free(verify);
    }
    if (jws) {
        fputs("/>", out);
    } else {
        fputs("><![CDATA[", out);
        fwrite(payload, 1, plen, out);
        fprintf(out, "]]></openbadges:%s>", k->local);
    }
}

/* What was written must read back, with this parser, as exactly the payload. */
static int check_round_trip(const char *img, size_t len, const char *payload, size_t plen,
                            cc_badge_version ver, char *err, size_t errlen)
{
    char *back = NULL, why[256] = "";
    size_t blen = 0;
    cc_badge_version bver;
    int rc = cc_svg_unbake(img, len, &back, &blen, &bver, why, sizeof why);
    if (rc == 0 && (bver != ver || blen != plen || memcmp(back, payload, plen)))
        rc = failf(err, errlen, "the baked SVG would not give the payload back: refused");
    else if (rc != 0)
        failf(err, errlen, "the payload cannot be carried in an SVG (%s)", why);
    free(back);
    return rc;
}

int cc_svg_bake(const char *doc, size_t len, const char *payload, size_t plen,
                cc_badge_version ver, FILE *out, char *err, size_t errlen)
{
    const struct badge_kind *k = kind_of_ver(ver);
    svg_scan s = {.bake = true};
    int rc = k ? svg_scan_run(&s, doc, len, err, errlen)
               : failf(err, errlen, "unknown badge version");
    scan_free(&s);
    if (rc != 0)
        return -1;
    size_t gt = (size_t)s.root_gt;
    if (s.root_gt < 0 || gt >= len || (doc[gt] != '>' && doc[gt] != '/'))
        return failf(err, errlen, "no <svg> start tag to bake into");
    if (doc[gt] == '/')
        return failf(err, errlen, "the root <svg/> is empty: no image to bake into");
    bool jws = cc_jws_shape(payload, plen);
    if (!jws && memmem(payload, plen, "]]>", 3))
        return failf(err, errlen, "the payload contains ']]>', which a CDATA section cannot hold");
    char *img = NULL;
    size_t ilen = 0;
    FILE *m = open_memstream(&img, &ilen);
    if (!m)
        return failf(err, errlen, "out of memory");
    fwrite(doc, 1, gt, m);
    write_badge(m, k, payload, plen, jws);
    fwrite(doc + gt + 1, 1, len - gt - 1, m);
    if (fclose(m) != 0 || !img) {
        free(img);
        return failf(err, errlen, "out of memory");
    }
    rc = check_round_trip(img, ilen, payload, plen, ver, err, errlen);
    if (rc == 0 && fwrite(img, 1, ilen, out) != ilen)
        rc = -2;
    free(img);
    return rc;
}
