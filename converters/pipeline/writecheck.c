/* The run's write check (cc_writecheck.h): the compiled schemas every writer of the run
 * shares, and how a check's result becomes a rejected record or a warning. */
#include "cc_writecheck.h"
#include "cc_xmlschema.h"
#include "jsonschema.h"

#include <libxml/parser.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* schemas compiled per run and kind: a run writes one format, a CLR's writer also OB 3.0's */
enum { MAX_SCHEMAS = 8 };  /* XSDs and JSON Schemas each: ob2, ob3, clr, case, … */

typedef struct xsd_entry {
    const char *name;             /* the bundled file name: a string literal of the caller */
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctxt;
    bool failed;                  /* could not be loaded: reported once */
} xsd_entry;

typedef struct json_entry {
    const char *name;
    cc_schema_set *set;
    bool failed;
} json_entry;

struct cc_wcheck {
    char *schema_dir;
    bool allow_invalid;
    bool off;                     /* cc_wcheck_new_off */
    xsd_entry xsd[MAX_SCHEMAS];
    json_entry json[MAX_SCHEMAS];
};

const char *cc_default_schema_dir(char *buf, size_t cap)
{
    const char *env = getenv("CREDCONV_SCHEMAS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "schemas";
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    if (snprintf(buf, cap, "%s/schemas/rncp-4.1.xsd", exe) < (int)cap && access(buf, R_OK) == 0 &&
        snprintf(buf, cap, "%s/schemas", exe) < (int)cap)
        return buf;
    if (snprintf(buf, cap, "%s/../share/credconv/schemas", exe) >= (int)cap)
        return "schemas";
    return buf;
}

cc_wcheck *cc_wcheck_new(const char *schema_dir, bool allow_invalid)
{
    cc_wcheck *c = calloc(1, sizeof *c);
    char buf[PATH_MAX];
    if (c) {
        c->schema_dir = strdup(schema_dir ? schema_dir : cc_default_schema_dir(buf, sizeof buf));
        c->allow_invalid = allow_invalid;
    }
    if (c && !c->schema_dir) {
        free(c);
        c = NULL;
    }
    return c;
}

cc_wcheck *cc_wcheck_new_off(void)
{
    cc_wcheck *c = cc_wcheck_new(".", false);
    if (c)
        c->off = true;
    return c;
}

bool cc_wcheck_off(const cc_wcheck *c)
{
    return c && c->off;
}

void cc_wcheck_free(cc_wcheck *c)
{
    if (!c)
        return;
    for (int i = 0; i < MAX_SCHEMAS; i++) {
        xmlSchemaFreeValidCtxt(c->xsd[i].vctxt);
        xmlSchemaFree(c->xsd[i].schema);
        cc_schema_set_free(c->json[i].set);
    }
    free(c->schema_dir);
    free(c);
}

bool cc_wcheck_allow_invalid(const cc_wcheck *c)
{
    return c && c->allow_invalid;
}

cc_wcheck_ref cc_wcheck_for(const cc_write_ctx *ctx)
{
    if (ctx->check)
        return (cc_wcheck_ref){.check = ctx->check};
    return (cc_wcheck_ref){.check = cc_wcheck_new(NULL, false), .owned = true};
}

void cc_wcheck_release(cc_wcheck_ref *ref)
{
    if (ref->owned)
        cc_wcheck_free(ref->check);
    ref->check = NULL;
}

static void downgrade_emit(void *ud, const cc_diag *d)
{
    const cc_wcheck_sink *s = ud;
    if (!s->to || !s->to->emit)  /* a writer opened without a diagnostic sink (as cc_diagf allows) */
        return;
    cc_diag copy = *d;
    if (s->downgrade && copy.severity == CC_ERROR)
        copy.severity = CC_WARNING;
    s->to->emit(s->to->ud, &copy);
}

const cc_diag_sink *cc_wcheck_sink_init(cc_wcheck_sink *s, const cc_wcheck *c,
                                        const cc_diag_sink *to)
{
    *s = (cc_wcheck_sink){.sink = {.emit = downgrade_emit, .ud = s}, .to = to,
                          .downgrade = cc_wcheck_allow_invalid(c)};
    return &s->sink;
}

/* ------------------------------------------------------------ XML */

static xsd_entry *xsd_get(cc_wcheck *c, const char *name, const cc_diag_sink *diag)
{
    int i = 0;
    while (i < MAX_SCHEMAS && c->xsd[i].name && strcmp(c->xsd[i].name, name) != 0)
        i++;
    if (i == MAX_SCHEMAS)
        return NULL;
    xsd_entry *e = &c->xsd[i];
    if (e->name)
        return e->failed ? NULL : e;
    e->name = name;
    cc_xmlschema s = {0};
    cc_read_ctx rc = {.diag = diag, .schema_dir = c->schema_dir};
    e->failed = cc_xmlschema_load(&s, &rc, name) != 0;
    e->schema = s.schema;
    e->vctxt = s.vctxt;
    return e->failed ? NULL : e;
}

typedef struct xml_errs {
    const cc_diag_sink *diag;
    const char *rec, *rule;
    int n;
} xml_errs;

static void on_xml_error(void *ud, xmlErrorPtr e);

/* A parse error: the parser context's _private holds the errors. */
static void on_parse_error(void *ud, xmlErrorPtr e)
{
    on_xml_error(((xmlParserCtxtPtr)ud)->_private, e);
}

static void on_xml_error(void *ud, xmlErrorPtr e)
{
    xml_errs *x = ud;
    if (e->level < XML_ERR_ERROR)
        return;
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    cc_diagf(x->diag, CC_ERROR, NULL, 0, 0, x->rec, x->rule, "its output, line %d: %s", e->line,
             msg);
    x->n++;
}

int cc_wcheck_xml(cc_wcheck *c, const char *xsd, const char *buf, size_t len,
                  const cc_diag_sink *diag, const char *rec, const char *rule)
{
    if (c->off)
        return 0;
    xsd_entry *e = xsd_get(c, xsd, diag);
    if (!e)
        return -1;
    xml_errs x = {.diag = diag, .rec = rec, .rule = rule};
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return -1;
    pc->sax->serror = on_parse_error;  /* libxml2 2.9 passes the parser context as ud */
    pc->_private = &x;
    xmlDocPtr doc = xmlCtxtReadMemory(pc, buf, (int)len, "output", NULL, XML_PARSE_NONET);
    xmlFreeParserCtxt(pc);
    if (!doc)
        return x.n ? x.n : 1;
    xmlSchemaSetValidStructuredErrors(e->vctxt, on_xml_error, &x);
    if (xmlSchemaValidateDoc(e->vctxt, doc) != 0 && !x.n)
        x.n = 1;
    xmlSchemaSetValidStructuredErrors(e->vctxt, NULL, NULL);
    xmlFreeDoc(doc);
    return x.n;
}

int cc_wcheck_xml_doc(cc_wcheck *c, const char *xsd, struct _xmlDoc *doc,
                      const cc_diag_sink *diag, const char *rec, const char *rule)
{
    if (c->off)
        return 0;
    xsd_entry *e = xsd_get(c, xsd, diag);
    if (!e)
        return -1;
    xml_errs x = {.diag = diag, .rec = rec, .rule = rule};
    xmlSchemaSetValidStructuredErrors(e->vctxt, on_xml_error, &x);
    if (xmlSchemaValidateDoc(e->vctxt, doc) != 0 && !x.n)
        x.n = 1;
    xmlSchemaSetValidStructuredErrors(e->vctxt, NULL, NULL);
    return x.n;
}

/* ------------------------------------------------------------ JSON Schema */

cc_schema_set *cc_wcheck_json_schema(cc_wcheck *c, const char *bundled, const char *uri,
                                     const cc_diag_sink *diag)
{
    int i = 0;
    while (i < MAX_SCHEMAS && c->json[i].name && strcmp(c->json[i].name, bundled) != 0)
        i++;
    if (i == MAX_SCHEMAS)
        return NULL;
    json_entry *e = &c->json[i];
    if (e->name)
        return e->set;
    e->name = bundled;
    char path[PATH_MAX], err[512];
    snprintf(path, sizeof path, "%s/%s", c->schema_dir, bundled);
    e->set = cc_schema_set_new();
    if (e->set && cc_schema_set_add_file(e->set, path, uri, err, sizeof err) == 0)
        return e->set;
    cc_diagf(diag, CC_ERROR, path, 0, 0, NULL, "schema-load", "cannot load the schema: %s",
             e->set ? err : "out of memory");
    cc_schema_set_free(e->set);
    e->set = NULL;
    return NULL;
}

/* ------------------------------------------------------------ the verdict */

int cc_wcheck_verdict(const cc_wcheck *c, const cc_diag_sink *diag, const cc_record *r,
                      const char *fmt, int errors, const char *hint)
{
    if (errors == 0)
        return 0;
    const char *id = cc_record_id(r);
    if (errors < 0) {
        cc_diagf(diag, CC_ERROR, r->src_file, r->src_line, 0, id, "write-unchecked",
                 "not written: its %s output cannot be checked (the schema did not load)", fmt);
        return 1;
    }
    if (cc_wcheck_allow_invalid(c)) {
        cc_diagf(diag, CC_WARNING, r->src_file, r->src_line, 0, id, "write-invalid",
                 "written although its %s output fails %s validation (%d error%s above): "
                 "--allow-invalid", fmt, fmt, errors, errors == 1 ? "" : "s");
        return 0;
    }
    cc_diagf(diag, CC_ERROR, r->src_file, r->src_line, 0, id, "write-invalid",
             "not written: its %s output would fail `validate -f %s` (%d error%s above)%s%s; "
             "--allow-invalid writes it anyway", fmt, fmt, errors, errors == 1 ? "" : "s",
             hint ? ": " : "", hint ? hint : "");
    return 1;
}
