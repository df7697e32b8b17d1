/* The EDC 1.x e-seal (docs/references.md edc §10): an enveloped XAdES signature in the proof of a
 * credential or presentation, checked with libxmlsec1 over OpenSSL.  What is checked: the
 * document reference covers the whole document but the signature, the SignedProperties
 * reference, and the signature value with the key of the embedded certificate.  Not
 * evaluated: certificate trust and qualified status, timestamps, revocation data. */
#include "cc_sign.h"
#include "edc_guard.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#define DSIG_NS "http://www.w3.org/2000/09/xmldsig#"
#define XADES_NS "http://uri.etsi.org/01903/v1.3.2#"
#define XPATH_FILTER2 "http://www.w3.org/2002/06/xmldsig-filter2"
#define XPATH_1 "http://www.w3.org/TR/1999/REC-xpath-19991116"

/* libxmlsec1 prints its errors to stderr by default; credconv reports its own. */
static void quiet_xmlsec(const char *file, int line, const char *func, const char *obj, const char *subj,
                         int reason, const char *msg)
{
    (void)file, (void)line, (void)func, (void)obj, (void)subj, (void)reason, (void)msg;
}

int cc_xmlsec_init(void)
{
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(NULL) < 0 || xmlSecCryptoInit() < 0)
        return -1;
    xmlSecErrorsSetCallback(quiet_xmlsec);
    return 0;
}

void cc_xmlsec_shutdown(void)
{
    xmlSecCryptoShutdown();
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
}

/* ------------------------------------------------------------ parsing */

typedef struct parse_state {
    bool doctype;
} parse_state;

/* No DTD is ever read (as in the RNCP reader): external entities and bombs live there. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    xmlParserCtxtPtr p = ctx;
    ((parse_state *)p->_private)->doctype = true;
    xmlStopParser(p);
}

/* Parse errors are reported once, by credconv, from the context's last error. */
static void quiet_parser(void *ud, xmlErrorPtr e)
{
    (void)ud, (void)e;
}

static xmlDocPtr parse(const char *xml, size_t len, const char *name, const cc_diag_sink *diag)
{
    parse_state st = {.doctype = false};
    cc_xml_guard g = EDC_GUARD_INIT;
    if (!cc_xml_guard_feed(&g, xml, len) || !cc_xml_guard_feed(&g, xml, 0)) {
        cc_diagf(diag, CC_ERROR, name, g.tag_line, 0, NULL, g.rule, "%s", edc_guard_why(&g));
        return NULL;
    }
    xmlParserCtxtPtr p = xmlNewParserCtxt();
    if (!p)
        return NULL;
    p->_private = &st;
    p->sax->internalSubset = on_doctype;
    p->sax->serror = quiet_parser;
    xmlDocPtr doc = xmlCtxtReadMemory(p, xml, (int)len, name, NULL, XML_PARSE_NONET);
    if (st.doctype) {
        xmlFreeDoc(doc);
        doc = NULL;
        cc_diagf(diag, CC_ERROR, name, 0, 0, NULL, "xml-doctype",
                 "DOCTYPE declarations are refused (no DTD or entity is loaded)");
    } else if (!doc || !p->wellFormed) {
        const xmlError *err = xmlCtxtGetLastError(p);
        cc_diagf(diag, CC_ERROR, name, err ? err->line : 0, err ? err->int2 : 0, NULL, "xml-syntax",
                 "not well-formed XML: %s", err && err->message ? err->message : "?");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(p);
    return doc;
}

/* ------------------------------------------------------------ the structure */

static bool is_el(const xmlNode *n, const char *local, const char *ns)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, local) &&
           (!ns || (n->ns && !strcmp((const char *)n->ns->href, ns)));
}

static xmlNodePtr child(xmlNodePtr n, const char *local, const char *ns)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, local, ns))
            return c;
    return NULL;
}

/* Registers the Id of every xades:SignedProperties in the signature as an ID, so the
 * second Reference resolves whatever the libxmlsec1 version does on its own. */
static void register_ids(xmlDocPtr doc, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlAttrPtr id = is_el(c, "SignedProperties", XADES_NS) ? xmlHasProp(c, BAD_CAST "Id") : NULL;
        if (id && !xmlIsID(doc, c, id)) {
            xmlChar *v = xmlNodeListGetString(doc, id->children, 1);
            if (v && !xmlGetID(doc, v))
                xmlAddID(NULL, doc, v, id);
            xmlFree(v);
        }
        register_ids(doc, c);
    }
}

