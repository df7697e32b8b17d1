/* Schema loading shared by the XML readers: which file, how its own errors are reported. */
#include "cc_xmlschema.h"

#include <errno.h>
#include <string.h>

void cc_xml_error_text(const xmlError *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", e && e->message ? e->message : "XML error");
    buf[strcspn(buf, "\n")] = '\0';
}

bool cc_xml_error_cut_short(const xmlError *e, bool unfinished)
{
    const xmlParserCtxt *px = e->ctxt;
    if (e->code == XML_ERR_TAG_NAME_MISMATCH || !unfinished)
        return false;
    if (e->code == XML_ERR_DOCUMENT_END || e->code == XML_ERR_TAG_NOT_FINISHED ||
        e->code == XML_ERR_DOCUMENT_EMPTY || e->code == XML_ERR_XMLDECL_NOT_FINISHED ||
        e->code == XML_ERR_VERSION_MISSING)  /* the last two: a cut in the XML declaration */
        return true;
    const xmlChar *p = px && px->input ? px->input->cur : NULL;
    if (!p)
        return false;
    while (p < px->input->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p >= px->input->end;
}

bool cc_xml_error_huge_text(const xmlError *e)
{
    return e && e->message && strstr(e->message, "huge text node");
}

static void on_load_error(void *ud, xmlErrorPtr e)
{
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    cc_diagf(ud, CC_ERROR, e->file ? e->file : "schema", e->line, 0, NULL, "schema-load", "%s",
             msg);
}

int cc_xmlschema_load(cc_xmlschema *s, const cc_read_ctx *ctx, const char *default_name)
{
    char path[4096];
    if (ctx->schema_path)
        snprintf(path, sizeof path, "%s", ctx->schema_path);
    else
        snprintf(path, sizeof path, "%s/%s", ctx->schema_dir ? ctx->schema_dir : ".",
                 default_name);
    FILE *probe = fopen(path, "r");
    if (!probe) {
        cc_diagf(ctx->diag, CC_ERROR, path, 0, 0, NULL, "schema-load", "cannot open the schema: %s",
                 strerror(errno));
        return -1;
    }
    fclose(probe);
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    if (pc)
        xmlSchemaSetParserStructuredErrors(pc, on_load_error, (void *)ctx->diag);
    s->schema = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaFreeParserCtxt(pc);
    if (!s->schema) {
        cc_diagf(ctx->diag, CC_ERROR, path, 0, 0, NULL, "schema-load",
                 "cannot load the XML schema");
        return -1;
    }
    s->vctxt = xmlSchemaNewValidCtxt(s->schema);
    return s->vctxt ? 0 : -1;
}

void cc_xmlschema_free(cc_xmlschema *s)
{
    if (s->plug)
        xmlSchemaSAXUnplug(s->plug);
    xmlSchemaFreeValidCtxt(s->vctxt);
    xmlSchemaFree(s->schema);
    s->plug = NULL;
    s->vctxt = NULL;
    s->schema = NULL;
}
