/* Europass EDC 1.x reader: a europassCredential document, a verifiable presentation
 * (vp:verifiablePresentation) holding one, or the bulk-upload wrapper europassCredentials.
 *
 * An xmlTextReader streams the input; each europassCredential is expanded into a small
 * tree, mapped (edc_map.c), given to the sink, and freed when the reader moves past it,
 * so a bulk file of many credentials never sits in memory.  Validation checks each
 * credential element against the schema (xmlSchemaValidateOneElement): the same errors
 * for a credential alone, in a presentation or in a bulk file. */
#include "edc.h"
#include "edc_tree.h"
#include "edc_guard.h"
#include "cc_xmlschema.h"

#include <stdarg.h>
#include <libxml/xmlreader.h>
#include <string.h>

typedef struct reader {
    cc_read_ctx *ctx;
    xmlTextReaderPtr xr;
    cc_xmlschema sch;
    bool container;       /* root is a presentation or the bulk wrapper */
    bool stop;            /* the sink asked to stop */
    int fatal;            /* not well formed, or not EDC */
    bool eof;             /* the input is all read: an error now means it was cut short */
    int invalid;          /* schema errors in the credential being validated */
    long index, found;
    cc_xml_guard guard;      /* attribute counts, on the bytes before libxml2 sees them */
} reader;

/* ------------------------------------------------------------ errors */

/* An error once the input is all read: the file is cut short.  libxml2's words for it
 * ("Extra content at the end of the document", "expected '>'") do not say so; the tree the
 * reader is building holds the elements left open, innermost first, with their lines. */
static void truncated(reader *r, const xmlError *e)
{
    const xmlParserCtxt *px = e->ctxt;
    char open[400] = "";
    size_t n = 0;
    int i = 0;
    for (const xmlNode *x = px->node; x && x->type == XML_ELEMENT_NODE && n + 80 < sizeof open; x = x->parent, i++) {
        if (i == 2 && x->parent && x->parent->type == XML_ELEMENT_NODE) {
            n += (size_t)snprintf(open + n, sizeof open - n, ", …");
            while (x->parent && x->parent->type == XML_ELEMENT_NODE)
                x = x->parent;  /* the innermost two and the root are enough */
        }
        n += (size_t)snprintf(open + n, sizeof open - n, "%s<%.40s> (line %ld)", i ? ", in " : "",
                              (const char *)x->name, xmlGetLineNo(x));
    }
    long line = px->input ? px->input->line : e->line;
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, line, e->int2, NULL, "xml-syntax",
             "not well-formed XML: unexpected end of file at line %ld%s%s", line,
             *open ? ": not closed: " : ", before the root element", open);
}

static void on_error(void *ud, xmlErrorPtr e)
{
    reader *r = ud;
    if (e->level == XML_ERR_WARNING || r->fatal)
        return;
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    const xmlParserCtxt *px = e->ctxt;
    if (r->eof && px && cc_xml_error_cut_short(e, px->node || !px->myDoc || !xmlDocGetRootElement(px->myDoc)))
        truncated(r, e);
    else if (cc_xml_error_huge_text(e))
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, 0, NULL, "xml-huge-text",
                 "%s", CC_XML_HUGE_TEXT_MSG);
    else
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, e->int2, NULL, "xml-syntax",
                 "not well-formed XML: %s", msg);
    r->fatal = 1;
}

static void on_schema_error(void *ud, xmlErrorPtr e)
{
    reader *r = ud;
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, 0, NULL, "edc-schema", "%s", msg);
    r->invalid++;
}

/* At the current node's line when there is one: the parser itself may be further on. */
__attribute__((format(printf, 3, 4))) static void fail(reader *r, const char *rule, const char *fmt, ...)
{
    xmlNode *n = xmlTextReaderCurrentNode(r->xr);
    long line = n ? xmlGetLineNo(n) : -1;
    long col = line > 0 ? 0 : xmlTextReaderGetParserColumnNumber(r->xr);
    if (line <= 0)
        line = xmlTextReaderGetParserLineNumber(r->xr);
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(r->ctx->diag, CC_ERROR, r->ctx->in->name, line, col, NULL, NULL, rule, fmt, ap);
    va_end(ap);
    r->fatal = 1;
}

/* ------------------------------------------------------------ one credential */