static char *trimmed_text(xmlNodePtr n, char *buf, size_t cap)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    s += strspn(s, " \t\r\n");
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    snprintf(buf, cap, "%.*s", (int)(len < cap ? len : cap - 1), s);
    xmlFree(t);
    return buf;
}

/* The document reference (URI="") must take out only the signature: an enveloped-signature
 * transform, an XPath Filter 2.0 subtracting /descendant::ds:Signature, or the XPath
 * not(ancestor-or-self::ds:Signature); anything else could leave part of the credential
 * unsigned while the signature still checks. */
static bool transform_is_exclusion(xmlNodePtr t)
{
    char alg[256], text[256];
    xmlChar *a = xmlGetProp(t, BAD_CAST "Algorithm");
    snprintf(alg, sizeof alg, "%s", a ? (const char *)a : "");
    xmlFree(a);
    if (!strcmp(alg, "http://www.w3.org/2000/09/xmldsig#enveloped-signature"))
        return true;
    xmlNodePtr x = child(t, "XPath", NULL);
    if (!x)
        return false;
    trimmed_text(x, text, sizeof text);
    /* "ds:" must be the signature namespace, or another element is what gets subtracted. */
    xmlNsPtr ds = xmlSearchNs(t->doc, x, BAD_CAST "ds");
    if (!ds || strcmp((const char *)ds->href, DSIG_NS))
        return false;
    if (!strcmp(alg, XPATH_FILTER2)) {
        xmlChar *f = xmlGetProp(x, BAD_CAST "Filter");
        bool ok = f && !strcmp((const char *)f, "subtract") && !strcmp(text, "/descendant::ds:Signature");
        xmlFree(f);
        return ok;
    }
    return !strcmp(alg, XPATH_1) && !strcmp(text, "not(ancestor-or-self::ds:Signature)");
}

static bool transform_is_c14n(xmlNodePtr t)
{
    xmlChar *a = xmlGetProp(t, BAD_CAST "Algorithm");
    bool ok = a && (strstr((const char *)a, "c14n") != NULL);
    xmlFree(a);
    return ok;
}

static bool inside(const xmlNode *n, const xmlNode *ancestor)
{
    for (; n; n = n->parent)
        if (n == ancestor)
            return true;
    return false;
}

typedef struct seal {
    xmlNodePtr sig, doc_ref, props_ref, props;
    int refs;
} seal;

/* Finds the two references and checks what each covers (before any cryptography). */
static const char *check_references(xmlDocPtr doc, seal *s)
{
    xmlNodePtr si = child(s->sig, "SignedInfo", DSIG_NS);
    for (xmlNodePtr r = si ? si->children : NULL; r; r = r->next) {
        if (!is_el(r, "Reference", DSIG_NS))
            continue;
        s->refs++;
        xmlChar *uri = xmlGetProp(r, BAD_CAST "URI");
        if (uri && !*uri)
            s->doc_ref = r;
        else if (uri && *uri == '#') {
            xmlAttrPtr target = xmlGetID(doc, uri + 1);
            if (target && is_el(target->parent, "SignedProperties", XADES_NS))
                s->props_ref = r, s->props = target->parent;
        }
        if (s->props && !inside(s->props, s->sig)) {
            xmlFree(uri);
            return "the xades:SignedProperties the Reference names is not in the seal's signature (a moved "
                   "Id)";
        }
        xmlFree(uri);
    }
    if (!s->doc_ref)
        return "no Reference with URI=\"\": the credential itself is not signed";
    if (!s->props_ref)
        return "no Reference to the xades:SignedProperties: the signing time and certificate are not signed";
    xmlNodePtr ts = child(s->doc_ref, "Transforms", DSIG_NS);
    bool excl = false;
    for (xmlNodePtr t = ts ? ts->children : NULL; t; t = t->next) {
        if (!is_el(t, "Transform", DSIG_NS))
            continue;
        if (transform_is_exclusion(t))
            excl = true;
        else if (!transform_is_c14n(t))
            return "the document Reference has a transform other than the signature's exclusion and "
                   "canonicalisation: what it covers is not established";
    }
    return excl ? NULL : "the document Reference does not exclude the signature (not an enveloped signature)";
}

/* ------------------------------------------------------------ what the seal covers */

/* The document reference digests the document less every ds:Signature, and the EDC
 * reader reads everything else (never inside a ds:Signature, never comments or PIs).  So
 * the bytes are the same exactly when the only ds:Signature is the seal itself: any other
 * one (anywhere: in a text, at the root, nested in the seal's own Object is the seal's)
 * holds content no reference covers.  Each is reported with its path and line. */
/* "/europassCredential/title/text[2]/ds:Signature": names as written, with the position
 * among same-named siblings where there are several (xmlGetNodePath writes "*" for
 * elements of a default namespace). */
static void node_path(const xmlNode *n, char *out, size_t cap)
{
    char rest[512];
    out[0] = '\0';
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        int pos = 1, same = 0;
        for (const xmlNode *k = n->parent ? n->parent->children : NULL; k; k = k->next)
            if (k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, (const char *)n->name) &&
                ++same && k == n)
                pos = same;
        char idx[16] = "";
        if (same > 1)
            snprintf(idx, sizeof idx, "[%d]", pos);
        snprintf(rest, sizeof rest, "%s", out);
        snprintf(out, cap, "/%s%s%s%s", n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
                 n->ns && n->ns->prefix ? ":" : "", (const char *)n->name, idx);
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s", rest);
    }
}

static int uncovered(xmlNodePtr n, const seal *s, const char *name, const cc_diag_sink *diag)
{
    int bad = 0;
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (k == s->sig || !is_el(k, "Signature", DSIG_NS)) {  /* nested ones too */
            bad += uncovered(k, s, name, diag);
            continue;
        }
        char path[512];
        node_path(k, path, sizeof path);
        cc_diagf(diag, CC_ERROR, name, xmlGetLineNo(k), 0, NULL, "edc-seal-uncovered",
                 "%s (line %ld): a ds:Signature other than the seal: no reference covers what it "
                 "holds, and no reader may take it", path, xmlGetLineNo(k));
        bad++;
    }
    return bad;
}

typedef struct id_use {
    const xmlChar *value;
    xmlNodePtr el;
    bool strong;                  /* Id, ID or xml:id: what a "#…" Reference can resolve to */
} id_use;

typedef struct id_list {
    id_use *v;
    size_t n, cap;
} id_list;

static void collect_ids(xmlNodePtr n, id_list *l)
{
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = k->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            bool xml_id = a->ns && !strcmp(an, "id") && a->ns->href &&
                          !strcmp((const char *)a->ns->href, "http://www.w3.org/XML/1998/namespace");
            if (!xml_id && (a->ns || (strcmp(an, "Id") && strcmp(an, "ID") && strcmp(an, "id"))))
                continue;
            if (l->n == l->cap) {
                size_t cap = l->cap ? 2 * l->cap : 64;
                id_use *v = realloc(l->v, cap * sizeof *v);
                if (!v)
                    continue;
                l->v = v, l->cap = cap;
            }
            const xmlChar *val = a->children && a->children->type == XML_TEXT_NODE ? a->children->content
                                                                                  : BAD_CAST "";
            l->v[l->n++] = (id_use){.value = val, .el = k, .strong = xml_id || strcmp(an, "id")};
        }
        collect_ids(k, l);
    }
}

static int by_value(const void *a, const void *b)
{
    return strcmp((const char *)((const id_use *)a)->value, (const char *)((const id_use *)b)->value);
}

/* An Id (Id, ID, xml:id) given twice, or also used as an EDC id: a "#…" Reference could
 * resolve to either element (signature wrapping), so the document is refused. */
static int duplicate_ids(xmlDocPtr doc, const char *name, const cc_diag_sink *diag)
{
    id_list l = {0};
    collect_ids((xmlNodePtr)doc, &l);
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_value);
    int bad = 0;
    for (size_t i = 0, j; i < l.n; i = j) {
        bool strong = false;
        for (j = i; j < l.n && !by_value(&l.v[i], &l.v[j]); j++)
            strong |= l.v[j].strong;
        if (strong && j - i > 1) {
            cc_diagf(diag, CC_ERROR, name, xmlGetLineNo(l.v[i + 1].el), 0, NULL, "edc-seal-duplicate-id",
                     "the Id '%s' is given to %zu elements (lines %ld and %ld): a Reference to it is "
                     "ambiguous", (const char *)l.v[i].value, j - i, xmlGetLineNo(l.v[i].el),
                     xmlGetLineNo(l.v[i + 1].el));
            bad++;
        }
    }
    free(l.v);
    return bad;
}

/* ------------------------------------------------------------ xmlsec */