static void credential(reader *r)
{
    xmlNode *n = xmlTextReaderExpand(r->xr);
    if (!n) {
        if (!r->fatal)
            fail(r, "xml-syntax", "cannot read the credential%s", "");
        return;
    }
    r->found++;
    r->invalid = 0;
    if (r->sch.vctxt && xmlSchemaValidateOneElement(r->sch.vctxt, n) < 0)
        fail(r, "edc-schema", "internal error of the schema validator%s", "");
    cc_record *rec = cc_edc_map(n, r->ctx->in->name, r->ctx->diag);
    r->index++;
    if (!rec) {
        const xmlChar *id = edc_prop_ns(n, "id", EDC_CRED_NS);
        if (r->ctx->sink.reject(r->ctx->sink.ud, r->ctx->in->name, xmlGetLineNo(n),
                                (const char *)id))
            r->stop = true;
        return;
    }
    rec->src_index = r->index;
    rec->invalid = r->invalid;
    if (r->ctx->sink.record(r->ctx->sink.ud, rec))
        r->stop = true;
}

/* ------------------------------------------------------------ walking the document */

static bool named(reader *r, const char *ns, const char *name)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r->xr);
    const xmlChar *l = xmlTextReaderConstLocalName(r->xr);
    return u && l && !strcmp((const char *)u, ns) && !strcmp((const char *)l, name);
}

/* Looks at the current node; true when its subtree is done with (skip to the next one). */
static bool visit(reader *r)
{
    int type = xmlTextReaderNodeType(r->xr);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        /* No DTD is used: it is where external entities and expansion bombs live. */
        fail(r, "xml-doctype", "DOCTYPE declarations are refused (no DTD or entity is loaded)%s",
             "");
        return true;
    }
    if (type != XML_READER_TYPE_ELEMENT)
        return false;
    if (named(r, EDC_NS, "europassCredential")) {
        credential(r);
        return true;
    }
    if (xmlTextReaderDepth(r->xr) > 0)
        return true;  /* presentation envelope, upload metadata: not credentials */
    if (named(r, EDC_VP_NS, "verifiablePresentation") ||
        named(r, EDC_UPLOAD_NS, "europassCredentials")) {
        r->container = true;
        return false;
    }
    const xmlChar *u = xmlTextReaderConstNamespaceUri(r->xr);
    char msg[600];
    snprintf(msg, sizeof msg,
             "root element is <%.200s> in namespace '%.200s': not an EDC credential "
             "(europassCredential in " EDC_NS ")",
             (const char *)xmlTextReaderConstLocalName(r->xr), u ? (const char *)u : "");
    fail(r, "edc-root", "%s", msg);
    return true;
}

/* ------------------------------------------------------------ driver */

/* The guard sees each chunk before libxml2 does: an element past EDC_MAX_ATTRIBUTES is
 * refused before libxml2's pairwise duplicate check runs on it. */
static int io_read(void *ud, char *buf, int len)
{
    reader *r = ud;
    size_t n = cc_input_read(r->ctx->in, buf, (size_t)len);
    r->eof |= n == 0 && len > 0;
    if (cc_xml_guard_feed(&r->guard, buf, n))
        return (int)n;
    if (!r->fatal)
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, r->guard.tag_line, 0, NULL,
                 r->guard.rule, "%s", edc_guard_why(&r->guard));
    r->fatal = 1;
    return -1;
}

static int io_close(void *ud)
{
    (void)ud;
    return 0;
}

int cc_edc_read(cc_read_ctx *ctx)
{
    reader r = {.ctx = ctx, .guard = EDC_GUARD_INIT};
    if (ctx->validate) {
        if (cc_xmlschema_load(&r.sch, ctx, EDC_XSD) != 0) {
            cc_xmlschema_free(&r.sch);
            return 2;
        }
        xmlSchemaSetValidStructuredErrors(r.sch.vctxt, on_schema_error, &r);
    }
    /* NONET: nothing reaches the network; BIG_LINES: true line numbers past 65535. */
    r.xr = xmlReaderForIO(io_read, io_close, &r, ctx->in->name, NULL,
                          XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    if (!r.xr) {
        cc_xmlschema_free(&r.sch);
        return 2;
    }
    xmlTextReaderSetStructuredErrorHandler(r.xr, on_error, &r);
    int ret = xmlTextReaderRead(r.xr);
    while (ret == 1 && !r.fatal && !r.stop)
        ret = visit(&r) ? xmlTextReaderNext(r.xr) : xmlTextReaderRead(r.xr);
    if (ret < 0 && !r.fatal)
        fail(&r, "xml-syntax", "not well-formed XML%s", "");
    if (!r.fatal && !r.stop && !r.found)
        fail(&r, "edc-root", "no europassCredential in the input%s", "");
    xmlFreeTextReader(r.xr);
    cc_xmlschema_free(&r.sch);
    return r.fatal ? 1 : 0;
}