/* Only the algorithms XAdES e-seals use: no XSLT, no base64 or external decoding. */
static int restrict_transforms(xmlSecDSigCtxPtr ctx)
{
    const xmlSecTransformId c14n[] = {
        xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId, xmlSecTransformInclC14NId,
        xmlSecTransformInclC14NWithCommentsId, xmlSecTransformInclC14N11Id,
        xmlSecTransformInclC14N11WithCommentsId};
    const xmlSecTransformId ref_only[] = {
        xmlSecTransformEnvelopedId, xmlSecTransformXPath2Id, xmlSecTransformXPathId,
        xmlSecTransformSha256Id, xmlSecTransformSha384Id, xmlSecTransformSha512Id};
    const xmlSecTransformId sig_only[] = {
        xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id,
        xmlSecTransformEcdsaSha256Id, xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id};
    int rc = 0;
    for (size_t i = 0; i < sizeof c14n / sizeof *c14n; i++)
        rc |= xmlSecDSigCtxEnableReferenceTransform(ctx, c14n[i]) | xmlSecDSigCtxEnableSignatureTransform(ctx, c14n[i]);
    for (size_t i = 0; i < sizeof ref_only / sizeof *ref_only; i++)
        rc |= xmlSecDSigCtxEnableReferenceTransform(ctx, ref_only[i]);
    for (size_t i = 0; i < sizeof sig_only / sizeof *sig_only; i++)
        rc |= xmlSecDSigCtxEnableSignatureTransform(ctx, sig_only[i]);
    return rc ? -1 : 0;
}

static xmlSecDSigCtxPtr make_ctx(xmlSecKeysMngrPtr *mngr)
{
    *mngr = xmlSecKeysMngrCreate();
    if (!*mngr || xmlSecCryptoAppDefaultKeysMngrInit(*mngr) < 0)
        return NULL;
    xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(*mngr);
    if (!ctx)
        return NULL;
    /* The key is the embedded certificate's, taken as it is: trust is not evaluated here
     * (no EU trusted list), and the verdict says so. */
    ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
    ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
    /* Nothing outside the document is ever read: no file, no URL. */
    ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument;
    if (xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData, (xmlSecPtr)xmlSecKeyDataX509Id) < 0 ||
        restrict_transforms(ctx) < 0) {
        xmlSecDSigCtxDestroy(ctx);
        return NULL;
    }
    return ctx;
}

/* The status of each SignedInfo reference: the first failing one, or NULL. */
static const char *failed_reference(xmlSecDSigCtxPtr ctx)
{
    xmlSecSize n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
    for (xmlSecSize i = 0; i < n; i++) {
        xmlSecDSigReferenceCtxPtr r = xmlSecPtrListGetItem(&ctx->signedInfoReferences, i);
        if (r && r->status != xmlSecDSigStatusSucceeded)
            return r->uri && *r->uri ? "the SignedProperties (signing time, certificate reference)"
                                     : "the credential document";
    }
    return NULL;
}

/* The subject of the certificate whose key checked the signature. */
static void signer_subject(xmlSecDSigCtxPtr ctx, char *buf, size_t cap)
{
    snprintf(buf, cap, "unknown");
    xmlSecKeyDataPtr d = ctx->signKey ? xmlSecKeyGetData(ctx->signKey, xmlSecKeyDataX509Id) : NULL;
    X509 *cert = d ? xmlSecOpenSSLKeyDataX509GetKeyCert(d) : NULL;
    if (!cert)
        return;
    BIO *b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int n = BIO_read(b, buf, (int)cap - 1);
    buf[n > 0 ? n : 0] = '\0';
    BIO_free(b);
}

static void describe(seal *s, xmlSecDSigCtxPtr ctx, cc_verdict *v)
{
    char subject[512], when[64] = "not given";
    signer_subject(ctx, subject, sizeof subject);
    xmlNodePtr ssp = child(s->props, "SignedSignatureProperties", XADES_NS);
    xmlNodePtr st = child(ssp, "SigningTime", XADES_NS);
    if (st)
        trimmed_text(st, when, sizeof when);
    CC_VERDICT_ADD(v, checked, "seal valid (XAdES, %d/%d references, signature value; key of the embedded "
                   "certificate)", s->refs, s->refs);
    CC_VERDICT_ADD(v, checked, "signer %s", subject);
    CC_VERDICT_ADD(v, checked, "signing time %s", when);
    CC_VERDICT_ADD(v, unchecked, "certificate trust and qualified status (EU trusted lists), timestamps, "
                   "revocation data, the SigningCertificate binding");
}

/* The seal's key is the embedded certificate's: it is the issuer's only when the user gave
 * that key (--key CERT.pem or its public key).  A different key given is INVALID. */
static int bind_key(xmlSecDSigCtxPtr ctx, const cc_verify_opts *o, const char *name,
                    const cc_diag_sink *diag, cc_verdict *v)
{
    if (!o || !o->key) {
        CC_VERDICT_ADD(v, binding, "the seal's certificate comes from the document itself, and no trusted "
                       "certificate was given for the issuer (--key)");
        return 1;
    }
    xmlSecKeyDataPtr d = ctx->signKey ? xmlSecKeyGetData(ctx->signKey, xmlSecKeyDataX509Id) : NULL;
    X509 *cert = d ? xmlSecOpenSSLKeyDataX509GetKeyCert(d) : NULL;
    EVP_PKEY *pk = cert ? X509_get0_pubkey(cert) : NULL;
    if (pk && EVP_PKEY_eq(pk, o->key) == 1) {
        v->bound = true;
        CC_VERDICT_ADD(v, binding, "the certificate was given (--key %s)", o->key_file ? o->key_file : "");
        return 1;
    }
    cc_diagf(diag, CC_ERROR, name, 0, 0, NULL, "edc-seal-key-mismatch",
             "the seal was made with the key of its embedded certificate, not with the key given (--key %s)",
             o->key_file ? o->key_file : "");
    return 0;
}

/* Everything the reader would take is covered by a reference, and Ids are unambiguous. */
static bool covered(xmlDocPtr doc, const seal *s, const char *name, const cc_diag_sink *diag)
{
    int bad = duplicate_ids(doc, name, diag);
    return !(bad + uncovered((xmlNodePtr)doc, s, name, diag));
}

static int verify_doc(xmlDocPtr doc, const char *name, const cc_verify_opts *o, const cc_diag_sink *diag,
                      cc_verdict *v)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    seal s = {0};
    s.sig = child(child(root, "proof", NULL), "Signature", DSIG_NS);
    if (!s.sig) {
        cc_diagf(diag, CC_ERROR, name, 0, 0, NULL, "edc-no-seal", "no ds:Signature in the <proof> of <%s>: "
                 "the document is not sealed", root ? (const char *)root->name : "?");
        return v->status = -1;
    }
    register_ids(doc, s.sig);
    const char *why = check_references(doc, &s);
    if (why) {
        cc_diagf(diag, CC_ERROR, name, xmlGetLineNo(s.sig), 0, NULL, "edc-seal-scope", "%s", why);
        return v->status = 0;
    }
    if (!covered(doc, &s, name, diag))
        return v->status = 0;
    xmlSecKeysMngrPtr mngr = NULL;
    xmlSecDSigCtxPtr ctx = make_ctx(&mngr);
    int rc = ctx ? xmlSecDSigCtxVerify(ctx, s.sig) : -1;
    if (rc < 0 || !ctx) {
        cc_diagf(diag, CC_ERROR, name, xmlGetLineNo(s.sig), 0, NULL, "edc-seal-unreadable",
                 "the signature cannot be processed (unsupported algorithm, no usable certificate, or a "
                 "reference outside the document)");
        v->status = 0;
    } else if (ctx->status != xmlSecDSigStatusSucceeded) {
        const char *bad = failed_reference(ctx);
        cc_diagf(diag, CC_ERROR, name, xmlGetLineNo(s.sig), 0, NULL, "edc-seal-invalid",
                 bad ? "the digest of %s does not match: it was changed after sealing"
                     : "%sthe signature value does not match the signed information", bad ? bad : "");
        v->status = 0;
    } else {
        describe(&s, ctx, v);
        v->status = bind_key(ctx, o, name, diag, v);
    }
    if (ctx)
        xmlSecDSigCtxDestroy(ctx);
    if (mngr)
        xmlSecKeysMngrDestroy(mngr);
    return v->status;
}

int cc_edc_verify(const char *xml, size_t len, const char *name, const cc_verify_opts *o,
                  const cc_diag_sink *diag, cc_verdict *v)
{
    v->kind = "EDC e-seal";
    xmlDocPtr doc = parse(xml, len, name, diag);
    if (!doc)
        return v->status = 0;
    verify_doc(doc, name, o, diag, v);
    xmlFreeDoc(doc);
    return v->status;
}
